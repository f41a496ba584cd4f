"""The imports' part of the demo scenario: none.

The scenario's records are written directly, not imported from files, so there is no
import run to show until someone imports one (``coalition import reports`` or
``coalition import commitments``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_demo(session: Session) -> None:
    """Nothing to load: the demo imports no file."""
