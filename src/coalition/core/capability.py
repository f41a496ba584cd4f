"""What a capability contributes, declared in one object the edges loop over.

Each capability package exposes ``CAPABILITY`` in its ``capability.py``; the ordered list
in ``coalition.capabilities`` is the only place that names them all. ``api.py``,
``models.py``, the navigation, the demo and the marking matrix read that list, so a new
capability edits none of them; its commands are declared apart, in its ``cli.py``, so the
command line lists them without importing the capability (``core/commandline.py``). The
core knows no capability: it defines the shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.routing import compile_path

from coalition.core import audit
from coalition.core.audit import BatchCheck, DerivedCheck
from coalition.core.commandline import Command, CommandGroup
from coalition.core.importing import IMPORTERS, Importer
from coalition.core.principal import Principal

if TYPE_CHECKING:
    from fastapi import APIRouter
    from starlette.routing import BaseRoute


@dataclass(frozen=True)
class NavEntry:
    """One link in the pages' main navigation."""

    label: str
    href: str
    signed_in_only: bool = False


@dataclass(frozen=True)
class PageSection:
    """A part one capability adds to another's page, named by ``page`` ("meeting").

    ``context`` reads what ``template`` shows, for the reader, given the page's record key.
    """

    page: str
    template: str
    context: Callable[[Session, Principal, Any], dict[str, Any]]


DemoLoader = Callable[[Session], None]
Banner = Callable[[Session], bool]


@dataclass(frozen=True)
class Capability:
    """Everything one capability adds to the application.

    ``page_router`` lists its fixed paths (``/meetings/new``) before the parametrised ones
    (``/meetings/{meeting_id}``): routes match in order, and :func:`shadowed_routes` names
    any route an earlier one hides. ``marked`` holds its tables that carry a marking; each
    needs a factory in the marking matrix's registry. ``demo`` adds the capability's part
    of the demo scenario, after the records of the capabilities listed before it.
    """

    name: str
    api_router: APIRouter | None = None
    page_router: APIRouter | None = None
    commands: Sequence[CommandGroup | Command] = ()  # declared in its ``cli.py``
    nav: Sequence[NavEntry] = ()
    demo: DemoLoader | None = None
    models: Sequence[ModuleType] = ()
    marked: Sequence[type[Any]] = ()
    banner: Banner | None = None
    sections: Sequence[PageSection] = ()
    # Paths that take file uploads: bodies up to ``max_upload_bytes`` there.
    upload_paths: Sequence[str] = ()
    # Its importers, offered from the browser and the API and run in the background.
    importers: Sequence[Importer] = ()
    # What a server process does as it starts, once (resume work a stopped one left).
    on_start: Callable[[Engine], object] | None = None
    batch_checks: Mapping[str, tuple[str, BatchCheck]] = field(default_factory=dict)
    derived_checks: Mapping[str, DerivedCheck] = field(default_factory=dict)


def install_audit_checks(capabilities: Iterable[Capability]) -> None:
    """Have ``audit verify`` run each capability's batch and derived-table checks."""
    for capability in capabilities:
        audit.BATCH_CHECKS.update(capability.batch_checks)
        for name, check in capability.derived_checks.items():
            audit.register_derived_check(name, check)


def install_importers(capabilities: Iterable[Capability]) -> None:
    """Offer each capability's importers to the imports capability, by name."""
    for capability in capabilities:
        IMPORTERS.update({i.name: i for i in capability.importers})


def nav_entries(capabilities: Iterable[Capability]) -> list[NavEntry]:
    """The navigation, in the order the capabilities are registered."""
    return [entry for capability in capabilities for entry in capability.nav]


def demo_loaders(capabilities: Iterable[Capability]) -> list[DemoLoader]:
    """Each capability's demo step, in the order the capabilities are registered."""
    return [c.demo for c in capabilities if c.demo is not None]


def page_sections(capabilities: Iterable[Capability]) -> dict[str, list[PageSection]]:
    """The sections each page shows from other capabilities, by page name."""
    sections: dict[str, list[PageSection]] = {}
    for capability in capabilities:
        for section in capability.sections:
            sections.setdefault(section.page, []).append(section)
    return sections


def banners(capabilities: Iterable[Capability]) -> list[Banner]:
    """The checks that put a banner on every page (the demo's: illustrative data)."""
    return [c.banner for c in capabilities if c.banner is not None]


def served_routes(routes: Iterable[BaseRoute]) -> list[tuple[str, frozenset[str], BaseRoute]]:
    """Every route an application serves, as (full path, methods, route), in match order.

    FastAPI keeps an included router as one entry of ``app.routes``; its routes, with the
    prefixes they are served under, come from its effective route contexts.
    """
    found: list[tuple[str, frozenset[str], BaseRoute]] = []
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                original = context.original_route
                methods = frozenset(getattr(original, "methods", None) or ())
                found.append((context.path, methods, original))
            continue
        path = getattr(route, "path", None)
        if path is not None:
            found.append((path, frozenset(getattr(route, "methods", None) or ()), route))
    return found


def shadowed_routes(routes: Iterable[BaseRoute]) -> list[tuple[str, str]]:
    """Pairs (earlier, later) where the earlier route's pattern matches the later path.

    A parametrised route placed before a fixed one (``/meetings/{meeting_id}`` before
    ``/meetings/new``) answers the fixed path itself, so the fixed route is never reached.
    """
    seen: list[tuple[str, re.Pattern[str], frozenset[str]]] = []
    found = []
    for path, methods, _route in served_routes(routes):
        for earlier_path, earlier_regex, earlier_methods in seen:
            if earlier_path == path or not (methods & earlier_methods):
                continue
            if earlier_regex.match(path):
                found.append((earlier_path, path))
        seen.append((path, compile_path(path)[0], methods))
    return found
