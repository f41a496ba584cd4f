"""The password rule: long enough, not common or breached, not the username, not a run."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.core.passwords import MIN_LENGTH, common_passwords, password_problem


def test_the_shipped_list_is_loaded_and_large() -> None:
    common = common_passwords()
    assert len(common) > 19_000
    assert {"password", "qwertyuiop", "1q2w3e4r5t"} <= common


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("qwertyuiop", "common and breached"),
        ("QwertyUiop", "common and breached"),
        ("basketball", "common and breached"),
        ("password2024!", "common and breached"),  # a listed password with digits added
        ("Tinkerbell 99", "common and breached"),
        ("coalition2025", "common and breached"),  # the service's own name
        ("fra.viewer-secret", "contain the username"),
        ("my FRA.VIEWER pass", "contain the username"),
        ("aaaaaaaaaaaa", "repeated"),
        ("abababababab", "repeated"),
        ("abcdefghijklm", "run of characters"),
        ("9876543210", "run of characters"),
        ("short", f"at least {MIN_LENGTH} characters"),
        ("x" * 1025, "at most 1024 characters"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, reason: str) -> None:
    problem = password_problem(password, "fra.viewer")
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "a long password", "Ceasefire holds at dawn", "t9#Kq2!vLm0z"],
)
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, "fra.viewer") is None


@given(st.text(max_size=MIN_LENGTH - 1))
def test_anything_shorter_than_the_minimum_is_refused(password: str) -> None:
    assert password_problem(password) is not None


@given(
    st.from_regex(r"[a-z][a-z0-9._-]{1,20}", fullmatch=True),
    st.text(max_size=20),
    st.text(max_size=20),
)
def test_a_password_holding_the_username_is_refused(username: str, before: str, after: str) -> None:
    assert password_problem(before + username.upper() + after, username) is not None


@given(st.text(max_size=200), st.text(max_size=64))
def test_the_rule_answers_every_input_with_none_or_one_line(password: str, username: str) -> None:
    problem = password_problem(password, username)
    assert problem is None or ("\n" not in problem and problem)
