"""Briefings: build one for a reader, and keep editions from draft through review to issue.

A briefing is built under one principal from what that principal may see (the assemblers
read other capabilities through their service functions and write none of them). Its
deltas compare it with the previous period built under the same principal, so a delta
never quotes a record the reader may not see. The public edition is the one built for
the anonymous reader.

An :class:`~coalition.briefings.model.Edition` keeps a built document with the analyst's
judgements: a draft is rebuilt whenever its judgements change, goes to review, and is
issued only if a rebuild still gives the inputs that were reviewed; once issued it is
frozen, and :func:`reproduce` rebuilds it to show whether anything it rests on has changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from coalition.briefings import daily, summit
from coalition.briefings.assembled import Assembled, against, values
from coalition.briefings.document import KINDS, Change, Document, compare, from_json, to_json
from coalition.briefings.model import PUBLIC_READER, Edition
from coalition.briefings.written import Written, checked, dumps, loads
from coalition.core.db import utcnow
from coalition.core.editing import check_version
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.marking import Marking, Shown, reach
from coalition.core.principal import ANONYMOUS, WRITING_ROLES, Principal
from coalition.core.visibility import get_visible, visible_select

Status = Literal["draft", "review", "issued"]
STATUSES: tuple[Status, ...] = ("draft", "review", "issued")


def subject(kind: str, value: str | dt.date | int) -> dt.date | int:
    """A daily report's day or a summit pack's meeting id, from what was asked."""
    if kind not in KINDS:
        raise Invalid(f"kind: daily or summit, not {kind!r}")
    if kind == "daily":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise Invalid(f"a daily report's day is YYYY-MM-DD, not {str(value)[:40]!r}") from None
    if isinstance(value, dt.date):
        raise Invalid("a summit pack's meeting is its id, not a day")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(f"a summit pack's meeting is its id, not {str(value)[:40]!r}") from None


def build(
    session: Session,
    principal: Principal,
    kind: str,
    about: dt.date | int,
    judgements: Sequence[Written] = (),
) -> Assembled:
    """The briefing of ``kind`` about a day or a meeting, as ``principal`` may see it."""
    printed = [j.printed for j in checked(judgements)]
    if kind == "daily":
        if not isinstance(about, dt.date):
            raise Invalid("a daily report is about a day")
        before = daily.previous_day(session, principal, about)
        previous = (
            None if before is None else daily.assemble(session, principal, before, previous=None)
        )
        current = daily.assemble(
            session, principal, about, previous=values(previous), judgements=printed
        )
    elif kind == "summit":
        if isinstance(about, dt.date):
            raise Invalid("a summit pack is about a meeting")
        earlier = summit.previous_meeting(session, principal, about)
        previous = (
            None if earlier is None else summit.assemble(session, principal, earlier, previous=None)
        )
        current = summit.assemble(
            session, principal, about, previous=values(previous), judgements=printed
        )
    else:
        raise Invalid(f"kind: daily or summit, not {kind!r}")
    return against(current, previous)


# --- editions ------------------------------------------------------------------------------


def _require_writer(principal: Principal) -> None:
    if principal.member is None or principal.role not in WRITING_ROLES:
        raise Forbidden("drafting, reviewing and issuing briefings takes a writing role")


def _stored_marking(shown: Sequence[Shown], owner: str) -> tuple[Marking, list[str]]:
    """The marking an edition is stored under: the highest of what its document rests on.

    A reader sees another member's NATIONAL records never, so NATIONAL is the owner's own;
    REL TO is released to the members common to every release it draws on.
    """
    levels = {marking for marking, _, _ in shown}
    if Marking.NATIONAL in levels:
        return Marking.NATIONAL, []
    if Marking.REL_TO in levels:
        common: frozenset[str] | None = None
        for marking, holder, rel_to in shown:
            if marking is Marking.REL_TO:
                named = reach(holder, marking, rel_to) or frozenset()
                common = named if common is None else common & named
        others = sorted((common or frozenset()) - {owner})
        return (Marking.REL_TO, others) if others else (Marking.NATIONAL, [])
    if Marking.COALITION in levels:
        return Marking.COALITION, []
    return Marking.PUBLIC, []


def _rests_on(document: Document) -> list[Shown]:
    return sorted(
        {s for section in document.sections for s in section.rests_on()},
        key=lambda s: (s[0].value, s[1], s[2] or ""),
    )


def reader_of(edition: Edition, principal: Principal) -> Principal:
    """Whom an edition is built for: the public, or the user who drafted it."""
    return ANONYMOUS if edition.reader == PUBLIC_READER else principal


def judgements_of(edition: Edition) -> list[Written]:
    return loads(edition.judgements)


def document_of(edition: Edition) -> Document:
    return from_json(json.loads(edition.document))


def _store(session: Session, principal: Principal, edition: Edition, built: Assembled) -> None:
    document = built.document
    marking, rel_to = _stored_marking(_rests_on(document), edition.owner_code or "")
    edition.number = document.number
    edition.title = document.title[:300]
    edition.document = json.dumps(to_json(document), sort_keys=True, ensure_ascii=False)
    edition.inputs_digest = built.digest
    edition.mark(session, principal, marking, rel_to, owner=edition.owner_code)


def draft(
    session: Session,
    principal: Principal,
    kind: str,
    about: str | dt.date | int,
    *,
    public: bool = False,
    judgements: Sequence[Written] = (),
) -> Edition:
    """Start an edition of a briefing for the drafter, or the public edition."""
    _require_writer(principal)
    wanted = subject(kind, about)
    kept = checked(judgements)
    reader = ANONYMOUS if public else principal
    built = build(session, reader, kind, wanted, kept)
    edition = Edition(
        kind=kind,
        day=wanted if isinstance(wanted, dt.date) else None,
        meeting_id=wanted if isinstance(wanted, int) else None,
        reader=PUBLIC_READER if public else str(principal.username),
        status="draft",
        judgements=dumps(kept),
        drafted_by=principal.actor,
        owner_code=principal.member,
    )
    _store(session, principal, edition, built)
    session.add(edition)
    session.flush()
    return edition


def get_edition(session: Session, principal: Principal, edition_id: int) -> Edition:
    """An edition the principal may see; one hidden from them is answered as missing."""
    try:
        return get_visible(session, principal, Edition, edition_id)
    except NotFound:
        raise NotFound(f"no edition {edition_id}") from None


def list_editions(
    session: Session, principal: Principal, *, kind: str | None = None, limit: int = 200
) -> list[Edition]:
    """The editions the principal may see, newest first."""
    query = visible_select(principal, Edition)
    if kind is not None:
        if kind not in KINDS:
            raise Invalid(f"kind: daily or summit, not {kind!r}")
        query = query.where(Edition.kind == kind)
    return list(session.scalars(query.order_by(Edition.id.desc()).limit(limit)))


def _own(session: Session, principal: Principal, edition_id: int) -> Edition:
    """An edition the principal may work on: one of their member's, built for them or all."""
    _require_writer(principal)
    edition = get_edition(session, principal, edition_id)
    if edition.owner_code != principal.member:
        raise NotFound(f"no edition {edition_id} of yours")
    if edition.reader not in (PUBLIC_READER, principal.username):
        raise Forbidden(
            f"edition {edition_id} is built for {edition.reader}; each reader drafts their own"
        )
    return edition


def _rebuild(session: Session, principal: Principal, edition: Edition) -> Assembled:
    about: dt.date | int
    if edition.kind == "daily" and edition.day is not None:
        about = edition.day
    elif edition.meeting_id is not None:
        about = edition.meeting_id
    else:
        raise Invalid(f"edition {edition.id} names neither a day nor a meeting")
    return build(
        session, reader_of(edition, principal), edition.kind, about, judgements_of(edition)
    )


def revise(
    session: Session,
    principal: Principal,
    edition_id: int,
    version: int,
    judgements: Sequence[Written],
) -> Edition:
    """Replace a draft's judgements and rebuild it from the records as they are now."""
    edition = _own(session, principal, edition_id)
    check_version(edition, version)
    if edition.status == "issued":
        raise Conflict(f"edition {edition_id} is issued; it is frozen")
    edition.judgements = dumps(checked(judgements))
    edition.status = "draft"
    edition.reviewed_by = ""
    _store(session, principal, edition, _rebuild(session, principal, edition))
    session.flush()
    return edition


def _in_status(
    session: Session, principal: Principal, edition_id: int, version: int, status: str, why: str
) -> Edition:
    """An edition the principal may work on, at the version they read, in ``status``."""
    edition = _own(session, principal, edition_id)
    check_version(edition, version)
    if edition.status != status:
        raise Conflict(f"edition {edition_id} is {edition.status}{why}")
    return edition


def submit(session: Session, principal: Principal, edition_id: int, version: int) -> Edition:
    """Send a draft to review, rebuilt from the records as they are now."""
    edition = _in_status(session, principal, edition_id, version, "draft", ", not a draft")
    _store(session, principal, edition, _rebuild(session, principal, edition))
    edition.status = "review"
    session.flush()
    return edition


def send_back(session: Session, principal: Principal, edition_id: int, version: int) -> Edition:
    """Return an edition under review to draft."""
    edition = _in_status(session, principal, edition_id, version, "review", ", not under review")
    edition.status = "draft"
    session.flush()
    return edition


def issue(session: Session, principal: Principal, edition_id: int, version: int) -> Edition:
    """Issue an edition under review, if what it rests on is still what was reviewed."""
    edition = _in_status(
        session, principal, edition_id, version, "review", "; only a reviewed draft issues"
    )
    rebuilt = _rebuild(session, principal, edition)
    if rebuilt.digest != edition.inputs_digest:
        raise Conflict(
            f"the records edition {edition_id} rests on have changed since it went to review; "
            "return it to draft and review it again"
        )
    edition.status = "issued"
    edition.reviewed_by = principal.actor
    edition.issued_by = principal.actor
    edition.issued_at = utcnow()
    session.flush()
    return edition


@dataclass(frozen=True)
class Reproduction:
    """Whether an issued edition rebuilds the same, and which figures moved if not."""

    same_inputs: bool
    same_document: bool
    changes: list[Change]


def reproduce(session: Session, principal: Principal, edition_id: int) -> Reproduction:
    """Rebuild an edition now and compare it with the stored one."""
    edition = get_edition(session, principal, edition_id)
    if edition.reader not in (PUBLIC_READER, principal.username):
        raise Forbidden(f"edition {edition_id} is built for {edition.reader}")
    rebuilt = _rebuild(session, principal, edition)
    stored = document_of(edition)
    return Reproduction(
        same_inputs=rebuilt.digest == edition.inputs_digest,
        same_document=to_json(rebuilt.document) == to_json(stored),
        # The same edition rebuilt: only the figures whose values moved, not their quotes.
        changes=[c for c in compare(stored, rebuilt.document) if c.status != "unchanged"],
    )


def previous_issued(session: Session, principal: Principal, edition: Edition) -> Edition | None:
    """The issued edition of the same kind and reader before this one, if visible."""
    query = (
        visible_select(principal, Edition)
        .where(Edition.kind == edition.kind)
        .where(Edition.reader == edition.reader)
        .where(Edition.status == "issued")
        .where(Edition.number < edition.number)
        .order_by(Edition.number.desc(), Edition.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def changes_since_previous(
    session: Session, principal: Principal, edition_id: int
) -> tuple[Edition | None, list[Change]]:
    """What changed against the previous issued edition of the same briefing."""
    edition = get_edition(session, principal, edition_id)
    before = previous_issued(session, principal, edition)
    if before is None:
        return None, []
    return before, compare(document_of(before), document_of(edition))


def meetings(session: Session, principal: Principal) -> list[Any]:
    """The meetings a summit pack can be built for, as the principal may see them."""
    return list(summit.summits(session, principal))
