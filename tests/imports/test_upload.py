"""An upload is streamed to disk under its limits, whole or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from coalition.core.errors import NotFound, StorageFull, TooLarge
from coalition.imports import upload
from tests.imports.conftest import run_async

ROOMY = upload.Limits(max_bytes=10_000, reserve_bytes=0)


async def _pieces(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def _receive(tmp_path: Path, limits: upload.Limits, *chunks: bytes) -> upload.Upload:
    return run_async(upload.receive, _pieces(*chunks), tmp_path, "../../etc/a\x00b.csv", limits)


def test_an_upload_is_stored_with_its_digest_under_a_random_name(tmp_path: Path) -> None:
    got = _receive(tmp_path, ROOMY, b"a,b\n", b"1,2\n")
    assert (got.size, got.sha256) == (8, hashlib.sha256(b"a,b\n1,2\n").hexdigest())
    assert got.name == "ab.csv" and got.path.parent == tmp_path
    assert upload.stored(tmp_path, got.token).read_bytes() == b"a,b\n1,2\n"


def test_an_upload_over_the_limit_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        _receive(tmp_path, upload.Limits(max_bytes=5, reserve_bytes=0), b"a,b\n", b"1,2\n")
    assert list(tmp_path.iterdir()) == []


def test_a_declared_length_is_refused_before_a_byte_is_read(tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        upload.check_declared(tmp_path, 10_001, ROOMY)
    everything = upload.Limits(max_bytes=1 << 62, reserve_bytes=1 << 61)
    with pytest.raises(StorageFull):
        upload.check_declared(tmp_path, 1 << 40, everything)
    upload.check_declared(tmp_path, None, ROOMY)  # unknown: checked as it streams


@pytest.mark.parametrize("token", ["", "../secret", "a" * 21, "a" * 22 + "/x", "a" * 23])
def test_only_a_token_of_its_own_shape_names_a_file(tmp_path: Path, token: str) -> None:
    with pytest.raises(NotFound):
        upload.stored(tmp_path, token)


def test_the_names_shown_are_cleaned() -> None:
    assert upload.clean_name("C:\\Users\\x\\pledges.xlsx") == "pledges.xlsx"
    assert upload.clean_name("\u202eexe.csv") == "exe.csv"
    assert upload.clean_name("") == "upload"
    assert len(upload.clean_name("a" * 1000)) == 200
