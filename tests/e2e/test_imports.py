"""A monitor imports a report file from the browser: uploads it, reads the preview, starts
the import, watches it finish without reloading, downloads the rejected rows, and goes
from an imported report back to its run. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.e2e.conftest import Tab

HEADER = (
    "source_kind,source_name,source_id,reliability,credibility,occurred_at,latitude,"
    "longitude,type,casualties,text\n"
)


def _file(tmp_path: Path) -> Path:
    rows = [
        f"monitor_patrol,browser-patrol,BP-{i},B,2,2024-11-11T{8 + i % 10:02d}:{i % 60:02d}:00Z,"
        f"{'95.5' if i == 4 else 47 + i / 50},{36 + i / 40},shelling,0,uploaded from the browser\n"
        for i in range(400)
    ]
    path = tmp_path / "patrol-week.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_monitor_imports_a_file_and_follows_it_to_the_end(tab: Tab, tmp_path: Path) -> None:
    tab.sign_in("pol.monitor", "demo-monitor-pass")
    tab.goto("/ceasefire/incidents")
    tab.page.click("text=Import a report file")
    tab.page.wait_for_url("**/imports/new?importer=reports")
    tab.page.set_input_files("input[name=file]", str(_file(tmp_path)))
    tab.page.click("button[type=submit] >> text=Upload and preview")
    tab.page.wait_for_url("**/imports/uploads/*")
    main = tab.page.inner_text("main")
    assert "delimited text" in main and "BP-0" in main
    assert "latitude" in tab.page.inner_text("main table:last-of-type")  # the bad row, line 6
    tab.page.click("button[type=submit] >> text=Start the import")
    tab.page.wait_for_url(re.compile(r".*/imports/[0-9a-f]{16}$"))
    run_url = tab.page.url
    # The page follows the run by itself until it is done.
    # The page follows the run by itself, and shows the final counts once it is done.
    tab.page.locator('#progress[data-state="done"]').wait_for(timeout=60_000)
    main = tab.page.inner_text("main")
    assert re.search(r"Inserted\s+399", main) and re.search(r"Rejected\s+1", main), main
    with tab.page.expect_download() as download:
        tab.page.click("a[href*='/rejects?format=csv']")
    rejects = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r for r in rejects if r and r[0] == "6"], rejects
    # From an imported report back to its run.
    tab.goto("/ceasefire/incidents?since=2024-11-11&until=2024-11-11")
    tab.page.locator("#incidents a[href^='/ceasefire/incidents/']").first.click()
    tab.page.wait_for_url("**/ceasefire/incidents/*")
    tab.page.locator("a >> text=import run").first.click()
    tab.page.wait_for_url(run_url)
    assert "patrol-week.csv" in tab.page.inner_text("h1")
