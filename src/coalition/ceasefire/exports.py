"""Writing the incidents a reader may see to CSV or GeoJSON, streamed.

Both take the incidents table's filters (``incident_list.IncidentFilters``), so an export
holds exactly the rows the table lists. The CSV's first line states the overall marking
of what it holds (``# marking: ...``); the GeoJSON carries it as a foreign member.

The CSV's text cells are neutralised against formula injection (``coalition.core.cells``);
numeric columns are written as they are. GeoJSON is not a spreadsheet and is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from sqlalchemy.orm import Session

from coalition.ceasefire import service
from coalition.ceasefire.incident_list import IncidentFilters, visible_incidents
from coalition.ceasefire.model import Incident
from coalition.core.cells import csv_dict_writer, marking_line, neutralise
from coalition.core.principal import Principal
from coalition.core.visibility import markings_of

COLUMNS = [
    "id",
    "key",
    "type",
    "first_at",
    "last_at",
    "latitude",
    "longitude",
    "region",
    "report_count",
    "casualties",
    "claimed_attribution",
    "status",
    "assessed_attribution",
    "marking",
    "time_precision",
    "casualties_low",
    "casualties_high",
]

# Columns holding numbers: written as they are, never neutralised as text.
NUMBERS = frozenset(
    {
        "id",
        "latitude",
        "longitude",
        "report_count",
        "casualties",
        "casualties_low",
        "casualties_high",
    }
)


def _rows(
    session: Session, principal: Principal, filters: IncidentFilters
) -> Iterator[dict[str, object]]:
    query = visible_incidents(principal, filters).order_by(Incident.first_at, Incident.id)
    for incident in session.scalars(query.execution_options(yield_per=2000)):
        p = service.incident_public(incident)
        row = p.model_dump(mode="json")
        row["marking"] = p.marking.label
        yield row


def marking(session: Session, principal: Principal, filters: IncidentFilters) -> str:
    """The export's overall marking: the highest of the incidents it holds."""
    return markings_of(session, visible_incidents(principal, filters)).label


def write_csv(
    session: Session,
    principal: Principal,
    out: IO[str],
    filters: IncidentFilters = IncidentFilters(),
) -> int:
    out.write(marking_line(marking(session, principal, filters)))
    writer = csv_dict_writer(out, COLUMNS)
    writer.writeheader()
    n = 0
    for row in _rows(session, principal, filters):
        writer.writerow(
            {
                c: row[c] if c in NUMBERS or row[c] is None else neutralise(str(row[c]))
                for c in COLUMNS
            }
        )
        n += 1
    return n


def write_geojson(
    session: Session,
    principal: Principal,
    out: IO[str],
    filters: IncidentFilters = IncidentFilters(),
) -> int:
    label = json.dumps(marking(session, principal, filters))
    out.write('{"type": "FeatureCollection", "marking": ' + label + ', "features": [\n')
    n = 0
    for row in _rows(session, principal, filters):
        lon, lat = row.pop("longitude"), row.pop("latitude")
        feature = {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": row,
        }
        out.write(("" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
