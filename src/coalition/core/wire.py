"""Helpers to turn marked rows into wire shapes."""

from __future__ import annotations

from typing import Any

from coalition.core.marking import Marking, decode_release, describe
from coalition.core.schemas import MarkingOut


def marking_out(row: Any) -> MarkingOut:
    marking = Marking(row.marking)
    return MarkingOut(
        owner=row.owner_code,
        marking=marking,
        rel_to=decode_release(row.rel_to),
        label=describe(marking, row.owner_code, row.rel_to),
    )
