"""The ledger's figures: totals by member, category and month, and the delivery gap. Pure.

The figures are computed from plain tuples the service selects over the reader's visible
commitments only, so a figure can never count what its reader may not see. Sums are exact
(decimals, to the cent), so the total always equals the sum of its parts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Pledged:
    """One live commitment as the figures see it."""

    member: str
    category: str
    announced_on: dt.date | None
    value_eur: Decimal | None


@dataclass(frozen=True)
class Delivered:
    """One delivery of a visible commitment."""

    member: str
    category: str
    delivered_on: dt.date
    value_eur: Decimal | None


@dataclass
class Tally:
    commitments: int = 0
    pledged_eur: Decimal = ZERO
    delivered_eur: Decimal = ZERO


@dataclass(frozen=True)
class MonthPoint:
    month: str
    pledged_eur: Decimal
    delivered_eur: Decimal
    cumulative_pledged_eur: Decimal
    cumulative_delivered_eur: Decimal

    @property
    def gap_eur(self) -> Decimal:
        return self.cumulative_pledged_eur - self.cumulative_delivered_eur


@dataclass
class Figures:
    total: Tally = field(default_factory=Tally)
    by_member: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)
    months: list[MonthPoint] = field(default_factory=list)
    undated: int = 0
    without_value: int = 0


def month_key(day: dt.date) -> str:
    """``2025-03`` for any day of March 2025."""
    return f"{day.year:04d}-{day.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, so a chart has no missing months."""
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def compute(pledges: Iterable[Pledged], deliveries: Iterable[Delivered]) -> Figures:
    """Totals, breakdowns and the monthly pledged-versus-delivered series."""
    figures = Figures()
    by_member: dict[str, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = defaultdict(Tally)
    pledged_month: dict[str, Decimal] = defaultdict(lambda: ZERO)
    delivered_month: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in pledges:
        value = p.value_eur if p.value_eur is not None else ZERO
        for tally in (figures.total, by_member[p.member], by_category[p.category]):
            tally.commitments += 1
            tally.pledged_eur += value
        if p.value_eur is None:
            figures.without_value += 1
        if p.announced_on is None:
            figures.undated += 1
        else:
            pledged_month[month_key(p.announced_on)] += value
    for d in deliveries:
        value = d.value_eur if d.value_eur is not None else ZERO
        for tally in (figures.total, by_member[d.member], by_category[d.category]):
            tally.delivered_eur += value
        delivered_month[month_key(d.delivered_on)] += value
    figures.by_member = dict(sorted(by_member.items()))
    figures.by_category = dict(sorted(by_category.items()))
    keys = sorted(set(pledged_month) | set(delivered_month))
    if keys:
        cumulative_pledged = cumulative_delivered = ZERO
        for key in month_range(keys[0], keys[-1]):
            cumulative_pledged += pledged_month.get(key, ZERO)
            cumulative_delivered += delivered_month.get(key, ZERO)
            figures.months.append(
                MonthPoint(
                    key,
                    pledged_month.get(key, ZERO),
                    delivered_month.get(key, ZERO),
                    cumulative_pledged,
                    cumulative_delivered,
                )
            )
    return figures


def share(part: Decimal | None, whole: Decimal | None) -> float | None:
    """``part / whole`` as a fraction, or ``None`` when either is unknown or whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return float(part / whole)


# --- share of GDP, year by year -------------------------------------------------------------


@dataclass(frozen=True)
class GdpLine:
    """The pledges of one year (``None``: undated) against the GDP of the year used."""

    year: int | None
    pledged_eur: Decimal
    gdp_year: int | None  # the year whose GDP is used; None when no GDP is held for it
    gdp_eur: Decimal | None

    @property
    def note(self) -> str:
        pledges = f"{self.year} pledges" if self.year is not None else "undated pledges"
        if self.gdp_year is None:
            return f"{pledges}: no GDP held for {self.year} or before"
        if self.year is None:
            return f"{pledges}: {self.gdp_year} GDP, the latest held"
        if self.gdp_year == self.year:
            return f"{pledges}: {self.gdp_year} GDP"
        return f"{pledges}: {self.gdp_year} GDP, the nearest earlier year held"


@dataclass(frozen=True)
class GdpShare:
    """A member's pledges as a share of GDP, each year's pledges over that year's GDP."""

    lines: tuple[GdpLine, ...]

    @property
    def share(self) -> float | None:
        """The sum of each year's pledged euros over its GDP; ``None`` if a year has none."""
        if not self.lines or any(line.gdp_eur is None for line in self.lines):
            return None
        return float(sum(line.pledged_eur / line.gdp_eur for line in self.lines if line.gdp_eur))

    @property
    def note(self) -> str:
        return "; ".join(line.note for line in self.lines)


def gdp_year_for(year: int | None, held: Iterable[int]) -> int | None:
    """The GDP year a pledge of ``year`` is measured against: that year if held, else the
    nearest earlier one; an undated pledge uses the latest held. ``None`` if none fits."""
    years = sorted(held)
    if year is None:
        return years[-1] if years else None
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else None


def pledged_by_year(pledges: Iterable[Pledged]) -> dict[str, dict[int | None, Decimal]]:
    """Each member's pledged euros by year of announcement (``None``: undated)."""
    out: dict[str, dict[int | None, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for p in pledges:
        year = p.announced_on.year if p.announced_on is not None else None
        out[p.member][year] += p.value_eur if p.value_eur is not None else ZERO
    return {member: dict(years) for member, years in out.items()}


def share_of_gdp(
    pledged: dict[int | None, Decimal], gdp_eur_by_year: dict[int, Decimal]
) -> GdpShare:
    """Each year's pledges over the GDP of that year (or the nearest earlier one held)."""
    held = [year for year, gdp in gdp_eur_by_year.items() if gdp > 0]
    lines = []
    for year in sorted(pledged, key=lambda y: (y is None, y or 0)):
        gdp_year = gdp_year_for(year, held)
        lines.append(
            GdpLine(
                year,
                pledged[year],
                gdp_year,
                gdp_eur_by_year[gdp_year] if gdp_year is not None else None,
            )
        )
    return GdpShare(tuple(lines))
