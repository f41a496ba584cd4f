"""Schemathesis over the whole OpenAPI document, anonymously and with tokens.

No response may be a 5xx, and every response must match its declared status, content
type and schema. New endpoints are covered without extra work: they are in the document.
The operations are driven through Schemathesis's Hypothesis strategies inside an ordinary
test, so the usual fixtures (a clean database on each engine, the test world) apply.
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

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
READERS = [None, "sec.admin", "gbr.contributor"]
EXAMPLES = 20


@pytest.mark.slow
def test_api_never_errors_and_matches_its_schema(app, world) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case) -> None:  # type: ignore[no-untyped-def]
            for who in READERS:
                headers = {"Authorization": f"Bearer {world.tokens[who]}"} if who else {}
                case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
