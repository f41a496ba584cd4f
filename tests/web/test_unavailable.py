"""An unreachable database answers 503 with a plain page or JSON body, never a 500.

The engines here point at a port where no PostgreSQL listens and at a SQLite file in a
folder that does not exist: both fail to connect at once, as a stopped server does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from coalition.api import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'coalition.db'}")
    else:
        engine = create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:1/none",
            connect_args={"connect_timeout": 2},
        )
    with TestClient(create_app(engine), base_url="http://127.0.0.1") as client:
        yield client
    engine.dispose()


@pytest.mark.parametrize("path", ["/login", "/", "/members", "/commitments"])
def test_pages_answer_503_with_a_plain_page(unreachable: TestClient, path: str) -> None:
    response = unreachable.get(path)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["retry-after"].isdigit()
    assert "database is unavailable" in response.text
    assert "Traceback" not in response.text and "psycopg" not in response.text


@pytest.mark.parametrize("path", ["/api/v1/members", "/api/v1/commitments/summary"])
def test_api_answers_503_with_the_error_shape(unreachable: TestClient, path: str) -> None:
    response = unreachable.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert response.json() == {
        "error": {"code": "unavailable", "detail": "the database is unavailable; retry shortly"}
    }


def test_health_stays_up_and_readiness_says_not_ready(unreachable: TestClient) -> None:
    assert unreachable.get("/healthz").status_code == 200
    assert unreachable.get("/readyz").status_code == 503
