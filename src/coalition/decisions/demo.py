"""The decisions part of the illustrative March 2025 scenario.

Every proposal and position here is invented for the demonstration (``illustrative``):
one proposal under each rule, among them the operational-phase planning proposal for the
military chiefs' meeting, one blocked by an objection and one passed by silence. The
positions are stated and the proposals closed through the service, at the scenario's
dates, so the outcomes and the audit log are exactly what the application would produce.
One proposal stays open (its deadline is set a month after the demo is loaded) so that
positions can be stated from the web.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import SYSTEM, Principal, Role
from coalition.decisions import service
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn, ProposalCreate
from coalition.meetings.model import Meeting


def _at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DemoProposal:
    title: str
    text: str
    rule: Rule
    opens_at: dt.datetime
    deadline: dt.datetime | None  # None: a month after loading, so it is still open
    positions: list[tuple[str, Stance, int, str, str]] = field(default_factory=list)
    meeting: str | None = None
    marking: Marking = Marking.COALITION
    rel_to: list[str] = field(default_factory=list)
    on_behalf_of: str | None = None


CHIEFS_MEETING = "Military chiefs' meeting on the operational phase (Northwood)"
CHIEFS = [
    "GBR", "FRA", "DEU", "ITA", "NLD", "POL", "DNK", "NOR", "SWE", "FIN", "CAN", "AUS", "UKR",
]  # fmt: skip

PROPOSALS = [
    DemoProposal(
        title="Operational-phase planning: air, maritime, land and regeneration cells",
        text="The military chiefs set up four planning cells (air, maritime, land, and the "
        "regeneration of Ukraine's forces), led from Northwood, to report options to the next "
        "leaders' call. (Illustrative text.)",
        rule=Rule.CONSENSUS,
        opens_at=_at(16),
        deadline=_at(20, 9),
        meeting=CHIEFS_MEETING,
        positions=[
            *[(code, Stance.SUPPORT, 17, "", "") for code in CHIEFS if code != "NOR"],
            ("NOR", Stance.ABSTAIN, 18, "Norway will not lead a cell but will not block.", ""),
            ("TUR", Stance.SUPPORT, 18, "", ""),
        ],
    ),
    DemoProposal(
        title="Invite observer states to the coalition's leaders' calls",
        text="States that are not members may attend leaders' calls as observers, without "
        "taking part in decisions. (Illustrative.)",
        rule=Rule.CONSENSUS,
        opens_at=_at(16),
        deadline=_at(19, 17),
        positions=[
            ("GBR", Stance.SUPPORT, 16, "", ""),
            ("FRA", Stance.SUPPORT, 16, "", ""),
            (
                "ITA",
                Stance.RESERVE,
                17,
                "Observers must be agreed case by case.",
                "a list of observers is attached",
            ),
            ("ITA", Stance.SUPPORT, 18, "Reservation lifted: the list was attached.", ""),
            (
                "POL",
                Stance.OBJECT,
                18,
                "Observers would weaken the confidentiality of the calls.",
                "",
            ),
        ],
    ),
    DemoProposal(
        title="Rules of procedure for the coalition's written decisions",
        text="Written decisions are taken by silence procedure unless the tabling member asks "
        "for another rule. (Illustrative.)",
        rule=Rule.SILENCE,
        opens_at=_at(16),
        deadline=_at(21, 12),
        positions=[("CAN", Stance.SUPPORT, 17, "", "")],
    ),
    DemoProposal(
        title="Share the planning headquarters' common costs",
        text="The common costs of the planning headquarters are shared among the states taking "
        "part, a decision taken by qualified majority. (Illustrative.)",
        rule=Rule.QUALIFIED_MAJORITY,
        opens_at=_at(17),
        deadline=_at(24, 12),
        positions=[
            *[
                (code, Stance.SUPPORT, 18, "", "")
                for code in (
                    "GBR",
                    "FRA",
                    "DEU",
                    "ITA",
                    "NLD",
                    "DNK",
                    "NOR",
                    "SWE",
                    "FIN",
                    "CAN",
                    "BEL",
                    "EST",
                    "LVA",
                    "LTU",
                    "IRL",
                    "PRT",
                    "LUX",
                    "HRV",
                )
            ],
            ("ESP", Stance.ABSTAIN, 19, "Spain prefers contributions in kind.", ""),
            ("TUR", Stance.OBJECT, 19, "", ""),
            ("AUS", Stance.OBJECT, 20, "Costs should fall on the European members.", ""),
        ],
    ),
    DemoProposal(
        title="Hold the next leaders' meeting in Paris",
        text="The next in-person leaders' meeting is held in Paris. (Illustrative.)",
        rule=Rule.SIMPLE_MAJORITY,
        opens_at=_at(17),
        deadline=_at(22, 12),
        positions=[
            *[(code, Stance.SUPPORT, 18, "", "") for code in ("FRA", "GBR", "DEU", "POL", "BEL")],
            ("ITA", Stance.OBJECT, 18, "Rome offered to host.", ""),
            ("NLD", Stance.ABSTAIN, 19, "", ""),
        ],
    ),
    DemoProposal(
        title="Endorse the statement of requirements for the reassurance force",
        text="Members endorse the planners' statement of requirements as the basis for force "
        "generation. Still open: state your member's position. (Illustrative.)",
        rule=Rule.CONSENSUS,
        opens_at=_at(21),
        deadline=None,
        meeting=CHIEFS_MEETING,
        positions=[
            ("FRA", Stance.SUPPORT, 21, "", ""),
            (
                "DEU",
                Stance.RESERVE,
                22,
                "The Bundestag has not yet been consulted.",
                "after consultation of the Bundestag",
            ),
        ],
    ),
]


def _liaison(code: str) -> Principal:
    # Members without a demonstration account state positions through an invented liaison.
    return Principal(username=f"{code.lower()}.liaison", member=code, role=Role.CONTRIBUTOR)


def load(session: Session) -> None:
    """Table the scenario's proposals, state their positions, and close those now due."""
    meetings = {m.title: m.id for m in session.scalars(select(Meeting))}
    loaded = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    for p in PROPOSALS:
        deadline = p.deadline or loaded + dt.timedelta(days=30)
        proposal = service.table_proposal(
            session,
            SYSTEM,
            ProposalCreate(
                title=p.title,
                text=p.text,
                rule=p.rule,
                opens_at=p.opens_at,
                deadline=deadline,
                meeting_id=meetings.get(p.meeting) if p.meeting else None,
                marking=p.marking,
                rel_to=p.rel_to,
                on_behalf_of=p.on_behalf_of,
                illustrative=True,
            ),
            now=p.opens_at,
        )
        proposal.tabled_by = "sec.staff"
        for i, (code, stance, day, text, condition) in enumerate(p.positions):
            service.state_position(
                session,
                _liaison(code),
                proposal.id,
                PositionIn(stance=stance, text=text, condition=condition),
                now=_at(day, 12) + dt.timedelta(minutes=i),
            )
        if p.deadline is not None:
            service.close(session, proposal.id, now=p.deadline)
