"""The sanctions part of the demo scenario: extracts of three real lists, an illustrative
list in two snapshots, the members applying them, and the resolution run once.

``data/sanctions_demo_extracts.ftm.json`` holds a few real, publicly reported
designations as the EU, the UK and the US published them, written by hand in the
FollowTheMoney layout (each entity's ``datasets`` names its list): Vladimir Putin and
Sergey Lavrov (EU and US 25 February 2022, UK announced the same day), Sberbank (US and
UK 6 April 2022, EU 21 July 2022, Implementing Regulation (EU) 2022/1270) and
Sovcombank (US 24 February 2022, UK 28 February 2022; the EU cut it off from SWIFT but
had not frozen its assets by the extracts' day). Each ``Sanction`` names the public
report its date was checked against (``sourceUrl``); ``data/SOURCES.md`` lists them.
Each extract is loaded as its list's snapshot of 1 August 2022, a day when the gap
"listed by the UK, not by the EU: Sovcombank" held. They are extracts, not the lists:
a list page says so.

``data/sanctions_demo.ftm.json`` is written by hand for the demonstration, in the same
layout: two persons, two companies, two tankers with IMO numbers and a ``Sanction``
entity for each, all invented. The IMO numbers pass the check digit but begin with 1,
where no ship's number does (ships' begin 5 to 9). It is loaded as the snapshot of
24 February 2025, then, without one tanker and its designation, as the snapshot of
14 March 2025, so the pages show a delisting and the "as of" answers differ before and
after it.

The EU's member states in the demo apply the EU's list, Norway aligns with it, the UK
applies its own; the US is the backstop, not a member, so its list stands as a party of
its own (``us_ofac_sdn``). Resolution then joins the banks by their BICs by rule and
leaves the persons, matched by name and birth date, to a person's judgement: the
secretariat has judged Vladimir Putin's three listings one person (marked PUBLIC), and
Sergey Lavrov's wait in the review queue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from importlib.resources import files

from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import SYSTEM
from coalition.sanctions import alignment, ingest, resolution
from coalition.sanctions.clusters import Judgement
from coalition.sanctions.model import SanctionsList
from coalition.sanctions.reading import read_entities

LIST_CODE = "xx_illustrative"
FILE = "sanctions_demo.ftm.json"
EXTRACTS = "sanctions_demo_extracts.ftm.json"
EXTRACTS_DAY = dt.date(2022, 8, 1)
SNAPSHOTS = (dt.date(2025, 2, 24), dt.date(2025, 3, 14))
DELISTED = {"demo-vessel-2", "demo-sanction-vessel-2"}  # gone from the second snapshot
EU_STATES = (
    "FRA", "DEU", "DNK", "ITA", "NLD", "POL", "ESP", "FIN", "SWE", "CZE", "ROU",
    "BEL", "EST", "LVA", "LTU", "IRL", "PRT", "LUX", "HRV", "BGR", "SVN", "CYP", "EU",
)  # fmt: skip
EU_SINCE = dt.date(2014, 3, 17)  # Council Regulation (EU) No 269/2014
UK_SINCE = dt.date(2020, 12, 31)  # the UK's own Russia regime, after the transition period


def _extracts(session: Session) -> None:
    data = (files("coalition") / "data" / EXTRACTS).read_bytes()
    by_list: dict[str, list[bytes]] = {}
    for line in data.splitlines():
        by_list.setdefault(json.loads(line)["datasets"][0], []).append(line)
    for code, lines in by_list.items():
        body = b"\n".join(lines) + b"\n"
        ingest.load_in_session(
            session,
            SYSTEM,
            list(read_entities(io.BytesIO(body))),
            list_code=code,
            taken_on=EXTRACTS_DAY,
            sha256=hashlib.sha256(body).hexdigest(),
        )
        listed = session.query(SanctionsList).filter_by(code=code).one()
        listed.name += " (extract for the demonstration)"
        listed.source_title = "Publicly reported designations, dates checked (data/SOURCES.md)"


def _illustrative(session: Session) -> None:
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


def load(session: Session) -> None:
    """The extracts, the illustrative list, who applies what, and one resolution run."""
    _extracts(session)
    _illustrative(session)
    from coalition.members import service as members

    present = members.visible_codes(session, SYSTEM)
    for code in EU_STATES:
        if code in present:
            alignment.apply_list(session, SYSTEM, code, "eu_fsf", EU_SINCE)
    if "NOR" in present:
        alignment.apply_list(
            session,
            SYSTEM,
            "NOR",
            "eu_fsf",
            EU_SINCE,
            note="Norway aligns with the EU's listings by regulations of its own",
        )
    if "GBR" in present:
        alignment.apply_list(session, SYSTEM, "GBR", "gb_fcdo_sanctions", UK_SINCE)
    resolution.find_candidates(session, SYSTEM)
    for left, right in (
        ("eu_fsf:eu-demo-putin", "gb_fcdo_sanctions:gb-demo-putin"),
        ("eu_fsf:eu-demo-putin", "us_ofac_sdn:us-demo-putin"),
    ):
        resolution.judge(
            session,
            SYSTEM,
            left,
            right,
            Judgement.SAME,
            note="Name, date of birth, nationality and office agree",
            marking=Marking.PUBLIC,
        )
