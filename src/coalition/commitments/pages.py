"""The commitments pages: the ledger with its charts, one commitment, and the forms.

Each form post takes one form model and runs the service through ``core.forms.submit``,
in a savepoint: a refused write is rolled back whole and the form is shown again with
what was typed and the reason beside each field, never half-applied. Only bad input (422) and a
stale write (409) come back to the form; a forbidden act or an unseen record raises, so the
page answers 403 or 404 exactly as the API does.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from coalition.commitments import charts, dating, service
from coalition.commitments.model import Category, DatePrecision, Status
from coalition.commitments.routes import CommitmentSort
from coalition.commitments.schemas import CommitmentCreate, CommitmentUpdate, DeliveryCreate
from coalition.core.errors import Unauthenticated
from coalition.core.forms import (
    BadInput,
    PageForm,
    Refusal,
    Short,
    blank_none,
    submit,
    ticked,
    validate,
    whole,
)
from coalition.core.marking import Marking, change_of_sight, encode_release
from coalition.core.principal import Principal
from coalition.core.visibility import note_aggregated
from coalition.deps import PAGE_ROWS, CurrentPrincipal, DbSession, Limit, Offset, Search
from coalition.meetings import service as meetings
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)

CHART_MEMBERS = 15
# How the forms name their fields where the name alone would not read well.
LABELS = {
    "rel_to": "Released to",
    "item": "What is pledged",
    "meeting_id": "Meeting",
    "source_ref": "Source reference",
    "confirm_marking": "Change of marking",
}


def _date(value: str) -> dt.date | None:
    text = value.strip()
    return dt.date.fromisoformat(text) if text else None


def _filters(
    member: str,
    category: str,
    status: str,
    since: str,
    until: str,
    standing: str = "",
    meeting: str = "",
) -> tuple[service.Filters, dict[str, str]]:
    given = {
        "member": member,
        "category": category,
        "status": status,
        "since": since,
        "until": until,
        "standing": standing,
        "meeting": meeting,
    }
    try:
        filters = service.Filters(
            member=member.strip().upper() or None,
            category=Category(category) if category else None,
            status=Status(status) if status else None,
            since=_date(since),
            until=_date(until),
            standing=members.MemberStanding(standing) if standing else None,
            meeting=whole(meeting) if meeting else None,
        )
    except ValueError:
        filters, given = service.Filters(), {}
    return filters, {k: v for k, v in given.items() if v}


@router.get("/commitments", response_class=HTMLResponse)
def commitments_page(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    member: str = "",
    category: str = "",
    status: str = "",
    since: str = "",
    until: str = "",
    standing: str = "",
    meeting: str = "",
    q: Search = None,
    limit: Limit = PAGE_ROWS,
    offset: Offset = 0,
    sort: CommitmentSort = None,
) -> Response:
    filters, given = _filters(
        member[:4], category[:20], status[:20], since[:10], until[:10], standing[:10], meeting[:10]
    )
    page = service.list_commitments(
        session, principal, filters, limit=limit, offset=offset, sort=sort, q=q
    )
    figures = service.summary(session, principal, filters)
    note_aggregated(session, service.visible_commitments(principal, filters))
    top = sorted(figures.by_member, key=lambda m: (-m.pledged_eur, m.member))[:CHART_MEMBERS]
    bars = charts.bar_chart(
        [charts.Bar(m.name, m.pledged_eur, m.delivered_eur) for m in top],
        title="Pledged and delivered by member"
        + (f" (top {CHART_MEMBERS})" if len(figures.by_member) > CHART_MEMBERS else ""),
    )
    lines = charts.line_chart(
        [
            charts.Point(m.month, m.cumulative_pledged_eur, m.cumulative_delivered_eur)
            for m in figures.by_month
        ]
    )
    query = urlencode(given)
    return pages.render(
        request,
        "commitments/list.html",
        page=page,
        figures=figures,
        bar_chart=bars,
        line_chart=lines,
        given=given,
        query=query,
        members=members.list_members(session, principal, limit=500).items,
        categories=list(Category),
        statuses=list(Status),
        euros=charts.euros,
        num=charts.number,
        can_record=not principal.is_anonymous and _recordable(session, principal) != [],
    )


SECTION_ROWS = 20


def _with_warnings(notice: str, warnings: list[str]) -> str:
    """A save's notice, with what is unusual (not impossible) about what was saved."""
    return " ".join([notice, *(f"Note: {w}." for w in warnings)])


def announced_at(session: Session, principal: Principal, meeting_id: int) -> dict[str, Any]:
    """The meeting page's section: the commitments announced at it that the reader may see."""
    filters = service.Filters(meeting=meeting_id)
    return {
        "announced": service.list_commitments(session, principal, filters, limit=SECTION_ROWS),
        "announced_figures": service.summary(session, principal, filters),
        "euros": charts.euros,
    }


def pledged_by(session: Session, principal: Principal, member_code: str) -> dict[str, Any]:
    """The member page's section: its commitments that the reader may see, newest first."""
    filters = service.Filters(member=member_code)
    return {
        "pledged": service.list_commitments(
            session, principal, filters, limit=SECTION_ROWS, sort="-announced_on"
        ),
        "pledged_figures": service.summary(session, principal, filters),
        "euros": charts.euros,
    }


def _recordable(session: Session, principal: Principal) -> list[Any]:
    visible = members.list_members(session, principal, limit=500).items
    return [m for m in visible if service.may_record_for(principal, m.code)]


def _form_context(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "recordable": _recordable(session, principal),
        "categories": list(Category),
        "statuses": list(Status),
        "precisions": list(DatePrecision),
        "markings": list(Marking),
        "meetings": meetings.list_meetings(session, principal, limit=500).items,
    }


@router.get("/commitments/new", response_class=HTMLResponse)
def new_commitment_form(
    request: Request, session: DbSession, principal: CurrentPrincipal
) -> Response:
    if principal.is_anonymous:
        raise Unauthenticated("sign in to record a commitment")
    context = _form_context(session, principal)
    _require_some_member(principal, context["recordable"])
    return pages.render(
        request,
        "commitments/form.html",
        errors=None,
        # A pledge is seen by the coalition unless its officer chooses otherwise.
        values={"member": principal.member, "marking": "COALITION", "status": "announced"},
        **context,
    )


def _require_some_member(principal: Principal, recordable: list[Any]) -> None:
    """No form a user could not submit: refused before it is shown or read, in the words
    the API uses for the same refusal."""
    if not recordable:
        service.require_recorder(principal, principal.member or "")


class CommitmentForm(PageForm):
    """The form recording a commitment, as typed."""

    member: Short = ""
    announced_on: Short = ""
    date_precision: Short = "day"
    category: Short = ""
    item: Short = ""
    explanation: Short = ""
    quantity: Short = ""
    unit: Short = ""
    value: Short = ""
    currency: Short = ""
    status: Short = "announced"
    meeting_id: Short = ""
    source_title: Short = ""
    source_ref: Short = ""
    marking: Short = "COALITION"
    rel_to: Short = ""

    def wire(self) -> CommitmentCreate:
        dated = bool(self.announced_on.strip())
        return validate(
            CommitmentCreate,
            {
                **self.typed(),
                "announced_on": blank_none(self.announced_on),
                "date_precision": self.date_precision if dated else "unknown",
                "quantity": blank_none(self.quantity),
                "value": blank_none(self.value),
                "currency": (blank_none(self.currency) or "").upper() or None,
            },
            {"meeting_id": whole},
        )


@router.post("/commitments/new", response_class=HTMLResponse)
def create_commitment(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[CommitmentForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to record a commitment")
    _require_some_member(principal, _recordable(session, principal))
    result = submit(
        session,
        lambda: service.create_commitment(session, principal, form.wire()),
        CommitmentForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        return pages.render(
            request,
            "commitments/form.html",
            status_code=result.status,
            errors=result.errors,
            values=form.typed(),
            **_form_context(session, principal),
        )
    warned = dating.announcement_warnings(result.announced_on, DatePrecision(result.date_precision))
    return pages.saved(
        request, f"/commitments/{result.record_id}", _with_warnings("Commitment recorded.", warned)
    )


@router.get("/commitments/{commitment_id}", response_class=HTMLResponse)
def commitment_page(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    return _detail(request, session, principal, commitment_id[:40])


def _detail(
    request: Request,
    session: Session,
    principal: Principal,
    commitment_id: str,
    refusal: Refusal | None = None,
    form: str = "",
    values: dict[str, Any] | None = None,
) -> Response:
    """The commitment's page; a refused form (``form``: delivery or edit) shown again."""
    row = service.get_commitment(session, principal, commitment_id)
    record = service.publish(session, principal, [row])[0]
    history = service.publish(
        session, principal, service.revisions(session, principal, row.record_id)
    )
    return pages.render(
        request,
        "commitments/detail.html",
        status_code=refusal.status if refusal else 200,
        c=record,
        history=history,
        deliveries=service.list_deliveries(session, principal, row.record_id),
        meeting=meetings.get_meeting(session, principal, record.meeting_id)
        if record.meeting_id
        else None,
        may_record=service.may_record_for(principal, row.owner_code),
        **(
            _form_context(session, principal)
            if service.may_record_for(principal, row.owner_code)
            else {}
        ),
        errors=refusal.errors if refusal else None,
        refused=form,
        values=values or {},
        euros=charts.euros,
        num=charts.number,
    )


class DeliveryForm(PageForm):
    """The form recording a delivery against a commitment."""

    delivered_on: Short = ""
    quantity: Short = ""
    value: Short = ""
    note: Short = ""

    def wire(self) -> DeliveryCreate:
        return validate(
            DeliveryCreate,
            {
                "delivered_on": blank_none(self.delivered_on),
                "quantity": blank_none(self.quantity),
                "value": blank_none(self.value),
                "note": self.note,
            },
        )


@router.post("/commitments/{commitment_id}/deliveries", response_class=HTMLResponse)
def add_delivery(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[DeliveryForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to record a delivery")
    commitment_id = commitment_id[:40]
    result = submit(
        session,
        lambda: service.add_delivery(session, principal, commitment_id, form.wire()),
        DeliveryForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        return _detail(request, session, principal, commitment_id, result, "delivery", form.typed())
    live = service.get_commitment(session, principal, commitment_id)
    warned = dating.delivery_warnings(
        result.delivered_on, live.announced_on, DatePrecision(live.date_precision)
    )
    notice = _with_warnings("Delivery recorded.", warned)
    return pages.saved(request, f"/commitments/{commitment_id}", notice)


class ChangeForm(PageForm):
    """The form correcting a commitment: every field its owner may change, and its marking.

    A field the post leaves out stays as it is, as does a blank quantity or value; a
    blank date makes the date unknown and a blank meeting removes the link. A change of
    marking takes effect only with ``confirm_marking`` ticked: the form is refused first
    with a sentence saying who would lose or gain sight of the record.
    """

    revision: Short = ""
    item: Short | None = None
    category: Short | None = None
    announced_on: Short | None = None
    date_precision: Short | None = None
    status: Short | None = None
    quantity: Short | None = None
    unit: Short | None = None
    value: Short | None = None
    meeting_id: Short | None = None
    meeting_was: Short | None = None  # the meeting the form showed: unchanged, not sent on
    source_title: Short | None = None
    source_ref: Short | None = None
    explanation: Short | None = None
    marking: Short | None = None
    rel_to: Short | None = None
    confirm_marking: Short = ""

    def wire(self) -> CommitmentUpdate:
        given = {k: v for k, v in self.typed().items() if v is not None}
        given.pop("confirm_marking", None)
        for name in ("category", "status", "date_precision", "quantity", "value", "marking"):
            if name in given and not given[name].strip():
                del given[name]  # left as it is
        if "announced_on" in given:
            day = blank_none(given["announced_on"])
            given["announced_on"] = day
            given["date_precision"] = given.get("date_precision") if day else "unknown"
        # A meeting left as the form showed it is not sent on: a link to a meeting the
        # editor may not see shows as none, and must not be cut by saving something else.
        if given.pop("meeting_was", None) == given.get("meeting_id", ""):
            given.pop("meeting_id", None)
        elif "meeting_id" in given and not given["meeting_id"].strip():
            given["meeting_id"] = None
        if "marking" in given:
            given["rel_to"] = given.get("rel_to", "") if given["marking"] == Marking.REL_TO else ""
        else:
            given.pop("rel_to", None)
        return validate(CommitmentUpdate, given, {"revision": whole, "meeting_id": whole})


def _confirmed_change(
    session: Session, principal: Principal, commitment_id: str, form: ChangeForm
) -> Any:
    """The correction, refused first if it changes the marking without confirmation."""
    data = form.wire()
    if data.marking is not None and not ticked(form.confirm_marking):
        old = service.get_commitment(session, principal, commitment_id)
        rel = encode_release(data.rel_to or []) if data.marking is Marking.REL_TO else ""
        effect = change_of_sight(
            old.owner_code, (Marking(old.marking), old.rel_to), (data.marking, rel)
        )
        if effect:
            raise BadInput([("confirm_marking", f"{effect} Tick the box to confirm the change.")])
    return service.update_commitment(session, principal, commitment_id, data)


@router.post("/commitments/{commitment_id}/edit", response_class=HTMLResponse)
def update_commitment(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    form: Annotated[ChangeForm, Form()],
) -> Response:
    pages.check_csrf(request, form.csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to change a commitment")
    commitment_id = commitment_id[:40]
    result = submit(
        session,
        lambda: _confirmed_change(session, principal, commitment_id, form),
        ChangeForm.model_fields,
        LABELS,
    )
    if isinstance(result, Refusal):
        # A stale change shows the record as it now is; a bad value keeps what was typed.
        typed = form.typed() if result.status == 422 else None
        return _detail(request, session, principal, commitment_id, result, "edit", typed)
    notice = (
        f"Saved as revision {result.revision}."
        if form.revision.strip() != str(result.revision)
        else "Nothing was changed."
    )
    return pages.saved(request, f"/commitments/{commitment_id}", notice)
