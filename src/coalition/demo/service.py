"""Loading the illustrative scenario into the configured database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.capabilities import REGISTERED
from coalition.core.audit import ensure_head
from coalition.core.capability import DemoLoader, demo_loaders
from coalition.core.errors import ConfigurationError
from coalition.core.settings import get_settings
from coalition.demo import scenario
from coalition.demo.model import ScenarioLoad


def is_loaded(session: Session) -> bool:
    return (
        session.scalar(select(ScenarioLoad.id).where(ScenarioLoad.name == scenario.NAME))
        is not None
    )


def shows_banner(session: Session) -> bool:
    """Whether an illustrative scenario is in this database (pages then carry a banner)."""
    return session.scalar(select(ScenarioLoad.id).limit(1)) is not None


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


# The scenario, in order: each capability adds its step after the records it builds on.
STEPS: list[DemoLoader] = demo_loaders(REGISTERED)
