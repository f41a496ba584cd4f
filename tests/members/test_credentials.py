"""Sessions and tokens end when they must, for good; tokens are listed, issued, revoked.

Each act on a token is audited; no answer ever carries a token's digest.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from coalition.core import audit
from coalition.core.db import transaction, utcnow
from coalition.members import accounts
from coalition.members.model import ApiToken
from tests.browser import browser, sign_in, signed_in_as

TOKEN_FIELDS = {
    "id",
    "user_id",
    "username",
    "name",
    "created_at",
    "expires_at",
    "revoked_at",
    "state",
}


def _user(admin, username: str) -> dict:  # type: ignore[no-untyped-def]
    users = admin.get("/api/v1/users?limit=500").json()["items"]
    return next(u for u in users if u["username"] == username)


def _token_id(engine, username: str) -> int:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        user = accounts.find_user(session, username)
        return session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id)).one()


def test_reactivating_an_account_revives_neither_token_nor_session(  # type: ignore[no-untyped-def]
    app, client_for, engine
) -> None:
    web = browser(app)
    assert sign_in(web, "fra.viewer").status_code == 303
    assert signed_in_as(web) == "fra.viewer"
    api = client_for("fra.viewer")
    assert api.get("/api/v1/me").status_code == 200

    admin = client_for("sec.admin")
    user = _user(admin, "fra.viewer")
    off = admin.patch(
        f"/api/v1/users/{user['id']}", json={"version": user["version"], "active": False}
    )
    assert off.status_code == 200
    on = admin.patch(
        f"/api/v1/users/{user['id']}", json={"version": off.json()["version"], "active": True}
    )
    assert on.status_code == 200 and on.json()["active"] is True

    refused = api.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["detail"] == "unknown or revoked token"
    assert signed_in_as(web) is None
    # The account itself works again, with new credentials.
    assert sign_in(web, "fra.viewer").status_code == 303
    with transaction(engine) as session:
        [entry] = [
            e
            for e in audit.history(session, "api_tokens", str(_token_id(engine, "fra.viewer")))
            if e.action == "update"
        ]
        assert entry.actor == "sec.admin@SEC"


def test_a_password_change_ends_sessions_and_tokens(app, client_for, engine) -> None:  # type: ignore[no-untyped-def]
    web = browser(app)
    assert sign_in(web, "gbr.planner").status_code == 303
    api = client_for("gbr.planner")
    with transaction(engine, actor="cli") as session:
        accounts.set_password(session, "gbr.planner", "a fresh passphrase")
    assert api.get("/api/v1/me").status_code == 401
    assert signed_in_as(web) is None
    assert sign_in(web, "gbr.planner").status_code == 401
    assert sign_in(web, "gbr.planner", "a fresh passphrase").status_code == 303
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_revoked_token_is_refused_and_the_revocation_audited(client_for, engine, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    api = client_for("pol.contributor")
    user_id = world.principals["pol.contributor"].user_id
    token_id = _token_id(engine, "pol.contributor")
    revoked = admin.post(f"/api/v1/users/{user_id}/tokens/{token_id}/revoke")
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["state"] == "revoked" and revoked.json()["revoked_at"]
    assert api.get("/api/v1/me").status_code == 401
    # Revoking again changes nothing and logs nothing.
    again = admin.post(f"/api/v1/users/{user_id}/tokens/{token_id}/revoke")
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    with transaction(engine) as session:
        actions = [e.action for e in audit.history(session, "api_tokens", str(token_id))]
        assert actions == ["create", "update"]
        assert audit.verify(session).ok


def test_an_expired_token_is_refused(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    api = client_for("gbr.monitor")
    with transaction(engine, actor="test") as session:
        row = session.get(ApiToken, _token_id(engine, "gbr.monitor"))
        assert row is not None
        row.expires_at = utcnow() - dt.timedelta(seconds=1)
    response = api.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["detail"] == "token expired"


def test_an_admin_issues_a_named_token_shown_once(client_for, engine, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("gbr.admin")
    user_id = world.principals["gbr.viewer"].user_id
    created = admin.post(
        f"/api/v1/users/{user_id}/tokens", json={"name": "  nightly export ", "days": 2}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == "nightly export" and body["state"] == "active"
    assert body["token"].startswith("coa_") and set(body) == TOKEN_FIELDS | {"token"}
    lifetime = dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.fromisoformat(
        body["created_at"]
    )
    assert dt.timedelta(days=2) - dt.timedelta(seconds=5) < lifetime <= dt.timedelta(days=2)
    me = client_for(None).get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "gbr.viewer"

    listed = admin.get(f"/api/v1/users/{user_id}/tokens")
    assert listed.status_code == 200 and listed.json()["total"] == 2
    assert body["token"] not in listed.text
    with transaction(engine) as session:
        digests = session.scalars(select(ApiToken.digest)).all()
        [entry] = audit.history(session, "api_tokens", str(body["id"]))
        assert entry.actor == "gbr.admin@GBR" and entry.action == "create"
    for item in listed.json()["items"]:
        assert set(item) == TOKEN_FIELDS
    assert not any(d in listed.text or d in created.text for d in digests)


def test_users_list_and_revoke_their_own_tokens_only(client_for, engine, world) -> None:  # type: ignore[no-untyped-def]
    mine = client_for("fra.contributor")
    listed = mine.get("/api/v1/me/tokens").json()
    assert listed["total"] == 1 and listed["items"][0]["username"] == "fra.contributor"
    assert set(listed["items"][0]) == TOKEN_FIELDS
    other = _token_id(engine, "gbr.contributor")
    assert mine.post(f"/api/v1/me/tokens/{other}/revoke").status_code == 404
    assert client_for("gbr.contributor").get("/api/v1/me").status_code == 200
    own = listed["items"][0]["id"]
    assert mine.post(f"/api/v1/me/tokens/{own}/revoke").json()["state"] == "revoked"
    assert mine.get("/api/v1/me/tokens").status_code == 401
    assert client_for(None).get("/api/v1/me/tokens").status_code == 401


def test_admins_reach_only_the_tokens_of_accounts_they_administer(client_for, world) -> None:  # type: ignore[no-untyped-def]
    fra_viewer = world.principals["fra.viewer"].user_id
    assert client_for("gbr.admin").get(f"/api/v1/users/{fra_viewer}/tokens").status_code == 404
    assert client_for("gbr.viewer").get(f"/api/v1/users/{fra_viewer}/tokens").status_code == 403
    assert client_for("fra.viewer").get(f"/api/v1/users/{fra_viewer}/tokens").status_code == 403
    assert client_for("sec.admin").get(f"/api/v1/users/{fra_viewer}/tokens").status_code == 200
    gbr = client_for("gbr.admin").post(f"/api/v1/users/{fra_viewer}/tokens", json={"name": "x"})
    assert gbr.status_code == 404


def test_no_token_for_a_deactivated_account(client_for, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    user = _user(admin, "fra.planner")
    admin.patch(f"/api/v1/users/{user['id']}", json={"version": user["version"], "active": False})
    refused = admin.post(f"/api/v1/users/{user['id']}/tokens", json={"name": "x"})
    assert refused.status_code == 422 and "deactivated" in refused.json()["error"]["detail"]


BAD_IDS = ["0", "-1", str(2**31), "abc", "1e3", "1.5", "9" * 40]
BAD_BODIES: list[object] = [
    {"name": "x" * 121},
    {"name": ""},
    {"name": "   "},
    {"name": "nul\x00inside"},
    {"name": "two\nlines"},
    {"name": "ok", "days": 0},
    {"name": "ok", "days": 3651},
    {"name": "ok", "days": "ten"},
    {"name": "ok", "digest": "0" * 64},
    {"days": 3},
    ["name"],
]


def test_bad_ids_are_refused(client_for, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    good = world.principals["fra.viewer"].user_id
    for bad in BAD_IDS:
        for method, path in [
            ("GET", f"/api/v1/users/{bad}/tokens"),
            ("POST", f"/api/v1/users/{good}/tokens/{bad}/revoke"),
            ("POST", f"/api/v1/users/{bad}/tokens/1/revoke"),
            ("POST", f"/api/v1/me/tokens/{bad}/revoke"),
            ("POST", f"/api/v1/users/{bad}/unlock"),
        ]:
            response = admin.request(method, path, json={})
            assert response.status_code == 422, (method, path, response.text)
    assert admin.post(f"/api/v1/users/{good}/tokens/{2**31 - 1}/revoke").status_code == 404
    assert admin.get(f"/api/v1/users/{2**31 - 1}/tokens").status_code == 404


def test_bad_token_requests_are_refused_and_issue_nothing(client_for, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    user_id = world.principals["fra.viewer"].user_id
    for body in BAD_BODIES:
        response = admin.post(f"/api/v1/users/{user_id}/tokens", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["detail"]
    assert admin.get(f"/api/v1/users/{user_id}/tokens").json()["total"] == 1


def test_a_huge_body_is_refused_before_reading(client_for, world) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    user_id = world.principals["fra.viewer"].user_id
    response = admin.post(f"/api/v1/users/{user_id}/tokens", json={"name": "x" * 2_000_000})
    assert response.status_code == 413
