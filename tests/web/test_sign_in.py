"""Web sign-in: cookies, CSRF on every form, throttling, sign-out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.world import PASSWORD


def _token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "every form carries a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, token: str | None = None):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password, "csrf_token": token or _token(client)}
    return client.post("/login", data=data, follow_redirects=False)


def test_sign_in_sets_a_safe_cookie_and_shows_the_user(client, world) -> None:  # type: ignore[no-untyped-def]
    response = _sign_in(client, "gbr.viewer")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("coalition_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "gbr.viewer" in client.get("/").text


def test_wrong_csrf_token_is_refused_and_signs_nobody_in(client, world) -> None:  # type: ignore[no-untyped-def]
    _token(client)
    response = _sign_in(client, "gbr.viewer", token="forged")
    assert response.status_code == 403
    assert "coalition_session" not in client.cookies


def test_forged_csrf_cookie_is_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _token(client)
    client.cookies.clear()
    client.cookies.set("coalition_csrf", "tampered." + token)
    assert _sign_in(client, "gbr.viewer", token=token).status_code == 403


def test_sign_out_needs_the_token_and_ends_the_session(client, world) -> None:  # type: ignore[no-untyped-def]
    _sign_in(client, "gbr.viewer")
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert "gbr.viewer" in client.get("/").text
    client.post("/logout", data={"csrf_token": _token(client, "/")}, follow_redirects=False)
    assert "gbr.viewer" not in client.get("/").text


def test_guessing_is_throttled(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _token(client)
    for _ in range(5):
        assert _sign_in(client, "fra.viewer", "wrong password!", token).status_code == 401
    throttled = _sign_in(client, "fra.viewer", PASSWORD, token)
    assert throttled.status_code == 429 and "too many failed sign-ins" in throttled.text
    # Another account from the same address is not locked out by one person's typos.
    assert _sign_in(client, "gbr.viewer", PASSWORD, token).status_code == 303


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, world) -> None:  # type: ignore[no-untyped-def]
    a = _sign_in(client, "nobody.here", "whatever pass")
    b = _sign_in(client, "fra.viewer", "whatever pass")
    assert a.status_code == b.status_code == 401
    assert "wrong username or password" in a.text and "wrong username or password" in b.text


def test_next_never_leaves_the_site(client, world) -> None:  # type: ignore[no-untyped-def]
    token = _token(client)
    data = {
        "username": "gbr.viewer",
        "password": PASSWORD,
        "csrf_token": token,
        "next": "//evil.example/x",
    }
    assert client.post("/login", data=data, follow_redirects=False).headers["location"] == "/"


def test_pages_carry_security_headers_and_no_outside_links_to_load(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/members")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert not re.search(r'(src|href)="https?://', response.text)


def test_cookies_carry_secure_in_production(engine) -> None:  # type: ignore[no-untyped-def]
    from coalition.api import create_app
    from coalition.core.settings import Settings

    production = Settings(environment="production", secret_key="s" * 40, audit_keys="k:" + "a" * 40)
    with TestClient(create_app(engine, production), base_url="https://127.0.0.1") as browser:
        cookie = browser.get("/login").headers["set-cookie"]
    assert cookie.startswith("coalition_csrf=") and "Secure" in cookie
