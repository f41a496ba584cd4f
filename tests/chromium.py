"""One Chromium for the whole run, shared by every test that drives a browser.

Playwright's synchronous API runs its own event loop for as long as it is open, and a
second one cannot start inside it; so the browser is opened once per run, here, and each
test takes a fresh context or page from it. Chromium comes from Debian
(``/usr/bin/chromium``, installed by ``make test``), never from Playwright's download.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("COALITION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that take the browser last: while it is open, Playwright's event loop
    holds the main thread, and a later test's ``asyncio.run`` would be refused."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
