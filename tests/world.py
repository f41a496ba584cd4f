"""A small coalition for tests: the secretariat, four states, the EU, users and tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine

from coalition.core import auth
from coalition.core.audit import ensure_head
from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.core.principal import Principal, Role
from coalition.members import accounts
from coalition.members import tokens as api_tokens
from coalition.members.model import Member, User

PASSWORD = "correct horse battery"

MEMBERS = [
    ("SEC", "Coalition Secretariat", "secretariat", 0),
    ("GBR", "United Kingdom", "state", 67_000_000),
    ("FRA", "France", "state", 68_000_000),
    ("POL", "Poland", "state", 37_000_000),
    ("DEU", "Germany", "state", 84_000_000),
    ("EU", "European Union", "organisation", 0),
]

# Every role for GBR and FRA; the secretariat has an admin and a contributor.
USERS = [
    *[(f"{code.lower()}.{role.value}", code, role) for code in ("GBR", "FRA") for role in Role],
    ("sec.admin", "SEC", Role.ADMIN),
    ("sec.contributor", "SEC", Role.CONTRIBUTOR),
    ("pol.contributor", "POL", Role.CONTRIBUTOR),
]


@dataclass
class World:
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)

    def principal(self, username: str | None) -> Principal:
        return self.principals[username] if username else Principal()


def build_world(engine: Engine) -> World:
    world = World(engine)
    with transaction(engine, actor="test") as session:
        ensure_head(session)
        for code, name, kind, population in MEMBERS:
            session.add(
                Member(
                    code=code,
                    name=name,
                    kind=kind,
                    joined_on=dt.date(2025, 3, 2),
                    population=population or None,
                    owner_code="SEC",
                    marking=Marking.PUBLIC.value,
                )
            )
            session.flush()
        # Hashing once and sharing the hash keeps Argon2 (slow by design) out of every test.
        password_hash = auth.hash_password(PASSWORD)
        for username, member, role in USERS:
            user = User(
                username=username, member_code=member, role=role.value, password_hash=password_hash
            )
            session.add(user)
            session.flush()
            world.principals[username] = accounts.principal_of(user)
            world.tokens[username] = api_tokens.create_token(session, username)
    return world
