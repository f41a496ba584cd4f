"""The Council's population table for qualified-majority voting, by year. Pure.

Each December the Council amends Annex III to its Rules of Procedure with the population
of the Union and of each Member State that counts in a qualified-majority vote from
1 January to 31 December of the next year. A table is read from ``data/council_annex3.csv``
(see ``data/SOURCES.md``), one row per Member State and year plus the Union's row (code
``EU``), with the population where the source gives it and the share of the Union's
population in percent as published (two decimals).

A Member State's weight is its population when the table gives it; otherwise its
published share of the Union's population, in people: ``share / 100 × Union population``,
rounded to the person. Nothing here touches a database.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from importlib.resources import files

UNION = "EU"
HEADER = ["year", "code", "population", "share_pct"]
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_POPULATION = 10_000_000_000
_CODE = re.compile(r"^[A-Z]{2,4}$")
_SHARE = re.compile(r"^\d{1,3}(\.\d{1,2})?$")
_COUNT = re.compile(r"^\d{1,11}$")


class TableError(ValueError):
    """A table file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class CouncilTable:
    """One year's Annex III: the Union's population and each Member State's figures."""

    year: int
    union_population: int
    populations: Mapping[str, int]  # where the source gives the figure itself
    shares: Mapping[str, Decimal]  # percent of the Union's population, as published

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.shares) | frozenset(self.populations)

    @property
    def label(self) -> str:
        return f"Council Annex III {self.year}"

    def weight(self, code: str) -> int | None:
        """The population ``code``'s vote weighs under this table, or ``None`` if absent."""
        if code in self.populations:
            return self.populations[code]
        share = self.shares.get(code)
        if share is None:
            return None
        people = share * self.union_population / 100
        return int(people.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _field(line: int, name: str, value: str, pattern: re.Pattern[str]) -> str:
    value = value.strip()
    if not pattern.match(value):
        raise TableError(f"line {line}: {name} {value[:40]!r} is not valid")
    return value


def parse(text: str) -> dict[int, CouncilTable]:
    """Every year's table in ``text``; a malformed line is refused with its number."""
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header != HEADER:
        raise TableError(f"line 1: the header must be {','.join(HEADER)}")
    populations: dict[int, dict[str, int]] = {}
    shares: dict[int, dict[str, Decimal]] = {}
    seen: set[tuple[int, str]] = set()
    for number, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        if len(row) != len(HEADER):
            raise TableError(f"line {number}: {len(HEADER)} fields expected, {len(row)} found")
        year = int(_field(number, "year", row[0], re.compile(r"^\d{4}$")))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise TableError(f"line {number}: year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
        code = _field(number, "code", row[1], _CODE)
        if (year, code) in seen:
            raise TableError(f"line {number}: {code} appears twice for {year}")
        seen.add((year, code))
        if row[2].strip():
            count = int(_field(number, "population", row[2], _COUNT))
            if not 0 < count <= MAX_POPULATION:
                raise TableError(f"line {number}: population {count} is out of range")
            populations.setdefault(year, {})[code] = count
        if row[3].strip():
            try:
                share = Decimal(_field(number, "share_pct", row[3], _SHARE))
            except InvalidOperation as exc:  # pragma: no cover - the pattern admits decimals only
                raise TableError(f"line {number}: share_pct is not a number") from exc
            if share > 100:
                raise TableError(f"line {number}: share_pct {share} is over 100")
            shares.setdefault(year, {})[code] = share
        elif not row[2].strip():
            raise TableError(f"line {number}: {code} has neither a population nor a share")
    tables = {}
    for year in sorted(set(populations) | set(shares)):
        pops = populations.get(year, {})
        union = pops.pop(UNION, None)
        shares.get(year, {}).pop(UNION, None)
        if union is None:
            raise TableError(f"{year}: the Union's population (code {UNION}) is missing")
        states = shares.get(year, {})
        if not states and not pops:
            raise TableError(f"{year}: the table names no Member State")
        tables[year] = CouncilTable(year, union, dict(pops), dict(states))
    return tables


def table_for(tables: Mapping[int, CouncilTable], year: int) -> CouncilTable | None:
    """The table in force in ``year``: that year's, else the latest earlier one held."""
    held = [y for y in tables if y <= year]
    return tables[max(held)] if held else None


@functools.cache
def shipped() -> dict[int, CouncilTable]:
    """The tables shipped in ``data/council_annex3.csv``."""
    text = (files("coalition") / "data" / "council_annex3.csv").read_text(encoding="utf-8")
    return parse(text)


def weigh(
    code: str,
    *,
    year: int,
    table: CouncilTable | None,
    register: int | None,
    register_year: int | None = None,
    given: int | None = None,
) -> tuple[int, str]:
    """The population a voter weighs in a qualified-majority vote of ``year``, and its basis.

    A figure the proposal gives wins; then the Council's table in force (``table``, that
    year's or the latest earlier one) for a Member State it names; then the register's
    figure, saying why the Council's was not used.
    """
    if given is not None:
        return given, "the proposal's own table"
    if table is not None:
        weight = table.weight(code)
        if weight is not None:
            if table.year == year:
                return weight, table.label
            return weight, f"{table.label}, the latest held for {year}"
        why = "not in the Council's table"
    else:
        why = f"no Council table for {year} or before"
    held = f"the register's {register_year} figure" if register_year else "the register's figure"
    return register or 0, f"{held}, {why}"
