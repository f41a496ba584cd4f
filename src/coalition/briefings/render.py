"""A briefing printed: one self-contained HTML document, and the same as an A4 PDF.

The layout follows the products a leader's office already reads (the monitoring missions'
daily reports, OCHA situation reports, UK assessments): the overall marking at the top and
bottom, a header block (title, number, period, cut-off with its zone, audience, status),
then numbered sections, each under its own marking line, with its key figures as a
compact table beside their change since the previous edition, numbered paragraphs, its
table, its dissent and a chart where figures or a table column can be compared.

The HTML holds no script, no link and no external resource: its stylesheet
(``web/static/briefing.css``) is inlined, its charts are inline SVG from
:mod:`coalition.briefings.svg`, and every text from the document goes through Jinja's
autoescaping. :func:`pdf` prints that HTML through WeasyPrint (:mod:`coalition.briefings.pdf`)
with the shipped fonts and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from io import BytesIO
from typing import TYPE_CHECKING, Literal, get_args

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pypdf import PdfReader

from coalition.briefings.document import (
    MINUS,
    Document,
    Figure,
    Section,
    Value,
    delta,
    grouped,
)
from coalition.briefings.svg import BarItem, Number, amount, bars
from coalition.core.errors import Invalid

if TYPE_CHECKING:
    from coalition.briefings.pdf import ShippedFiles

Status = Literal["draft", "issued"]
STATUSES: tuple[Status, ...] = get_args(Status)
KIND_NAMES = {"daily": "Daily report", "summit": "Summit pack"}
TEMPLATE = "briefings/document.html"
CHART_ROWS = 20  # a table chart shows at most this many rows, the largest by size

# A number as a table cell may hold it: 1234, 1,234, -3.5, −3.5 (a true minus sign), 54%.
_NUMBER = re.compile(r"^(?P<number>[+\-\u2212]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?)%?$")
# Columns whose numbers are names, not quantities: no thousands separator, no chart.
_NAMING_COLUMN = re.compile(r"\b(year|id|code|no\.?|number|ref)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FigureLine:
    """One figure as its table row prints it."""

    label: str
    value: str
    change: str
    source: str
    cutoff: str
    statement: bool  # the value is words ("holding"), not a number: it may wrap


@dataclass(frozen=True)
class Table:
    """A section's table as printed: cells formatted, numeric columns known."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class SectionView:
    """What the template needs of one section."""

    number: int
    title: str
    marking: str
    level: str
    figures: tuple[FigureLine, ...]
    charts: tuple[Markup, ...]
    paragraphs: tuple[str, ...]
    table: Table | None
    dissent: str | None


# --- numbers -----------------------------------------------------------------------------


def number_in(cell: str) -> Decimal | None:
    """The number a table cell holds (``1,234``, ``-3.5``, ``−3.5``, ``54%``), or None if it
    is text."""
    found = _NUMBER.match(cell.strip())
    if found is None:
        return None
    try:
        return Decimal(found["number"].replace(",", "").replace(MINUS, "-"))
    except InvalidOperation:
        return None


def printed_cell(cell: str) -> str:
    """A number in a table cell as printed: ``1234567`` as ``1,234,567``, ``-3`` as ``−3``
    (a true minus sign), ``+5`` keeping its sign, ``54%`` a percentage; text as it is."""
    text = cell.strip()
    number = number_in(text)
    if number is None:
        return cell
    sign = MINUS if number < 0 else "+" if text.startswith("+") else ""
    return sign + grouped(abs(number)) + ("%" if text.endswith("%") else "")


def value_text(figure: Figure) -> str:
    """A figure's value with its unit: ``1,234 km²``, ``−3 incidents``, ``12.5%``."""
    if isinstance(figure.value, str):
        return f"{figure.value} {figure.unit}".strip()
    return amount(figure.value, figure.unit)


def _short_stamp(document: Document, moment: datetime | None) -> str:
    """``12 Mar 2025 18:00 EET``: the zone's name is printed once, in the header."""
    if moment is None:
        return ""
    here = document.local(moment)
    return f"{here.day} {here:%b %Y %H:%M %Z}"


# --- tables and charts -------------------------------------------------------------------


def _numeric_columns(section: Section) -> tuple[bool, ...]:
    """For each column, whether every cell of it is a quantity (not a year or a code)."""
    if not section.items:
        return tuple(False for _ in section.columns)
    return tuple(
        not _NAMING_COLUMN.search(column)
        and all(number_in(row.cells[k]) is not None for row in section.items)
        for k, column in enumerate(section.columns)
    )


def table_of(section: Section) -> Table | None:
    """The section's table with thousands separators and true minus signs in its quantities."""
    if not section.columns:
        return None
    numeric = _numeric_columns(section)
    rows = []
    for row in section.items:
        rows.append(
            tuple(printed_cell(cell) if numeric[k] else cell for k, cell in enumerate(row.cells))
        )
    return Table(columns=section.columns, rows=tuple(rows), numeric=numeric)


def _quantity(value: Value | None) -> Number | None:
    """A figure's value as a number to chart, or None when it is a statement (or absent)."""
    return None if value is None or isinstance(value, str) else value


def _figure_charts(section: Section) -> Iterator[str]:
    """One bar chart per unit that two or more of the section's numeric figures share,
    unless every one of them is zero.

    When every one of them has a numeric previous value, the previous edition's bar
    stands beside this edition's.
    """
    by_unit: dict[str, list[tuple[str, Number, Number | None]]] = {}
    for figure in section.figures:
        value = _quantity(figure.value)
        if value is not None:
            by_unit.setdefault(figure.unit, []).append(
                (figure.label, value, _quantity(figure.previous))
            )
    for unit, figures in by_unit.items():
        if len(figures) < 2 or not any(v or p for _, v, p in figures):
            continue  # one bar compares nothing, and bars of nothing but zeros show nothing
        title = f"{section.title}: {unit}" if unit else section.title
        beside: list[BarItem] = [(label, p, v) for label, v, p in figures if p is not None]
        if len(beside) == len(figures):
            series = ("Previous edition", "This edition")
            yield bars(beside, unit=unit, title=title, series=series)
        else:
            yield bars([(label, value) for label, value, _ in figures], unit=unit, title=title)


def _table_chart(section: Section) -> str | None:
    """Bars of the table's first quantity column against its first column, if it has one
    that is not all zeros."""
    numeric = _numeric_columns(section)
    if len(section.items) < 2 or len(numeric) < 2 or numeric[0]:
        return None
    column = next((k for k in range(1, len(numeric)) if numeric[k]), None)
    if column is None:
        return None
    items: list[tuple[str, Decimal]] = []
    for row in section.items:
        number = number_in(row.cells[column])
        if number is not None:
            items.append((row.cells[0], number))
    if not any(number for _, number in items):
        return None
    title = f"{section.columns[column]} by {section.columns[0].lower()}"
    if len(items) > CHART_ROWS:
        items = sorted(items, key=lambda item: abs(item[1]), reverse=True)[:CHART_ROWS]
        title += f" ({CHART_ROWS} largest of {len(section.items)})"
    percentages = all(row.cells[column].strip().endswith("%") for row in section.items)
    return bars(items, unit="%" if percentages else "", title=title)


def charts_of(section: Section) -> tuple[Markup, ...]:
    """The section's charts, as trusted markup: :mod:`~coalition.briefings.svg` escapes
    every text it writes."""
    drawn = list(_figure_charts(section))
    table_chart = _table_chart(section)
    if table_chart is not None:
        drawn.append(table_chart)
    return tuple(Markup(svg) for svg in drawn)  # noqa: S704 - svg.py escapes all it writes


# --- the document ------------------------------------------------------------------------


def _section_view(document: Document, number: int, section: Section) -> SectionView:
    marking = section.marking
    return SectionView(
        number=number,
        title=section.title,
        marking=marking.label,
        level=marking.level.value.lower(),
        figures=tuple(
            FigureLine(
                label=f.label,
                value=value_text(f),
                change=delta(f),
                source=f.source,
                cutoff=_short_stamp(document, f.cutoff),
                statement=isinstance(f.value, str),
            )
            for f in section.figures
        ),
        charts=charts_of(section),
        paragraphs=section.paragraphs,
        table=table_of(section),
        dissent=section.dissent,
    )


def _asset(*parts: str) -> str:
    return (files("coalition").joinpath(*parts)).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    # The templates are read as files, not through the web package, so the briefing
    # imports nothing of the web shell.
    loader = FileSystemLoader(str(files("coalition") / "web" / "templates"))
    return Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> str:
    """The briefing's stylesheet (``web/static/briefing.css``), inlined into every copy."""
    return _asset("web", "static", "briefing.css")


def style_source() -> str:
    """The inlined stylesheet as a Content-Security-Policy source, ``'sha256-…'``.

    The site's pages allow only ``style-src 'self'``; a response that serves a briefing's
    HTML adds this source to its ``style-src`` so a browser applies the inlined stylesheet
    and nothing else inline.
    """
    hashed = base64.b64encode(hashlib.sha256(stylesheet().encode()).digest()).decode()
    return f"'sha256-{hashed}'"


def html(
    document: Document,
    *,
    status: str = "draft",
    inputs_digest: str | None = None,
    for_print: bool = True,
) -> str:
    """The briefing as one complete, self-contained HTML document.

    ``status`` is ``draft`` or ``issued`` and is printed under the title; ``inputs_digest``
    (the digest an issued edition keeps) is printed in the colophon. With ``for_print``
    a browser printing the file repeats the overall marking at the top and bottom of
    every page; :func:`pdf` turns it off and uses the PDF's page margins instead.
    """
    if status not in STATUSES:
        raise Invalid(f"a briefing's status is {' or '.join(STATUSES)}, not {status!r}")
    marking = document.marking
    template = _environment().get_template(TEMPLATE)
    return template.render(
        document=document,
        kind_name=KIND_NAMES[document.kind],
        marking=marking.label,
        level=marking.level.value.lower(),
        period=f"{document.stamp(document.period_start)} to {document.stamp(document.period_end)}",
        cutoff=document.stamp(document.cutoff),
        status=status,
        inputs_digest=inputs_digest,
        for_print=for_print,
        sections=[_section_view(document, n, s) for n, s in enumerate(document.sections, 1)],
        css=Markup(stylesheet()),  # noqa: S704 - the shipped stylesheet, not data
    )


def pdf(
    document: Document,
    *,
    status: str = "draft",
    inputs_digest: str | None = None,
    fetcher: ShippedFiles | None = None,
) -> bytes:
    """The briefing as an A4 PDF: the marking at the top and bottom of every page, pages
    numbered "n of N", the shipped DejaVu Sans, and nothing fetched but shipped files.

    ``fetcher`` serves the fonts (a fresh one when None; pass one to see what was
    fetched). Raises :class:`coalition.briefings.pdf.Refused` if the rendering asked for
    anything but a shipped file.
    """
    # WeasyPrint takes most of a second to import; the HTML and the web pages need none of it.
    from coalition.briefings import pdf as printing

    text = html(document, status=status, inputs_digest=inputs_digest, for_print=False)
    footer = f"{KIND_NAMES[document.kind]} No. {document.number}"
    return printing.write(text, marking=document.marking.label, footer=footer, fetcher=fetcher)


def page_count(pdf_bytes: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(BytesIO(pdf_bytes)).pages)


def texts_of_pages(pdf_bytes: bytes) -> Sequence[str]:
    """The text of each page of a PDF, in order (what a reader's copy-paste would give)."""
    return [page.extract_text() for page in PdfReader(BytesIO(pdf_bytes)).pages]
