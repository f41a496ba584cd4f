"""Schemathesis over the proposals API: never a 5xx, always the declared shapes.

Runs the decisions operations of the OpenAPI document as an anonymous reader, a
secretariat administrator (who may table) and a liaison officer (who may state positions),
against an open proposal that exists, so position and outcome routes are exercised too.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.decisions.helpers import table

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READERS = [None, "sec.admin", "gbr.contributor"]


@pytest.mark.slow
def test_proposals_api_never_errors(app, engine, world) -> None:  # type: ignore[no-untyped-def]
    table(engine, world)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [
        r.ok()
        for r in schema.get_all_operations()
        if "/proposals" in r.ok().path and "/sanctions/" not in r.ok().path
    ]
    assert len(operations) == 9  # the list, its export, one proposal, its positions, ...
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case) -> None:  # type: ignore[no-untyped-def]
            for who in READERS:
                headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
                case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
