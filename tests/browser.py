"""A browser for tests: a client at a chosen address that fetches CSRF tokens and signs in."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from tests.world import PASSWORD


def browser(app: FastAPI, address: str = "203.0.113.5") -> TestClient:
    """A client whose connections come from ``address`` (documentation ranges only)."""
    return TestClient(app, base_url="http://127.0.0.1", client=(address, 50000))


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"{path} carries a CSRF token"
    return match.group(1)


def sign_in(
    client: TestClient,
    username: str,
    password: str = PASSWORD,
    headers: dict[str, str] | None = None,
) -> Response:
    data = {"username": username, "password": password, "csrf_token": csrf(client)}
    return client.post("/login", data=data, headers=headers or {}, follow_redirects=False)


def signed_in_as(client: TestClient) -> str | None:
    """Who the page header says is signed in, or ``None`` for the public view."""
    match = re.search(r'<a href="/users/\d+"><strong>([^<]+)</strong></a>', client.get("/").text)
    return match.group(1) if match else None
