"""Text that must say something refuses whitespace, at the schema, the API and the forms.

The first test walks every wire model of every capability: each text field that declares a
minimum length must refuse text of whitespace only, so a field added later cannot forget.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from coalition.core.wiretypes import NOT_BLANK

CAPABILITIES = ["ceasefire", "commitments", "decisions", "forcegen", "meetings", "members"]
BLANKS = [" ", "\t \n", "\u00a0\u2003", "\r\n\x1c"]
# A password is a secret, not a text that says something: its own rule judges it.
NOT_TEXT = {("UserCreate", "password")}


def _models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for name in CAPABILITIES:
        module = importlib.import_module(f"coalition.{name}.schemas")
        found += [
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls)
            and issubclass(cls, BaseModel)
            and cls.__module__ == module.__name__
        ]
    return found


def _text_fields(model: type[BaseModel]) -> list[tuple[str, int, int]]:
    """(field, minLength, maxLength) of each text field declaring a minimum length."""
    out = []
    for name, spec in model.model_json_schema()["properties"].items():
        for branch in spec.get("anyOf", [spec]):
            if branch.get("type") == "string" and branch.get("minLength", 0) >= 1:
                out.append((name, branch["minLength"], branch.get("maxLength", 1000)))
    return out


def test_every_required_text_refuses_whitespace() -> None:
    checked = 0
    for model in _models():
        for field, low, high in _text_fields(model):
            if (model.__name__, field) in NOT_TEXT:
                continue
            for blank in BLANKS:
                text = (blank * low)[: max(low, min(high, len(blank)))]
                try:
                    model.model_validate({field: text})
                    refused = False
                except ValidationError as exc:
                    refused = any(e["loc"][:1] == (field,) for e in exc.errors())
                assert refused, f"{model.__name__}.{field} accepts {text!r}"
            # The OpenAPI document says so too, so clients and fuzzers know it.
            pattern, vocabulary = _declared(model, field)
            assert (pattern is not None and re.search(pattern, " " * low) is None) or (
                vocabulary and " " * low not in vocabulary
            ), f"{model.__name__}.{field} does not declare that blank text is refused"
            checked += 1
    assert checked >= 12


def _declared(model: type[BaseModel], field: str) -> tuple[str | None, list[str]]:
    """The pattern and the vocabulary the document declares for a text field."""
    spec = model.model_json_schema()["properties"][field]
    for branch in spec.get("anyOf", [spec]):
        if branch.get("type") == "string":
            return branch.get("pattern"), branch.get("enum", [])
    return None, []


def test_text_is_stripped_and_the_pattern_is_declared() -> None:
    from coalition.commitments.schemas import CommitmentCreate

    data = CommitmentCreate.model_validate(
        {
            "member": "gbr",
            "category": "military",
            "item": "  Bridging equipment \n",
            "date_precision": "unknown",
        }
    )
    assert (data.item, data.member) == ("Bridging equipment", "GBR")
    assert CommitmentCreate.model_json_schema()["properties"]["item"]["pattern"] == NOT_BLANK


PLEDGE = {"member": "GBR", "announced_on": "2025-03-02", "category": "military", "item": "x"}


@pytest.mark.parametrize(
    ("user", "method", "path", "body"),
    [
        ("gbr.contributor", "post", "/api/v1/commitments", {**PLEDGE, "item": " \t "}),
        (
            "sec.contributor",
            "post",
            "/api/v1/meetings",
            {"title": "\u2003", "kind": "summit", "held_on": "2025-03-15"},
        ),
        ("sec.admin", "post", "/api/v1/members", {"code": "ITA", "name": "   "}),
        ("sec.admin", "patch", "/api/v1/members/GBR", {"version": 1, "name": "\n"}),
        (
            "sec.admin",
            "post",
            "/api/v1/proposals",
            {"title": "  ", "rule": "consensus", "deadline": "2099-01-01T00:00:00Z"},
        ),
        (
            "sec.admin",
            "post",
            "/api/v1/ceasefires",
            {
                "name": " ",
                "parties": ["A", "B"],
                "scope": ["all_fronts"],
                "starts_on": "2025-03-25",
            },
        ),
    ],
)
def test_the_api_refuses_blank_text(
    client_for: Any, user: str, method: str, path: str, body: dict[str, Any]
) -> None:
    response = getattr(client_for(user), method)(path, json=body)
    assert response.status_code == 422, response.text
    assert "may not be blank" in response.json()["error"]["detail"]


def test_a_blank_item_changes_no_commitment(client_for: Any) -> None:
    officer = client_for("gbr.contributor")
    created = officer.post("/api/v1/commitments", json={**PLEDGE, "item": "  Trucks  "})
    assert created.status_code == 201 and created.json()["item"] == "Trucks"
    record = created.json()["id"]
    blank = officer.patch(f"/api/v1/commitments/{record}", json={"revision": 1, "item": "  "})
    assert blank.status_code == 422
    assert officer.get(f"/api/v1/commitments/{record}").json()["item"] == "Trucks"
    assert officer.get("/api/v1/commitments").json()["total"] == 1


def _token(client: TestClient, path: str = "/") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match.group(1)


@pytest.mark.parametrize(
    ("user", "path", "form"),
    [
        ("gbr.contributor", "/commitments/new", {**PLEDGE, "item": "   "}),
        (
            "sec.contributor",
            "/meetings/new",
            {"title": " \t ", "kind": "summit", "held_on": "2025-03-15"},
        ),
        (
            "gbr.monitor",
            "/ceasefire/reports",
            {
                "source_name": "   ",
                "source_id": "1",
                "reliability": "B",
                "credibility": "2",
                "occurred_at": "2025-03-26T10:00",
                "latitude": "47.5",
                "longitude": "37.5",
                "type": "shelling",
            },
        ),
        (
            "gbr.planner",
            "/forcegen/requirements",
            {
                "label": "  ",
                "capability": "GBAD_BTY",
                "quantity": "2",
                "phase": "reassurance",
                "region": "kyiv",
                "task": "air_defence",
                "starts_on": "2025-06-01",
                "ends_on": "2025-12-31",
            },
        ),
    ],
)
def test_page_forms_refuse_blank_text(
    client_for: Any, user: str, path: str, form: dict[str, str]
) -> None:
    client = client_for(user)
    response = client.post(
        path, data={**form, "csrf_token": _token(client)}, follow_redirects=False
    )
    assert response.status_code == 422, response.text
    assert "blank" in response.text
    admin = client_for("sec.admin")
    for listing in ("commitments", "meetings", "reports", "forcegen/requirements"):
        assert admin.get(f"/api/v1/{listing}").json()["items"] == [], listing
