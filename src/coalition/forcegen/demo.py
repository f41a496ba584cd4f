"""The demo's statement of requirements and national offers. All of it is illustrative.

A reassurance force for after a ceasefire: air policing and air defence, land presence,
mine clearance and maritime patrol, training of Ukrainian brigades, and a headquarters.
The numbers, windows and caveats are invented for the demonstration; no nation's real
offer is represented here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coalition.core.marking import Marking, encode_release
from coalition.core.principal import SECRETARIAT
from coalition.forcegen.model import ForceOffer, ForceRequirement, ForceScenario
from coalition.forcegen.taxonomy import encode_codes

START = dt.date(2025, 6, 1)
END = dt.date(2026, 5, 31)
UKRAINE = [
    "kyiv",
    "western_ukraine",
    "central_ukraine",
    "southern_ukraine",
    "eastern_ukraine",
    "ukrainian_airspace",
]

# label, capability, quantity, phase, region, task, priority, enablers
REQUIREMENTS = [
    (
        "Air policing over Ukraine",
        "FTR_SQN",
        3,
        "reassurance",
        "ukrainian_airspace",
        "air_policing",
        1,
        ["AAR"],
    ),
    ("Air defence of Kyiv", "GBAD_BTY", 3, "reassurance", "kyiv", "air_defence", 1, []),
    (
        "Reassurance presence, western Ukraine",
        "MECH_INF_BN",
        4,
        "reassurance",
        "western_ukraine",
        "reassurance_presence",
        2,
        ["STRAT_AIRLIFT"],
    ),
    (
        "Reassurance presence, Kyiv",
        "MECH_INF_BN",
        2,
        "reassurance",
        "kyiv",
        "reassurance_presence",
        2,
        [],
    ),
    (
        "Engineer support to the force",
        "ENGR_COY",
        3,
        "reassurance",
        "central_ukraine",
        "engineering",
        3,
        [],
    ),
    (
        "Mine clearance of the Odesa approaches",
        "MCM_VESSEL",
        6,
        "reassurance",
        "black_sea",
        "mine_clearance",
        1,
        [],
    ),
    (
        "Maritime patrol over the Black Sea",
        "MPA",
        3,
        "reassurance",
        "black_sea",
        "maritime_surveillance",
        2,
        [],
    ),
    (
        "Surveillance of the line of contact",
        "ISR_UAV_ORBIT",
        3,
        "monitoring",
        "eastern_ukraine",
        "surveillance",
        1,
        [],
    ),
    (
        "Strategic airlift into theatre",
        "STRAT_AIRLIFT",
        3,
        "monitoring",
        "rear_area",
        "logistics",
        2,
        [],
    ),
    (
        "Field hospital for the force",
        "FIELD_HOSPITAL",
        2,
        "reassurance",
        "western_ukraine",
        "medical_support",
        2,
        [],
    ),
    (
        "Training teams for Ukrainian brigades",
        "TRAINING_TEAM",
        8,
        "regeneration",
        "western_ukraine",
        "training",
        2,
        [],
    ),
    (
        "Training in coalition territory",
        "TRAINING_TEAM",
        4,
        "regeneration",
        "rear_area",
        "training",
        3,
        [],
    ),
    ("Multinational force headquarters", "HQ_STAFF", 6, "reassurance", "kyiv", "command", 1, []),
]

# member, capability, quantity, status, excluded regions, excluded tasks, needs, pending,
# marking, release list
OFFERS = [
    ("GBR", "FTR_SQN", 1, "confirmed", [], [], [], False, "COALITION", []),
    ("GBR", "MECH_INF_BN", 2, "offered", ["eastern_ukraine"], [], [], False, "COALITION", []),
    ("GBR", "HQ_STAFF", 3, "confirmed", [], [], [], False, "COALITION", []),
    ("GBR", "TRAINING_TEAM", 4, "confirmed", ["eastern_ukraine"], [], [], False, "COALITION", []),
    ("GBR", "MCM_VESSEL", 2, "confirmed", [], [], [], False, "COALITION", []),
    ("GBR", "ISR_UAV_ORBIT", 1, "offered", [], [], ["C2_SPACE"], False, "COALITION", []),
    ("FRA", "FTR_SQN", 1, "offered", [], [], [], False, "COALITION", []),
    ("FRA", "MECH_INF_BN", 1, "offered", ["eastern_ukraine"], [], [], False, "COALITION", []),
    ("FRA", "GBAD_BTY", 1, "offered", [], [], [], False, "COALITION", []),
    ("FRA", "HQ_STAFF", 2, "confirmed", [], [], [], False, "COALITION", []),
    ("FRA", "MPA", 1, "offered", [], [], [], False, "COALITION", []),
    ("FRA", "AAR", 1, "indicated", [], [], [], True, "REL_TO", ["GBR"]),
    (
        "DEU",
        "GBAD_BTY",
        1,
        "offered",
        [],
        ["reassurance_presence"],
        [],
        True,
        "REL_TO",
        ["FRA", "GBR"],
    ),
    ("DEU", "TRAINING_TEAM", 3, "confirmed", UKRAINE, [], [], False, "COALITION", []),
    (
        "DEU",
        "ENGR_COY",
        1,
        "offered",
        ["eastern_ukraine"],
        [],
        ["STRAT_AIRLIFT"],
        False,
        "COALITION",
        [],
    ),
    ("POL", "FIELD_HOSPITAL", 1, "offered", UKRAINE, [], [], False, "COALITION", []),
    ("POL", "ENGR_COY", 1, "indicated", UKRAINE, [], [], True, "NATIONAL", []),
    ("NLD", "MCM_VESSEL", 2, "offered", [], [], [], False, "COALITION", []),
    ("NLD", "FTR_SQN", 1, "offered", [], [], ["AAR"], False, "COALITION", []),
    ("DNK", "FTR_SQN", 1, "offered", [], [], ["AAR"], True, "REL_TO", ["FRA", "GBR"]),
    ("DNK", "MCM_VESSEL", 1, "confirmed", [], [], [], False, "COALITION", []),
    ("NOR", "MPA", 1, "confirmed", [], [], [], False, "COALITION", []),
    ("SWE", "GBAD_BTY", 1, "indicated", [], [], ["STRAT_AIRLIFT"], True, "NATIONAL", []),
    ("FIN", "ENGR_COY", 1, "offered", ["eastern_ukraine"], [], [], False, "COALITION", []),
    ("CAN", "TRAINING_TEAM", 2, "confirmed", [], [], [], False, "COALITION", []),
    ("CAN", "STRAT_AIRLIFT", 1, "offered", [], [], [], False, "COALITION", []),
    ("AUS", "TRAINING_TEAM", 1, "offered", [], [], [], False, "COALITION", []),
    ("BEL", "MCM_VESSEL", 1, "offered", [], [], [], False, "COALITION", []),
    ("TUR", "MCM_VESSEL", 2, "indicated", [], [], [], True, "REL_TO", ["FRA", "GBR"]),
]

SCENARIOS = [
    (
        "reassurance-force",
        "Reassurance force, offers on the table",
        "Every member; offered and confirmed offers; the backstop assumed.",
        True,
        ["offered", "confirmed"],
    ),
    (
        "reassurance-force-confirmed",
        "Reassurance force, confirmed offers only",
        "Every member; confirmed offers only; no backstop.",
        False,
        ["confirmed"],
    ),
]


def load(session: Session) -> None:
    """Insert the illustrative statement of requirements, offers and scenarios."""
    for label, cap, qty, phase, region, task, priority, needs in REQUIREMENTS:
        session.add(
            ForceRequirement(
                label=label,
                capability=cap,
                quantity=qty,
                phase=phase,
                region=region,
                task=task,
                starts_on=START,
                ends_on=END,
                priority=priority,
                enablers=encode_codes(needs),
                illustrative=True,
                owner_code=SECRETARIAT,
                marking=Marking.COALITION.value,
            )
        )
    for member, cap, qty, status, regions, tasks, needs, pending, marking, rel in OFFERS:
        session.add(
            ForceOffer(
                capability=cap,
                quantity=qty,
                starts_on=START,
                ends_on=END,
                status=status,
                excluded_regions=encode_codes(regions),
                excluded_tasks=encode_codes(tasks),
                needs_enablers=encode_codes(needs),
                approval_pending=pending,
                illustrative=True,
                owner_code=member,
                marking=marking,
                rel_to=encode_release(rel),
            )
        )
    for name, title, description, backstop, statuses in SCENARIOS:
        session.add(
            ForceScenario(
                name=name,
                title=title,
                description=description,
                backstop=backstop,
                statuses=encode_codes(statuses),
                illustrative=True,
                owner_code=SECRETARIAT,
                marking=Marking.COALITION.value,
            )
        )
    session.flush()
