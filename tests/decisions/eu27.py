"""EU-27 populations for checking the qualified-majority rule against the Council's calculator.

The Council fixes each year, in Annex III to its Rules of Procedure, the population of
each Member State it uses for qualified-majority voting (for 2025, the Council decision of
December 2024 amending the Rules of Procedure, from Eurostat's figures for 1 January 2024).
The official text could not be retrieved where this table was written, so the figures
below are Eurostat's 1 January 2024 populations as best known, rounded to the person, and
are **not** copied from the Official Journal. The worked examples in ``test_rules`` are
therefore chosen so that no share lies within one percentage point of a threshold: a
table that differs from the official one by less than 1% per state gives the same
results, and the same results as the Council's voting calculator on its own figures.
"""

from __future__ import annotations

POPULATION_2025 = {
    "DEU": 83_445_000,
    "FRA": 68_401_997,
    "ITA": 58_989_749,
    "ESP": 48_619_695,
    "POL": 36_620_970,
    "ROU": 19_064_409,
    "NLD": 17_942_942,
    "BEL": 11_832_049,
    "CZE": 10_900_555,
    "SWE": 10_551_707,
    "PRT": 10_639_726,
    "GRC": 10_397_193,
    "HUN": 9_584_627,
    "AUT": 9_158_750,
    "BGR": 6_445_481,
    "DNK": 5_961_249,
    "FIN": 5_603_851,
    "SVK": 5_424_687,
    "IRL": 5_343_805,
    "HRV": 3_861_967,
    "LTU": 2_885_891,
    "SVN": 2_123_949,
    "LVA": 1_871_882,
    "EST": 1_374_687,
    "CYP": 933_505,
    "LUX": 672_050,
    "MLT": 563_443,
}

# Largest first, the order the examples refer to ("the 15 largest").
BY_SIZE = sorted(POPULATION_2025, key=lambda c: -POPULATION_2025[c])
TOTAL = sum(POPULATION_2025.values())
