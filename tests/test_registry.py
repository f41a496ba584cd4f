"""The capability registry: every registered capability contributes what the edges need.

A capability is a package plus one line in ``coalition.capabilities``; these tests fail
when a registered capability lacks an API router, a page router, a navigation entry, a
demo loader or a factory for one of its marked tables, or when a route hides another.
"""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import create_engine

from coalition.api import create_app
from coalition.capabilities import REGISTERED
from coalition.core import audit
from coalition.core.capability import Capability, served_routes, shadowed_routes
from coalition.core.db import Base, transaction
from coalition.core.marking import Marking
from coalition.meetings.model import Meeting
from coalition.web.pages import HOME
from tests.marking_registry import BY_MODEL

NAMES = [c.name for c in REGISTERED]


@pytest.fixture(scope="module")
def assembled() -> FastAPI:
    """The application as ``api.py`` assembles it; no request reaches its database."""
    return create_app(create_engine("sqlite://"))


def test_names_are_unique() -> None:
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("capability", REGISTERED, ids=NAMES)
def test_a_capability_declares_what_the_edges_need(capability: Capability) -> None:
    assert capability.api_router is not None, "declare an API router"
    assert capability.page_router is not None, "declare a page router"
    assert capability.nav, "declare a navigation entry"
    assert capability.demo is not None, "declare a demo loader"
    assert capability.models, "declare the model modules"


@pytest.mark.parametrize("capability", REGISTERED, ids=NAMES)
def test_each_marked_table_has_a_factory(capability: Capability) -> None:
    missing = [m.__name__ for m in capability.marked if m not in BY_MODEL]
    assert not missing, f"register a factory in tests/marking_registry.py for {missing}"


def test_the_table_list_names_every_declared_model_module() -> None:
    from coalition import models
    from coalition.demo.capability import CAPABILITY as DEMO

    declared = [m.__name__ for c in [*REGISTERED, DEMO] for m in c.models]
    assert list(models.TABLE_MODULES) == declared, "name the model module in coalition.models"


def test_every_marked_table_belongs_to_a_registered_capability() -> None:
    marked = {m.class_ for m in Base.registry.mappers if getattr(m.class_, "__marked__", False)}
    declared = {model for capability in REGISTERED for model in capability.marked}
    assert {m.__name__ for m in marked - declared} == set()
    assert all(getattr(m, "__marked__", False) for m in declared)


def test_the_app_serves_every_registered_route_once_and_in_a_safe_order(assembled: FastAPI) -> None:
    served = {
        (path, method) for path, methods, _ in served_routes(assembled.routes) for method in methods
    }
    for capability in REGISTERED:
        api = capability.api_router
        assert api is not None
        for route in api.routes:
            assert isinstance(route, APIRoute)
            for method in route.methods:
                assert ("/api/v1" + route.path, method) in served, (capability.name, route.path)
    assert shadowed_routes(assembled.routes) == []


def test_the_navigation_follows_the_registry(assembled: FastAPI) -> None:
    assert assembled.state.nav == [HOME, *(e for c in REGISTERED for e in c.nav)]


def test_a_parametrised_route_before_a_fixed_one_is_named() -> None:
    router = APIRouter()

    @router.get("/things/{thing_id}")
    def thing(thing_id: int) -> None: ...

    @router.get("/things/new")
    def new_thing() -> None: ...

    @router.get("/things/{thing_id}/edit")
    def edit_thing(thing_id: int) -> None: ...

    assert shadowed_routes(router.routes) == [("/things/{thing_id}", "/things/new")]


def test_a_section_one_capability_adds_to_anothers_page_is_shown(  # type: ignore[no-untyped-def]
    engine, world, client_for
) -> None:
    with transaction(engine) as session:
        BY_MODEL[Meeting].create(session, "GBR", Marking.PUBLIC, [], "attended-canary")
    page = client_for("gbr.viewer").get("/members/GBR")
    assert page.status_code == 200
    assert "Meetings attended" in page.text and "attended-canary" in page.text


@pytest.mark.parametrize("capability", REGISTERED, ids=NAMES)
def test_audit_verify_runs_each_capabilitys_checks(capability: Capability) -> None:
    for name, check in capability.batch_checks.items():
        assert audit.BATCH_CHECKS[name] == check
    for name, derived in capability.derived_checks.items():
        assert audit.DERIVED_CHECKS[name] is derived
