"""Tabling a proposal from a gap list: "align on these 40 vessels".

The proposal is tabled through the decisions capability's service, as any proposal is
(the same rights, rule, deadline and marking checks); its text names the gap and lists
the targets, and the whole list is kept beside it (:class:`GapProposal`), as the gap
stood when it was tabled, marked like the proposal.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.errors import Invalid, NotFound
from coalition.core.principal import Principal
from coalition.core.visibility import visible
from coalition.decisions import service as decisions
from coalition.decisions.rules import Rule
from coalition.decisions.schemas import ProposalCreate
from coalition.sanctions import alignment
from coalition.sanctions.model import GapProposal
from coalition.sanctions.themes import THEMES

MAX_TARGETS = 500  # a proposal asks members to align on at most this many targets
IN_TEXT = 60  # targets written out in the proposal's text; the rest are in its list


def _describe(gap: alignment.Gap) -> str:
    theme = f" under a {THEMES[gap.theme]} program" if gap.theme else ""
    kind = f" ({gap.kind} targets)" if gap.kind else ""
    return f"listed by {gap.a}{theme}, not by {gap.b}, as of {gap.as_of}{kind}"


def _line(row: alignment.GapRow) -> str:
    ids = sorted({x.authority_id for x in row.listings if x.authority_id})
    by = ", ".join(row.members) or ", ".join(sorted({x.list_code for x in row.listings}))
    since = row.first_listed.isoformat()
    return f"| {row.caption} | {row.kind} | {by} | {since} | {'; '.join(ids)} |"


def text_of(gap: alignment.Gap, rows: list[alignment.GapRow], note: str) -> str:
    lines = [
        note.strip(),
        "",
        f"Members are asked to align on {len(rows)} targets {_describe(gap)}.",
        "",
        "| Target | Kind | Listed by | Listed since | Authority ids |",
        "|---|---|---|---|---|",
        *[_line(r) for r in rows[:IN_TEXT]],
    ]
    if len(rows) > IN_TEXT:
        lines += ["", f"The other {len(rows) - IN_TEXT} targets are in the list attached."]
    return "\n".join(lines).strip()


def table_gap(
    session: Session,
    principal: Principal,
    data: ProposalCreate,
    gap: alignment.Gap,
    *,
    limit: int = MAX_TARGETS,
) -> tuple[int, GapProposal]:
    """Table ``data`` as a proposal to close (the first ``limit`` rows of) ``gap``; the
    proposal's id and the list attached to it."""
    if not gap.rows:
        raise Invalid("the gap is empty: there is nothing to align on")
    if not 1 <= limit <= MAX_TARGETS:
        raise Invalid(f"limit: from 1 to {MAX_TARGETS} targets")
    rows = gap.rows[:limit]  # the gap's best ranked: asked for ``limit`` of them
    text = text_of(gap, rows, data.text)
    proposal = decisions.table_proposal(
        session, principal, data.model_copy(update={"text": text[:20_000]})
    )
    attached = GapProposal(
        proposal_id=proposal.id,
        party_a=gap.a,
        party_b=gap.b,
        theme=gap.theme or "",
        kind=gap.kind or "",
        as_of=gap.as_of,
        targets=[
            {
                "target": r.target,
                "caption": r.caption,
                "kind": r.kind,
                "members": r.members,
                "un_listed": r.un_listed,
                "first_listed": r.first_listed.isoformat(),
                "listings": [
                    {
                        "list": x.list_code,
                        "ref": x.ref,
                        "program": x.program,
                        "authority_id": x.authority_id,
                        "listing_date": x.listing_date.isoformat() if x.listing_date else None,
                    }
                    for x in r.listings
                ],
            }
            for r in rows
        ],
        owner_code=proposal.owner_code,
        marking=proposal.marking,
        rel_to=proposal.rel_to,
    )
    session.add(attached)
    session.flush()
    return proposal.id, attached


def attached_to(session: Session, principal: Principal, proposal_id: int) -> GapProposal:
    """The list attached to proposal ``proposal_id``, if the reader may see it."""
    found = session.scalars(
        select(GapProposal).where(
            GapProposal.proposal_id == proposal_id, visible(principal, GapProposal)
        )
    ).first()
    if found is None:
        raise NotFound(f"no gap list attached to proposal {proposal_id}")
    return found


GAP_FIELDS = {"a", "b", "theme", "kind", "as_of", "limit"}
RULES = tuple(Rule)  # the decision rules a proposal may be put under


def may_table(principal: Principal) -> bool:
    """Whether ``principal`` may table a proposal (as the decisions capability says)."""
    return bool(decisions.may_table(principal))


def require_tabler(principal: Principal) -> None:
    decisions.require_tabler(principal)


def proposal_of(data: ProposalCreate) -> ProposalCreate:
    """The proposal part of a gap proposal's form (its gap's fields left out)."""
    return ProposalCreate.model_validate(data.model_dump(exclude=GAP_FIELDS))
