"""The demo scenario's members and accounts, modelled on March 2025.

Public facts carry their source; everything invented for the demonstration says so in
its ``illustrative`` flag. Population and GDP come from ``data/members.csv`` (the latest
year held) and, year by year, from ``data/member_figures.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib.resources import files

from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT, SYSTEM, Role
from coalition.members import accounts, service
from coalition.members.model import Member, MemberKind
from coalition.members.schemas import UserCreate

LANCASTER = dt.date(2025, 3, 2)
VIRTUAL = dt.date(2025, 3, 15)

LANCASTER_SOURCE = (
    "Prime Minister's Office: London Leaders' Summit on Ukraine, Lancaster House",
    "GOV.UK, PM statement at the London Leaders' Summit on Ukraine, 2 March 2025",
)
VIRTUAL_SOURCE = (
    "Prime Minister's Office: virtual leaders' meeting on Ukraine",
    "GOV.UK, PM remarks at the virtual leaders' meeting on Ukraine, 15 March 2025",
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


def reference_rows() -> dict[str, dict[str, str]]:
    """The shipped member reference data (population, GDP), keyed by code."""
    text = (files("coalition") / "data" / "members.csv").read_text(encoding="utf-8")
    return {row["code"]: row for row in csv.DictReader(text.splitlines())}


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _members(session: Session) -> None:
    reference = reference_rows()
    session.add(
        Member(
            code=SECRETARIAT,
            name="Coalition Secretariat",
            kind=MemberKind.SECRETARIAT.value,
            joined_on=LANCASTER,
            owner_code=SECRETARIAT,
            marking=Marking.PUBLIC.value,
            illustrative=True,
        )
    )
    session.flush()
    for code in LANCASTER_MEMBERS + VIRTUAL_ADDITIONS:
        row = reference[code]
        at_lancaster = code in LANCASTER_MEMBERS
        title, ref = LANCASTER_SOURCE if at_lancaster else VIRTUAL_SOURCE
        session.add(
            Member(
                code=code,
                name=row["name"],
                kind=row["kind"],
                joined_on=LANCASTER if at_lancaster else VIRTUAL,
                population=_int(row["population"]),
                population_year=_int(row["population_year"]),
                gdp_usd=_int(row["gdp_usd"]),
                gdp_year=_int(row["gdp_year"]),
                source_title=title if at_lancaster else "",
                source_ref=ref if at_lancaster else "",
                illustrative=not at_lancaster,
                owner_code=SECRETARIAT,
                marking=Marking.PUBLIC.value,
            )
        )
    session.flush()
    service.load_figures(session, LANCASTER_MEMBERS + VIRTUAL_ADDITIONS)


def _accounts(session: Session) -> None:
    for account in ACCOUNTS:
        accounts.add_user(
            session,
            SYSTEM,
            UserCreate(
                username=account.username,
                display_name=account.display_name,
                member=account.member,
                role=account.role,
                password=account.password,
            ),
        )


def load(session: Session) -> None:
    """The members (states, organisations, the secretariat), then their users."""
    _members(session)
    _accounts(session)
