"""Loading one snapshot of one list from a file in one of its published layouts.

The driver: :func:`begin` records the snapshot (refusing one older than the list's
latest, or a different file for a day already imported), :func:`import_snapshot` reads
the file into FollowTheMoney entities through the layout's reader
(:mod:`coalition.sanctions.formats`) and writes them in batches, each batch
one transaction with its audit entries, and, once the whole file is read, delists in one
last transaction every entity the snapshot no longer holds.

The rule, per entity of the file (natural key: list and FtM id), for a snapshot of day D:

- not held, or held only in periods already ended: a new listing period from D;
- held and listed, last seen before D: seen on D; if its schema or properties differ,
  they are replaced and the earlier state kept in the period's ``changes``;
- already seen on D (the same snapshot again): unchanged, or refused when the same id
  comes with other properties (a file naming one id twice).

Then every listed entity of the list not seen on D is delisted on D (``listed_until``).
Re-importing a snapshot therefore changes nothing; a file cut short, or a run stopped
between batches, keeps the batches written and delists nothing until the snapshot is
imported whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.db import transaction
from coalition.core.errors import Forbidden, Invalid
from coalition.core.marking import Marking
from coalition.sanctions import designations, formats
from coalition.sanctions import summary as alignment_summary
from coalition.sanctions.model import Entity, ListSnapshot, SanctionsList
from coalition.sanctions.reading import Entry
from coalition.sanctions.vocabulary import KNOWN_LISTS, check_list_code

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from coalition.core.principal import Principal

BATCH = 500  # entities per transaction


@dataclass
class Summary:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    delisted: int = 0
    broken: int | None = None  # the line the file breaks off at
    broken_reason: str = ""  # why the reader stopped there

    def broken_message(self, name: str) -> str:
        """What to tell of a file that broke off (see :attr:`broken`)."""
        why = f" ({self.broken_reason})" if self.broken_reason else ""
        return (
            f"{name} breaks off at line {self.broken}{why}; the entities before it were "
            "imported, nothing was delisted and the rest was not read: repair the file and "
            "import it again (entities already stored are left as they are)"
        )

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as binary:
        for block in iter(lambda: binary.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_for_import(
    session: Session,
    principal: Principal,
    code: str,
    marking: Marking,
    rel_to: Iterable[str],
    *,
    illustrative: bool = False,
) -> SanctionsList:
    """The list ``code``, made (marked ``marking``, owned by the importer) if new.

    An existing list keeps its marking; only its owner's users and the secretariat
    import into it.
    """
    try:
        check_list_code(code)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if principal.member is None:
        raise Forbidden("a list is imported by a member's user")
    found = session.scalars(select(SanctionsList).where(SanctionsList.code == code)).first()
    if found is not None:
        if not found.visible_to(principal):
            raise Forbidden(f"list {code} is held under a marking you may not see")
        if found.owner_code != principal.member and not principal.is_secretariat:
            raise Forbidden(f"list {code} is kept by {found.owner_code}")
        return found
    known = KNOWN_LISTS.get(code)
    made = SanctionsList(
        code=code,
        name=known.name if known else code,
        authority=known.authority if known else "",
        url=known.url if known else "",
        source_title=known.name if known else "",
        source_ref=known.url if known else "",
        illustrative=illustrative,
    )
    made.mark(session, principal, marking, rel_to)
    session.add(made)
    session.flush()
    return made


def begin(
    session: Session,
    principal: Principal,
    listed: SanctionsList,
    taken_on: dt.date,
    sha256: str,
    run_key: str,
) -> ListSnapshot:
    """The snapshot of ``listed`` on ``taken_on``, recorded if new.

    Snapshots are imported in date order: one older than the list's latest is refused,
    as is a different file for a day already imported (the earlier file is that day's).
    """
    held = session.scalars(
        select(ListSnapshot).where(
            ListSnapshot.list_code == listed.code, ListSnapshot.taken_on == taken_on
        )
    ).first()
    if held is not None:
        if held.file_sha256 != sha256:
            raise Invalid(
                f"{listed.code} on {taken_on} was imported from another file "
                f"(SHA-256 {held.file_sha256[:12]}…); a day has one snapshot"
            )
        return held
    latest = session.scalar(
        select(ListSnapshot.taken_on)
        .where(ListSnapshot.list_code == listed.code)
        .order_by(ListSnapshot.taken_on.desc())
        .limit(1)
    )
    if latest is not None and latest > taken_on:
        raise Invalid(
            f"{listed.code} already holds a snapshot of {latest}: snapshots are imported "
            f"in date order, so one of {taken_on} would rewrite what later ones say"
        )
    snapshot = ListSnapshot(
        list_code=listed.code,
        taken_on=taken_on,
        file_sha256=sha256,
        run_key=run_key,
        owner_code=listed.owner_code,
        marking=listed.marking,
        rel_to=listed.rel_to,
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def _same(row: Entity, entity: dict[str, Any]) -> bool:
    return bool(row.schema == entity["schema"] and row.properties == entity["properties"])


def _write_batch(
    session: Session,
    listed: SanctionsList,
    day: dt.date,
    batch: list[Entry],
    summary: Summary,
    run_key: str,
    reject: Callable[[int, str], None],
) -> None:
    ids = {e.entity["id"] for e in batch if e.entity is not None}
    latest: dict[str, Entity] = {}
    for row in session.scalars(
        select(Entity)
        .where(Entity.list_code == listed.code, Entity.entity_id.in_(ids))
        .order_by(Entity.first_seen)
    ):
        latest[row.entity_id] = row  # the last period wins
    for entry in batch:
        entity = entry.entity
        assert entity is not None
        held = latest.get(entity["id"])
        if held is None or held.listed_until is not None:
            row = Entity(
                list_code=listed.code,
                entity_id=entity["id"],
                schema=entity["schema"],
                caption=entry.caption[:500],
                properties=entity["properties"],
                changes=[],
                first_seen=day,
                last_seen=day,
                listed_until=None,
                run_key=run_key,
                owner_code=listed.owner_code,
                marking=listed.marking,
                rel_to=listed.rel_to,
                source_title=listed.source_title,
                source_ref=listed.source_ref,
                illustrative=listed.illustrative,
            )
            session.add(row)
            latest[row.entity_id] = row
            summary.inserted += 1
            continue
        row = held
        if row.last_seen == day:
            if _same(row, entity):
                summary.unchanged += 1
            else:
                summary.rejected += 1
                reject(entry.line, f"id {entity['id']!r} appears earlier with other properties")
        elif _same(row, entity):
            row.last_seen = day
            summary.unchanged += 1
        else:
            before = {"on": day.isoformat(), "schema": row.schema, "properties": row.properties}
            row.changes = [*row.changes, before]
            row.schema = entity["schema"]
            row.caption = entry.caption[:500]
            row.properties = entity["properties"]
            row.last_seen = day
            row.run_key = run_key
            summary.updated += 1


def _delist(session: Session, listed: SanctionsList, day: dt.date) -> int:
    """Delist on ``day`` every listed entity of ``listed`` its snapshot of ``day`` lacks."""
    gone = session.scalars(
        select(Entity).where(
            Entity.list_code == listed.code,
            Entity.listed_until.is_(None),
            Entity.last_seen < day,
        )
    ).all()
    for row in gone:
        row.listed_until = day
    return len(gone)


def import_snapshot(
    engine: Engine,
    principal: Principal,
    binary: IO[bytes],
    *,
    list_code: str,
    taken_on: dt.date,
    sha256: str,
    run_key: str,
    marking: Marking = Marking.PUBLIC,
    rel_to: Iterable[str] = (),
    illustrative: bool = False,
    on_reject: Callable[[int, str], None] = lambda line, reason: None,
    between_batches: Callable[[int], None] = lambda read: None,
    layout: str = "ftm",
) -> Summary:
    """Import ``binary``, a file in the published ``layout`` (see
    :mod:`coalition.sanctions.formats`), as the snapshot of ``list_code`` on ``taken_on``."""
    actor = principal.actor
    with transaction(engine, actor=actor) as session:
        listed = list_for_import(
            session, principal, list_code, marking, rel_to, illustrative=illustrative
        )
        begin(session, principal, listed, taken_on, sha256, run_key)
        session.expunge(listed)
    summary = Summary()

    def reject(line: int, reason: str) -> None:
        on_reject(line, reason)

    batch: list[Entry] = []

    def flush() -> None:
        with transaction(engine, actor=actor) as session:
            _write_batch(session, listed, taken_on, batch, summary, run_key, reject)
        batch.clear()
        between_batches(summary.read)

    for entry in formats.read(layout, binary):
        if entry.broken:
            summary.broken = entry.line
            summary.broken_reason = entry.reason
            break
        summary.read += 1
        if entry.entity is None:
            summary.rejected += 1
            reject(entry.line, entry.reason)
            continue
        batch.append(entry)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if summary.broken is not None:
        return summary
    with transaction(engine, actor=actor) as session:
        _complete(session, listed, taken_on, summary, run_key)
    alignment_summary.settle(engine)
    return summary


def _complete(
    session: Session, listed: SanctionsList, day: dt.date, summary: Summary, run_key: str
) -> None:
    """Delist what the snapshot lacks, mark it whole (the first whole import counts), and
    derive the list's designations afresh."""
    summary.delisted = _delist(session, listed, day)
    snapshot = session.scalars(
        select(ListSnapshot).where(
            ListSnapshot.list_code == listed.code, ListSnapshot.taken_on == day
        )
    ).one()
    if not snapshot.complete:
        snapshot.complete = True
        snapshot.run_key = run_key
        for name, value in summary.counts().items():
            setattr(snapshot, name, value)
        snapshot.delisted = summary.delisted
    designations.rebuild(session, listed)


def load_in_session(
    session: Session,
    principal: Principal,
    entries: Iterable[Entry],
    *,
    list_code: str,
    taken_on: dt.date,
    sha256: str,
    illustrative: bool = False,
) -> Summary:
    """A small snapshot (the demo's) imported whole in the caller's transaction."""
    listed = list_for_import(
        session, principal, list_code, Marking.PUBLIC, (), illustrative=illustrative
    )
    begin(session, principal, listed, taken_on, sha256, "")
    summary = Summary()
    good = []
    for entry in entries:
        summary.read += 1
        if entry.entity is None:
            summary.rejected += 1
        else:
            good.append(entry)
    _write_batch(session, listed, taken_on, good, summary, "", lambda line, reason: None)
    session.flush()
    _complete(session, listed, taken_on, summary, "")
    return summary
