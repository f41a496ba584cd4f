"""Commands for proposals: list them, show one, close those past their deadline."""

from __future__ import annotations

import datetime as dt

import typer

from coalition.core.db import get_engine, transaction
from coalition.core.errors import Invalid
from coalition.core.principal import SYSTEM
from coalition.decisions import service
from coalition.decisions.model import ProposalStatus

decisions_app = typer.Typer(
    help="Proposals, positions and outcomes (as the secretariat sees them).", no_args_is_help=True
)


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


@decisions_app.command("list")
def decisions_list(
    status: ProposalStatus | None = typer.Option(None, "--status", help="Only this status"),
) -> None:
    """List proposals: open ones first, with their deadline, rule and status."""
    with transaction(get_engine(), actor="cli") as session:
        page = service.list_proposals(session, SYSTEM, status=status, limit=500)
    for p in page.items:
        typer.echo(
            f"{p.id:>5}  {p.status.value:<9} {p.rule.value:<18} {_when(p.deadline)}  {p.title}"
        )
    typer.echo(f"{page.total} proposal{'s' if page.total != 1 else ''}")


@decisions_app.command("show")
def decisions_show(proposal_id: int = typer.Argument(..., help="Proposal id")) -> None:
    """Show one proposal, each member's live position and the outcome."""
    with transaction(get_engine(), actor="cli") as session:
        proposal = service.to_public(
            session, SYSTEM, service.get_proposal(session, SYSTEM, proposal_id)
        )
        result = service.outcome(session, SYSTEM, proposal_id)
    typer.echo(f"#{proposal.id} {proposal.title}")
    typer.echo(
        f"rule: {proposal.rule.label}; status: {proposal.status.value}; "
        f"deadline: {_when(proposal.deadline)} UTC; marking: {proposal.marking.label}"
    )
    live = {p.member: p for p in proposal.positions}
    for voter in proposal.voters:
        pos = live.get(voter.member)
        stance = pos.stance.label if pos else "no position"
        extra = f" ({pos.text}; lifted if: {pos.condition})" if pos and pos.condition else ""
        typer.echo(f"  {voter.member:<5} {stance}{extra}")
    typer.echo(f"outcome: {result.reason}")
    if result.result is None:
        typer.echo(f"as things stand: {result.standing}")


@decisions_app.command("close-due")
def decisions_close_due(
    now: str = typer.Option("", "--now", help="Close as of this ISO time (default: now)"),
) -> None:
    """Close every open proposal past its deadline. Safe to repeat or run twice at once."""
    at = None
    if now:
        try:
            at = dt.datetime.fromisoformat(now)
        except ValueError:
            raise Invalid(f"not an ISO 8601 time: {now!r}") from None
        if at.tzinfo is None:
            raise Invalid("give --now with its time zone, e.g. 2025-03-20T12:00:00+00:00")
    closed = service.close_due(get_engine(), now=at)
    for c in closed:
        typer.echo(f"{c.id:>5}  {c.reason}")
    typer.echo(f"closed {len(closed)} proposal{'s' if len(closed) != 1 else ''}")
