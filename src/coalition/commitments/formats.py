"""The two file layouts the ledger imports, read row by row into :class:`Pledge`. Pure.

- ``kiel``: the main per-commitment sheet of the Kiel Institute's Ukraine Support Tracker
  ("Bilateral Assistance, MAIN DATA"). Columns are found by header name, in either of the
  tracker's spellings (``Aid type general`` in early releases, ``aid_type_general`` in
  later ones), because releases add and move columns.
- ``csv``: the coalition's own plain layout, documented column by column in
  ``docs/commitments.md``.

A layout turns one row (a mapping of header key to cell) into a :class:`Pledge` or raises
:class:`~coalition.commitments.parsing.CellError` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

import pycountry

from coalition.commitments.delivered import (
    Committed,
    SheetDelivered,
    read_delivered,
    status_after,
)
from coalition.commitments.enums import Category, DatePrecision, Status
from coalition.commitments.parsing import (
    CellError,
    header_key,
    is_blank,
    read_currency,
    read_date,
    read_number,
)
from coalition.core.marking import MEMBER_CODE, Marking

KIEL_SOURCE_TITLE = "Kiel Institute for the World Economy, Ukraine Support Tracker"

Row = Mapping[str, object]


@dataclass(frozen=True)
class Pledge:
    """One commitment as read from a file, before it meets the database."""

    source: str
    source_id: str
    member: str
    announced_on: dt.date | None
    date_precision: DatePrecision
    date_text: str
    category: Category
    item: str
    explanation: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    value: Decimal | None = None
    currency: str | None = None
    status: Status = Status.ANNOUNCED
    source_title: str = ""
    source_ref: str = ""
    marking: Marking = Marking.PUBLIC
    rel_to: list[str] = field(default_factory=list)
    # What the sheet says has arrived, in total (tracker rows only).
    delivered: SheetDelivered | None = None


@dataclass(frozen=True)
class Layout:
    """A file layout: which headers it needs and how a row becomes a pledge."""

    name: str
    # Each field: the header keys that may hold it, first match wins.
    columns: Mapping[str, Sequence[str]]
    required: frozenset[str]

    def resolve(self, headers: Sequence[object]) -> dict[str, int]:
        """Field name → column index; raises :class:`CellError` naming missing columns."""
        keys = [header_key(h) for h in headers]
        found: dict[str, int] = {}
        for name, candidates in self.columns.items():
            for candidate in candidates:
                if candidate in keys:
                    found[name] = keys.index(candidate)
                    break
        missing = sorted(self.required - found.keys())
        if missing:
            wanted = ", ".join(repr(self.columns[m][0]) for m in missing)
            raise CellError(f"the {self.name} layout needs column(s) {wanted}; not in the header")
        return found


# --- the Kiel tracker ----------------------------------------------------------------

KIEL = Layout(
    name="kiel",
    columns={
        "id": ("id", "activity_id", "aid_id"),
        "donor": ("donor", "country", "countries", "provider"),
        "general": ("aid_type_general", "type_general", "type_of_aid_general"),
        "specific": ("aid_type_specific", "type_specific", "type_of_aid_specific"),
        "item": ("item", "items"),
        "explanation": ("explanation", "description"),
        "date": ("announcement_date", "date_of_announcement"),
        "quantity": ("quantity", "item_quantity", "number_of_items", "no_of_units", "item_numb"),
        "amount": (
            "amount_in_original_currency",
            "source_reported_value",
            "value_in_original_currency",
            "tot_activity_value",
            # Releases of 2022-23: "Total" holds a package's value on its first row only;
            # "Monetary Value as Given by Source" repeats it on every item row, so it is
            # never read (it would count a package once per item).
            "total",
        ),
        "currency": ("currency", "reporting_currency", "original_currency"),
        "eur": (
            "converted_value_in_eur",
            "tot_value_eur",
            "tot_sub_activity_value_eur",
            "tot_activity_value_eur",
        ),
        "measure": ("measure", "status"),
        "link": ("source", "sources", "link", "source_link", "source_s", "source_of_aid_1"),
        # What arrived (see coalition.commitments.delivered): releases of 2022-23 spell
        # these out, later releases abbreviate them ("item_numb_deliv", "tot_value_deliv_EUR").
        "delivered_quantity": (
            "no_of_units_delivered_in_kind_military_aid",
            "no_of_units_delivered",
            "item_numb_deliv",
            "delivered_quantity",
            "quantity_delivered",
        ),
        "delivered_eur": (
            "total_monetary_value_delivered_in_eur",
            "tot_value_deliv_eur",
            "value_delivered_in_eur",
            "delivered_value_eur",
        ),
        "delivered_usd": (
            "value_delivered_own_estimate_in_usd",
            "item_value_estimate_deliv_usd",
        ),
        "committed_usd": (
            "value_committed_own_estimate_in_usd",
            "item_value_estimate_usd",
        ),
        "delivery_status": ("delivery_status", "delivered", "status_of_delivery"),
        "delivery_date": ("delivery_date", "date_of_delivery", "date_delivered", "delivered_on"),
        "reporting_date": ("reporting_date", "date_of_reporting"),
        "delivery_source": ("source_for_delivery", "delivery_source", "source_of_delivery"),
    },
    required=frozenset({"id", "donor", "general", "date"}),
)

UNDISCLOSED = frozenset({"undisclosed", "unknown", "not disclosed", "unspecified"})

# Tracker donor names that are not country names pycountry knows.
DONOR_CODES = {
    "eu": "EU",
    "eu (commission and council)": "EU",
    "eu institutions": "EU",
    "european union": "EU",
    "european commission": "EU",
    "european peace facility": "EU",
    "nato": "NATO",
    "czech republic": "CZE",
    "south korea": "KOR",
    "turkey": "TUR",
    "united states": "USA",
    "united kingdom": "GBR",
    "russia": "RUS",
    "taiwan": "TWN",
    "european investment bank": "EIB",
    "eib": "EIB",
    "european bank for reconstruction and development": "EBRD",
    "ebrd": "EBRD",
    "international monetary fund": "IMF",
    "imf": "IMF",
    "world bank": "WBG",
    "world bank group": "WBG",
    "council of europe development bank": "CEB",
    "nordic investment bank": "NIB",
}

KIEL_CATEGORIES = {
    "military": Category.MILITARY,
    "financial": Category.FINANCIAL,
    "humanitarian": Category.HUMANITARIAN,
}


def donor_code(name: object) -> str:
    """The member code of a tracker donor name; raises :class:`CellError` if unknown."""
    text = str(name or "").strip()
    if not text:
        raise CellError("donor is empty")
    if text.lower() in DONOR_CODES:
        return DONOR_CODES[text.lower()]
    if MEMBER_CODE.match(text):
        return text
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError as exc:
        raise CellError(f"donor {text[:60]!r} is not a country or organisation we know") from exc


def _text(row: Row, key: str, limit: int) -> str:
    value = row.get(key)
    return "" if is_blank(value) else str(value).strip()[:limit]


def kiel_category(general: object, specific: object) -> Category:
    text = str(general or "").strip().lower()
    if "training" in str(specific or "").lower():
        return Category.TRAINING
    for prefix, category in KIEL_CATEGORIES.items():
        if text.startswith(prefix):
            return category
    raise CellError(f"aid type {str(general)[:40]!r} is not military, financial or humanitarian")


NOT_DELIVERED = frozenset(
    {"no", "not delivered", "none", "pending", "planned", "announced", "0", "false", "n"}
)
DELIVERED_WORDS = frozenset({"yes", "y", "complete", "completed", "done", "true", "1", "full"})


def delivery_said(value: object) -> Literal["all", "part", "none"]:
    """What a delivery status cell says: all of it arrived, part of it, or none yet."""
    if is_blank(value):
        return "none"
    text = str(value).strip().lower()
    if text in NOT_DELIVERED or text.startswith(("not ", "no ", "un")):
        return "none"
    if "partial" in text or "in delivery" in text or "ongoing" in text:
        return "part"
    if "deliver" in text or text in DELIVERED_WORDS:
        return "all"
    raise CellError(f"delivery status {str(value)[:40]!r} is not one we read")


def kiel_pledge(
    row: Row,
    position: int,
    currencies: frozenset[str],
    file_ref: str,
    reported_on: dt.date | None = None,
) -> Pledge:
    """One tracker row; ``position`` numbers the rows of one package ID from 1.

    A delivery the row states without a date is dated on or before its reporting date, or
    ``reported_on`` (the day the sheet reports for; by default the day it is read)."""
    ident = _text(row, "id", 80)
    if not ident:
        raise CellError("the row has no ID")
    day, precision, date_text = read_date(row.get("date"))
    amount = read_number(row.get("amount"), "amount")
    currency = read_currency(row.get("currency"), currencies)
    if amount is not None and currency is None:
        # A missing currency ('.') is common in the tracker. The tracker's own euro column
        # is then the only honest value; without it the row's value stays unknown.
        eur = read_number(row.get("eur"), "euro value")
        if eur is None:
            raise CellError("an amount is given without a currency or a euro value")
        amount, currency = eur, "EUR"
    elif amount is None:
        eur = read_number(row.get("eur"), "euro value")
        if eur is not None:
            amount, currency = eur, "EUR"
    given = row.get("quantity")
    if isinstance(given, str) and given.strip().lower() in UNDISCLOSED:
        given = None  # the tracker's "undisclosed": a count nobody published, not zero
    quantity = read_number(given, "quantity", places=3)
    item = _text(row, "item", 300) or _text(row, "specific", 300) or "(not itemised)"
    measure = _text(row, "measure", 40).lower()
    said = delivery_said(row.get("delivery_status"))
    committed = Committed(quantity, amount, currency)
    sheet = read_delivered(
        {**row, "delivered_quantity": _undisclosed_if(row, said)},
        committed,
        measure_delivered="deliver" in measure or said == "all",
        reported_on=reported_on or dt.datetime.now(dt.UTC).date(),
    )
    status = status_after(committed, sheet, measure_delivered="deliver" in measure or said == "all")
    link = _text(row, "link", 500)
    return Pledge(
        source="kiel",
        source_id=f"{ident}-{position}",
        member=donor_code(row.get("donor")),
        announced_on=day,
        date_precision=precision,
        date_text=date_text,
        category=kiel_category(row.get("general"), row.get("specific")),
        item=item,
        explanation=_text(row, "explanation", 5000),
        quantity=quantity,
        unit="items" if quantity is not None else "",
        value=amount,
        currency=currency,
        status=status,
        source_title=KIEL_SOURCE_TITLE,
        source_ref=link or f"{file_ref}, ID {ident}",
        marking=Marking.PUBLIC,
        delivered=sheet,
    )


def _undisclosed_if(row: Row, said: str) -> object:
    """The delivered-units cell, or "undisclosed" where only the status says part arrived."""
    given = row.get("delivered_quantity")
    if said == "part" and is_blank(given):
        return "undisclosed"
    return given


# --- the plain layout ----------------------------------------------------------------

PLAIN = Layout(
    name="csv",
    columns={
        name: (name,)
        for name in (
            "source_id",
            "member",
            "announced_on",
            "category",
            "item",
            "explanation",
            "quantity",
            "unit",
            "value",
            "currency",
            "status",
            "source_title",
            "source_ref",
            "marking",
            "rel_to",
        )
    },
    required=frozenset({"source_id", "member", "announced_on", "category", "item"}),
)


@lru_cache(maxsize=8)
def _options(kind: type[Category] | type[Status] | type[Marking]) -> dict[str, str]:
    return {e.value.lower(): e.value for e in kind}


def _enum(kind: type[Category] | type[Status] | type[Marking], value: object, default: str) -> str:
    text = str(value or "").strip() or default
    options = _options(kind)
    key = text.lower().replace(" ", "_")
    if key not in options:
        allowed = ", ".join(sorted(options))
        raise CellError(f"{kind.__name__.lower()} {text[:40]!r} is not one of {allowed}")
    return options[key]


def plain_pledge(row: Row, currencies: frozenset[str]) -> Pledge:
    """One row of the plain layout."""
    source_id = _text(row, "source_id", 120)
    if not source_id:
        raise CellError("source_id is empty")
    member = _text(row, "member", 10).upper()
    if not MEMBER_CODE.match(member):
        raise CellError(f"member {member!r} is not a member code")
    item = _text(row, "item", 300)
    if not item:
        raise CellError("item is empty")
    day, precision, date_text = read_date(row.get("announced_on"))
    value = read_number(row.get("value"), "value")
    currency = read_currency(row.get("currency"), currencies)
    if (value is None) != (currency is None):
        raise CellError("value and currency go together: give both or neither")
    rel_to = [c for c in str(row.get("rel_to") or "").replace(";", " ").split() if c]
    return Pledge(
        source="csv",
        source_id=source_id,
        member=member,
        announced_on=day,
        date_precision=precision,
        date_text=date_text,
        category=Category(_enum(Category, row.get("category"), "")),
        item=item,
        explanation=_text(row, "explanation", 5000),
        quantity=read_number(row.get("quantity"), "quantity", places=3),
        unit=_text(row, "unit", 40),
        value=value,
        currency=currency,
        status=Status(_enum(Status, row.get("status"), "announced")),
        source_title=_text(row, "source_title", 300),
        source_ref=_text(row, "source_ref", 500),
        marking=Marking(_enum(Marking, row.get("marking"), "COALITION")),
        rel_to=rel_to,
    )
