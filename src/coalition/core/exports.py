"""A list as a file: every row the reader may see, as CSV or JSON, with its marking.

Used by the lists without an export of their own (members, meetings, proposals), each
through :func:`route`: the capability hands over its list's rows dependency, the one its
API list route takes, and the file holds every row that dependency gives, read a page at
a time through the list function itself, so it is exactly what the list shows, filters
and search included. The CSV's first line states the overall marking
(``core.cells.marking_line``), text cells are neutralised against formula injection, and
the JSON carries ``"marking"`` beside its rows.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel

from coalition.core.cells import csv_dict_writer, marking_line, neutralise
from coalition.core.marking import overall, shown
from coalition.core.schemas import Page

ListFormat = Literal["csv", "json"]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CHUNK = 500

# One page of a list as its reader asked for it (filters, search, order): ``(limit, offset)``.
Fetch = Callable[[int, int], Page[Any]]


def every_row(fetch: Fetch) -> list[Any]:
    """Every row of a list, read ``CHUNK`` at a time: ``fetch(limit, offset)``."""
    rows: list[Any] = []
    while True:
        page = fetch(CHUNK, len(rows))
        rows.extend(page.items)
        if not page.items or len(rows) >= page.total:
            return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("label", ""))  # a marking: its label
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def export(rows: Sequence[BaseModel], model: type[BaseModel], fmt: ListFormat, key: str) -> bytes:
    """``rows`` (of ``model``) as a file of ``fmt``; its marking is the highest of theirs."""
    label = overall(shown()).label
    data = [r.model_dump(mode="json") for r in rows]
    if fmt == "json":
        return json.dumps({"marking": label, key: data}, ensure_ascii=False, indent=1).encode()
    fields = list(model.model_fields)
    out = io.StringIO()
    out.write(marking_line(label))
    writer = csv_dict_writer(out, fields)
    writer.writeheader()
    for row in data:
        writer.writerow(
            {
                f: _cell(v)
                if isinstance(v, int | float) and not isinstance(v, bool)
                else neutralise(_cell(v))
                for f, v in row.items()
            }
        )
    return out.getvalue().encode("utf-8")


# The API document's description of an export route's answer.
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in MEDIA_TYPES.values()}}
}


def attachment(body: bytes, fmt: ListFormat, name: str) -> Response:
    """The file as a download named ``name.fmt``."""
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def route(
    router: APIRouter,
    name: str,
    shape: type[BaseModel],
    rows: Callable[..., Fetch],
    description: str,
) -> None:
    """Serve ``GET /export/{name}`` on ``router``: the list as a file named ``name``.

    ``rows`` is the list's dependency, the one its API list route takes: it reads the
    reader, the list's filters, ``sort`` and ``q`` from the request, and answers a function
    giving one page of rows in their public ``shape``. ``format`` picks CSV or JSON.
    """

    def export_list(fetch: Fetch = Depends(rows), format: ListFormat = "csv") -> Response:
        return attachment(export(every_row(fetch), shape, format, name), format, name)

    router.add_api_route(
        f"/export/{name}",
        export_list,
        methods=["GET"],
        name=f"export_{name}",
        description=description,
        response_class=Response,
        responses=RESPONSES,
    )
