"""Briefings on the demo scenario: build, HTML and PDF for every demo account and the public.

Loads the illustrative scenario into a fresh SQLite database (or ``--database-url``), then
for each reader (the public edition and every demonstration account) and each product
(the daily report for ``--day`` and the summit pack for each summit the reader may see):

- builds the briefing through ``briefings.service.build`` (the previous period built for
  the same reader included): seconds;
- renders its HTML (``render.html``) and its PDF (``render.pdf``): seconds, bytes, pages;
- renders, in the same run and as the raw engine's floor, the same briefing's text as a
  bare HTML page (one paragraph per line, no stylesheet, no fonts of ours, no charts)
  through WeasyPrint alone: ``ratio_to_bare`` is the bare PDF time over ours.

The overall marking of each briefing is printed beside its figures. Progress goes to
stderr; the last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _bare_pdf(text: str) -> float:
    import weasyprint

    lines = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    started = time.perf_counter()
    weasyprint.HTML(string=f"<html><body>{lines}</body></html>").write_pdf()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="2025-04-01", help="The daily report's day")
    parser.add_argument("--database-url", default=None, help="Default: a fresh SQLite file")
    parser.add_argument("--readers", default="", help="Comma-separated usernames (default: all)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coalition-bench-briefings-"))
    url = args.database_url or f"sqlite:///{folder / 'demo.db'}"
    os.environ.setdefault("COALITION_SECRET_KEY", "b" * 48)
    os.environ["COALITION_DATABASE_URL"] = url

    from coalition import models  # noqa: F401 - every table, for the demo
    from coalition.briefings import render, service, summit
    from coalition.core import migrate
    from coalition.core.db import get_engine, transaction
    from coalition.core.principal import ANONYMOUS
    from coalition.demo import service as demo
    from coalition.members.acting import acting_user
    from coalition.members.demo import ACCOUNTS

    engine = get_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    with transaction(engine, actor="demo") as session:
        demo.load(session)
    print(f"demo loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    wanted = [a.username for a in ACCOUNTS]
    if args.readers:
        wanted = [u for u in args.readers.split(",") if u]
    day = dt.date.fromisoformat(args.day)
    rows: list[dict[str, Any]] = []
    for username in [None, *wanted]:
        with transaction(engine) as session:
            reader = ANONYMOUS if username is None else acting_user(session, username)
            products: list[tuple[str, Any]] = [("daily", day)]
            products += [("summit", s.id) for s in summit.summits(session, reader)]
            for kind, about in products:
                t0 = time.perf_counter()
                built = service.build(session, reader, kind, about)
                t1 = time.perf_counter()
                page = render.html(built.document)
                t2 = time.perf_counter()
                printed = render.pdf(built.document)
                t3 = time.perf_counter()
                text = "\n".join(render.texts_of_pages(printed))
                bare = _bare_pdf(text)
                row = {
                    "reader": username or "public",
                    "product": f"{kind} {about}",
                    "marking": built.document.marking.label,
                    "build_s": round(t1 - t0, 3),
                    "html_s": round(t2 - t1, 3),
                    "pdf_s": round(t3 - t2, 3),
                    "bare_pdf_s": round(bare, 3),
                    "ratio_to_bare": round(bare / (t3 - t2), 3),
                    "pages": render.page_count(printed),
                    "pdf_kb": round(len(printed) / 1024, 1),
                    "html_kb": round(len(page.encode()) / 1024, 1),
                }
                rows.append(row)
                print(
                    f"{row['reader']:<12} {row['product']:<22} {row['marking']:<22} "
                    f"build {row['build_s']:6.2f} s  html {row['html_s']:5.2f} s  "
                    f"pdf {row['pdf_s']:5.2f} s (bare {row['bare_pdf_s']:4.2f} s)  "
                    f"{row['pages']} pages",
                    file=sys.stderr,
                )
    peak = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) // 1024

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rows), 3)

    figures = {
        "briefings": len(rows),
        "readers": 1 + len(wanted),
        "median_build_s": median("build_s"),
        "median_html_s": median("html_s"),
        "median_pdf_s": median("pdf_s"),
        "median_ratio_to_bare": median("ratio_to_bare"),
        "max_total_s": round(max(r["build_s"] + r["pdf_s"] for r in rows), 3),
        "pages": {r["product"].split()[0]: r["pages"] for r in rows},
        "page_range": [min(r["pages"] for r in rows), max(r["pages"] for r in rows)],
        "peak_memory_mb": peak,
        "rows": rows,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
