"""One hierarchy of domain errors.

Domain errors carry a one-line detail and know nothing of HTTP or the shell: the API maps
them to status codes in one table (``coalition.api``) and the CLI to exit codes (here,
beside the classes, so the two can be read together).
"""

from __future__ import annotations


class CoalitionError(Exception):
    """Base of every error a user may see; ``detail`` is one line, safe to show."""

    code = "error"
    exit_code = 1

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(CoalitionError):
    """The record does not exist, or the reader may not see it (the two look the same)."""

    code = "not_found"
    exit_code = 3


class Invalid(CoalitionError):
    """The input breaks a rule of the domain or of the wire format."""

    code = "invalid"
    exit_code = 2


class Conflict(CoalitionError):
    """The write is stale or collides with an existing record."""

    code = "conflict"
    exit_code = 4


class Forbidden(CoalitionError):
    """The principal may see the record but may not do this to it."""

    code = "forbidden"
    exit_code = 5


class Unauthenticated(CoalitionError):
    """No valid credentials were presented."""

    code = "unauthenticated"
    exit_code = 6


class TooManyAttempts(CoalitionError):
    """Sign-in is slowed down after repeated failures; retry after ``retry_after`` seconds."""

    code = "too_many_attempts"
    exit_code = 7

    def __init__(self, detail: str, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(CoalitionError):
    """The database is unreachable or every connection is busy; the same call may work later.

    ``retry_after`` is the number of seconds a client should wait before trying again.
    """

    code = "unavailable"
    exit_code = 10

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TooLarge(CoalitionError):
    """The input is larger than this instance accepts; nothing of it was kept."""

    code = "too_large"
    exit_code = 2


class StorageFull(CoalitionError):
    """The server has no room for the input; nothing of it was kept."""

    code = "storage_full"
    exit_code = 11


class ConfigurationError(CoalitionError):
    """The instance is configured unsafely or inconsistently; it refuses to start."""

    code = "configuration"
    exit_code = 8


class IntegrityFailure(CoalitionError):
    """The audit chain or an audited row was altered outside the application."""

    code = "integrity"
    exit_code = 9
