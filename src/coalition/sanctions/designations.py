"""The designations the alignment reads, derived from a list's entities.

Each time a snapshot of a list is whole, :func:`rebuild` rewrites the list's rows of
``sanctions_designations`` from its entities, every listing period included so that any
past day can still be asked about: one row per program of each ``Sanction`` entity, for
the period that entity was listed, naming its target (the entity its ``entity`` property
names). A target no ``Sanction`` names (an entity file that carries none) is designated
by its own listing, under the programs it names itself, if any. Each row carries the
program's theme (:mod:`coalition.sanctions.themes`), the target's kind (vessels and banks
are ranked first in a gap list), and the cluster resolution has put its target in
(:func:`coalition.sanctions.resolution.refresh_canonical` keeps that current, and the
alignment's summary of them: :mod:`coalition.sanctions.summary`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coalition.sanctions.model import Designation, Entity, SanctionsList
from coalition.sanctions.themes import theme_of

TARGET_SCHEMAS = frozenset(
    {
        "Person",
        "Organization",
        "Company",
        "LegalEntity",
        "PublicBody",
        "Vessel",
        "Airplane",
        "Vehicle",
        "Asset",
        "CryptoWallet",
        "BankAccount",
        "Security",
    }
)
CHUNK = 2000  # rows inserted per statement


def kind_of(schema: str, properties: dict[str, list[str]]) -> str:
    """vessel, bank, aircraft, person or entity: the order gap lists are ranked in."""
    if schema == "Vessel":
        return "vessel"
    if properties.get("swiftBic"):
        return "bank"
    if schema == "Airplane":
        return "aircraft"
    if schema == "Person":
        return "person"
    return "entity"


def first_date(values: list[str] | None) -> dt.date | None:
    """The earliest full date among FtM date values (a year or month alone is no day)."""
    days = []
    for value in values or []:
        try:
            days.append(dt.date.fromisoformat(value[:10]))
        except ValueError:
            continue
    return min(days) if days else None


def _text(values: list[str] | None, limit: int) -> str:
    text = "; ".join(values or [])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_of(listed: SanctionsList, entities: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """The designation rows of ``listed`` given all its entity rows (every period; each
    with ``entity_id``, ``schema``, ``caption``, ``properties``, ``first_seen`` and
    ``listed_until``)."""
    targets: dict[str, Any] = {}
    periods: dict[str, list[Any]] = {}
    for row in entities:
        if row.schema in TARGET_SCHEMAS:
            periods.setdefault(row.entity_id, []).append(row)
            held = targets.get(row.entity_id)
            if held is None or row.first_seen > held.first_seen:
                targets[row.entity_id] = row  # its latest period describes it
    named: set[str] = set()
    marks = {"owner_code": listed.owner_code, "marking": listed.marking, "rel_to": listed.rel_to}
    for row in entities:
        if row.schema != "Sanction":
            continue
        props = row.properties
        programs = props.get("program") or props.get("programId") or [""]
        for target_id in props.get("entity") or []:
            target = targets.get(target_id)
            if target is None:
                continue  # a sanction on something that is not a target (or not held)
            named.add(target_id)
            for program in programs:
                yield _row(listed, target, program, row, marks)
    for target_id in targets:
        if target_id in named:
            continue
        for period in periods[target_id]:
            for program in period.properties.get("program") or [""]:
                yield _row(listed, period, program, None, marks)


def _row(
    listed: SanctionsList,
    target: Any,
    program: str,
    sanction: Any,
    marks: dict[str, Any],
) -> dict[str, Any]:
    ref = f"{listed.code}:{target.entity_id}"
    period = sanction if sanction is not None else target
    props = sanction.properties if sanction is not None else {}
    listing = first_date(props.get("listingDate")) or first_date(props.get("startDate"))
    return {
        "list_code": listed.code,
        "ref": ref,
        "target_id": target.entity_id,
        "sanction_id": sanction.entity_id if sanction is not None else "",
        "schema": target.schema,
        "kind": kind_of(target.schema, target.properties),
        "caption": target.caption,
        "program": program[:200],
        "theme": theme_of(listed.code, program),
        "authority_id": _text(props.get("authorityId"), 200),
        "listing_date": listing,
        "reason": _text(props.get("reason"), 2000),
        "un_listed": bool(props.get("unscId") or target.properties.get("unscId"))
        or listed.code.startswith("un_"),
        "first_seen": period.first_seen,
        "listed_until": period.listed_until,
        "canonical_public": ref,
        "canonical_coalition": ref,
        **marks,
    }


def rebuild(session: Session, listed: SanctionsList) -> int:
    """Rewrite the designations of ``listed`` from its entities; how many rows."""
    from coalition.sanctions import resolution

    session.flush()
    entities = session.execute(
        select(
            Entity.entity_id,
            Entity.schema,
            Entity.caption,
            Entity.properties,
            Entity.first_seen,
            Entity.listed_until,
        ).where(Entity.list_code == listed.code)
    ).all()
    formerly = {
        column: set(
            session.scalars(
                select(getattr(Designation, column))
                .where(Designation.list_code == listed.code)
                .distinct()
            )
        )
        for column in resolution.SCOPES
    }
    session.execute(delete(Designation).where(Designation.list_code == listed.code))
    batch: list[dict[str, Any]] = []
    written = 0
    for row in rows_of(listed, entities):
        batch.append(row)
        if len(batch) >= CHUNK:
            session.execute(insert(Designation), batch)
            written += len(batch)
            batch = []
    if batch:
        session.execute(insert(Designation), batch)
        written += len(batch)
    resolution.refresh_canonical(session, lists=[listed.code], formerly=formerly)
    return written
