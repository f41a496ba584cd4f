"""Status and deliveries tell one story, stated as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coalition.commitments.enums import Status
from coalition.commitments.progress import contradiction, status_after_delivery

shares = st.none() | st.floats(0, 2, allow_nan=False)


@given(st.sampled_from(list(Status)), shares)
def test_the_status_a_delivery_moves_to_never_contradicts_it(
    status: Status, share: float | None
) -> None:
    after = status_after_delivery(status, share)
    if status is not Status.DELIVERED or share is None or share >= 1:
        assert contradiction(after, share) is None
    if status is Status.CANCELLED:
        assert after is Status.CANCELLED


@given(st.sampled_from(list(Status)), shares)
def test_a_contradiction_is_named_on_the_status_field(status: Status, share: float | None) -> None:
    said = contradiction(status, share)
    if said is not None:
        assert said.startswith("status: ")
    if share is None or status is Status.CANCELLED:
        assert said is None


def test_the_cases_people_met() -> None:
    assert contradiction(Status.DELIVERED, 0.4)
    assert contradiction(Status.CONFIRMED, 1.0)
    assert contradiction(Status.IN_DELIVERY, 0.5) is None
    assert status_after_delivery(Status.CONFIRMED, 0.25) is Status.IN_DELIVERY
    assert status_after_delivery(Status.IN_DELIVERY, 1.0) is Status.DELIVERED
