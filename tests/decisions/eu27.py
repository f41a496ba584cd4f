"""EU-27 populations for checking the qualified-majority rule against the Council's calculator.

The figures are the Council's for 2025 as shipped in ``data/council_annex3.csv`` (the
Union's population and each Member State's share, as approved for Annex III to its Rules
of Procedure for 2025; see ``data/SOURCES.md``): each state weighs its published share of
the Union's population, in people. The shares are published to 0.01 point, so the worked
examples in ``test_rules`` keep clear of every threshold by more than that rounding.
"""

from __future__ import annotations

from coalition.decisions.annex import shipped

_TABLE = shipped()[2025]
POPULATION_2025 = {code: _TABLE.weight(code) or 0 for code in sorted(_TABLE.codes)}

# Largest first, the order the examples refer to ("the 15 largest").
BY_SIZE = sorted(POPULATION_2025, key=lambda c: (-POPULATION_2025[c], c))
TOTAL = sum(POPULATION_2025.values())
