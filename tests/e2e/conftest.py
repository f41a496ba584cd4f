"""Browser tests: a live server over a demo database, driven by Debian's Chromium.

The server runs in a thread on a free local port over a fresh SQLite file with the demo
scenario loaded. Chromium comes from Debian (``/usr/bin/chromium``, installed by
``make test``), never from Playwright's download. Every test page records the requests
it makes; ``offsite`` lists any that left 127.0.0.1, and tests assert it stays empty.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from coalition.api import create_app
from coalition.core import migrate
from coalition.core.db import get_engine, transaction
from coalition.demo import service as demo


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("e2e") / "demo.db"
    engine = get_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(engine, actor="demo") as session:
        demo.load(session)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("the live server did not start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


class Tab:
    """A browser page that remembers every request leaving 127.0.0.1."""

    def __init__(self, browser: object, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 800})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.base = base
        self.offsite: list[str] = []
        self.page.on("request", self._watch)

    def _watch(self, request: object) -> None:
        url: str = request.url  # type: ignore[attr-defined]
        if not (
            url.startswith("http://127.0.0.1")
            or url.startswith("data:")
            or url.startswith("about:")
        ):
            self.offsite.append(url)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sign_in(self, username: str, password: str) -> None:
        self.goto("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")


@pytest.fixture
def tab(browser: object, live_server: str) -> Iterator[Tab]:
    t = Tab(browser, live_server)
    yield t
    t.context.close()
    assert t.offsite == [], f"requests left 127.0.0.1: {t.offsite}"
