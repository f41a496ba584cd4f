"""The commitments pages: the ledger with its charts, one commitment, and the forms.

Form posts run the service inside a savepoint: a refused write is rolled back whole and
the form is shown again with the reason, never half-applied. Only bad input (422) and a
stale write (409) come back to the form; a forbidden act or an unseen record raises, so the
page answers 403 or 404 exactly as the API does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coalition.commitments import charts, service
from coalition.commitments.model import Category, DatePrecision, Status
from coalition.commitments.schemas import CommitmentCreate, CommitmentUpdate, DeliveryCreate
from coalition.core.errors import Conflict, Invalid, Unauthenticated
from coalition.core.marking import Marking
from coalition.core.principal import Principal
from coalition.deps import CurrentPrincipal, DbSession
from coalition.meetings import service as meetings
from coalition.members import service as members
from coalition.web import pages

router = APIRouter(include_in_schema=False)

T = TypeVar("T")
Field = Annotated[str, Form(max_length=5000)]
CHART_MEMBERS = 15


@dataclass(frozen=True)
class Refused:
    """Why a form was refused, and the status the API gives the same refusal."""

    status: int
    detail: str


def _attempt(session: Session, action: Callable[[], T]) -> T | Refused:
    """Run ``action`` in a savepoint; bad input or a stale write rolls it back.

    Other domain errors (forbidden, not found) propagate to the error handlers.
    """
    savepoint = session.begin_nested()
    try:
        result = action()
    except (Invalid, Conflict) as exc:
        savepoint.rollback()
        return Refused(409 if isinstance(exc, Conflict) else 422, exc.detail)
    except ValidationError as exc:
        savepoint.rollback()
        return Refused(
            422,
            "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()
            ),
        )
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return result


def _blank(value: str) -> str | None:
    return value.strip() or None


def _whole(value: str, field: str) -> int | None:
    """A form's whole-number field: blank is none, anything else must be digits."""
    text = value.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise Invalid(f"{field}: not a whole number")
    return int(text)


def _date(value: str) -> dt.date | None:
    text = value.strip()
    return dt.date.fromisoformat(text) if text else None


def _codes(value: str) -> list[str]:
    return [c for c in value.replace(",", " ").upper().split() if c]


def _filters(
    member: str, category: str, status: str, since: str, until: str
) -> tuple[service.Filters, dict[str, str]]:
    given = {
        "member": member,
        "category": category,
        "status": status,
        "since": since,
        "until": until,
    }
    try:
        filters = service.Filters(
            member=member.strip().upper() or None,
            category=Category(category) if category else None,
            status=Status(status) if status else None,
            since=_date(since),
            until=_date(until),
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
    offset: int = 0,
) -> Response:
    filters, given = _filters(member[:4], category[:20], status[:20], since[:10], until[:10])
    offset = max(0, min(offset, 10_000_000))
    page = service.list_commitments(session, principal, filters, limit=100, offset=offset)
    figures = service.summary(session, principal, filters)
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
    return pages.render(
        request,
        "commitments/form.html",
        error=None,
        values={"member": principal.member, "marking": "PUBLIC", "status": "announced"},
        **_form_context(session, principal),
    )


@router.post("/commitments/new", response_class=HTMLResponse)
def create_commitment(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Field = "",
    member: Field = "",
    announced_on: Field = "",
    date_precision: Field = "day",
    category: Field = "",
    item: Field = "",
    explanation: Field = "",
    quantity: Field = "",
    unit: Field = "",
    value: Field = "",
    currency: Field = "",
    status: Field = "announced",
    meeting_id: Field = "",
    source_title: Field = "",
    source_ref: Field = "",
    marking: Field = "PUBLIC",
    rel_to: Field = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to record a commitment")
    form = {
        "member": member,
        "announced_on": announced_on,
        "date_precision": date_precision,
        "category": category,
        "item": item,
        "explanation": explanation,
        "quantity": quantity,
        "unit": unit,
        "value": value,
        "currency": currency,
        "status": status,
        "meeting_id": meeting_id,
        "source_title": source_title,
        "source_ref": source_ref,
        "marking": marking,
        "rel_to": rel_to,
    }

    def create() -> Any:
        data = CommitmentCreate.model_validate(
            {
                **{k: v for k, v in form.items() if k not in ("rel_to",)},
                "announced_on": announced_on.strip() or None,
                "date_precision": date_precision if announced_on.strip() else "unknown",
                "quantity": _blank(quantity),
                "value": _blank(value),
                "currency": (_blank(currency) or "").upper() or None,
                "meeting_id": _whole(meeting_id, "meeting"),
                "rel_to": _codes(rel_to),
            }
        )
        return service.create_commitment(session, principal, data)

    result = _attempt(session, create)
    if isinstance(result, Refused):
        return pages.render(
            request,
            "commitments/form.html",
            status_code=result.status,
            error=result.detail,
            values=form,
            **_form_context(session, principal),
        )
    return RedirectResponse(f"/commitments/{result.record_id}", status_code=303)


@router.get("/commitments/{commitment_id}", response_class=HTMLResponse)
def commitment_page(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    return _detail(request, session, principal, commitment_id[:40], None, 200)


def _detail(
    request: Request,
    session: Session,
    principal: Principal,
    commitment_id: str,
    error: str | None,
    status_code: int,
) -> Response:
    row = service.get_commitment(session, principal, commitment_id)
    record = service.publish(session, principal, [row])[0]
    history = service.publish(
        session, principal, service.revisions(session, principal, row.record_id)
    )
    return pages.render(
        request,
        "commitments/detail.html",
        status_code=status_code,
        c=record,
        history=history,
        deliveries=service.list_deliveries(session, principal, row.record_id),
        may_record=service.may_record_for(principal, row.owner_code),
        statuses=list(Status),
        error=error,
        euros=charts.euros,
        num=charts.number,
    )


@router.post("/commitments/{commitment_id}/deliveries", response_class=HTMLResponse)
def add_delivery(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Field = "",
    delivered_on: Field = "",
    quantity: Field = "",
    value: Field = "",
    note: Field = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to record a delivery")
    commitment_id = commitment_id[:40]

    def deliver() -> Any:
        data = DeliveryCreate.model_validate(
            {
                "delivered_on": delivered_on.strip() or None,
                "quantity": _blank(quantity),
                "value": _blank(value),
                "note": note,
            }
        )
        return service.add_delivery(session, principal, commitment_id, data)

    result = _attempt(session, deliver)
    if isinstance(result, Refused):
        return _detail(request, session, principal, commitment_id, result.detail, result.status)
    return RedirectResponse(f"/commitments/{commitment_id}", status_code=303)


@router.post("/commitments/{commitment_id}/edit", response_class=HTMLResponse)
def update_commitment(
    commitment_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    csrf_token: Field = "",
    revision: Field = "",
    status: Field = "",
    quantity: Field = "",
    value: Field = "",
) -> Response:
    pages.check_csrf(request, csrf_token)
    if principal.is_anonymous:
        raise Unauthenticated("sign in to change a commitment")
    commitment_id = commitment_id[:40]

    def update() -> Any:
        patch: dict[str, Any] = {"revision": _whole(revision, "revision"), "status": status or None}
        if quantity.strip():
            patch["quantity"] = quantity.strip()
        if value.strip():
            patch["value"] = value.strip()
        data = CommitmentUpdate.model_validate(patch)
        return service.update_commitment(session, principal, commitment_id, data)

    result = _attempt(session, update)
    if isinstance(result, Refused):
        return _detail(request, session, principal, commitment_id, result.detail, result.status)
    return RedirectResponse(f"/commitments/{commitment_id}", status_code=303)
