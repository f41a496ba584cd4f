"""Sign-in throttling slows guessing down and hands nobody a lock to turn.

The rule under test (see ``coalition.members.signin``): failures count per (account,
address); after five, attempts from that address wait 30 s, then twice as long each
time, up to the window. An address, or an account, may fail a hundred times within the
window before attempts from unknown pairs are slowed too; a pair that signed in before
is spared. ``X-Forwarded-For`` counts only from a configured proxy.
"""

from __future__ import annotations

import datetime as dt
import json

from fastapi import FastAPI
from sqlalchemy import Engine, select

from coalition.api import create_app
from coalition.core import audit
from coalition.core.db import transaction, utcnow
from coalition.core.settings import Settings
from coalition.members import signin
from coalition.members.model import LoginAttempt
from tests.browser import browser, sign_in
from tests.world import World

A, B, C = "203.0.113.5", "203.0.113.6", "203.0.113.7"
WRONG = "not the password"


def _fail(client, username: str, times: int, headers: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        assert sign_in(client, username, WRONG, headers).status_code == 401


def _failures(engine, rows: list[tuple[str, str, dt.datetime]]) -> None:  # type: ignore[no-untyped-def]
    """Record failed attempts ``(username, address, at)`` directly, as a flood would."""
    with transaction(engine) as session:
        session.add_all(
            LoginAttempt(username=u, address=a, at=at, success=False) for u, a, at in rows
        )


def test_the_sixth_attempt_waits_and_says_how_long(app, world) -> None:  # type: ignore[no-untyped-def]
    attacker = browser(app, A)
    _fail(attacker, "fra.viewer", 5)
    refused = sign_in(attacker, "fra.viewer")
    assert refused.status_code == 429 and "too many failed sign-ins" in refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= 30


def test_the_wait_doubles_with_each_failure_up_to_the_window(engine, world) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    start = now - dt.timedelta(hours=3)
    _failures(engine, [("fra.viewer", A, start + dt.timedelta(seconds=i)) for i in range(5)])
    waits = []
    last = start + dt.timedelta(seconds=4)
    with transaction(engine) as session:
        for _ in range(8):
            # Just after the last failure, the wait is the whole delay of this step.
            wait = signin.throttle_wait(session, "fra.viewer", A, last + dt.timedelta(seconds=1))
            waits.append(wait.total_seconds() + 1)
            last = last + wait + dt.timedelta(seconds=1)
            session.add(LoginAttempt(username="fra.viewer", address=A, at=last, success=False))
            session.flush()
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]
    with transaction(engine) as session:
        # Once the wait has passed, the next attempt may go ahead; another address never waited.
        assert signin.throttle_wait(
            session, "fra.viewer", A, last + dt.timedelta(minutes=15)
        ) == dt.timedelta(0)
        assert signin.throttle_wait(session, "fra.viewer", B, last) == dt.timedelta(0)
        # A day later the failures are forgotten.
        assert signin.throttle_wait(
            session, "fra.viewer", A, last + dt.timedelta(days=1, minutes=1)
        ) == dt.timedelta(0)


def test_failing_against_an_account_from_one_address_never_stops_it_from_another(
    app: FastAPI, world: World
) -> None:
    attacker, owner = browser(app, A), browser(app, B)
    _fail(attacker, "fra.viewer", 5)
    for _ in range(10):
        assert sign_in(attacker, "fra.viewer", WRONG).status_code == 429
    assert sign_in(owner, "fra.viewer").status_code == 303


def test_twenty_failures_from_an_address_do_not_block_another_account_there(app, world) -> None:  # type: ignore[no-untyped-def]
    office = browser(app, A)
    for n in range(16):
        _fail(office, f"someone.{n}", 1)
    _fail(office, "gbr.viewer", 4)
    assert sign_in(office, "fra.viewer").status_code == 303
    assert sign_in(browser(app, A), "gbr.viewer").status_code == 303


def test_stuffing_from_one_address_is_slowed_but_a_known_account_gets_in(
    app: FastAPI, engine: Engine, world: World
) -> None:
    assert sign_in(browser(app, A), "gbr.viewer").status_code == 303  # gbr.viewer is known at A
    now = utcnow()
    _failures(engine, [(f"guess.{n}", A, now - dt.timedelta(seconds=n)) for n in range(100)])
    refused = sign_in(browser(app, A), "fra.viewer")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert sign_in(browser(app, A), "gbr.viewer").status_code == 303
    assert sign_in(browser(app, B), "fra.viewer").status_code == 303


def test_spraying_one_account_from_many_addresses_spares_its_usual_address(
    app: FastAPI, engine: Engine, world: World
) -> None:
    assert sign_in(browser(app, A), "fra.viewer").status_code == 303
    now = utcnow()
    _failures(
        engine,
        [("fra.viewer", f"198.51.100.{n}", now - dt.timedelta(seconds=n)) for n in range(100)],
    )
    assert sign_in(browser(app, C), "fra.viewer").status_code == 429
    assert sign_in(browser(app, A), "fra.viewer").status_code == 303


def test_a_forwarded_header_from_an_untrusted_peer_changes_nothing(app, engine, world) -> None:  # type: ignore[no-untyped-def]
    attacker = browser(app, A)
    for n in range(5):
        _fail(attacker, "fra.viewer", 1, {"X-Forwarded-For": f"198.51.100.{n}"})
    refused = sign_in(attacker, "fra.viewer", headers={"X-Forwarded-For": "198.51.100.99"})
    assert refused.status_code == 429
    with transaction(engine) as session:
        assert set(session.scalars(select(LoginAttempt.address))) == {A}


def test_a_trusted_proxy_s_forwarded_address_is_the_client(engine, world) -> None:  # type: ignore[no-untyped-def]
    proxy = "192.0.2.10"
    app = create_app(engine, Settings(trusted_proxies=f"{proxy}, 192.0.2.128/25"))
    behind = browser(app, proxy)
    mallory, alice = "198.51.100.1", "198.51.100.2"
    _fail(behind, "fra.viewer", 5, {"X-Forwarded-For": mallory})
    assert sign_in(behind, "fra.viewer", headers={"X-Forwarded-For": mallory}).status_code == 429
    # Mallory claiming to be Alice: the proxy appends what it saw, and the right-most counts.
    spoof = {"X-Forwarded-For": f"{alice}, {mallory}, 192.0.2.200"}
    assert sign_in(behind, "fra.viewer", headers=spoof).status_code == 429
    assert sign_in(behind, "fra.viewer", headers={"X-Forwarded-For": alice}).status_code == 303
    with transaction(engine) as session:
        assert set(session.scalars(select(LoginAttempt.address))) == {mallory, alice}


def test_an_admin_clears_throttling_and_it_is_audited(app, client_for, engine, world) -> None:  # type: ignore[no-untyped-def]
    attacker = browser(app, A)
    _fail(attacker, "fra.viewer", 5)
    assert sign_in(attacker, "fra.viewer").status_code == 429
    user_id = world.principals["fra.viewer"].user_id
    path = f"/api/v1/users/{user_id}/unlock"
    assert client_for("gbr.admin").post(path, json={"address": A}).status_code == 404
    assert client_for("fra.viewer").post(path, json={"address": A}).status_code == 403
    for bad in ({"address": "not-an-ip"}, {"address": "x" * 65}, {"address": A, "all": True}):
        assert client_for("sec.admin").post(path, json=bad).status_code == 422
    assert sign_in(attacker, "fra.viewer").status_code == 429

    cleared = client_for("fra.admin").post(path, json={"address": A})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json() == {"username": "fra.viewer", "address": A, "cleared_failures": 5}
    assert sign_in(attacker, "fra.viewer").status_code == 303
    with transaction(engine) as session:
        [entry] = audit.history(session, "sign_in_clearances", "1")
        assert entry.actor == "fra.admin@FRA" and entry.action == "create"
        after = json.loads(entry.after or "{}")
        assert after["username"] == "fra.viewer" and after["address"] == A
        assert audit.verify(session).ok


def test_clearing_every_address_lets_the_account_in_everywhere(app, client_for, world) -> None:  # type: ignore[no-untyped-def]
    first, second = browser(app, A), browser(app, B)
    _fail(first, "gbr.viewer", 5)
    _fail(second, "gbr.viewer", 5)
    user_id = world.principals["gbr.viewer"].user_id
    cleared = client_for("sec.admin").post(f"/api/v1/users/{user_id}/unlock", json={})
    assert cleared.json()["cleared_failures"] == 10 and cleared.json()["address"] is None
    assert sign_in(first, "gbr.viewer").status_code == 303
    assert sign_in(second, "gbr.viewer").status_code == 303
