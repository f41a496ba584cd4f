"""Loading the illustrative scenario into the configured database."""

from __future__ import annotations

import csv
from collections.abc import Callable
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.ceasefire import demo as ceasefire_demo
from coalition.commitments.demo import load_demo as load_commitments
from coalition.core.audit import ensure_head
from coalition.core.errors import ConfigurationError
from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT, SYSTEM
from coalition.core.settings import get_settings
from coalition.decisions import demo as decisions_demo
from coalition.demo import scenario
from coalition.demo.model import ScenarioLoad
from coalition.forcegen import demo as forcegen_demo
from coalition.meetings.model import MeetingFormat, MeetingKind, MeetingLevel
from coalition.meetings.schemas import MeetingCreate
from coalition.meetings.service import create_meeting
from coalition.members import accounts
from coalition.members.model import Member, MemberKind
from coalition.members.schemas import UserCreate


def reference_rows() -> dict[str, dict[str, str]]:
    """The shipped member reference data (population, GDP), keyed by code."""
    text = (files("coalition") / "data" / "members.csv").read_text(encoding="utf-8")
    return {row["code"]: row for row in csv.DictReader(text.splitlines())}


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def is_loaded(session: Session) -> bool:
    return (
        session.scalar(select(ScenarioLoad.id).where(ScenarioLoad.name == scenario.NAME))
        is not None
    )


def _members(session: Session) -> None:
    reference = reference_rows()
    session.add(
        Member(
            code=SECRETARIAT,
            name="Coalition Secretariat",
            kind=MemberKind.SECRETARIAT.value,
            joined_on=scenario.LANCASTER,
            owner_code=SECRETARIAT,
            marking=Marking.PUBLIC.value,
            illustrative=True,
        )
    )
    session.flush()
    for code in scenario.LANCASTER_MEMBERS + scenario.VIRTUAL_ADDITIONS:
        row = reference[code]
        at_lancaster = code in scenario.LANCASTER_MEMBERS
        title, ref = scenario.LANCASTER_SOURCE if at_lancaster else scenario.VIRTUAL_SOURCE
        session.add(
            Member(
                code=code,
                name=row["name"],
                kind=row["kind"],
                joined_on=scenario.LANCASTER if at_lancaster else scenario.VIRTUAL,
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


def _accounts(session: Session) -> None:
    for account in scenario.ACCOUNTS:
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


def _meetings(session: Session) -> None:
    for m in scenario.MEETINGS:
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


def load(session: Session) -> bool:
    """Load the scenario; returns ``False`` (and changes nothing) if it is already there."""
    if get_settings().environment == "production":
        raise ConfigurationError(
            "the demo scenario, with its published passwords, is refused in production"
        )
    ensure_head(session)
    if is_loaded(session):
        return False
    for step in STEPS:
        step(session)
    session.add(ScenarioLoad(name=scenario.NAME))
    session.flush()
    return True


# The scenario, in order; each capability adds its step after the records it builds on.
STEPS: list[Callable[[Session], None]] = [
    _members,
    _accounts,
    _meetings,
    load_commitments,
    decisions_demo.load,
    forcegen_demo.load,
    ceasefire_demo.load,
]
