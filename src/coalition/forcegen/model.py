"""Tables of force generation: requirements, offers, scenarios and the plans solved from them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.db import Base
from coalition.core.model import EditedRecord, MarkedRecord, Timestamped


class ForceRequirement(EditedRecord, Base):
    """One line of the statement of requirements, owned by its planners' member."""

    __tablename__ = "forcegen_requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    capability: Mapped[str] = mapped_column(String(20), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20), index=True)
    region: Mapped[str] = mapped_column(String(40))
    task: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=3)
    enablers: Mapped[str] = mapped_column(String(200), default="")  # "|AAR|STRAT_AIRLIFT|"
    notes: Mapped[str] = mapped_column(Text, default="")


class ForceOffer(EditedRecord, Base):
    """A member's offer of a capability; the owner is the offering member."""

    __tablename__ = "forcegen_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capability: Mapped[str] = mapped_column(String(20), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), index=True)
    # Caveats, each stored as a bar-separated set of codes.
    excluded_regions: Mapped[str] = mapped_column(String(400), default="")
    excluded_tasks: Mapped[str] = mapped_column(String(400), default="")
    needs_enablers: Mapped[str] = mapped_column(String(200), default="")
    approval_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class ForceScenario(EditedRecord, Base):
    """What a plan assumes: members taking part, the backstop, offer statuses, the phase."""

    __tablename__ = "forcegen_scenarios"
    __table_args__ = (UniqueConstraint("owner_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    members: Mapped[str] = mapped_column(String(400), default="")  # "" means every member
    backstop: Mapped[bool] = mapped_column(Boolean, default=True)
    statuses: Mapped[str] = mapped_column(String(100), default="|confirmed|offered|")
    phase: Mapped[str | None] = mapped_column(String(20), nullable=True)
    count_pending_approval: Mapped[bool] = mapped_column(Boolean, default=True)


class ForcePlan(MarkedRecord, Timestamped, Base):
    """A solved scenario: its inputs' ids and its results, kept as they were computed."""

    __tablename__ = "forcegen_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("forcegen_scenarios.id", ondelete="SET NULL"), index=True, nullable=True
    )
    scenario_name: Mapped[str] = mapped_column(String(200))
    computed_by: Mapped[str] = mapped_column(String(120))
    backstop: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    gap: Mapped[float] = mapped_column(Float, default=0.0)
    objective: Mapped[float] = mapped_column(Float)
    objective_without: Mapped[float] = mapped_column(Float)
    greedy_objective: Mapped[float] = mapped_column(Float)
    required: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer)
    filled_without: Mapped[int] = mapped_column(Integer)
    solve_s: Mapped[float] = mapped_column(Float, default=0.0)
    inputs: Mapped[str] = mapped_column(Text)  # JSON: scenario, requirement and offer ids
    result: Mapped[str] = mapped_column(Text)  # JSON: lines, allocations, dependencies
