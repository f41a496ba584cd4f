"""The demo scenario: loads once, says where each record comes from, and markings hold."""

from __future__ import annotations

from sqlalchemy import select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.principal import Principal, Role
from coalition.demo import service
from coalition.meetings import service as meetings
from coalition.meetings.model import Meeting
from coalition.members import accounts
from coalition.members.demo import ACCOUNTS
from coalition.members.model import Member

EXPECTED_MEETINGS = {
    None: {"London Leaders'", "Virtual leaders'"},
    "deu.viewer": {"London Leaders'", "Virtual leaders'", "Military chiefs'"},
    "gbr.liaison": {"London Leaders'", "Virtual leaders'", "Military chiefs'", "UK–France"},
    "fra.planner": {"London Leaders'", "Virtual leaders'", "Military chiefs'", "UK–France"},
    "sec.staff": {
        "London Leaders'",
        "Virtual leaders'",
        "Military chiefs'",
        "UK–France",
        "Secretariat",
    },
}


def test_loads_once_and_audits_everything(engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        assert service.load(session) is True
    with transaction(engine) as session:
        assert service.load(session) is False
        assert audit.verify(session).ok


def test_every_record_is_sourced_or_illustrative(engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        service.load(session)
        for model in (Member, Meeting):
            for row in session.scalars(select(model)):
                assert row.illustrative or (row.source_title and row.source_ref), row


def test_each_account_sees_what_its_markings_allow(engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        service.load(session)
    for username, expected in EXPECTED_MEETINGS.items():
        with transaction(engine) as session:
            principal = (
                accounts.principal_of(accounts.find_user(session, username))
                if username
                else Principal()
            )
            titles = [m.title for m in meetings.list_meetings(session, principal).items]
        seen = {
            prefix
            for prefix in EXPECTED_MEETINGS["sec.staff"]
            if any(t.startswith(prefix) for t in titles)
        }
        assert seen == expected, username
    assert {a.role for a in ACCOUNTS} == set(Role)
