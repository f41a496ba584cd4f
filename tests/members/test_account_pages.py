"""The account pages: administrators list accounts, issue and revoke tokens, clear throttling."""

from __future__ import annotations

import re

from sqlalchemy import select

from coalition.core.db import transaction
from coalition.members.model import ApiToken
from tests.browser import browser, csrf, sign_in


def _admin(app):  # type: ignore[no-untyped-def]
    page = browser(app)
    assert sign_in(page, "gbr.admin").status_code == 303
    return page


def test_an_admin_lists_the_accounts_they_administer(app, world) -> None:  # type: ignore[no-untyped-def]
    page = _admin(app).get("/users")
    assert page.status_code == 200
    names = set(re.findall(r"<code>([a-z.]+)</code></a>", page.text))
    assert "gbr.viewer" in names and not any(n.startswith("fra.") for n in names)
    viewer = browser(app, "203.0.113.9")
    sign_in(viewer, "gbr.viewer")
    assert viewer.get("/users").status_code == 403


def test_an_admin_issues_a_token_shown_once_and_revokes_it(app, client_for, engine, world) -> None:  # type: ignore[no-untyped-def]
    admin = _admin(app)
    user_id = world.principals["gbr.viewer"].user_id
    path = f"/users/{user_id}"
    shown = admin.post(
        f"{path}/tokens", data={"name": "dashboard", "days": "7", "csrf_token": csrf(admin, path)}
    )
    assert shown.status_code == 200
    token = re.search(r"coa_[A-Za-z0-9_-]+", shown.text)
    assert token is not None and "shown this once" in shown.text
    api = client_for(None)
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(0)}"})
    assert me.json()["username"] == "gbr.viewer"

    listing = admin.get(path).text
    assert token.group(0) not in listing and "dashboard" in listing
    with transaction(engine) as session:
        row = session.scalars(select(ApiToken).where(ApiToken.name == "dashboard")).one()
        assert row.digest not in listing
        token_id = row.id
    revoke = f"{path}/tokens/{token_id}/revoke"
    assert admin.post(revoke, data={"csrf_token": "forged"}).status_code == 403
    assert (
        api.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(0)}"}).status_code
        == 200
    )
    done = admin.post(revoke, data={"csrf_token": csrf(admin, path)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == path
    assert (
        api.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(0)}"}).status_code
        == 401
    )


def test_bad_page_input_is_one_line_on_the_page(app, world) -> None:  # type: ignore[no-untyped-def]
    admin = _admin(app)
    path = f"/users/{world.principals['gbr.viewer'].user_id}"
    for data in ({"name": "x" * 121}, {"name": "ok", "days": "forever"}, {"name": ""}):
        response = admin.post(f"{path}/tokens", data={**data, "csrf_token": csrf(admin, path)})
        assert response.status_code == 422 and 'class="alert"' in response.text
    bad = admin.post(f"{path}/unlock", data={"address": "nowhere", "csrf_token": csrf(admin, path)})
    assert bad.status_code == 422 and "not an IP address" in bad.text
    cleared = admin.post(f"{path}/unlock", data={"address": "", "csrf_token": csrf(admin, path)})
    assert cleared.status_code == 200 and "Sign-in throttling cleared" in cleared.text


def test_a_user_sees_their_own_account_and_no_one_else_s(app, world) -> None:  # type: ignore[no-untyped-def]
    user = browser(app)
    assert sign_in(user, "fra.viewer").status_code == 303
    own = user.get(f"/users/{world.principals['fra.viewer'].user_id}")
    assert own.status_code == 200 and "API tokens" in own.text and "Issue a token" not in own.text
    assert user.get(f"/users/{world.principals['fra.admin'].user_id}").status_code == 403
    assert user.get("/users/0").status_code == 422
    anonymous = browser(app).get("/users/1", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_an_admin_changes_an_account_from_its_page(app, client_for, world) -> None:  # type: ignore[no-untyped-def]
    admin = _admin(app)
    user_id = world.principals["gbr.viewer"].user_id
    path = f"/users/{user_id}"
    assert 'id="change-account"' in admin.get(path).text
    done = admin.post(
        f"{path}/edit",
        data={
            "csrf_token": csrf(admin, path),
            "version": "1",
            "display_name": "Desk officer",
            "role": "contributor",
            "active": "yes",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == path
    now = client_for("gbr.admin").get(f"/api/v1/users/{user_id}").json()
    assert (now["display_name"], now["role"], now["active"]) == (
        "Desk officer",
        "contributor",
        True,
    )
    assert "Account changed." in admin.get(path).text
    stale = admin.post(
        f"{path}/edit",
        data={"csrf_token": csrf(admin, path), "version": "1", "role": "admin", "active": "yes"},
    )
    assert stale.status_code == 409
    bad = admin.post(
        f"{path}/edit",
        data={"csrf_token": csrf(admin, path), "version": "2", "role": "emperor", "active": "yes"},
    )
    assert bad.status_code == 422 and 'id="error-role"' in bad.text
    off = admin.post(
        f"{path}/edit",
        data={"csrf_token": csrf(admin, path), "version": str(now["version"]), "role": "viewer"},
        follow_redirects=False,
    )
    assert off.status_code == 303  # no "active" sent: the box was left unticked
    assert client_for("gbr.admin").get(f"/api/v1/users/{user_id}").json()["active"] is False


def test_only_an_administrator_of_the_member_changes_its_accounts(app, world) -> None:  # type: ignore[no-untyped-def]
    viewer = browser(app, "203.0.113.9")
    sign_in(viewer, "gbr.viewer")
    user_id = world.principals["gbr.viewer"].user_id
    path = f"/users/{user_id}"
    assert 'id="change-account"' not in viewer.get(path).text
    refused = viewer.post(
        f"{path}/edit", data={"csrf_token": csrf(viewer, path), "version": "1", "role": "admin"}
    )
    assert refused.status_code == 403
    foreign = world.principals["fra.viewer"].user_id
    admin = _admin(app)
    assert (
        admin.post(
            f"/users/{foreign}/edit",
            data={"csrf_token": csrf(admin, path), "version": "1", "role": "admin"},
        ).status_code
        == 404
    )
