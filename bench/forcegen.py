"""Benchmark the force-generation model against a greedy allocation.

Generates instances with a fixed seed (requirements × offers: 100 × 1,000 and
1,000 × 10,000), with caveats (excluded regions and tasks), windows and enabler needs, and
reports for each: the time to build the model (reading offers, applying caveats, assembling
the matrix), the time HiGHS spends solving it, their ratio, the status and gap, and the
objective against the greedy allocation's. The last line printed is one JSON object.

    .venv/bin/python bench/forcegen.py [--time-limit 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time

from coalition.forcegen.allocation import Offer, OfferStatus, Requirement, Scenario, fill_score
from coalition.forcegen.greedy import greedy
from coalition.forcegen.solver import solve

CAPABILITIES = [
    "FTR_SQN",
    "GBAD_BTY",
    "MECH_INF_BN",
    "ENGR_COY",
    "MCM_VESSEL",
    "MPA",
    "ISR_UAV_ORBIT",
    "AAR",
    "STRAT_AIRLIFT",
    "FIELD_HOSPITAL",
    "TRAINING_TEAM",
    "HQ_STAFF",
]
ENABLERS = ["ISR_UAV_ORBIT", "AAR", "STRAT_AIRLIFT", "C2_SPACE"]
PHASES = ["monitoring", "reassurance", "regeneration"]
REGIONS = [f"region-{i:02d}" for i in range(20)]
TASKS = ["air_policing", "deterrence", "training", "mine_clearance", "logistics", "command"]
MEMBERS = [f"M{i:02d}" for i in range(30)]
DAY0 = dt.date(2025, 4, 1)


def instance(n_req: int, n_off: int, seed: int) -> tuple[list[Requirement], list[Offer]]:
    rng = random.Random(seed)
    requirements = []
    for i in range(n_req):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 300))
        requirements.append(
            Requirement(
                id=i + 1,
                capability=rng.choice(CAPABILITIES),
                quantity=rng.randint(2, 24),
                phase=rng.choice(PHASES),
                region=rng.choice(REGIONS),
                task=rng.choice(TASKS),
                start=start,
                end=start + dt.timedelta(days=rng.randrange(30, 240)),
                priority=rng.randint(1, 5),
                enablers=frozenset(rng.sample(ENABLERS, 1)) if rng.random() < 0.25 else frozenset(),
            )
        )
    offers = []
    for i in range(n_off):
        start = DAY0 + dt.timedelta(days=rng.randrange(0, 300))
        offers.append(
            Offer(
                id=i + 1,
                member=rng.choice(MEMBERS),
                capability=rng.choice(CAPABILITIES),
                quantity=rng.randint(1, 3),
                start=start,
                end=start + dt.timedelta(days=rng.randrange(30, 200)),
                status=rng.choice(list(OfferStatus)),
                excluded_regions=frozenset(rng.sample(REGIONS, rng.randint(0, 8))),
                excluded_tasks=frozenset(rng.sample(TASKS, rng.randint(0, 2))),
                needs_enablers=frozenset(rng.sample(ENABLERS, 1))
                if rng.random() < 0.2
                else frozenset(),
                approval_pending=rng.random() < 0.1,
            )
        )
    return requirements, offers


def run(n_req: int, n_off: int, time_limit: float) -> dict[str, object]:
    requirements, offers = instance(n_req, n_off, seed=20250320 + n_req)
    scenario = Scenario(
        backstop=False,
        statuses=frozenset({OfferStatus.INDICATED, OfferStatus.OFFERED, OfferStatus.CONFIRMED}),
    )
    solution = solve(requirements, offers, scenario, time_limit=time_limit)
    started = time.perf_counter()
    _, greedy_fills = greedy(requirements, offers, scenario)
    greedy_s = time.perf_counter() - started
    greedy_objective = fill_score(requirements, greedy_fills)
    improvement = (
        (solution.objective - greedy_objective) / greedy_objective if greedy_objective else 0.0
    )
    return {
        "requirements": n_req,
        "offers": n_off,
        "variables": solution.variables,
        "constraints": solution.constraints,
        "total_s": round(solution.build_s + solution.start_s + solution.solve_s, 4),
        "start_s": round(solution.start_s, 4),
        "build_s": round(solution.build_s, 4),
        "solve_s": round(solution.solve_s, 4),
        "build_ratio": round(solution.build_s / solution.solve_s, 4) if solution.solve_s else None,
        "status": solution.status,
        "gap": solution.gap,
        "objective": round(solution.objective, 4),
        "greedy_objective": round(greedy_objective, 4),
        "improvement_pct": round(100 * improvement, 2),
        "greedy_s": round(greedy_s, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    # One small solve first, so one-time costs (imports, HiGHS's start-up) are not timed.
    run(10, 100, args.time_limit)
    results = {}
    for n_req, n_off in ((100, 1_000), (1_000, 10_000)):
        figures = run(n_req, n_off, args.time_limit)
        print(
            f"{n_req} x {n_off}: {figures['variables']} pairs, build {figures['build_s']} s, "
            f"HiGHS {figures['solve_s']} s (ratio {figures['build_ratio']}), "
            f"{figures['status']} gap {figures['gap']}, objective {figures['objective']} "
            f"vs greedy {figures['greedy_objective']} (+{figures['improvement_pct']}%)"
        )
        results[f"{n_req}x{n_off}"] = figures
    print(json.dumps(results))


if __name__ == "__main__":
    main()
