"""The briefing document: figures with their attribution, sections, and the whole. Pure.

A briefing is a :class:`Document` of a fixed kind (the ``daily`` report or the ``summit``
pack) whose sections come in that kind's fixed order (:data:`DAILY_SECTIONS`,
:data:`SUMMIT_SECTIONS`), so a reader finds the same thing in the same place in every
edition. Its numbers are :class:`Figure` objects, and a figure is *attributed* when it
names its source, its cut-off time (timezone-aware) and either the same figure's value in
the previous edition or an explicit statement that there is none (``first_edition``).
:meth:`Document.check` (run by :func:`build`) refuses a document with any figure that is
not, listing every problem in one :class:`Unattributed` error: the build fails, not only
a test.

Markings are not re-invented here: every figure, row and section says which records it
rests on as the ``(marking, owner, rel_to)`` triples of :mod:`coalition.core.marking`, and
a section's and the document's marking is :func:`~coalition.core.marking.overall` of all of
them (PUBLIC when it rests on none). Computing the overall marking from the records rather
than from the sections' own overall markings keeps mixed REL TO releases exact: the
document is released to the members common to every release it draws on.

An issued edition is stored as JSON (:func:`to_json`, :func:`from_json`, exact for decimals
and for times with their zones) together with the :func:`digest` of the inputs it was built
from, so a rebuild can be checked against it and the next edition compared with it
(:func:`compare`).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coalition.core.errors import Invalid
from coalition.core.marking import Marking, Overall, Shown, overall

Value = int | float | Decimal | str
Kind = Literal["daily", "summit"]
KINDS: tuple[Kind, ...] = get_args(Kind)

# The daily report, after the monitoring missions' daily reports and OCHA situation reports.
DAILY_SECTIONS: tuple[str, ...] = (
    "Summary",
    "Violations by sector and type",
    "Territory",
    "Civilian impact",
    "Disputed claims",
    "Limits of monitoring",
    "Sources and method",
)

# The summit pack for a meeting of leaders.
SUMMIT_SECTIONS: tuple[str, ...] = (
    "Key judgements",
    "Changes since the last summit",
    "Commitments and deliveries",
    "Force generation and the backstop",
    "The ceasefire's record",
    "Territory and claims",
    "Sanctions gaps to close",
    "Decisions asked of leaders",
    "Annex: sources, methods and dissenting positions",
)

SECTIONS: dict[Kind, tuple[str, ...]] = {"daily": DAILY_SECTIONS, "summit": SUMMIT_SECTIONS}

FORMAT = "coalition.briefing/1"
MINUS = "\u2212"  # a true minus sign, as printed figures use


class Unattributed(Invalid):
    """One or more figures lack their attribution; ``problems`` names each, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


# --- figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number (or short statement) of a briefing, with where and when it comes from.

    ``previous`` is the same key's value in the previous edition; ``first_edition`` states
    that there is no previous edition to compare with. ``shown`` is the markings of the
    records the figure rests on.
    """

    key: str
    label: str
    value: Value
    unit: str
    source: str
    cutoff: datetime | None
    previous: Value | None = None
    first_edition: bool = False
    shown: frozenset[Shown] = frozenset()

    @property
    def marking(self) -> Overall:
        """The highest marking of the records the figure rests on."""
        return overall(self.shown)


def _finite(value: Value | None) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def problems_of(figure: Figure) -> list[str]:
    """What the figure lacks, one line each naming the figure (empty when attributed)."""
    missing: list[str] = []
    if not figure.key.strip():
        missing.append("no key")
    if not figure.source.strip():
        missing.append("no source")
    if figure.cutoff is None:
        missing.append("no cut-off")
    elif figure.cutoff.utcoffset() is None:
        missing.append("a cut-off without a time zone")
    if figure.previous is None and not figure.first_edition:
        missing.append("neither a previous figure nor a statement that this is the first edition")
    if figure.previous is not None and figure.first_edition:
        missing.append("both a previous figure and a statement that this is the first edition")
    if not (_finite(figure.value) and _finite(figure.previous)):
        missing.append("a value that is not a finite number")
    return [f"figure {figure.key!r} ({figure.label}): {m}" for m in missing]


def attribute(figure: Figure) -> None:
    """Raise :class:`Unattributed` naming the figure and all it lacks, if it lacks any."""
    problems = problems_of(figure)
    if problems:
        raise Unattributed(problems)


def _decimal(value: int | float | Decimal) -> Decimal:
    # repr of a float is the shortest text that reads back as it: 0.3 - 0.1 is 0.2 here.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def grouped(value: int | float | Decimal) -> str:
    """A number with thousands separators, as printed: ``1,234``, ``1,234.5``."""
    number = _decimal(value)
    exponent = number.as_tuple().exponent
    return f"{int(number):,}" if isinstance(exponent, int) and exponent >= 0 else f"{number:,f}"


def delta(figure: Figure) -> str:
    """The change against the previous edition in words and numbers.

    ``+1,234 km²``, ``−3 incidents``, ``+2.5 percentage points`` (a change of a
    percentage), ``unchanged``, ``changed from holding`` (a statement), or ``first
    edition: no previous figure``. Raises :class:`Unattributed` when the figure says
    neither its previous value nor that it has none.
    """
    previous = figure.previous
    if previous is None or figure.first_edition:
        if figure.first_edition and previous is None:
            return "first edition: no previous figure"
        raise Unattributed(problems_of(figure))
    if isinstance(figure.value, str) or isinstance(previous, str):
        return "unchanged" if figure.value == previous else f"changed from {previous}"
    change = _decimal(figure.value) - _decimal(previous)
    if change == 0:
        return "unchanged"
    sign = "+" if change > 0 else MINUS
    unit = " percentage points" if figure.unit == "%" else f" {figure.unit}" if figure.unit else ""
    return f"{sign}{grouped(abs(change))}{unit}"


# --- sections and the document -----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a section's table (``cells`` under the section's ``columns``)."""

    cells: tuple[str, ...]
    shown: frozenset[Shown] = frozenset()


@dataclass(frozen=True)
class Section:
    """One section: its figures, written paragraphs, a table of rows, an optional dissent.

    ``shown`` is what the paragraphs and the dissent rest on beyond the figures and rows.
    """

    title: str
    figures: tuple[Figure, ...] = ()
    paragraphs: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    items: tuple[Row, ...] = ()
    dissent: str | None = None
    shown: frozenset[Shown] = frozenset()

    def __post_init__(self) -> None:
        for number, row in enumerate(self.items, start=1):
            if len(row.cells) != len(self.columns):
                raise Invalid(
                    f"section {self.title!r}: row {number} has {len(row.cells)} cells "
                    f"for {len(self.columns)} columns"
                )

    def rests_on(self) -> Iterator[Shown]:
        """The markings of every record the section rests on (with repeats)."""
        yield from self.shown
        for figure in self.figures:
            yield from figure.shown
        for row in self.items:
            yield from row.shown

    @property
    def marking(self) -> Overall:
        """The highest marking of anything in the section."""
        return overall(self.rests_on())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"not a time zone: {name!r}") from error


@dataclass(frozen=True)
class Document:
    """A briefing: its kind, number, period, cut-off and the zone times are shown in.

    The constructor refuses a document that is malformed (unknown kind, naive times, a
    period that ends before it starts, sections missing or out of the kind's order, a
    figure key used twice); :meth:`check` refuses one with an unattributed figure.
    """

    kind: Kind
    number: int
    title: str
    period_start: datetime
    period_end: datetime
    cutoff: datetime
    zone: str
    audience: str
    sections: tuple[Section, ...]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise Invalid(f"not a kind of briefing: {self.kind!r}")
        if self.number < 1:
            raise Invalid(f"an edition number starts at 1, not {self.number}")
        for name in ("period_start", "period_end", "cutoff"):
            if getattr(self, name).utcoffset() is None:
                raise Invalid(f"the briefing's {name.replace('_', ' ')} has no time zone")
        if self.period_end < self.period_start:
            raise Invalid("the briefing's period ends before it starts")
        _zone(self.zone)
        titles = tuple(s.title for s in self.sections)
        if titles != SECTIONS[self.kind]:
            raise Invalid(
                f"a {self.kind} briefing has the sections {', '.join(SECTIONS[self.kind])} "
                f"in that order, not {', '.join(titles) or 'none'}"
            )
        seen: set[str] = set()
        for figure in self.figures():
            if figure.key in seen:
                raise Invalid(f"figure {figure.key!r} appears twice in the briefing")
            seen.add(figure.key)

    def figures(self) -> Iterator[Figure]:
        """Every figure, section by section."""
        for section in self.sections:
            yield from section.figures

    @property
    def marking(self) -> Overall:
        """The highest marking of anything in the briefing (PUBLIC when it shows nothing)."""
        return overall(s for section in self.sections for s in section.rests_on())

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the briefing's time zone."""
        return moment.astimezone(_zone(self.zone))

    def stamp(self, moment: datetime) -> str:
        """``moment`` as printed: ``12 March 2025 18:00 EET (Europe/Kyiv)``."""
        here = self.local(moment)
        return f"{here.day} {here:%B %Y %H:%M %Z} ({self.zone})"

    def problems(self) -> list[str]:
        """Every attribution problem of every figure, and figures cut off after the briefing."""
        found: list[str] = []
        for figure in self.figures():
            found += problems_of(figure)
            cutoff = figure.cutoff
            if cutoff is not None and cutoff.utcoffset() is not None and cutoff > self.cutoff:
                found.append(
                    f"figure {figure.key!r} ({figure.label}): cut off at {cutoff.isoformat()}, "
                    "after the briefing's cut-off"
                )
        return found

    def check(self) -> None:
        """Raise one :class:`Unattributed` listing every problem, if there is any."""
        found = self.problems()
        if found:
            raise Unattributed(found)


def build(
    kind: Kind,
    *,
    number: int,
    title: str,
    period_start: datetime,
    period_end: datetime,
    cutoff: datetime,
    zone: str,
    audience: str,
    sections: Iterable[Section],
) -> Document:
    """Assemble a checked document, putting ``sections`` in the kind's order.

    Raises :class:`Invalid` naming sections that are missing or not of this kind, and
    :class:`Unattributed` listing every unattributed figure.
    """
    if kind not in KINDS:
        raise Invalid(f"not a kind of briefing: {kind!r}")
    order = SECTIONS[kind]
    by_title = {s.title: s for s in sections}
    missing = [t for t in order if t not in by_title]
    unknown = [t for t in by_title if t not in order]
    if missing or unknown:
        said = [
            f"missing {', '.join(missing)}" if missing else "",
            f"not of a {kind} briefing: {', '.join(unknown)}" if unknown else "",
        ]
        raise Invalid(f"a {kind} briefing's sections: " + "; ".join(s for s in said if s))
    document = Document(
        kind=kind,
        number=number,
        title=title,
        period_start=period_start,
        period_end=period_end,
        cutoff=cutoff,
        zone=zone,
        audience=audience,
        sections=tuple(by_title[t] for t in order),
    )
    document.check()
    return document


# --- comparing editions ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How one figure key differs between two editions.

    ``misquoted`` says the current figure's stated ``previous`` (or its first-edition
    statement) disagrees with what the previous edition actually printed.
    """

    key: str
    label: str
    unit: str
    before: Value | None
    after: Value | None
    status: Literal["added", "removed", "changed", "unchanged"]
    misquoted: bool
    text: str


def compare(previous: Document, current: Document) -> list[Change]:
    """The figures that were added, removed, changed or misquoted, by key.

    In the current edition's order, then the keys it dropped in the previous one's order.
    A figure that is the same in both and quotes its previous value rightly is left out.
    """
    before = {f.key: f for f in previous.figures()}
    after = {f.key: f for f in current.figures()}
    changes: list[Change] = []
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            changes.append(Change(key, now.label, now.unit, None, now.value, "added", False, "new"))
            continue
        misquoted = now.first_edition or now.previous != then.value
        same = now.value == then.value and type(now.value) is type(then.value)
        if same and not misquoted:
            continue
        stated = _against(now, then.value)
        changes.append(
            Change(
                key,
                now.label,
                now.unit,
                then.value,
                now.value,
                "unchanged" if same else "changed",
                misquoted,
                delta(stated),
            )
        )
    for key, then in before.items():
        if key not in after:
            changes.append(
                Change(key, then.label, then.unit, then.value, None, "removed", False, "dropped")
            )
    return changes


def _against(figure: Figure, previous: Value) -> Figure:
    """``figure`` compared against ``previous`` (as the previous edition printed it)."""
    return dataclasses.replace(figure, previous=previous, first_edition=False)


# --- the stored form ---------------------------------------------------------------------


def _time_to_json(moment: datetime) -> dict[str, str | None]:
    zone = moment.tzinfo.key if isinstance(moment.tzinfo, ZoneInfo) else None
    return {"at": moment.isoformat(), "zone": zone}


def _time_from_json(stored: Mapping[str, Any]) -> datetime:
    moment = datetime.fromisoformat(stored["at"])
    return moment.astimezone(_zone(stored["zone"])) if stored.get("zone") else moment


def _value_to_json(value: Value | None) -> Any:
    return {"decimal": str(value)} if isinstance(value, Decimal) else value


def _value_from_json(stored: Any) -> Value | None:
    if isinstance(stored, dict):
        return Decimal(stored["decimal"])
    if stored is None or isinstance(stored, int | float | str):
        return stored
    raise Invalid(f"not a figure's value: {stored!r}")


def _shown_to_json(shown: frozenset[Shown]) -> list[list[str | None]]:
    return sorted(([m.value, owner, rel_to] for m, owner, rel_to in shown), key=str)


def _shown_from_json(stored: Iterable[Sequence[Any]]) -> frozenset[Shown]:
    return frozenset((Marking(m), owner, rel_to) for m, owner, rel_to in stored)


def _figure_to_json(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "value": _value_to_json(figure.value),
        "unit": figure.unit,
        "source": figure.source,
        "cutoff": None if figure.cutoff is None else _time_to_json(figure.cutoff),
        "previous": _value_to_json(figure.previous),
        "first_edition": figure.first_edition,
        "shown": _shown_to_json(figure.shown),
    }


def _figure_from_json(stored: Mapping[str, Any]) -> Figure:
    value = _value_from_json(stored["value"])
    if value is None:
        raise Invalid(f"figure {stored['key']!r} has no value")
    return Figure(
        key=stored["key"],
        label=stored["label"],
        value=value,
        unit=stored["unit"],
        source=stored["source"],
        cutoff=None if stored["cutoff"] is None else _time_from_json(stored["cutoff"]),
        previous=_value_from_json(stored["previous"]),
        first_edition=stored["first_edition"],
        shown=_shown_from_json(stored["shown"]),
    )


def to_json(document: Document) -> dict[str, Any]:
    """The document as JSON-ready data, exact: ``from_json(to_json(d)) == d``.

    Decimals are kept as their text, times as ISO 8601 with their offset and, when they
    have one, their zone's name.
    """
    return {
        "format": FORMAT,
        "kind": document.kind,
        "number": document.number,
        "title": document.title,
        "period_start": _time_to_json(document.period_start),
        "period_end": _time_to_json(document.period_end),
        "cutoff": _time_to_json(document.cutoff),
        "zone": document.zone,
        "audience": document.audience,
        "marking": document.marking.label,
        "sections": [
            {
                "title": s.title,
                "marking": s.marking.label,
                "figures": [_figure_to_json(f) for f in s.figures],
                "paragraphs": list(s.paragraphs),
                "columns": list(s.columns),
                "items": [
                    {"cells": list(r.cells), "shown": _shown_to_json(r.shown)} for r in s.items
                ],
                "dissent": s.dissent,
                "shown": _shown_to_json(s.shown),
            }
            for s in document.sections
        ],
    }


def from_json(stored: Mapping[str, Any]) -> Document:
    """The document :func:`to_json` stored (the printed markings are computed again)."""
    if stored.get("format") != FORMAT:
        raise Invalid(f"not a stored briefing of format {FORMAT}: {stored.get('format')!r}")
    try:
        return Document(
            kind=stored["kind"],
            number=stored["number"],
            title=stored["title"],
            period_start=_time_from_json(stored["period_start"]),
            period_end=_time_from_json(stored["period_end"]),
            cutoff=_time_from_json(stored["cutoff"]),
            zone=stored["zone"],
            audience=stored["audience"],
            sections=tuple(
                Section(
                    title=s["title"],
                    figures=tuple(_figure_from_json(f) for f in s["figures"]),
                    paragraphs=tuple(s["paragraphs"]),
                    columns=tuple(s["columns"]),
                    items=tuple(
                        Row(cells=tuple(r["cells"]), shown=_shown_from_json(r["shown"]))
                        for r in s["items"]
                    ),
                    dissent=s["dissent"],
                    shown=_shown_from_json(s["shown"]),
                )
                for s in stored["sections"]
            ),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid(f"a stored briefing is damaged: {error}") from error


# --- digests of inputs -------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """``value`` as JSON in which every value carries its type, so none can pass for another."""
    if value is None:
        return ["null"]
    if isinstance(value, enum.Enum):
        return ["enum", type(value).__name__, _canonical(value.value)]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return ["float", repr(value)]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"a time without a time zone: {value.isoformat()}")
        return ["datetime", _time_to_json(value)]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, timedelta):
        return ["timedelta", value.days, value.seconds, value.microseconds]
    if isinstance(value, timezone):
        return ["timezone", str(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return ["record", type(value).__name__, _canonical(fields)]
    if isinstance(value, Mapping):
        pairs = [[_canonical(k), _canonical(v)] for k, v in value.items()]
        return ["map", sorted(pairs, key=_dumps)]
    if isinstance(value, set | frozenset):
        return ["set", sorted((_canonical(v) for v in value), key=_dumps)]
    if isinstance(value, list | tuple):
        return ["list", [_canonical(v) for v in value]]
    raise TypeError(f"cannot digest a {type(value).__name__}")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def digest(inputs: Any) -> str:
    """SHA-256 (hex) of a canonical JSON of ``inputs``: what an issued edition keeps.

    Stable under the order of mappings and sets; changes when any value changes, even
    only its type (``1``, ``1.0``, ``Decimal("1")`` and ``"1"`` differ). Times must be
    timezone-aware; a value it cannot state exactly raises ``TypeError`` or ``ValueError``.
    """
    return hashlib.sha256(_dumps(_canonical(inputs)).encode()).hexdigest()
