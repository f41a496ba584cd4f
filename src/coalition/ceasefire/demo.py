"""The ceasefire part of the illustrative scenario: an agreement and synthetic reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coalition.ceasefire import ingest, synthetic
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import Ceasefire
from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT

START = dt.date(2025, 3, 25)
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def load(session: Session) -> None:
    session.add(
        Ceasefire(
            name="30-day ceasefire (illustrative)",
            parties="Party A; Party B",
            scope="all_fronts,energy_infrastructure,maritime",
            starts_on=START,
            duration_days=30,
            extension_days=0,
            status="in_force",
            summary="An illustrative 30-day ceasefire for the demonstration; no such "
            "agreement is recorded here as fact.",
            owner_code=SECRETARIAT,
            marking=Marking.PUBLIC.value,
            illustrative=True,
        )
    )
    session.flush()
    public = ingest.Stamp(SECRETARIAT, Marking.PUBLIC.value, "", illustrative=True)
    coalition = ingest.Stamp(SECRETARIAT, Marking.COALITION.value, "", illustrative=True)
    rows: dict[ingest.Stamp, list[tuple[int, object]]] = {public: [], coalition: []}
    stream = synthetic.reports(START, 14, 30, per_day_before=30, per_day_during=8)
    for n, raw in enumerate(stream, 1):
        # Patrols and sensors report to the coalition; open sources and parties are public.
        stamp = public if raw["source_kind"] in ("open_source", "party_statement") else coalition
        rows[stamp].append((n, read_report(raw, NOW)))
    for number, (stamp, batch) in enumerate(rows.items(), 1):
        ingest.store_batch(session, stamp, batch, f"demo:{number}", "demo")  # type: ignore[arg-type]
