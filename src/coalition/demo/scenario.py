"""The illustrative scenario, modelled on March 2025.

Public facts carry their source; everything invented for the demonstration says so in
its ``illustrative`` flag. Population and GDP come from ``data/members.csv``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coalition.core.marking import Marking
from coalition.core.principal import Role

NAME = "march-2025"

LANCASTER = dt.date(2025, 3, 2)
VIRTUAL = dt.date(2025, 3, 15)
CHIEFS = dt.date(2025, 3, 20)

LANCASTER_SOURCE = (
    "Prime Minister's Office: London Leaders' Summit on Ukraine, Lancaster House",
    "GOV.UK, PM statement at the London Leaders' Summit on Ukraine, 2 March 2025",
)
VIRTUAL_SOURCE = (
    "Prime Minister's Office: virtual leaders' meeting on Ukraine",
    "GOV.UK, PM remarks at the virtual leaders' meeting on Ukraine, 15 March 2025",
)
CHIEFS_SOURCE = (
    "Prime Minister's Office: military planners' meeting at Northwood (PJHQ)",
    "GOV.UK, PM statement on the coalition moving into the operational phase, 20 March 2025",
)

# Present at Lancaster House on 2 March 2025, as the UK government reported.
LANCASTER_MEMBERS = [
    "GBR",
    "UKR",
    "FRA",
    "DEU",
    "DNK",
    "ITA",
    "NLD",
    "NOR",
    "POL",
    "ESP",
    "CAN",
    "FIN",
    "SWE",
    "CZE",
    "ROU",
    "TUR",
    "EU",
    "NATO",
]
# Further participants of the 15 March call. Press reports named about 26 countries
# without one published list, so the demo's list beyond Lancaster House is illustrative.
VIRTUAL_ADDITIONS = [
    "AUS",
    "NZL",
    "BEL",
    "EST",
    "LVA",
    "LTU",
    "IRL",
    "PRT",
    "ISL",
    "LUX",
    "HRV",
    "BGR",
    "SVN",
    "CYP",
]


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
            "Develop a coalition of the willing to defend a deal in Ukraine and guarantee the peace.",
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
            "Planning cells for air, maritime, land and regeneration to report to the next leaders' call."
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


@dataclass(frozen=True)
class DemoAccount:
    username: str
    member: str
    role: Role
    password: str
    display_name: str


# Demonstration passwords, printed by `make demo`. The demo refuses to load outside
# the development environment, so these never reach a real deployment.
ACCOUNTS = [
    DemoAccount("sec.admin", "SEC", Role.ADMIN, "demo-admin-pass", "Secretariat administrator"),
    DemoAccount(
        "sec.staff", "SEC", Role.CONTRIBUTOR, "demo-staff-pass", "Secretariat staff officer"
    ),
    DemoAccount("gbr.liaison", "GBR", Role.CONTRIBUTOR, "demo-liaison-pass", "UK liaison officer"),
    DemoAccount("fra.planner", "FRA", Role.PLANNER, "demo-planner-pass", "French military planner"),
    DemoAccount(
        "pol.monitor", "POL", Role.MONITOR, "demo-monitor-pass", "Polish ceasefire monitor"
    ),
    DemoAccount("deu.viewer", "DEU", Role.VIEWER, "demo-viewer-pass", "German leader's office"),
]
