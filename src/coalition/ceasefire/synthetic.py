"""A synthetic, clearly labelled stream of reports along the line of contact. Pure.

Nothing here happened: events are drawn at random (seeded, so every run gives the same
stream) along a rough polyline of the 2025 line of contact, more often before the
ceasefire than during it, and each event is seen by one to three sources.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator

# (latitude, longitude, oblast) points along the line of contact, south-west to north-east.
LINE = [
    (46.62, 32.62, "Kherson"),
    (46.78, 33.38, "Kherson"),
    (47.42, 34.55, "Zaporizhzhia"),
    (47.52, 35.80, "Zaporizhzhia"),
    (47.70, 36.70, "Zaporizhzhia"),
    (47.80, 37.25, "Donetsk"),
    (48.02, 37.55, "Donetsk"),
    (48.15, 37.75, "Donetsk"),
    (48.40, 37.90, "Donetsk"),
    (48.60, 38.00, "Donetsk"),
    (48.95, 38.15, "Luhansk"),
    (49.35, 38.00, "Luhansk"),
    (49.70, 37.65, "Kharkiv"),
    (50.29, 36.94, "Kharkiv"),
]
TYPES = [
    ("shelling", 40),
    ("drone_strike", 25),
    ("small_arms", 12),
    ("missile", 6),
    ("air_strike", 5),
    ("ground_assault", 6),
    ("infrastructure_strike", 3),
    ("other", 3),
]
WEAPONS = {
    "shelling": "122 mm artillery",
    "drone_strike": "FPV drone",
    "small_arms": "heavy machine gun",
    "missile": "ballistic missile",
    "air_strike": "glide bomb",
    "ground_assault": "infantry assault",
    "infrastructure_strike": "one-way attack drone",
    "other": "",
}
SOURCES = [
    ("monitor_patrol", "SMM patrol", "B", "2"),
    ("fixed_sensor", "Camera network", "A", "2"),
    ("uav", "Monitor UAV", "B", "1"),
    ("open_source", "Open sources", "C", "3"),
    ("party_statement", "Party statement", "E", "4"),
]
PARTIES = ["Party A", "Party B"]


def _point(rnd: random.Random) -> tuple[float, float, str]:
    i = rnd.randrange(len(LINE) - 1)
    (la1, lo1, region), (la2, lo2, _) = LINE[i], LINE[i + 1]
    t = rnd.random()
    lat = la1 + (la2 - la1) * t + rnd.gauss(0, 0.05)
    lon = lo1 + (lo2 - lo1) * t + rnd.gauss(0, 0.05)
    return round(lat, 5), round(lon, 5), region


def reports(
    start: dt.date,
    days_before: int,
    days_during: int,
    *,
    per_day_before: int,
    per_day_during: int,
    seed: int = 2025,
) -> Iterator[dict[str, str]]:
    """Reports in the canonical layout in time order, each event seen by 1–3 sources."""
    rnd = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
    kinds = [t for t, w in TYPES for _ in range(w)]
    serial = 0
    for offset in range(-days_before, days_during):
        day = start + dt.timedelta(days=offset)
        events = per_day_before if offset < 0 else per_day_during
        events = max(0, int(rnd.gauss(events, math.sqrt(events) + 1)))
        today: list[dict[str, str]] = []
        for _ in range(events):
            lat, lon, region = _point(rnd)
            kind = rnd.choice(kinds)
            at = dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(
                seconds=rnd.randrange(86_400)
            )
            party = rnd.choice(PARTIES)
            casualties = rnd.choice([0, 0, 0, 0, 1, 2, 3])
            for source in rnd.sample(SOURCES, rnd.choice([1, 1, 2, 3])):
                serial += 1
                kind_s, name, reliability, credibility = source
                seen = at + dt.timedelta(minutes=rnd.randrange(0, 50))
                today.append(
                    {
                        "source_kind": kind_s,
                        "source_name": name,
                        "source_id": f"SYN-{serial:08d}",
                        "reliability": reliability,
                        "credibility": credibility,
                        "occurred_at": seen.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "received_at": (seen + dt.timedelta(hours=2)).strftime(
                            "%Y-%m-%dT%H:%M:%SZ"
                        ),
                        "latitude": f"{lat + rnd.gauss(0, 0.005):.5f}",
                        "longitude": f"{lon + rnd.gauss(0, 0.005):.5f}",
                        "precision_m": "500",
                        "region": region,
                        "type": kind,
                        "weapon": WEAPONS[kind],
                        "attribution": party if kind_s != "party_statement" else _other(party),
                        "casualties": str(casualties),
                        "text": f"Synthetic report: {kind.replace('_', ' ')} near {region}.",
                    }
                )
        # A feed delivers reports in the order they were seen.
        today.sort(key=lambda r: r["occurred_at"])
        yield from today


def _other(party: str) -> str:
    # A party's statement blames the other side.
    return PARTIES[1] if party == PARTIES[0] else PARTIES[0]
