"""Resolving the same target across lists, in the database: candidates, judgements,
clusters.

:func:`find_candidates` reads the targets listed now on the lists a reader may see,
proposes pairs through :mod:`coalition.sanctions.matching` (strong identifiers, then
names) and stores them for review; pairs found by a strong identifier are judged the same
by rule, as a :class:`~coalition.sanctions.model.Judgement` marked PUBLIC when both lists
are public (a rule restates what the published lists say); pairs between lists that are
not both public wait for a person, as do all pairs found by names alone.

:func:`judge` records a person's judgement (marked like any record), :func:`revisit`
ends one. Both are checked by the in-memory :class:`~coalition.sanctions.clusters.Resolver`
holding the judgements the person may see: a merge across a "different" is refused with
its reason. Judgements are never deleted; ending one keeps it with who ended it.

Clusters are read per reader from the judgements the reader may see. So that the
alignment can count clusters in SQL, each designation row carries its cluster as the
PUBLIC judgements make it (``canonical_public``, for the public) and as the PUBLIC and
COALITION ones make it (``canonical_coalition``, for every member's users);
:func:`refresh_canonical` keeps both current after each change. A reader who may also see
judgements marked more narrowly (their own member's) has them applied on top
(:func:`extra_resolver`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from coalition.core.db import utcnow
from coalition.core.errors import Forbidden, Invalid, NotFound
from coalition.core.marking import Marking, can_see, note_shown
from coalition.core.principal import WRITING_ROLES, Principal
from coalition.core.visibility import visible
from coalition.sanctions import matching, seeking, summary
from coalition.sanctions.clusters import Decision, Judgement, Resolver
from coalition.sanctions.model import Candidate, Designation, Entity, SanctionsList
from coalition.sanctions.model import Judgement as JudgementRow

RULE = "rule:strong-id"
SCOPES: dict[str, tuple[str, ...]] = {
    "canonical_public": (Marking.PUBLIC.value,),
    "canonical_coalition": (Marking.PUBLIC.value, Marking.COALITION.value),
}
CANONICAL_PREFIX = "NK-"
CHUNK = 2000


def split_ref(ref: str) -> tuple[str, str]:
    """(list code, entity id) of a ref; Invalid if it is not ``list_code:entity_id``."""
    code, sep, entity_id = ref.partition(":")
    if not sep or not code or not entity_id:
        raise Invalid(f"{ref!r} is no target: list_code:entity_id")
    return code, entity_id


def _decision(row: JudgementRow) -> Decision:
    return Decision(
        row.left_ref, row.right_ref, Judgement(row.judgement), row.decided_by, row.decided_at
    )


def _live(session: Session, *where: object) -> list[JudgementRow]:
    return list(
        session.scalars(
            select(JudgementRow)
            .where(JudgementRow.ended_at.is_(None), *where)  # type: ignore[arg-type]
            .order_by(JudgementRow.decided_at, JudgementRow.id)
        )
    )


def _live_decisions(session: Session, *where: object) -> Iterator[Decision]:
    """The live judgements as decisions, streamed in the order they were made (no rows
    held: resolution reads every judgement of a scope)."""
    query = (
        select(
            JudgementRow.left_ref,
            JudgementRow.right_ref,
            JudgementRow.judgement,
            JudgementRow.decided_by,
            JudgementRow.decided_at,
        )
        .where(JudgementRow.ended_at.is_(None), *where)  # type: ignore[arg-type]
        .order_by(JudgementRow.decided_at, JudgementRow.id)
        .execution_options(yield_per=CHUNK)
    )
    for left, right, judgement, by, at in session.execute(query):
        yield Decision(left, right, Judgement(judgement), by, at)


def scope_of(principal: Principal) -> str:
    """The canonical column a reader's clusters are counted by."""
    if principal.is_anonymous or principal.member is None:
        return "canonical_public"
    return "canonical_coalition"


def resolver_for(session: Session, principal: Principal) -> Resolver:
    """The clusters as the judgements ``principal`` may see make them: the widely marked
    ones first, then the reader's narrower ones (one that contradicts them is left out)."""
    rows = _live(session, visible(principal, JudgementRow))
    wide = SCOPES["canonical_coalition"]
    rows.sort(key=lambda r: r.marking not in wide)
    resolver = Resolver()
    for row in rows:
        resolver.decide(_decision(row))
    return resolver


def extra_resolver(session: Session, principal: Principal) -> Resolver | None:
    """The reader's clusters when judgements outside its scope's column reach it (its own
    member's national ones); None when the column says it all."""
    markings = SCOPES[scope_of(principal)]
    # Named, not excluded, so that the live judgements' index finds the few narrower ones.
    narrower = session.scalar(
        select(JudgementRow.id)
        .where(
            JudgementRow.ended_at.is_(None),
            JudgementRow.judgement.in_([j.value for j in Judgement]),
            JudgementRow.marking.in_([m.value for m in Marking if m.value not in markings]),
            visible(principal, JudgementRow),
        )
        .limit(1)
    )
    return None if narrower is None else resolver_for(session, principal)


def note_judgements(session: Session, principal: Principal) -> None:
    """Note, for the page's marking, the live judgements the reader's clusters rest on:
    their few markings found by seeking along the live judgements' index, those the
    reader may see kept (:func:`~coalition.core.marking.can_see`, which ``visible`` is
    the SQL form of)."""
    for marking, owner, rel_to in seeking.distinct_values(
        session,
        (JudgementRow.marking, JudgementRow.owner_code, JudgementRow.rel_to),
        (JudgementRow.ended_at.is_(None), JudgementRow.judgement == Judgement.SAME.value),
    ):
        if can_see(principal, owner, Marking(marking), rel_to):
            note_shown(Marking(marking), owner, rel_to)


def refresh_canonical(
    session: Session,
    lists: Iterable[str] | None = None,
    formerly: Mapping[str, Collection[str]] | None = None,
) -> int:
    """Bring each designation's cluster columns up to the live judgements, and the
    alignment's summary of the clusters they change; rows changed.

    ``lists`` names lists whose rows were just written afresh (each row its own ref);
    ``formerly`` the clusters, by column, their rows were in before."""
    session.flush()
    table: Table = Designation.__table__  # type: ignore[assignment]
    changed = 0
    fresh = sorted(set(lists or ()))
    for column, markings in SCOPES.items():
        resolver = Resolver()
        for decision in _live_decisions(session, JudgementRow.marking.in_(markings)):
            resolver.decide(decision)
        wanted = {
            ref: resolver.canonical(ref) for cluster in resolver.clusters() for ref in cluster
        }
        held = dict(
            session.execute(
                select(table.c.ref, table.c[column])
                .where(table.c[column].like(f"{CANONICAL_PREFIX}%"))
                .distinct()
            ).all()
        )
        updates = [
            {"r": ref, "c": canonical}
            for ref, canonical in wanted.items()
            if held.get(ref) != canonical or ref.partition(":")[0] in fresh
        ]
        updates += [{"r": ref, "c": ref} for ref in held if ref not in wanted]
        statement = (
            update(table).where(table.c.ref == bindparam("r")).values({column: bindparam("c")})
        )
        for start in range(0, len(updates), CHUNK):
            session.execute(statement, updates[start : start + CHUNK])
        changed += len(updates)
        touched = {held.get(u["r"], u["r"]) for u in updates} | {u["c"] for u in updates}
        touched |= set((formerly or {}).get(column, ()))
        if fresh:
            touched |= set(
                session.scalars(
                    select(table.c[column]).where(table.c.list_code.in_(fresh)).distinct()
                )
            )
        summary.refresh(session, column, touched)
    return changed


def _visible_lists(session: Session, principal: Principal) -> dict[str, SanctionsList]:
    return {
        row.code: row
        for row in session.scalars(select(SanctionsList).where(visible(principal, SanctionsList)))
    }


@dataclass(frozen=True)
class Found:
    targets: int
    candidates: int
    judged_by_rule: int
    refused: int


def find_candidates(
    session: Session,
    principal: Principal,
    lists: Sequence[str] = (),
    threshold: float = matching.THRESHOLD,
) -> Found:
    """Propose pairs across the lists ``principal`` may see (or those of ``lists``) and
    judge by rule those a strong identifier joins; the pairs stored replace earlier ones
    between the same lists."""
    if principal.member is None or principal.role not in WRITING_ROLES:
        raise Forbidden("resolution is run by a member's user with a writing role")
    seen = _visible_lists(session, principal)
    chosen = [code for code in (lists or seen) if code in seen]
    if lists and len(chosen) < len(set(lists)):
        missing = sorted(set(lists) - set(chosen))
        raise NotFound(f"no list {', '.join(missing)}")
    listed = (
        select(Entity.list_code, Entity.entity_id, Entity.schema, Entity.properties)
        .where(Entity.list_code.in_(chosen), Entity.listed_until.is_(None))
        .execution_options(yield_per=CHUNK)
    )
    read = 0

    def targets() -> Iterator[matching.Target]:
        # Streamed into matching, which keeps only a compact profile of each.
        nonlocal read
        for code, entity_id, schema, properties in session.execute(listed):
            target = matching.target_of(
                code, {"id": entity_id, "schema": schema, "properties": properties}
            )
            if target is not None:
                read += 1
                yield target

    found = matching.each_candidate(targets(), threshold)  # scored as they are stored
    session.execute(
        delete(Candidate).where(Candidate.left_list.in_(chosen), Candidate.right_list.in_(chosen))
    )
    now = utcnow()
    strong: list[tuple[str, str, str, float]] = []
    proposed = 0
    while batch := list(itertools.islice(found, CHUNK)):
        rows = []
        for c in batch:
            rows.append(
                {
                    "left_ref": c.left_ref,
                    "right_ref": c.right_ref,
                    "left_list": c.left_ref.partition(":")[0],
                    "right_list": c.right_ref.partition(":")[0],
                    "score": round(c.score, 4),
                    "rule": c.rule,
                    "evidence": [list(e) for e in c.evidence],
                    "found_at": now,
                }
            )
            if c.rule.startswith("strong:"):
                strong.append((c.left_ref, c.right_ref, c.rule, c.score))
        session.execute(insert(Candidate), rows)
        proposed += len(rows)
    judged = refused = 0
    public = {code for code, row in seen.items() if row.marking == Marking.PUBLIC}
    resolver = Resolver(_live_decisions(session, JudgementRow.marking == Marking.PUBLIC.value))
    stored: list[JudgementRow] = []
    for left_ref, right_ref, rule, score in strong:
        if left_ref.partition(":")[0] not in public or right_ref.partition(":")[0] not in public:
            continue
        outcome = resolver.decide(Decision(left_ref, right_ref, Judgement.SAME, RULE, now))
        if not outcome.accepted:
            refused += 1
        elif outcome.recorded is not None:
            stored.append(
                _store(
                    session,
                    outcome.recorded,
                    Marking.PUBLIC,
                    "",
                    principal.member,
                    f"{rule}, score {score:.2f}",
                )
            )
            judged += 1
            if len(stored) >= CHUNK:
                _let_go(session, stored)
    _let_go(session, stored)
    del resolver, strong  # refresh_canonical builds its own, from the stored judgements
    refresh_canonical(session)
    return Found(read, proposed, judged, refused)


def _let_go(session: Session, rows: list[JudgementRow]) -> None:
    """Write and audit ``rows``, then drop them from the session: a rule may judge a
    hundred thousand pairs in one run, more than are worth holding as objects."""
    session.flush()
    for row in rows:
        session.expunge(row)
    rows.clear()


def _store(
    session: Session, decision: Decision, marking: Marking, rel_to: str, owner: str, note: str
) -> JudgementRow:
    row = JudgementRow(
        left_ref=decision.pair[0],
        right_ref=decision.pair[1],
        judgement=decision.judgement.value,
        decided_by=decision.by,
        decided_at=decision.at,
        note=note[:2000],
        owner_code=owner,
        marking=marking,
        rel_to=rel_to,
    )
    session.add(row)
    return row


def _end(session: Session, removed: Decision, by: str, now: dt.datetime) -> None:
    left, right = removed.pair
    for row in _live(session, JudgementRow.left_ref == left, JudgementRow.right_ref == right):
        row.ended_at = now
        row.ended_by = by


def _check_refs(session: Session, principal: Principal, *refs: str) -> None:
    seen = _visible_lists(session, principal)
    for ref in refs:
        code, entity_id = split_ref(ref)
        held = session.scalar(
            select(Entity.id)
            .where(
                Entity.list_code == code, Entity.entity_id == entity_id, visible(principal, Entity)
            )
            .limit(1)
        )
        if code not in seen or held is None:
            raise NotFound(f"no target {ref}")


def judge(
    session: Session,
    principal: Principal,
    left: str,
    right: str,
    judgement: Judgement,
    *,
    note: str = "",
    marking: Marking = Marking.COALITION,
    rel_to: Iterable[str] = (),
) -> JudgementRow:
    """Record ``principal``'s judgement of two targets; Invalid with the reason when the
    judgements the person may see refuse it."""
    if principal.member is None or principal.username is None:
        raise Forbidden("a judgement is made by a member's user")
    if principal.role not in WRITING_ROLES:
        raise Forbidden("a viewer reads judgements; a writing role makes them")
    _check_refs(session, principal, left, right)
    resolver = resolver_for(session, principal)
    now = utcnow()
    outcome = resolver.decide(Decision(left, right, judgement, principal.username, now))
    if not outcome.accepted:
        raise Invalid(outcome.reason)
    if outcome.recorded is None:
        raise Invalid(outcome.reason or "nothing to record")
    if outcome.removed is not None:
        _end(session, outcome.removed, principal.username, now)
    row = JudgementRow(
        left_ref=outcome.recorded.pair[0],
        right_ref=outcome.recorded.pair[1],
        judgement=judgement.value,
        decided_by=principal.username,
        decided_at=now,
        note=note[:2000],
    )
    row.mark(session, principal, marking, rel_to)
    session.add(row)
    refresh_canonical(session)
    return row


def revisit(session: Session, principal: Principal, left: str, right: str) -> Decision:
    """End the live judgement of two targets that ``principal`` may see."""
    if principal.member is None or principal.username is None:
        raise Forbidden("a judgement is revisited by a member's user")
    if principal.role not in WRITING_ROLES:
        raise Forbidden("a viewer reads judgements; a writing role revisits them")
    resolver = resolver_for(session, principal)
    now = utcnow()
    outcome = resolver.revisit(left, right, principal.username, now)
    if not outcome.accepted or outcome.removed is None:
        raise Invalid(outcome.reason)
    _end(session, outcome.removed, principal.username, now)
    refresh_canonical(session)
    return outcome.removed


def history(session: Session, principal: Principal, left: str, right: str) -> list[JudgementRow]:
    """Every judgement of the pair the reader may see, oldest first, ended ones included."""
    a, b = sorted((left, right))
    return list(
        session.scalars(
            select(JudgementRow)
            .where(
                JudgementRow.left_ref == a,
                JudgementRow.right_ref == b,
                visible(principal, JudgementRow),
            )
            .order_by(JudgementRow.decided_at, JudgementRow.id)
        )
    )


def histories(
    session: Session, principal: Principal, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[JudgementRow]]:
    """:func:`history` of each pair (smallest ref first) in one query."""
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    found: dict[tuple[str, str], list[JudgementRow]] = {pair: [] for pair in wanted}
    if not wanted:
        return found
    for row in session.scalars(
        select(JudgementRow)
        .where(
            JudgementRow.left_ref.in_(sorted({a for a, _ in wanted})),
            JudgementRow.right_ref.in_(sorted({b for _, b in wanted})),
            visible(principal, JudgementRow),
        )
        .order_by(JudgementRow.decided_at, JudgementRow.id)
    ):
        if (row.left_ref, row.right_ref) in found:
            found[(row.left_ref, row.right_ref)].append(row)
    return found


def open_candidates(
    session: Session, principal: Principal, *, limit: int = 50, offset: int = 0
) -> tuple[list[Candidate], int]:
    """Candidates between lists the reader may see that no visible live judgement
    settles (nor joins, through other judgements, into one cluster as the reader's scope
    counts them), best score first, and how many there are."""
    seen = list(_visible_lists(session, principal))
    judged = select(JudgementRow.id).where(
        JudgementRow.ended_at.is_(None),
        visible(principal, JudgementRow),
        JudgementRow.judgement != Judgement.UNSURE.value,
        JudgementRow.left_ref == Candidate.left_ref,
        JudgementRow.right_ref == Candidate.right_ref,
    )
    column = getattr(Designation, scope_of(principal))

    def cluster_of(ref: Any) -> Any:
        return select(column).where(Designation.ref == ref).limit(1).scalar_subquery()

    # A pair already in one cluster (joined through other judgements) is settled too.
    joined = cluster_of(Candidate.left_ref) == cluster_of(Candidate.right_ref)
    where = and_(
        Candidate.left_list.in_(seen),
        Candidate.right_list.in_(seen),
        ~judged.exists(),
        ~joined,
    )
    total = session.scalar(select(func.count()).select_from(Candidate).where(where)) or 0
    rows = session.scalars(
        select(Candidate)
        .where(where)
        .order_by(Candidate.score.desc(), Candidate.left_ref, Candidate.right_ref)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def entity_of(session: Session, principal: Principal, ref: str) -> Entity | None:
    """The latest listing period of a target the reader may see."""
    return entities_of(session, principal, [ref]).get(ref)


def entities_of(session: Session, principal: Principal, refs: Iterable[str]) -> dict[str, Entity]:
    """The latest listing period of each target of ``refs`` the reader may see, by ref:
    one query per list named, however many targets."""
    wanted: dict[str, set[str]] = {}
    for ref in refs:
        code, entity_id = split_ref(ref)
        wanted.setdefault(code, set()).add(entity_id)
    found: dict[str, Entity] = {}
    for code, ids in wanted.items():
        for row in session.scalars(
            select(Entity)
            .where(
                Entity.list_code == code,
                Entity.entity_id.in_(sorted(ids)),
                visible(principal, Entity),
            )
            .order_by(Entity.first_seen)
        ):
            found[f"{code}:{row.entity_id}"] = row  # the latest period wins
    return found
