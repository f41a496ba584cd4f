"""The demo scenario's meetings of March 2025, the last two invented for the demonstration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import SYSTEM
from coalition.meetings.model import MeetingFormat, MeetingKind, MeetingLevel
from coalition.meetings.schemas import MeetingCreate
from coalition.meetings.service import create_meeting
from coalition.members.demo import (
    LANCASTER,
    LANCASTER_MEMBERS,
    LANCASTER_SOURCE,
    VIRTUAL,
    VIRTUAL_ADDITIONS,
    VIRTUAL_SOURCE,
)

CHIEFS = dt.date(2025, 3, 20)
CHIEFS_SOURCE = (
    "Prime Minister's Office: military planners' meeting at Northwood (PJHQ)",
    "GOV.UK, PM statement on the coalition moving into the operational phase, 20 March 2025",
)


@dataclass(frozen=True)
class DemoMeeting:
    title: str
    kind: str
    held_on: dt.date
    place: str
    format: str
    level: str
    summary: str
    attendees: list[str]
    outcomes: list[str]
    marking: Marking = Marking.PUBLIC
    rel_to: list[str] = field(default_factory=list)
    source: tuple[str, str] = ("", "")
    illustrative: bool = False


MEETINGS = [
    DemoMeeting(
        title="London Leaders' Summit on Ukraine (Lancaster House)",
        kind="summit",
        held_on=LANCASTER,
        place="Lancaster House, London",
        format="in_person",
        level="leaders",
        summary="Leaders agreed to keep military aid flowing to Ukraine, to keep up economic "
        "pressure on Russia, and that a lasting peace must ensure Ukraine's sovereignty and "
        "security; a coalition of the willing would defend a deal and guarantee the peace.",
        attendees=LANCASTER_MEMBERS,
        outcomes=[
            "Keep military aid flowing to Ukraine and increase economic pressure on Russia.",
            "Ukraine must be at the table in any peace talks.",
            "In a peace deal, continue to strengthen Ukraine's own defensive capabilities.",
            "Develop a coalition of the willing to defend a deal in Ukraine and guarantee "
            "the peace.",
        ],
        source=LANCASTER_SOURCE,
    ),
    DemoMeeting(
        title="Virtual leaders' meeting of the coalition of the willing",
        kind="summit",
        held_on=VIRTUAL,
        place="Video conference hosted from London",
        format="virtual",
        level="leaders",
        summary="Leaders agreed to move into an operational phase, with military chiefs to "
        "meet in the following week. The attendance list beyond the Lancaster House "
        "participants is illustrative.",
        attendees=LANCASTER_MEMBERS + VIRTUAL_ADDITIONS,
        outcomes=[
            "Move the coalition's planning into an operational phase.",
            "Military chiefs to meet in the UK to develop plans to support a deal.",
        ],
        source=VIRTUAL_SOURCE,
    ),
    DemoMeeting(
        title="Military chiefs' meeting on the operational phase (Northwood)",
        kind="military_chiefs",
        held_on=CHIEFS,
        place="Permanent Joint Headquarters, Northwood",
        format="in_person",
        level="chiefs_of_defence",
        summary="Military planners from the coalition met to turn the leaders' intent into "
        "plans for air, land, sea and regeneration support to Ukraine after a deal.",
        attendees=[
            "GBR",
            "FRA",
            "DEU",
            "ITA",
            "NLD",
            "POL",
            "DNK",
            "NOR",
            "SWE",
            "FIN",
            "CAN",
            "AUS",
            "UKR",
            "NATO",
        ],
        outcomes=[
            "Planning cells for air, maritime, land and regeneration to report to the next "
            "leaders' call."
        ],
        marking=Marking.COALITION,
        source=CHIEFS_SOURCE,
    ),
    DemoMeeting(
        title="UK–France planning cell: reassurance force options",
        kind="advisers",
        held_on=dt.date(2025, 3, 11),
        place="Paris",
        format="hybrid",
        level="officials",
        summary="Illustrative: officials of the two framework nations compare options for a "
        "reassurance force before the chiefs' meeting.",
        attendees=["GBR", "FRA"],
        outcomes=["Options paper to be circulated to the chiefs' meeting (illustrative)."],
        marking=Marking.REL_TO,
        rel_to=["FRA", "GBR"],
        illustrative=True,
    ),
    DemoMeeting(
        title="Secretariat preparatory meeting for the virtual summit",
        kind="advisers",
        held_on=dt.date(2025, 3, 13),
        place="London",
        format="in_person",
        level="officials",
        summary="Illustrative: the secretariat's internal preparation of the agenda and "
        "the list of invitations.",
        attendees=[],
        outcomes=["Draft agenda agreed (illustrative)."],
        marking=Marking.NATIONAL,
        illustrative=True,
    ),
]


def load(session: Session) -> None:
    """The summits and meetings, with who attended and what they agreed."""
    for m in MEETINGS:
        create_meeting(
            session,
            SYSTEM,
            MeetingCreate(
                title=m.title,
                kind=MeetingKind(m.kind),
                held_on=m.held_on,
                place=m.place,
                format=MeetingFormat(m.format),
                level=MeetingLevel(m.level),
                summary=m.summary,
                attendees=m.attendees,
                outcomes=m.outcomes,
                marking=m.marking,
                rel_to=m.rel_to,
                source_title=m.source[0],
                source_ref=m.source[1],
                illustrative=m.illustrative,
            ),
        )
