"""The incidents' free-text search, as one SQL clause for every list that offers it.

What a reader types is matched literally: ``%`` and ``_`` (LIKE's wildcards) and the escape
character itself are escaped, so ``50%`` finds "50%" and never every row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

from coalition.ceasefire.model import Incident

ESCAPE = "!"
MAX_SEARCH = 200  # characters a search may hold


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``!``) finding ``text`` anywhere, lower-cased."""
    escaped = (
        text.strip()
        .lower()
        .replace(ESCAPE, ESCAPE * 2)
        .replace("%", ESCAPE + "%")
        .replace("_", ESCAPE + "_")
    )
    return f"%{escaped}%"


def search_clause(text: str) -> ColumnElement[bool]:
    """Incidents whose oblast, type (read with spaces) or attribution holds ``text``."""
    pattern = like_pattern(text)
    columns = (
        Incident.region,
        func.replace(Incident.type, "_", " "),
        Incident.type,
        Incident.claimed_attribution,
        Incident.assessed_attribution,
    )
    return or_(*(func.lower(c).like(pattern, escape=ESCAPE) for c in columns))
