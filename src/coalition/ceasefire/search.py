"""The incidents' free-text search, as one SQL clause for every list that offers it.

What a reader types is matched literally: ``%`` and ``_`` (LIKE's wildcards) and the escape
character itself are escaped, so ``50%`` finds "50%" and never every row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func

from coalition.ceasefire.model import Incident
from coalition.core.listing import MAX_SEARCH as MAX_SEARCH
from coalition.core.listing import matching


def search_clause(text: str) -> ColumnElement[bool]:
    """Incidents whose oblast, type (read with spaces) or attribution holds ``text``."""
    columns = (
        Incident.region,
        func.replace(Incident.type, "_", " "),
        Incident.type,
        Incident.claimed_attribution,
        Incident.assessed_attribution,
    )
    return matching(columns, text)
