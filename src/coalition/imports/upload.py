"""Receiving an import file: streamed to disk under a size limit, its digest taken on the way.

An upload never sits whole in memory: each piece the client sends is hashed and written
as it arrives. It is refused before a byte is stored when its declared length is over the
limit or would leave the disk with less than the reserve, and refused as it streams when
it grows past either; a refused upload leaves no file behind. A stored upload is named
by a random token (never by the name the client sent) and read back only by that token.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path

from anyio import to_thread

from coalition.core.errors import NotFound, StorageFull, TooLarge

TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
_CHECK_SPACE_EVERY = 64 * 1024 * 1024  # bytes between looks at the disk's free space
_NAME_LIMIT = 200


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    reserve_bytes: int


@dataclass(frozen=True)
class Upload:
    token: str  # the stored file's name in the upload directory
    name: str  # the file's name as sent, cleaned for display
    size: int
    sha256: str
    path: Path


def clean_name(name: str) -> str:
    """The file's own name, for display: no directories, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    shown = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return shown[:_NAME_LIMIT] or "upload"


def _check_room(directory: Path, needed: int, limits: Limits) -> None:
    free = shutil.disk_usage(directory).free
    if free - needed < limits.reserve_bytes:
        raise StorageFull(
            f"the server has no room for this file ({needed} bytes would leave "
            f"{max(free - needed, 0)} free, under the {limits.reserve_bytes} kept in reserve)"
        )


def check_declared(directory: Path, declared: int | None, limits: Limits) -> None:
    """Refuse an upload by its declared length, before any of it is read."""
    if declared is None:
        return
    if declared > limits.max_bytes:
        raise TooLarge(f"the file is {declared} bytes; uploads are limited to {limits.max_bytes}")
    directory.mkdir(parents=True, exist_ok=True)
    _check_room(directory, declared, limits)


async def receive(
    chunks: AsyncIterator[bytes], directory: Path, name: str, limits: Limits
) -> Upload:
    """Store the pieces of one upload in ``directory``; see the module."""
    directory.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(16)
    partial = directory / f"{token}.part"
    digest = hashlib.sha256()
    size = 0
    next_check = _CHECK_SPACE_EVERY
    f = await to_thread.run_sync(partial.open, "xb")
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limits.max_bytes:
                raise TooLarge(f"the file is over the upload limit of {limits.max_bytes} bytes")
            if size >= next_check:
                _check_room(directory, 0, limits)
                next_check += _CHECK_SPACE_EVERY
            digest.update(chunk)
            await to_thread.run_sync(f.write, chunk)
        await to_thread.run_sync(f.close)
        final = directory / token
        partial.rename(final)
    except BaseException:
        f.close()
        partial.unlink(missing_ok=True)
        raise
    return Upload(token, clean_name(name), size, digest.hexdigest(), final)


def stored(directory: Path, token: str) -> Path:
    """The stored upload named ``token``; a token of any other shape names nothing."""
    if not TOKEN.fullmatch(token):
        raise NotFound("no such upload")
    path = directory / token
    if not path.is_file():
        raise NotFound("no such upload")
    return path


def keep(directory: Path, stored: Upload, username: str) -> None:
    """Record who uploaded ``stored``: only they may preview it or start its run."""
    about = {**asdict(stored), "path": str(stored.path), "username": username}
    (directory / f"{stored.token}.json").write_text(json.dumps(about), encoding="utf-8")


def find(directory: Path, token: str, username: str) -> Upload:
    """The upload ``token`` that ``username`` stored; anyone else's is as missing as none."""
    path = stored(directory, token)
    try:
        about = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFound("no such upload") from None
    if about.get("username") != username:
        raise NotFound("no such upload")
    return Upload(token, about["name"], int(about["size"]), about["sha256"], path)


def discard(directory: Path, token: str) -> None:
    """Remove a stored upload and its record (its run has ended, or it was never run)."""
    if TOKEN.fullmatch(token):
        (directory / token).unlink(missing_ok=True)
        (directory / f"{token}.json").unlink(missing_ok=True)
