"""The vocabulary of force generation: capabilities, phases, regions, tasks. Pure.

Capabilities ship as data (``data/capabilities.csv``, the project's own taxonomy) and say
which of them are backstop enablers: what the coalition expects an outside backstop to
provide if it does not field it itself.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


class Phase(enum.StrEnum):
    MONITORING = "monitoring"
    REASSURANCE = "reassurance"
    REGENERATION = "regeneration"


class Region(enum.StrEnum):
    KYIV = "kyiv"
    WESTERN_UKRAINE = "western_ukraine"
    CENTRAL_UKRAINE = "central_ukraine"
    SOUTHERN_UKRAINE = "southern_ukraine"
    EASTERN_UKRAINE = "eastern_ukraine"
    BLACK_SEA = "black_sea"
    UKRAINIAN_AIRSPACE = "ukrainian_airspace"
    REAR_AREA = "rear_area"  # coalition territory next to Ukraine: Poland, Romania


class Task(enum.StrEnum):
    AIR_POLICING = "air_policing"
    AIR_DEFENCE = "air_defence"
    REASSURANCE_PRESENCE = "reassurance_presence"
    MINE_CLEARANCE = "mine_clearance"
    MARITIME_SURVEILLANCE = "maritime_surveillance"
    SURVEILLANCE = "surveillance"
    TRAINING = "training"
    MEDICAL_SUPPORT = "medical_support"
    LOGISTICS = "logistics"
    COMMAND = "command"
    ENGINEERING = "engineering"


@dataclass(frozen=True)
class Capability:
    code: str
    name: str
    domain: str
    unit: str
    backstop_enabler: bool
    description: str


@cache
def capabilities() -> dict[str, Capability]:
    """The shipped capability taxonomy, keyed by code, in file order."""
    text = (files("coalition") / "data" / "capabilities.csv").read_text(encoding="utf-8")
    return {
        row["code"]: Capability(
            code=row["code"],
            name=row["name"],
            domain=row["domain"],
            unit=row["unit"],
            backstop_enabler=row["backstop_enabler"].strip().lower() == "true",
            description=row["description"],
        )
        for row in csv.DictReader(text.splitlines())
    }


def enablers() -> list[str]:
    """Codes of the capabilities counted as backstop enablers."""
    return [c.code for c in capabilities().values() if c.backstop_enabler]


def encode_codes(codes: list[str] | set[str] | frozenset[str]) -> str:
    """Stored form of a set of codes: sorted between bars, ``""`` when empty."""
    items = sorted({c for c in codes if c})
    return f"|{'|'.join(items)}|" if items else ""


def decode_codes(stored: str | None) -> list[str]:
    return [c for c in (stored or "").split("|") if c]


def capability_name(code: str) -> str:
    """What a person reads for a capability code: ``STRAT_AIRLIFT`` is "Strategic airlift"."""
    found = capabilities().get(code)
    return found.name if found else code


def capability_names(codes: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """Several capabilities in words: "Air-to-air refuelling and Strategic airlift"."""
    names = [capability_name(c) for c in sorted(codes)]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


REGION_NAMES: dict[str, str] = {
    Region.KYIV: "Kyiv",
    Region.WESTERN_UKRAINE: "western Ukraine",
    Region.CENTRAL_UKRAINE: "central Ukraine",
    Region.SOUTHERN_UKRAINE: "southern Ukraine",
    Region.EASTERN_UKRAINE: "eastern Ukraine",
    Region.BLACK_SEA: "the Black Sea",
    Region.UKRAINIAN_AIRSPACE: "Ukrainian airspace",
    Region.REAR_AREA: "the rear area",
}


def region_name(code: str) -> str:
    """A region in words: ``black_sea`` is "the Black Sea"."""
    return REGION_NAMES.get(code, code.replace("_", " "))


def task_name(code: str) -> str:
    """A task in words: ``air_defence`` is "air defence"."""
    return code.replace("_", " ")
