"""A commitment's status and what its deliveries say, kept in agreement. Pure.

The share delivered (by quantity where the pledge has one, else by value) and the status
must tell one story: a pledge whose deliveries reach all of it is ``delivered``; one with
part of it delivered is ``in_delivery``; ``announced`` and ``confirmed`` have nothing
delivered yet. A cancelled pledge keeps what was delivered before it was cancelled, and a
pledge without a quantity or a value has no share, so any status stands.
"""

from __future__ import annotations

from coalition.commitments.enums import Status

UNDELIVERED = (Status.ANNOUNCED, Status.CONFIRMED)


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def contradiction(status: Status, share: float | None) -> str | None:
    """Why ``status`` contradicts the deliveries recorded (``share``), or ``None``."""
    if share is None or status is Status.CANCELLED:
        return None
    if status is Status.DELIVERED and share < 1:
        return (
            f"status: the deliveries recorded come to {_pct(share)} of the commitment; "
            "record the rest before calling it delivered"
        )
    if status is Status.IN_DELIVERY and share >= 1:
        return "status: all of it has been delivered; its status is delivered"
    if status in UNDELIVERED and share > 0:
        return (
            f"status: {_pct(share)} of it has been delivered already; "
            "its status is in delivery or delivered"
        )
    return None


def status_after_delivery(status: Status, share: float | None) -> Status:
    """The status a commitment moves to once its deliveries come to ``share``."""
    if share is None or status is Status.CANCELLED:
        return status
    if share >= 1:
        return Status.DELIVERED
    if share > 0:
        return Status.IN_DELIVERY
    return status
