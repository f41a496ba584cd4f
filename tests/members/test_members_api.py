"""The member register over the API: reading, keeping it, and who may."""

from __future__ import annotations


def test_lists_members_with_counts(client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(None).get("/api/v1/members?limit=2").json()
    assert body["total"] == 6 and len(body["items"]) == 2 and body["limit"] == 2
    states = client_for("gbr.viewer").get("/api/v1/members?kind=state").json()
    assert {m["code"] for m in states["items"]} == {"GBR", "FRA", "POL", "DEU"}


def test_member_detail(client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for(None).get("/api/v1/members/fra").json()
    assert body["name"] == "France" and body["marking"]["label"] == "PUBLIC"


def test_secretariat_admin_adds_a_state_named_from_iso(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("sec.admin").post(
        "/api/v1/members", json={"code": "NLD", "marking": "PUBLIC"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Netherlands"


def test_unknown_iso_code_is_invalid(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("sec.admin").post("/api/v1/members", json={"code": "XYZ"})
    assert response.status_code == 422
    assert "ISO 3166" in response.json()["error"]["detail"]


def test_only_secretariat_admins_keep_the_register(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("gbr.admin").post("/api/v1/members", json={"code": "NLD"}).status_code == 403
    assert (
        client_for("gbr.contributor").post("/api/v1/members", json={"code": "NLD"}).status_code
        == 403
    )
    assert client_for(None).post("/api/v1/members", json={"code": "NLD"}).status_code == 401


def test_duplicate_member_is_a_conflict(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("sec.admin").post("/api/v1/members", json={"code": "FRA"}).status_code == 409


def test_stale_edit_is_a_conflict_and_changes_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    first = admin.patch("/api/v1/members/FRA", json={"version": 1, "population": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = admin.patch("/api/v1/members/FRA", json={"version": 1, "population": 2})
    assert stale.status_code == 409
    assert admin.get("/api/v1/members/FRA").json()["population"] == 1


def test_left_before_joined_is_invalid(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("sec.admin").patch(
        "/api/v1/members/FRA", json={"version": 1, "left_on": "2020-01-01"}
    )
    assert response.status_code == 422


def test_admins_manage_users_of_their_own_member(client_for) -> None:  # type: ignore[no-untyped-def]
    gbr = client_for("gbr.admin")
    names = {u["username"] for u in gbr.get("/api/v1/users").json()["items"]}
    assert names and all(n.startswith("gbr.") for n in names)
    new = {"username": "gbr.new", "member": "GBR", "role": "viewer", "password": "long enough pass"}
    assert gbr.post("/api/v1/users", json=new).status_code == 201
    other = {**new, "username": "fra.new", "member": "FRA"}
    assert gbr.post("/api/v1/users", json=other).status_code == 403
    assert client_for("sec.admin").post("/api/v1/users", json=other).status_code == 201
    assert client_for("gbr.viewer").get("/api/v1/users").status_code == 403


def test_deactivated_user_token_stops_working(client_for) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("sec.admin")
    user = next(
        u
        for u in admin.get("/api/v1/users?limit=500").json()["items"]
        if u["username"] == "fra.viewer"
    )
    viewer = client_for("fra.viewer")
    assert viewer.get("/api/v1/me").json()["username"] == "fra.viewer"
    patched = admin.patch(
        f"/api/v1/users/{user['id']}", json={"version": user["version"], "active": False}
    )
    assert patched.status_code == 200
    assert viewer.get("/api/v1/me").status_code == 401
