"""Optimistic concurrency for edits: a write names the version it read."""

from __future__ import annotations

from typing import Any

from coalition.core.errors import Conflict


def check_version(row: Any, version: int) -> None:
    """Refuse a write based on an older (or newer) version than the stored one."""
    if row.version != version:
        raise Conflict(
            f"{row.__tablename__.rstrip('s')} was changed by someone else "
            f"(you edited version {version}, it is now version {row.version}); reload and retry"
        )


def apply_patch(row: Any, patch: dict[str, Any]) -> None:
    """Set each field of ``patch`` on ``row``; ``None`` means leave unchanged."""
    for key, value in patch.items():
        if value is not None:
            setattr(row, key, value)
