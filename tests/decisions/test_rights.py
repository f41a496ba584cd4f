"""Who may state a member's position: the rule alone, for every role and member."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coalition.core.principal import Principal, Role
from coalition.decisions.rights import POSITION_ROLES, may_state_position, position_refusal

CODES = st.sampled_from(["GBR", "FRA", "POL", "DEU", "EU", "SEC"])
ROLES = st.sampled_from(list(Role))


@given(own=CODES, member=CODES, role=ROLES)
def test_only_a_members_liaison_officers_and_administrators_speak_for_it(
    own: str, member: str, role: Role
) -> None:
    principal = Principal(username="someone", member=own, role=role)
    assert may_state_position(principal, member) == (
        own == member and role in (Role.CONTRIBUTOR, Role.ADMIN)
    )


@given(own=CODES, member=CODES, role=ROLES)
def test_every_refusal_gives_its_reason_in_plain_words(own: str, member: str, role: Role) -> None:
    refusal = position_refusal(Principal(username="someone", member=own, role=role), member)
    if own != member:
        assert refusal == "you may state the position of your own member only"
    elif role not in POSITION_ROLES:
        assert refusal is not None and f"your role ({role.value})" in refusal


@given(member=CODES)
def test_the_public_states_nothing(member: str) -> None:
    assert position_refusal(Principal(), member) == "sign in to state your member's position"


def test_planners_monitors_and_viewers_read_positions_only() -> None:
    for role in (Role.PLANNER, Role.MONITOR, Role.VIEWER):
        assert role not in POSITION_ROLES
