"""The sanctions part of the demo scenario: an illustrative list in two snapshots.

``data/sanctions_demo.ftm.json`` is written by hand for the demonstration, in the
FollowTheMoney layout OpenSanctions publishes: two persons, two companies, two tankers
with IMO numbers and a ``Sanction`` entity for each, all invented. The IMO numbers pass
the check digit but begin with 1, where no ship's number does (ships' begin 5 to 9).
It is loaded as the snapshot of 24 February 2025, then, without one tanker and its
designation, as the snapshot of 14 March 2025, so the pages show a delisting and the
"as of" answers differ before and after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from importlib.resources import files

from sqlalchemy.orm import Session

from coalition.core.principal import SYSTEM
from coalition.sanctions import ingest
from coalition.sanctions.reading import read_entities

LIST_CODE = "xx_illustrative"
FILE = "sanctions_demo.ftm.json"
SNAPSHOTS = (dt.date(2025, 2, 24), dt.date(2025, 3, 14))
DELISTED = {"demo-vessel-2", "demo-sanction-vessel-2"}  # gone from the second snapshot


def load(session: Session) -> None:
    """The illustrative list, as first published and as published again without a tanker."""
    data = (files("coalition") / "data" / FILE).read_bytes()
    for day in SNAPSHOTS:
        entries = [
            e
            for e in read_entities(io.BytesIO(data))
            if day == SNAPSHOTS[0] or e.entity is None or e.entity["id"] not in DELISTED
        ]
        digest = hashlib.sha256(data + day.isoformat().encode()).hexdigest()
        ingest.load_in_session(
            session,
            SYSTEM,
            entries,
            list_code=LIST_CODE,
            taken_on=day,
            sha256=digest,
            illustrative=True,
        )
