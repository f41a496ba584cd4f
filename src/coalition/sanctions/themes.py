"""Which theme each authority's sanctions programs serve. Pure.

Authorities name their programs each in their own way (OFAC ``RUSSIA-EO14024``, the EU's
``UKR``, the UK's ``Russia`` regime); the coalition asks by theme: "listed by the UK under
a Russia program, not by Japan under any". The mapping is shipped data,
``coalition/data/sanctions_programs.csv`` (list, program, theme, note; see
``data/SOURCES.md``): a program matches a row of its own list first, then a row of list
``*``; a program ending in ``*`` matches every program starting so; case is ignored. A
program no row names is of theme ``other``.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib.resources import files

THEMES: dict[str, str] = {
    "russia": "Russia / Ukraine's territorial integrity",
    "belarus": "Belarus",
    "cyber": "Cyber",
    "human_rights": "Human rights",
    "corruption": "Corruption",
    "chemical_weapons": "Chemical weapons",
    "proliferation": "Weapons of mass destruction",
    "terrorism": "Terrorism",
    "iran": "Iran",
    "dprk": "North Korea",
    "syria": "Syria",
    "other": "Other",
}
OTHER = "other"


@dataclass(frozen=True)
class Rule:
    list_code: str  # "*" for any list
    program: str  # exact, or a prefix ending in "*"
    theme: str
    note: str

    def matches(self, program: str) -> bool:
        wanted = self.program.casefold()
        given = program.casefold().strip()
        if wanted.endswith("*"):
            return given.startswith(wanted[:-1])
        return given == wanted


def parse_rules(text: str) -> list[Rule]:
    """The rules of a programs file; ValueError naming a row with an unknown theme."""
    rules = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        theme = (row.get("theme") or "").strip()
        if theme not in THEMES:
            raise ValueError(f"line {number}: unknown theme {theme!r}")
        rules.append(
            Rule(
                (row.get("list") or "").strip(),
                (row.get("program") or "").strip(),
                theme,
                (row.get("note") or "").strip(),
            )
        )
    return rules


@functools.cache
def rules() -> tuple[Rule, ...]:
    text = (files("coalition") / "data" / "sanctions_programs.csv").read_text("utf-8")
    return tuple(parse_rules(text))


def theme_of(list_code: str, program: str, given: tuple[Rule, ...] | None = None) -> str:
    """The theme ``program`` of list ``list_code`` serves (``other`` if none is known)."""
    table = rules() if given is None else given
    if not program.strip():
        return OTHER
    for wanted in (list_code, "*"):
        # Exact names before prefixes, so that a list's own row beats a wider pattern.
        candidates = [r for r in table if r.list_code == wanted]
        for rule in sorted(candidates, key=lambda r: r.program.endswith("*")):
            if rule.matches(program):
                return rule.theme
    return OTHER
