"""The ledger's vocabularies: categories, statuses, how well a date is known. Pure.

The ORM model, the parsers and the wire schemas all read them from here, so parsing a
pledge file needs no database code.
"""

from __future__ import annotations

import enum


class Category(enum.StrEnum):
    MILITARY = "military"
    FINANCIAL = "financial"
    HUMANITARIAN = "humanitarian"
    FORCE_CONTRIBUTION = "force_contribution"
    TRAINING = "training"


class Status(enum.StrEnum):
    ANNOUNCED = "announced"
    CONFIRMED = "confirmed"
    IN_DELIVERY = "in_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class DatePrecision(enum.StrEnum):
    """How well the announced date is known; anything but ``day`` is shown as imprecise."""

    DAY = "day"
    MONTH = "month"  # the date is the first of the month named
    YEAR = "year"  # the date is 1 January of the year named
    BY = "by"  # on or before the date ("until 3/10/2022")
    UNKNOWN = "unknown"  # no date at all; ``announced_on`` is NULL
