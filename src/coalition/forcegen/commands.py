"""Commands for force generation: solve a scenario and print its fill and gaps."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM
from coalition.forcegen import plans, service
from coalition.forcegen.schemas import PlanCreate, PlanPublic
from coalition.forcegen.taxonomy import capabilities
from coalition.members.acting import acting_as

forcegen_app = typer.Typer(help="Force generation: scenarios and plans.", no_args_is_help=True)


def render_plan(plan: PlanPublic, console: Console) -> None:
    """The plan as tables a planner reads at a glance: fill, backstop, gaps."""
    names = {c.code: c.name for c in capabilities().values()}
    status = (
        "proven optimal"
        if plan.status == "optimal"
        else f"best found at the time limit, gap {100 * plan.gap:.3f}%"
    )
    console.print(f"[bold]Plan {plan.id}: {plan.scenario_name}[/bold] ({status})")
    console.print(
        f"Filled with the backstop: {plan.filled} of {plan.required} units; "
        f"without it: {plan.filled_without} of {plan.required}. "
        f"Score {plan.objective:.2f} against {plan.greedy_objective:.2f} for a greedy allocation."
    )
    fill = Table(title="Fill by line", show_lines=False)
    for column in ("Pri", "Line", "Capability", "Phase", "Required", "With", "Without"):
        fill.add_column(
            column, justify="right" if column in ("Required", "With", "Without") else "left"
        )
    for line in plan.lines:
        fill.add_row(
            str(line.priority),
            line.label,
            names.get(line.capability, line.capability),
            line.phase,
            str(line.required),
            str(line.filled),
            str(line.filled_without),
        )
    console.print(fill)
    headline = "filled" if plan.backstop else "filled_without"
    gaps = Table(title=f"Gaps ({'with' if plan.backstop else 'without'} the backstop)")
    for column in ("Pri", "Line", "Capability", "Missing", "Offers kept out, and why"):
        gaps.add_column(column, justify="right" if column == "Missing" else "left")
    supplied = {a.requirement_id for a in plan.allocations if a.backstop == plan.backstop}
    for line in plan.lines:
        missing = line.required - getattr(line, headline)
        if missing > 0:
            kept = "\n".join(
                f"{k.member} offer {k.offer_id} ({k.quantity}): "
                + "; ".join(r.text for r in k.reasons)
                for k in line.kept_out
            )
            gaps.add_row(
                str(line.priority),
                line.label,
                names.get(line.capability, line.capability),
                str(missing),
                kept
                or (
                    "every offer of it gave this line all it had"
                    if line.requirement_id in supplied
                    else "no offer of it on the table"
                ),
            )
    console.print(gaps if gaps.row_count else "No gaps: every line is filled.")
    rests = [line for line in plan.lines if line.filled > line.filled_without]
    if rests:
        console.print("[bold]Rests on the backstop:[/bold]")
        for line in rests:
            console.print(
                f"  {line.label}: {line.filled - line.filled_without} of {line.required} units"
            )
    else:
        console.print("Nothing rests on the backstop.")


@forcegen_app.command("solve")
def solve(
    scenario: str = typer.Option(..., "--scenario", help="Scenario name, e.g. reassurance-force"),
    as_user: str | None = typer.Option(
        None, "--as", help="Solve as this user, over what they may see (default: the system)"
    ),
    time_limit: float = typer.Option(30.0, "--time-limit", min=1, max=300, help="Seconds"),
) -> None:
    """Solve a scenario, store the plan and print its fill, gaps and backstop dependency."""
    console = Console(width=120)
    with transaction(get_engine(), actor="cli") as session:
        principal = acting_as(as_user, SYSTEM, session)
        session.info["actor"] = principal.actor
        row = service.find_scenario(session, principal, scenario)
        plan = plans.solve_scenario(
            session, principal, PlanCreate(scenario_id=row.id, time_limit=time_limit)
        )
        render_plan(plans.plan_public(plan), console)
