"""Serving the application: one place that starts the web server."""

from __future__ import annotations

import typer

from coalition.core.settings import get_settings


def run_server(
    host: str | None = None, port: int | None = None, workers: int | None = None
) -> None:
    import uvicorn  # only when serving: every other command starts without it

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    processes = f", {workers} processes" if workers > 1 else ""
    typer.echo(f"serving Coalition at http://{host}:{port}{processes}  (Ctrl-C to stop)")
    # An import string, so that each worker process builds its own app and pool.
    uvicorn.run(
        "coalition.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )
