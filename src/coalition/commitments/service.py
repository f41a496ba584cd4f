"""Operations on the commitments ledger. Each takes a session and the acting principal.

Reads go through :func:`coalition.core.visibility.visible`; a commitment's deliveries are
seen by exactly those who may see the commitment. Writes never change a revision in
place: :func:`update_commitment` supersedes the live row with a new one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from coalition.commitments import dating, figures, money, progress
from coalition.commitments.model import Category, Commitment, DatePrecision, Delivery, Status
from coalition.commitments.schemas import (
    CategoryFigure,
    CommitmentCreate,
    CommitmentPublic,
    CommitmentUpdate,
    DeliveryCreate,
    DeliveryPublic,
    MemberFigure,
    MonthFigure,
    Summary,
)
from coalition.core.db import utcnow
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.listing import Listing, ListQuery, direction
from coalition.core.marking import Marking, decode_release
from coalition.core.model import checked_release
from coalition.core.principal import WRITING_ROLES, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import visible, visible_select
from coalition.meetings.model import Meeting
from coalition.members import service as member_service
from coalition.members.model import Member, MemberStanding
from coalition.members.service import require_member

RECORD_NAMESPACE = uuid.UUID("6c1f4a52-4a8e-4d0e-9a57-3c5b1d3f0b11")


def record_id_for(source: str, source_id: str | None) -> str:
    """A record's identity: derived from its natural key when it has one, else random."""
    if source_id:
        return uuid.uuid5(RECORD_NAMESPACE, f"{source}:{source_id}").hex
    return uuid.uuid4().hex


def may_record_for(principal: Principal, member: str) -> bool:
    """A liaison officer records their own nation's pledges; the secretariat records any."""
    if principal.may_write_for(member):
        return True
    return principal.is_secretariat and principal.has_role(Role.CONTRIBUTOR)


def require_recorder(principal: Principal, member: str) -> None:
    if may_record_for(principal, member):
        return
    if principal.role not in WRITING_ROLES:
        role = principal.role.value if principal.role else "none"
        raise Forbidden(
            "a member's commitments are recorded by its liaison officers, planners, monitors "
            f"and administrators, and by secretariat staff; your role ({role}) records none"
        )
    raise Forbidden(f"you may record commitments for your own member only, not {member}")


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    member: str | None = None
    category: Category | None = None
    status: Status | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    as_of: dt.datetime | None = None
    # Members of the coalition, partners outside it, or both (None).
    standing: MemberStanding | None = None
    # Announced at this meeting (only if the reader may see the meeting).
    meeting: int | None = None


def _live_at(at: dt.datetime | None) -> ColumnElement[bool]:
    if at is None:
        return Commitment.superseded_at.is_(None)
    return (Commitment.recorded_at <= at) & (
        Commitment.superseded_at.is_(None) | (Commitment.superseded_at > at)
    )


def visible_commitments(principal: Principal, filters: Filters = Filters()) -> Select[Any]:
    """The revisions ``principal`` may see, live now or at ``filters.as_of``.

    A past revision is shown only while the record's live revision is visible too: a
    record later restricted does not leak through its history.
    """
    query = visible_select(principal, Commitment).where(_live_at(filters.as_of))
    if filters.as_of is not None:
        live = aliased(Commitment)
        query = query.where(
            Commitment.record_id.in_(
                select(live.record_id).where(live.superseded_at.is_(None), visible(principal, live))
            )
        )
    if filters.member is not None:
        query = query.where(Commitment.owner_code == filters.member.upper())
    if filters.category is not None:
        query = query.where(Commitment.category == filters.category.value)
    if filters.status is not None:
        query = query.where(Commitment.status == filters.status.value)
    if filters.since is not None:
        query = query.where(Commitment.announced_on >= filters.since)
    if filters.until is not None:
        query = query.where(Commitment.announced_on <= filters.until)
    if filters.standing is not None:
        query = query.where(
            Commitment.owner_code.in_(
                select(Member.code).where(Member.standing == filters.standing.value)
            )
        )
    if filters.meeting is not None:
        # A meeting the reader may not see gathers nothing: the filter never tells what a
        # hidden meeting announced.
        seen = select(Meeting.id).where(visible(principal, Meeting), Meeting.id == filters.meeting)
        query = query.where(Commitment.meeting_id.in_(seen))
    return query


@dataclass(frozen=True)
class DeliveredSoFar:
    quantity: Decimal | None
    value: Decimal | None
    value_eur: Decimal | None


def delivered_so_far(session: Session, record_ids: Sequence[str]) -> dict[str, DeliveredSoFar]:
    """Delivered quantity and value per record (callers pass visible records only)."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(
            Delivery.record_id,
            func.sum(Delivery.quantity),
            func.sum(Delivery.value),
            func.sum(Delivery.value_eur),
        )
        .where(Delivery.record_id.in_(list(record_ids)))
        .group_by(Delivery.record_id)
    )
    return {r[0]: DeliveredSoFar(_dec(r[1], 3), _dec(r[2], 2), _dec(r[3], 2)) for r in rows}


def _dec(value: Any, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def _visible_meetings(
    session: Session, principal: Principal, ids: Iterable[int | None]
) -> set[int]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    query = visible_select(principal, Meeting).where(Meeting.id.in_(wanted))
    return {m.id for m in session.scalars(query)}


def delivered_share(row: Commitment, done: DeliveredSoFar | None) -> float | None:
    return _share(row.quantity, row.value, done)


def _share(
    quantity: Decimal | None, value: Decimal | None, done: DeliveredSoFar | None
) -> float | None:
    """What has arrived of a pledge: by quantity where it has one, else by value."""
    if quantity:
        return float((done.quantity if done and done.quantity else 0) / quantity)
    if value:
        return float((done.value if done and done.value else 0) / value)
    return None


def to_public(row: Commitment, done: DeliveredSoFar | None, meetings: set[int]) -> CommitmentPublic:
    return CommitmentPublic.of(
        row,
        id=row.record_id,
        revision=row.revision,
        member=row.owner_code,
        announced_on=row.announced_on,
        date_precision=DatePrecision(row.date_precision),
        date_text=row.date_text,
        imprecise_date=row.date_precision != DatePrecision.DAY,
        category=Category(row.category),
        item=row.item,
        explanation=row.explanation,
        quantity=row.quantity,
        unit=row.unit,
        value=row.value,
        currency=row.currency,
        value_eur=row.value_eur,
        rate=row.rate,
        rate_date=row.rate_date,
        status=Status(row.status),
        meeting_id=row.meeting_id if row.meeting_id in meetings else None,
        source=row.source,
        source_id=row.source_id,
        # A resumed run's later attempts stamp ``key.2``, ``key.3``: the run is the key.
        import_run=row.import_run.split(".")[0] if row.import_run else None,
        recorded_at=row.recorded_at,
        superseded_at=row.superseded_at,
        delivered_quantity=done.quantity if done else None,
        delivered_value=done.value if done else None,
        delivered_value_eur=done.value_eur if done else None,
        delivered_share=delivered_share(row, done),
    )


def publish(
    session: Session, principal: Principal, rows: Sequence[Commitment]
) -> list[CommitmentPublic]:
    done = delivered_so_far(session, [r.record_id for r in rows])
    meetings = _visible_meetings(session, principal, (r.meeting_id for r in rows))
    return [to_public(r, done.get(r.record_id), meetings) for r in rows]


COMMITMENTS = Listing(
    model=Commitment,
    sorts={
        "announced_on": Commitment.announced_on,
        "member": Commitment.owner_code,
        "item": Commitment.item,
        "category": Commitment.category,
        "value": Commitment.value_eur,
        "status": Commitment.status,
    },
    default=[direction(Commitment.announced_on, descending=True), Commitment.owner_code],
    searched=(Commitment.item, Commitment.explanation, Commitment.source_title),
)


def list_commitments(
    session: Session,
    principal: Principal,
    filters: Filters = Filters(),
    *,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[CommitmentPublic]:
    """The live revisions the reader may see (``filters`` narrow them, as of a moment)."""
    query = visible_commitments(principal, filters)
    rows = COMMITMENTS.fetch(session, query, ListQuery(limit, offset, sort, q))
    return rows.publish(lambda page: publish(session, principal, page))


def get_commitment(
    session: Session, principal: Principal, record_id: str, as_of: dt.datetime | None = None
) -> Commitment:
    """The revision of ``record_id`` live now (or at ``as_of``), if the reader may see it."""
    row = session.scalars(
        visible_commitments(principal, Filters(as_of=as_of)).where(
            Commitment.record_id == record_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no commitment {record_id}")
    return row  # type: ignore[no-any-return]


def revisions(session: Session, principal: Principal, record_id: str) -> list[Commitment]:
    """Every revision of a record the reader may see, oldest first."""
    live = get_commitment(session, principal, record_id)
    return list(
        session.scalars(
            visible_select(principal, Commitment)
            .where(Commitment.record_id == live.record_id)
            .order_by(Commitment.revision)
        )
    )


# --- writing ----------------------------------------------------------------------------


def _convert(
    value: Decimal | None, currency: str | None, day: dt.date | None
) -> tuple[Decimal | None, Decimal | None, dt.date | None]:
    if value is None or currency is None:
        return None, None, None
    try:
        conversion = money.to_eur(value, currency, day or utcnow().date())
    except money.UnknownCurrency as exc:
        raise Invalid(str(exc)) from exc
    return conversion.value_eur, conversion.rate, conversion.rate_date


def _check_announced(day: dt.date | None, precision: DatePrecision) -> None:
    problem = dating.announcement_problem(day, precision, utcnow().date())
    if problem is not None:
        raise Invalid(problem)


def _check_meeting(session: Session, principal: Principal, meeting_id: int | None) -> None:
    if meeting_id is not None and meeting_id not in _visible_meetings(
        session, principal, [meeting_id]
    ):
        raise NotFound(f"no meeting {meeting_id}")


def create_commitment(
    session: Session, principal: Principal, data: CommitmentCreate, *, source_id: str | None = None
) -> Commitment:
    require_member(session, data.member)
    require_recorder(principal, data.member)
    _check_announced(data.announced_on, data.date_precision)
    rel_to = checked_release(session, principal, data.member, data.marking, data.rel_to)
    _check_meeting(session, principal, data.meeting_id)
    value_eur, rate, rate_date = _convert(data.value, data.currency, data.announced_on)
    row = Commitment(
        record_id=record_id_for("manual", source_id),
        revision=1,
        recorded_at=utcnow(),
        announced_on=data.announced_on,
        date_precision=data.date_precision.value,
        date_text="",
        category=data.category.value,
        item=data.item.strip(),
        explanation=data.explanation.strip(),
        quantity=data.quantity,
        unit=data.unit.strip(),
        value=data.value,
        currency=data.currency,
        value_eur=value_eur,
        rate=rate,
        rate_date=rate_date,
        status=data.status.value,
        meeting_id=data.meeting_id,
        source="manual",
        source_id=source_id,
        source_title=data.source_title,
        source_ref=data.source_ref,
        illustrative=data.illustrative,
        owner_code=data.member,
        marking=data.marking.value,
        rel_to=rel_to,
    )
    session.add(row)
    session.flush()
    return row


# Columns a new revision copies from the one it supersedes.
CARRIED = (
    "record_id",
    "announced_on",
    "date_precision",
    "date_text",
    "category",
    "item",
    "explanation",
    "quantity",
    "unit",
    "value",
    "currency",
    "status",
    "meeting_id",
    "source",
    "source_id",
    "source_title",
    "source_ref",
    "illustrative",
    "owner_code",
    "marking",
    "rel_to",
)


def _check_not_below_delivered(
    quantity: Decimal | None, value: Decimal | None, done: DeliveredSoFar | None
) -> None:
    if done is None:
        return
    if done.quantity and (quantity is None or quantity < done.quantity):
        raise Invalid(f"{done.quantity} already delivered; the quantity cannot go below it")
    if done.value and (value is None or value < done.value):
        raise Invalid(f"{done.value} already delivered; the value cannot go below it")


def supersede(session: Session, old: Commitment, changes: dict[str, Any]) -> Commitment:
    """Stamp ``old`` as superseded and add its successor with ``changes`` applied."""
    now = utcnow()
    values = {key: getattr(old, key) for key in CARRIED}
    values.update(changes)
    value_eur, rate, rate_date = _convert(
        values["value"], values["currency"], values["announced_on"]
    )
    old.superseded_at = now
    session.flush()  # the live-row index must be free before the successor is inserted
    new = Commitment(
        **values,
        revision=old.revision + 1,
        recorded_at=now,
        value_eur=value_eur,
        rate=rate,
        rate_date=rate_date,
    )
    session.add(new)
    session.flush()
    return new


def update_commitment(
    session: Session, principal: Principal, record_id: str, data: CommitmentUpdate
) -> Commitment:
    old = get_commitment(session, principal, record_id)
    require_recorder(principal, old.owner_code)
    if old.revision != data.revision:
        raise Conflict(
            f"commitment was changed by someone else (you edited revision {data.revision}, "
            f"it is now revision {old.revision}); reload and retry"
        )
    patch = data.model_dump(exclude_unset=True, exclude={"revision", "rel_to", "marking"})
    changes: dict[str, Any] = {}
    for key, value in patch.items():
        if key in ("item", "explanation", "unit") and value is not None:
            value = value.strip()
        if key in ("category", "status", "date_precision") and value is not None:
            value = value.value
        if key in ("item", "category", "status", "date_precision") and value is None:
            continue
        changes[key] = value
    if data.marking is not None or data.rel_to is not None:
        marking = data.marking or Marking(old.marking)
        codes = data.rel_to if data.rel_to is not None else decode_release(old.rel_to)
        if marking is not Marking.REL_TO and data.rel_to is None:
            codes = []
        changes["rel_to"] = checked_release(session, principal, old.owner_code, marking, codes)
        changes["marking"] = marking.value
    merged = {key: changes.get(key, getattr(old, key)) for key in CARRIED}
    if (merged["value"] is None) != (merged["currency"] is None):
        raise Invalid("value and currency go together: give both or neither")
    if (merged["announced_on"] is None) != (merged["date_precision"] == DatePrecision.UNKNOWN):
        raise Invalid("an unknown date has no day, and a known one needs a precision")
    if "announced_on" in changes and "date_precision" not in changes:
        changes["date_text"] = ""
    if "announced_on" in changes or "date_precision" in changes:
        _check_announced(merged["announced_on"], DatePrecision(merged["date_precision"]))
    if merged["meeting_id"] != old.meeting_id:  # a link kept as it was is not checked again
        _check_meeting(session, principal, merged["meeting_id"])
    done = delivered_so_far(session, [old.record_id]).get(old.record_id)
    _check_not_below_delivered(merged["quantity"], merged["value"], done)
    if merged["status"] != old.status:
        share = _share(merged["quantity"], merged["value"], done)
        problem = progress.contradiction(Status(merged["status"]), share)
        if problem is not None:
            raise Invalid(problem)
    if all(merged[key] == getattr(old, key) for key in CARRIED):
        return old
    return supersede(session, old, changes)


# --- deliveries ---------------------------------------------------------------------------


def delivery_public(d: Delivery) -> DeliveryPublic:
    return DeliveryPublic(
        id=d.id,
        delivered_on=d.delivered_on,
        quantity=d.quantity,
        value=d.value,
        currency=d.currency,
        value_eur=d.value_eur,
        rate=d.rate,
        rate_date=d.rate_date,
        note=d.note,
        date_precision=DatePrecision(d.date_precision),
    )


def list_deliveries(session: Session, principal: Principal, record_id: str) -> list[DeliveryPublic]:
    live = get_commitment(session, principal, record_id)
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.record_id == live.record_id)
        .order_by(Delivery.delivered_on, Delivery.id)
    )
    return [delivery_public(d) for d in rows]


def add_delivery(
    session: Session, principal: Principal, record_id: str, data: DeliveryCreate
) -> Delivery:
    """Record what arrived; refused when it would take delivered beyond what was committed."""
    live = get_commitment(session, principal, record_id)
    require_recorder(principal, live.owner_code)
    # Lock the live revision (PostgreSQL) so two deliveries cannot both pass the check.
    live = session.scalars(
        select(Commitment).where(Commitment.id == live.id).with_for_update()
    ).one()
    if live.status == Status.CANCELLED:
        raise Invalid("the commitment is cancelled; nothing can be delivered against it")
    problem = dating.delivery_problem(
        data.delivered_on,
        DatePrecision.DAY,
        live.announced_on,
        DatePrecision(live.date_precision),
        utcnow().date(),
    )
    if problem is not None:
        raise Invalid(problem)
    done = delivered_so_far(session, [live.record_id]).get(live.record_id)
    if data.quantity is not None:
        if live.quantity is None:
            raise Invalid("the commitment has no quantity; record the delivery by value")
        total = (done.quantity if done and done.quantity else 0) + data.quantity
        if total > live.quantity:
            raise Invalid(
                f"delivery refused: it would bring the delivered quantity to {total}, "
                f"beyond the {live.quantity} {live.unit or 'units'} committed"
            )
    if data.value is not None:
        if live.value is None:
            raise Invalid("the commitment has no value; record the delivery by quantity")
        total_value = (done.value if done and done.value else 0) + data.value
        if total_value > live.value:
            raise Invalid(
                f"delivery refused: it would bring the delivered value to {total_value} "
                f"{live.currency}, beyond the {live.value} {live.currency} committed"
            )
    (delivery,) = record_deliveries(
        session,
        [
            NewDelivery(
                record_id=live.record_id,
                delivered_on=data.delivered_on,
                date_precision=DatePrecision.DAY,
                quantity=data.quantity,
                value=data.value,
                currency=live.currency,
                note=data.note.strip(),
            )
        ],
    )
    # The status follows what has arrived: part of it is "in delivery", all of it "delivered".
    share = delivered_share(live, delivered_so_far(session, [live.record_id]).get(live.record_id))
    moved = progress.status_after_delivery(Status(live.status), share)
    if moved != live.status:
        supersede(session, live, {"status": moved.value})
    return delivery


@dataclass(frozen=True)
class NewDelivery:
    """A delivery checked against its commitment, its value in the pledge's currency."""

    record_id: str
    delivered_on: dt.date
    date_precision: DatePrecision
    quantity: Decimal | None
    value: Decimal | None
    currency: str | None
    note: str


def record_deliveries(session: Session, deliveries: Sequence[NewDelivery]) -> list[Delivery]:
    """Insert deliveries already checked against their commitments (by :func:`add_delivery`
    or an import), each valued in euros at the ECB rate of its day; the flush audits them."""
    rows = []
    for new in deliveries:
        currency = new.currency if new.value is not None else None
        value_eur, rate, rate_date = _convert(new.value, currency, new.delivered_on)
        rows.append(
            Delivery(
                record_id=new.record_id,
                delivered_on=new.delivered_on,
                date_precision=new.date_precision.value,
                quantity=new.quantity,
                value=new.value,
                currency=currency,
                value_eur=value_eur,
                rate=rate,
                rate_date=rate_date,
                note=new.note[:500],
                recorded_at=utcnow(),
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


# --- figures --------------------------------------------------------------------------------


GDP_NOTE = (
    "Share of GDP: each year's pledged euros over the member's GDP of that year in current US "
    "dollars (World Bank, from the member's figures by year), converted at the ECB rate of "
    "31 December of that year; where that year's GDP is not held, the nearest earlier year's "
    "(named for each member), and for undated pledges the latest held."
)


def summary(session: Session, principal: Principal, filters: Filters = Filters()) -> Summary:
    """The ledger's figures over the live, not cancelled, commitments the reader may see."""
    base = visible_commitments(principal, filters).where(
        Commitment.status != Status.CANCELLED.value
    )
    sub = base.subquery()
    pledges = [
        figures.Pledged(r.owner_code, r.category, r.announced_on, _dec(r.value_eur, 2))
        for r in session.execute(
            select(sub.c.owner_code, sub.c.category, sub.c.announced_on, sub.c.value_eur)
        )
    ]
    deliveries = [
        figures.Delivered(r.owner_code, r.category, r.delivered_on, _dec(r.value_eur, 2))
        for r in session.execute(
            select(
                sub.c.owner_code, sub.c.category, Delivery.delivered_on, Delivery.value_eur
            ).join(Delivery, Delivery.record_id == sub.c.record_id)
        )
    ]
    result = figures.compute(pledges, deliveries)
    members = {
        m.code: m
        for m in session.scalars(
            visible_select(principal, Member).where(Member.code.in_(list(result.by_member)))
        )
    }
    by_year = figures.pledged_by_year(pledges)
    gdp_by_member = _gdp_by_year(session, list(members.values()))
    by_member = []
    for code, tally in result.by_member.items():
        member = members.get(code)
        gdp = figures.share_of_gdp(by_year.get(code, {}), gdp_by_member.get(code, {}))
        by_member.append(
            MemberFigure(
                member=code,
                name=member.name if member is not None else code,
                commitments=tally.commitments,
                pledged_eur=tally.pledged_eur,
                delivered_eur=tally.delivered_eur,
                gdp_eur=gdp.lines[-1].gdp_eur if gdp.lines and member is not None else None,
                share_of_gdp=gdp.share if member is not None else None,
                gdp_basis=gdp.note if member is not None else "",
            )
        )
    return Summary(
        commitments=result.total.commitments,
        pledged_eur=result.total.pledged_eur,
        delivered_eur=result.total.delivered_eur,
        undated=result.undated,
        without_value=result.without_value,
        by_member=by_member,
        by_category=[
            CategoryFigure(
                category=Category(key),
                commitments=t.commitments,
                pledged_eur=t.pledged_eur,
                delivered_eur=t.delivered_eur,
            )
            for key, t in result.by_category.items()
        ],
        by_month=[
            MonthFigure(
                month=p.month,
                pledged_eur=p.pledged_eur,
                delivered_eur=p.delivered_eur,
                cumulative_pledged_eur=p.cumulative_pledged_eur,
                cumulative_delivered_eur=p.cumulative_delivered_eur,
                gap_eur=p.gap_eur,
            )
            for p in result.months
        ],
        gdp_note=GDP_NOTE,
    )


def _gdp_by_year(session: Session, members: list[Member]) -> dict[str, dict[int, Decimal]]:
    """Each member's GDP in euros by year: its figures by year, else the register's one year.

    ``members`` are those the reader may see; their figures are as public as they are.
    """
    held = member_service.figures_by_member(session, [m.code for m in members])
    out: dict[str, dict[int, Decimal]] = {}
    for member in members:
        usd = {f.year: f.gdp_usd for f in held.get(member.code, []) if f.gdp_usd}
        if not usd and member.gdp_usd and member.gdp_year:
            usd = {member.gdp_year: member.gdp_usd}
        euros = {}
        for year, value in usd.items():
            eur = _gdp_eur(value, year)
            if eur is not None:
                euros[year] = eur
        out[member.code] = euros
    return out


def _gdp_eur(gdp_usd: int, year: int) -> Decimal | None:
    """GDP in current US dollars of ``year`` in euros at the ECB rate of 31 December."""
    try:
        return money.to_eur(Decimal(gdp_usd), "USD", dt.date(year, 12, 31)).value_eur
    except money.UnknownCurrency:
        return None
