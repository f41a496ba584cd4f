"""Alignment: which member lists which target, the members × themes matrix, the gap
between two parties as of a day, ranked, with its evidence.

A party is a member (``FRA``: the lists it applies on the day, its own or another
authority's, through ``sanctions_applications``), a list named by its code
(``us_ofac_sdn``), or ``COALITION`` (every member's lists). A target is a cluster of
listings (:mod:`coalition.sanctions.resolution`): the same tanker on the EU's and the UK's
lists counts once, and is listed by both.

Everything is read as the reader may see it: a list, an application, a designation or a
judgement the reader may not see neither appears nor counts. The counting runs in SQL
over the cluster column of the reader's scope; judgements marked more narrowly that the
reader may see (its own member's) are applied on top in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, except_, func, literal, or_, select
from sqlalchemy.orm import Session

from coalition.core.db import is_sqlite, utcnow
from coalition.core.errors import Invalid, NotFound
from coalition.core.marking import Marking, can_see, note_shown
from coalition.core.principal import SECRETARIAT, Principal
from coalition.core.visibility import note_aggregated, visible
from coalition.sanctions import resolution, seeking, summary
from coalition.sanctions.clusters import Resolver
from coalition.sanctions.model import (
    Application,
    Designation,
    ListSnapshot,
    SanctionsList,
    TargetPeriod,
)
from coalition.sanctions.themes import THEMES
from coalition.sanctions.vocabulary import LIST_CODE

COALITION = "COALITION"
KIND_ORDER = summary.KIND_ORDER
MAX_PARTY_CHARS = 40
MARKS = (Designation.marking, Designation.owner_code, Designation.rel_to)


def listed_on(day: dt.date) -> ColumnElement[bool]:
    return and_(
        Designation.first_seen <= day,
        or_(Designation.listed_until.is_(None), Designation.listed_until > day),
    )


def applied_on(day: dt.date) -> ColumnElement[bool]:
    return and_(Application.since <= day, or_(Application.until.is_(None), Application.until > day))


def _lists_seen(session: Session, principal: Principal) -> set[str]:
    return set(session.scalars(select(SanctionsList.code).where(visible(principal, SanctionsList))))


def members_by_list(session: Session, principal: Principal, day: dt.date) -> dict[str, set[str]]:
    """For each list the reader may see, the members applying it on ``day``."""
    seen = _lists_seen(session, principal)
    applying: dict[str, set[str]] = defaultdict(set)
    for member, code in session.execute(
        select(Application.member_code, Application.list_code).where(
            visible(principal, Application), applied_on(day)
        )
    ):
        if code in seen:
            applying[code].add(member)
    return applying


def party_lists(session: Session, principal: Principal, party: str, day: dt.date) -> set[str]:
    """The lists standing for ``party`` on ``day``, as the reader may see them; NotFound
    for a party the reader is not told of."""
    if len(party) > MAX_PARTY_CHARS:
        raise Invalid(f"a party is a member code, a list code or {COALITION}")
    seen = _lists_seen(session, principal)
    if LIST_CODE.match(party):
        if party not in seen:
            raise NotFound(f"no list {party}")
        return {party}
    applying = members_by_list(session, principal, day)
    if party == COALITION:
        return {code for code, members in applying.items() if members}
    if not party.isalpha() or not party.isupper():
        raise Invalid(f"{party!r} is no party: a member code, a list code or {COALITION}")
    from coalition.members import service as members

    if party not in members.visible_codes(session, principal):
        raise NotFound(f"no member {party}")
    return {code for code, held in applying.items() if party in held}


Marks = dict[str, list[tuple[str, str, str]]]  # each list's designations' markings


def _note(session: Session, principal: Principal, lists: set[str], marks: Marks) -> None:
    """Note, for the page's marking, the designations and judgements an answer rests on."""
    for code in sorted(lists):
        for marking, owner, rel_to in marks[code] if code in marks else _markings(session, code):
            if can_see(principal, owner, Marking(marking), rel_to):
                note_shown(Marking(marking), owner, rel_to)
    resolution.note_judgements(session, principal)


def _markings(session: Session, code: str) -> list[tuple[str, str, str]]:
    return _marks(session, [code])[code]


def _marks(session: Session, codes: Iterable[str]) -> Marks:
    """The markings the designations of each list of ``codes`` carry, found by seeking
    along the list index rather than by reading every row (the reader's among them are
    kept by :func:`~coalition.core.marking.can_see`, which ``visible`` is the SQL form of)."""
    found = seeking.distinct_values_of(
        session, MARKS, {code: (Designation.list_code == code,) for code in sorted(codes)}
    )
    return {code: [(m, owner, rel_to) for m, owner, rel_to in held] for code, held in found.items()}


def _summarised(principal: Principal, marks: Marks) -> bool:
    """Whether the reader may see every designation of the lists ``marks`` has: then the
    summary of them (:mod:`coalition.sanctions.summary`) answers as the rows would."""
    return all(
        can_see(principal, owner, Marking(marking), rel_to)
        for held in marks.values()
        for marking, owner, rel_to in held
    )


def _every_list(session: Session) -> set[str]:
    return set(session.scalars(select(SanctionsList.code)))


def _column(principal: Principal) -> Any:
    return getattr(Designation, resolution.scope_of(principal))


def _theme(theme: str | None) -> str | None:
    if theme is not None and theme not in THEMES:
        raise Invalid(f"theme: one of {', '.join(THEMES)}")
    return theme


@dataclass
class Listing:
    """One designation's evidence: on which list, for whom, since when, why."""

    list_code: str
    members: list[str]
    ref: str
    program: str
    theme: str
    authority_id: str
    listing_date: dt.date | None
    first_seen: dt.date
    reason: str


@dataclass
class GapRow:
    """One target A lists and B does not, with every listing the reader may see."""

    target: str  # the cluster's id
    caption: str
    kind: str
    schema: str
    members: list[str]  # members listing it on the day (any party), sorted
    un_listed: bool
    first_listed: dt.date
    opened: bool  # in the gap on the day, not on the ``since`` day
    listings: list[Listing] = field(default_factory=list)


@dataclass
class Gap:
    a: str
    b: str
    theme: str | None
    as_of: dt.date
    since: dt.date | None
    rows: list[GapRow]
    kind: str | None = None
    total: int = 0  # rows in the whole gap, of which ``rows`` is a page


def _rank(row: GapRow) -> tuple[Any, ...]:
    """More members listing it first, then the UN's, then vessels and banks, then the
    longest listed; ties by name."""
    return (
        -len(row.members),
        not row.un_listed,
        KIND_ORDER.get(row.kind, 9),
        row.first_listed,
        row.caption,
    )


def _keys(
    session: Session,
    principal: Principal,
    lists: set[str],
    day: dt.date,
    theme: str | None,
    extra: Resolver | None,
) -> set[str]:
    """The targets (cluster ids) ``lists`` designate on ``day``, under ``theme`` if given."""
    if not lists:
        return set()
    column = _column(principal)
    query = select(Designation.ref if extra else column).where(
        Designation.list_code.in_(lists), listed_on(day), visible(principal, Designation)
    )
    if theme is not None:
        query = query.where(Designation.theme == theme)
    found = set(session.scalars(query.distinct()))
    if extra is None:
        return found
    return {extra.canonical(ref) if len(extra.cluster(ref)) > 1 else ref for ref in found}


def gap(
    session: Session,
    principal: Principal,
    a: str,
    b: str,
    *,
    theme: str | None = None,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    kind: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Gap:
    """Targets ``a`` designates (under ``theme``) on ``as_of`` that ``b`` designates under
    no program, ranked, ``limit`` of them from ``offset`` (all by default); with ``since``,
    each row says whether it opened after that day; with ``kind``, only targets of that
    kind (vessel, bank, entity, aircraft, person)."""
    day = as_of or utcnow().date()
    theme = _theme(theme)
    if kind is not None and kind not in KIND_ORDER:
        raise Invalid(f"kind: one of {', '.join(KIND_ORDER)}")
    if since is not None and since > day:
        raise Invalid("as_of: earlier than since, so nothing can match")
    lists_a = party_lists(session, principal, a, day)
    lists_b = party_lists(session, principal, b, day)
    earlier_lists = (
        (party_lists(session, principal, a, since), party_lists(session, principal, b, since))
        if since is not None
        else None
    )
    extra = resolution.extra_resolver(session, principal)
    marks = _marks(session, _every_list(session))
    rows: list[GapRow]
    earlier: set[str] | None
    if a == b:
        total, rows, earlier = 0, [], None  # what a party lists and does not: nothing
    elif extra is None:
        fast = _summarised(principal, marks)
        total, rows = (_ranked_summary if fast else _ranked)(
            session, principal, (lists_a, lists_b), day, theme, kind, limit, offset
        )
        earlier = (
            (_in_gap_summary if fast else _in_gap)(
                session, principal, earlier_lists, since, theme, {r.target for r in rows}
            )
            if earlier_lists is not None and since is not None
            else None
        )
    else:
        rows = _evidence(
            session,
            principal,
            _keys(session, principal, lists_a, day, theme, extra)
            - _keys(session, principal, lists_b, day, None, extra),
            day,
            extra,
        )
        if kind is not None:
            rows = [row for row in rows if row.kind == kind]
        rows.sort(key=_rank)
        total = len(rows)
        rows = rows[offset : None if limit is None else offset + limit]
        earlier = None
        if earlier_lists is not None and since is not None:
            earlier = _keys(session, principal, earlier_lists[0], since, theme, extra) - _keys(
                session, principal, earlier_lists[1], since, None, extra
            )
    _note(
        session,
        principal,
        lists_a | lists_b | {x.list_code for r in rows for x in r.listings},
        marks,
    )
    for row in rows:
        row.opened = earlier is not None and row.target not in earlier
    return Gap(a, b, theme, day, since, rows, kind, total)


def _listed_keys(
    principal: Principal, lists: set[str], day: dt.date, theme: str | None
) -> Select[Any]:
    column = _column(principal)
    query = select(column).where(
        Designation.list_code.in_(lists), listed_on(day), visible(principal, Designation)
    )
    return query.where(Designation.theme == theme) if theme is not None else query


def _gap_keys(
    principal: Principal, parties: tuple[set[str], set[str]], day: dt.date, theme: str | None
) -> Any:
    return except_(
        _listed_keys(principal, parties[0], day, theme),
        _listed_keys(principal, parties[1], day, None),
    ).subquery()


def _in_gap(
    session: Session,
    principal: Principal,
    parties: tuple[set[str], set[str]],
    day: dt.date,
    theme: str | None,
    targets: set[str],
) -> set[str]:
    """Which of ``targets`` were in the gap between ``parties`` on ``day``."""
    if not targets:
        return set()
    keys = _gap_keys(principal, parties, day, theme)
    found = select(keys.c[0]).where(keys.c[0].in_(sorted(targets)))
    return set(session.scalars(found))


def _ranked(
    session: Session,
    principal: Principal,
    parties: tuple[set[str], set[str]],
    day: dt.date,
    theme: str | None,
    kind: str | None,
    limit: int | None,
    offset: int,
) -> tuple[int, list[GapRow]]:
    """The gap counted and ranked in SQL over the scope's cluster column; the page's
    rows with their evidence."""
    if not parties[0]:
        return 0, []
    column = _column(principal)
    keys = _gap_keys(principal, parties, day, theme)
    applying = (
        select(Application.list_code, Application.member_code)
        .where(visible(principal, Application), applied_on(day))
        .subquery()
    )
    kind_rank = case(KIND_ORDER, value=Designation.kind, else_=len(KIND_ORDER))
    members = func.count(func.distinct(applying.c.member_code))
    un = func.max(case((Designation.un_listed, 1), else_=0))
    first = func.min(func.coalesce(Designation.listing_date, Designation.first_seen))
    caption = func.min(Designation.caption)
    ranked = (
        select(column, func.count().over())  # the whole gap's size, beside each row of the page
        .select_from(Designation)
        .outerjoin(applying, applying.c.list_code == Designation.list_code)
        .where(
            column.in_(select(keys.c[0])),
            listed_on(day),
            visible(principal, Designation),
        )
        .group_by(column)
    )
    if kind is not None:
        ranked = ranked.having(func.min(kind_rank) == KIND_ORDER[kind])
    page = session.execute(
        ranked.order_by(members.desc(), un.desc(), func.min(kind_rank), first, caption, column)
        .limit(limit)
        .offset(offset)
    ).all()
    if page:
        total = page[0][1]
    else:  # a page past the end: count the gap alone
        total = session.scalar(select(func.count()).select_from(ranked.subquery())) or 0
    order = [row[0] for row in page]
    found = {row.target: row for row in _evidence(session, principal, set(order), day, None)}
    return total, [found[key] for key in order if key in found]


def _gap_holdings(
    session: Session,
    principal: Principal,
    parties: tuple[set[str], set[str]],
    day: dt.date,
    theme: str | None,
) -> dict[str, int]:
    """The holdings (:mod:`coalition.sanctions.summary`) of the targets in the gap on
    ``day``, each with how many: held by a list of the first party (under ``theme``), by
    none of the second."""
    ids = summary.list_ids(session)
    a = {ids[code] for code in parties[0] if code in ids}
    b = {ids[code] for code in parties[1] if code in ids}
    found = summary.holdings_on(session, resolution.scope_of(principal), day, theme or summary.ALL)
    return {
        holding: n
        for (_, holding), n in sorted(found.items())
        if not a.isdisjoint(summary.split(holding)[0]) and b.isdisjoint(summary.split(holding)[1])
    }


def _periods_on(principal: Principal, day: dt.date, theme: str | None) -> list[Any]:
    """What selects the periods of the reader's scope live on ``day`` under ``theme``."""
    return [
        TargetPeriod.scope == resolution.scope_of(principal),
        TargetPeriod.theme == (theme or summary.ALL),
        TargetPeriod.since <= day,
        or_(TargetPeriod.until.is_(None), TargetPeriod.until > day),
    ]


def _in_gap_summary(
    session: Session,
    principal: Principal,
    parties: tuple[set[str], set[str]],
    day: dt.date,
    theme: str | None,
    targets: set[str],
) -> set[str]:
    """As :func:`_in_gap`, from the summary."""
    holdings = _gap_holdings(session, principal, parties, day, theme)
    if not targets or not holdings:
        return set()
    return set(
        session.scalars(
            select(TargetPeriod.target).where(
                *_periods_on(principal, day, theme),
                TargetPeriod.holding.in_(sorted(holdings)),
                TargetPeriod.target.in_(sorted(targets)),
            )
        )
    )


def _ranked_summary(
    session: Session,
    principal: Principal,
    parties: tuple[set[str], set[str]],
    day: dt.date,
    theme: str | None,
    kind: str | None,
    limit: int | None,
    offset: int,
) -> tuple[int, list[GapRow]]:
    """As :func:`_ranked`, from the summary: the gap's targets are the periods of the
    holdings in it, already carrying the figures they are ranked by but the first, how
    many members apply the lists holding them: counted here for each holding, the
    holdings are read a number of members at a time, most first, skipping (by their
    counts) those before the page and leaving those after it unread."""
    if not parties[0]:
        return 0, []
    sizes = _gap_holdings(session, principal, parties, day, theme)
    if not sizes:
        return 0, []
    where = _periods_on(principal, day, theme)
    if kind is not None:
        where.append(TargetPeriod.kind_rank == KIND_ORDER[kind])
        sizes = {
            holding: n
            for holding, n in session.execute(
                select(TargetPeriod.holding, func.count())
                .where(*where, TargetPeriod.holding.in_(sorted(sizes)))
                .group_by(TargetPeriod.holding)
            )
        }
    groups: dict[int, list[str]] = defaultdict(list)
    for holding, members in _members_of(session, principal, day, sizes).items():
        groups[members].append(holding)
    order: list[str] = []
    skip = offset
    for members in sorted(groups, reverse=True):
        size = sum(sizes[h] for h in groups[members])
        wanted = None if limit is None else limit - len(order)
        if wanted is not None and wanted <= 0:
            break
        if skip >= size:
            skip -= size
            continue
        order += session.scalars(
            select(TargetPeriod.target)
            .where(*where, TargetPeriod.holding.in_(groups[members]))
            .order_by(
                TargetPeriod.un_listed.desc(),
                TargetPeriod.kind_rank,
                TargetPeriod.first_listed,
                TargetPeriod.caption,
                TargetPeriod.target,
            )
            .limit(wanted)
            .offset(skip)
        )
        skip = 0
    found = {row.target: row for row in _evidence(session, principal, set(order), day, None)}
    return sum(sizes.values()), [found[key] for key in order if key in found]


def _members_of(
    session: Session, principal: Principal, day: dt.date, holdings: Iterable[str]
) -> dict[str, int]:
    """How many members apply, on ``day``, a list of each holding (any theme's side), as
    the reader may see the applications."""
    by_id = {i: code for code, i in summary.list_ids(session).items()}
    applying: dict[str, set[str]] = defaultdict(set)
    for code, member in session.execute(
        select(Application.list_code, Application.member_code).where(
            visible(principal, Application), applied_on(day)
        )
    ):
        applying[code].add(member)
    return {
        holding: len(set().union(*(applying[by_id[i]] for i in summary.split(holding)[1])))
        for holding in holdings
    }


def _evidence(
    session: Session,
    principal: Principal,
    targets: set[str],
    day: dt.date,
    extra: Resolver | None,
) -> list[GapRow]:
    """Each target of ``targets`` with every listing of it the reader may see on ``day``."""
    if not targets:
        return []
    column = _column(principal)
    applying = members_by_list(session, principal, day)
    if extra is None:
        wanted: Iterable[str] = targets
        key_of = None
    else:
        wanted = {
            ref for t in targets for ref in (extra.cluster(t) if t.startswith("NK-") else (t,))
        }
        key_of = extra
    found: dict[str, GapRow] = {}
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        part = chunk[start : start + 500]
        match = Designation.ref.in_(part) if key_of is not None else column.in_(part)
        # The rows' ids first, by target: asked at once, SQLite (without statistics) would
        # read by the marking's index, that is every row.
        ids = list(session.scalars(select(Designation.id).where(match)))
        for d in session.scalars(
            select(Designation)
            .where(Designation.id.in_(ids), listed_on(day), visible(principal, Designation))
            .order_by(Designation.list_code, Designation.ref)
        ):
            key = (
                (key_of.canonical(d.ref) if len(key_of.cluster(d.ref)) > 1 else d.ref)
                if key_of is not None
                else getattr(d, column.key)
            )
            row = found.get(key)
            first = d.listing_date or d.first_seen
            if row is None:
                row = found[key] = GapRow(
                    key, d.caption, d.kind, d.schema, [], d.un_listed, first, False
                )
            row.un_listed = row.un_listed or d.un_listed
            row.first_listed = min(row.first_listed, first)
            if KIND_ORDER.get(d.kind, 9) < KIND_ORDER.get(row.kind, 9):
                row.kind = d.kind
            members = sorted(applying.get(d.list_code, ()))
            row.members = sorted(set(row.members) | set(members))
            row.listings.append(
                Listing(
                    d.list_code,
                    members,
                    d.ref,
                    d.program,
                    d.theme,
                    d.authority_id,
                    d.listing_date,
                    d.first_seen,
                    d.reason,
                )
            )
    return list(found.values())


@dataclass
class Matrix:
    as_of: dt.date
    themes: list[str]
    rows: list[tuple[str, dict[str, int], int]]  # party, count per theme, distinct total


def matrix(session: Session, principal: Principal, *, as_of: dt.date | None = None) -> Matrix:
    """For each member the reader may see (and ``COALITION``), how many distinct targets
    its lists designate on ``as_of``, per theme and in all.

    Members applying the same lists (the EU's states) share one count. Every party is
    counted from one reading of the coalition's lists in SQL over the scope's cluster
    column: how many targets each set of lists designates together (:func:`_held`)."""
    day = as_of or utcnow().date()
    applying = members_by_list(session, principal, day)
    members: dict[str, set[str]] = defaultdict(set)
    for code, held in applying.items():
        for member in held:
            members[member].add(code)
    parties = [*sorted(members.items()), (COALITION, set(applying))]
    extra = resolution.extra_resolver(session, principal)
    counted: dict[frozenset[str], tuple[dict[str, int], int]] = {}
    marks = _marks(session, applying)
    sets: tuple[dict[str, Held], Held] = ({}, [])
    if extra is None:
        sets = (
            _held_summary(session, principal, day)
            if _summarised(principal, marks)
            else _held(session, principal, frozenset(applying), day)
        )
    for _, codes in parties:
        key = frozenset(codes)
        if key not in counted:
            counted[key] = (
                _counts(key, *sets)
                if extra is None
                else _counts_resolved(session, principal, key, day, extra)
            )
    _note(session, principal, set(applying), marks)
    themes = [t for t in THEMES if any(t in counts for counts, _ in counted.values())]
    rows = [
        (party, {t: counted[frozenset(codes)][0].get(t, 0) for t in themes},
         counted[frozenset(codes)][1])
        for party, codes in parties
    ]  # fmt: skip
    return Matrix(day, themes, rows)


Held = list[tuple[frozenset[str], int]]  # sets of lists, and how many targets each holds


def _held(
    session: Session, principal: Principal, lists: frozenset[str], day: dt.date
) -> tuple[dict[str, Held], Held]:
    """For the targets ``lists`` designate on ``day``: how many are held by exactly each
    set of those lists, per theme and in all.

    A party's count is then the targets whose set meets its lists: one pass over the
    designations (grouped by target, in the order of its index) serves every party."""
    if not lists:
        return {}, []
    column = _column(principal)
    where = (
        Designation.list_code.in_(sorted(lists)),
        listed_on(day),
        visible(principal, Designation),
    )
    # Each target's lists as one string, a list as often as it designates the target (no
    # DISTINCT: the aggregate then streams in the index's order); read back as sets.
    held = (
        func.group_concat(Designation.list_code)
        if is_sqlite(session)
        else func.string_agg(Designation.list_code, literal(","))
    ).label("held")
    by_theme = (
        select(Designation.theme, held).where(*where).group_by(column, Designation.theme)
    ).subquery()
    in_all = select(held).where(*where).group_by(column).subquery()
    per_theme: dict[str, Counter[frozenset[str]]] = defaultdict(Counter)
    for theme, codes, n in session.execute(
        select(by_theme.c.theme, by_theme.c.held, func.count()).group_by(
            by_theme.c.theme, by_theme.c.held
        )
    ):
        per_theme[theme][frozenset(codes.split(","))] += n
    together: Counter[frozenset[str]] = Counter()
    for codes, n in session.execute(select(in_all.c.held, func.count()).group_by(in_all.c.held)):
        together[frozenset(codes.split(","))] += n
    return {theme: list(held.items()) for theme, held in per_theme.items()}, list(together.items())


def _held_summary(
    session: Session, principal: Principal, day: dt.date
) -> tuple[dict[str, Held], Held]:
    """As :func:`_held`, from the summary's counts: every list's, which counts the same
    for the parties since a party's count reads only its own lists."""
    by_id = {i: code for code, i in summary.list_ids(session).items()}
    per_theme: dict[str, Counter[frozenset[str]]] = defaultdict(Counter)
    together: Counter[frozenset[str]] = Counter()
    for (theme, holding), n in summary.holdings_on(
        session, resolution.scope_of(principal), day
    ).items():
        lists = frozenset(by_id[i] for i in summary.split(holding)[0])
        if theme == summary.ALL:
            together[lists] += n
        else:
            per_theme[theme][lists] += n
    return {theme: list(held.items()) for theme, held in per_theme.items()}, list(together.items())


def _counts(
    lists: frozenset[str], per_theme: dict[str, Held], in_all: Held
) -> tuple[dict[str, int], int]:
    """Distinct targets ``lists`` designate, per theme and in all, from :func:`_held`."""
    if not lists:
        return {}, 0
    counts = {
        theme: n
        for theme, held in per_theme.items()
        if (n := sum(n for codes, n in held if not lists.isdisjoint(codes)))
    }
    return counts, sum(n for codes, n in in_all if not lists.isdisjoint(codes))


def _counts_resolved(
    session: Session, principal: Principal, lists: frozenset[str], day: dt.date, extra: Resolver
) -> tuple[dict[str, int], int]:
    """As :func:`_counts`, the reader's narrower judgements applied in Python."""
    per_theme: dict[str, set[str]] = defaultdict(set)
    if lists:
        for theme, ref in session.execute(
            select(Designation.theme, Designation.ref)
            .where(
                Designation.list_code.in_(sorted(lists)),
                listed_on(day),
                visible(principal, Designation),
            )
            .distinct()
        ):
            per_theme[theme].add(extra.canonical(ref) if len(extra.cluster(ref)) > 1 else ref)
    everything = set().union(*per_theme.values()) if per_theme else set()
    return {t: len(keys) for t, keys in per_theme.items()}, len(everything)


def applications(
    session: Session, principal: Principal, *, as_of: dt.date | None = None
) -> list[Application]:
    """The applications the reader may see (on ``as_of`` only, when given), by member."""
    query = select(Application).where(visible(principal, Application))
    if as_of is not None:
        query = query.where(applied_on(as_of))
    query = query.order_by(Application.member_code, Application.list_code, Application.since)
    return [a for a in session.scalars(query) if a.list_code in _lists_seen(session, principal)]


def apply_list(
    session: Session,
    principal: Principal,
    member: str,
    list_code: str,
    since: dt.date,
    *,
    until: dt.date | None = None,
    note: str = "",
) -> Application:
    """Record that ``member`` applies ``list_code`` from ``since`` (until ``until``).

    Made by the member's own users or the secretariat; marked like the list it applies
    (a member applying a public list says so publicly)."""
    from coalition.core.errors import Forbidden
    from coalition.members import service as members

    if not (principal.may_write_for(member) or principal.may_write_for(SECRETARIAT)):
        raise Forbidden(
            f"only {member}'s users with a writing role, or the secretariat's, say what "
            f"{member} applies"
        )
    if member not in members.visible_codes(session, principal):
        raise NotFound(f"no member {member}")
    listed = session.scalars(
        select(SanctionsList).where(
            SanctionsList.code == list_code, visible(principal, SanctionsList)
        )
    ).first()
    if listed is None:
        raise NotFound(f"no list {list_code}")
    if until is not None and until <= since:
        raise Invalid("until: on or before since")
    overlapping = session.scalars(
        select(Application).where(
            Application.member_code == member,
            Application.list_code == list_code,
            or_(Application.until.is_(None), Application.until > since),
            *([Application.since < until] if until is not None else []),
        )
    ).first()
    if overlapping is not None:
        raise Invalid(
            f"{member} already applies {list_code} from {overlapping.since}"
            + (f" until {overlapping.until}" if overlapping.until else "")
        )
    row = Application(
        member_code=member,
        list_code=list_code,
        since=since,
        until=until,
        note=note[:500],
        owner_code=member,
        marking=listed.marking,
        rel_to=listed.rel_to,
    )
    session.add(row)
    session.flush()
    return row


def snapshot_counts(
    session: Session, principal: Principal, codes: Sequence[str] = ()
) -> dict[str, list[dict[str, Any]]]:
    """For each list the reader may see (or ``codes``), each whole snapshot, oldest first,
    with the targets it designated that day by program and by kind of target."""
    seen = _lists_seen(session, principal)
    chosen = [c for c in (codes or sorted(seen)) if c in seen]
    out: dict[str, list[dict[str, Any]]] = {c: [] for c in chosen}
    if not chosen:
        return out
    snapshots = session.scalars(
        select(ListSnapshot)
        .where(
            ListSnapshot.list_code.in_(chosen),
            ListSnapshot.complete.is_(True),
            visible(principal, ListSnapshot),
        )
        .order_by(ListSnapshot.list_code, ListSnapshot.taken_on)
    ).all()
    for snap in snapshots:
        on_day = and_(
            Designation.list_code == snap.list_code,
            listed_on(snap.taken_on),
            visible(principal, Designation),
        )
        distinct_refs = func.count(func.distinct(Designation.ref))
        by_program = dict(
            session.execute(
                select(Designation.program, distinct_refs)
                .where(on_day)
                .group_by(Designation.program)
                .order_by(distinct_refs.desc(), Designation.program)
            ).all()
        )
        by_kind = dict(
            session.execute(
                select(Designation.kind, distinct_refs)
                .where(on_day)
                .group_by(Designation.kind)
                .order_by(Designation.kind)
            ).all()
        )
        targets = session.scalar(select(distinct_refs).where(on_day)) or 0
        out[snap.list_code].append(
            {
                "taken_on": snap.taken_on.isoformat(),
                "file_sha256": snap.file_sha256,
                "read": snap.read,
                "inserted": snap.inserted,
                "updated": snap.updated,
                "unchanged": snap.unchanged,
                "rejected": snap.rejected,
                "delisted": snap.delisted,
                "targets": targets,
                "by_program": {(p or "(none)"): n for p, n in by_program.items()},
                "by_kind": by_kind,
            }
        )
    return out


@dataclass
class TimelineEntry:
    """One listing period of one program of a target, on one list, with the members
    applying that list now."""

    list_code: str
    ref: str
    caption: str
    program: str
    theme: str
    authority_id: str
    listing_date: dt.date | None
    first_seen: dt.date
    listed_until: dt.date | None
    members: list[str]

    @property
    def since(self) -> dt.date:
        """The day the listing counts from: its authority's listing date, else first seen."""
        return self.listing_date or self.first_seen


def target_timeline(
    session: Session, principal: Principal, list_code: str, entity_id: str
) -> list[TimelineEntry]:
    """Every listing of the target ``list_code:entity_id`` names, on every list the reader
    may see, listed or delisted, as the reader's clusters join them: earliest first."""
    ref = f"{list_code}:{entity_id}"
    extra = resolution.extra_resolver(session, principal)
    if extra is not None:
        match: ColumnElement[bool] = Designation.ref.in_(sorted(extra.cluster(ref)))
    else:
        column = _column(principal)
        keys = set(
            session.scalars(
                select(column).where(Designation.ref == ref, visible(principal, Designation))
            )
        )
        if not keys:
            return []
        match = column.in_(sorted(keys))
    query = select(Designation).where(match, visible(principal, Designation))
    note_aggregated(session, query)
    applying = members_by_list(session, principal, utcnow().date())
    entries = [
        TimelineEntry(
            d.list_code,
            d.ref,
            d.caption,
            d.program,
            d.theme,
            d.authority_id,
            d.listing_date,
            d.first_seen,
            d.listed_until,
            sorted(applying.get(d.list_code, ())),
        )
        for d in session.scalars(query)
    ]
    entries.sort(key=lambda e: (e.since, e.first_seen, e.list_code, e.ref, e.program))
    if len({e.ref for e in entries}) > 1:  # joined by judgements: the page rests on them
        resolution.note_judgements(session, principal)
    return entries
