"""What a capability's importer offers the browser, the API and the job queue.

A capability registers an :class:`Importer` in its ``CAPABILITY``; the imports capability
lists them (upload forms, previews, runs in the background) without knowing any of them.
An importer reads a file already on disk and reports through :class:`Hooks`: each row it
refuses, how far it has read, and it stops between batches once asked to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coalition.core.errors import CoalitionError, NotFound
from coalition.core.marking import Marking
from coalition.core.sniff import Sniffed

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from coalition.core.principal import Principal

PREVIEW_ROWS = 10  # rows a preview shows
PREVIEW_PROBLEMS = 20  # problems a preview lists, at most


class Cancelled(CoalitionError):
    """The run was asked to stop; everything before the batch in flight is stored."""

    code = "cancelled"
    exit_code = 12


@dataclass(frozen=True)
class Preview:
    """A file's first rows as the importer reads them, before anything is written."""

    layout: str
    columns: list[str]  # the file's own columns, in order
    mapping: dict[str, str]  # file column -> the field it fills ("" where it is not read)
    missing: list[str]  # fields the layout needs that no column gives
    fields: list[str]  # the fields each row below shows, in order
    rows: list[tuple[int, list[str]]]  # (line, values) of the first rows read
    problems: list[tuple[int, str]]  # (line, reason) of the first rows refused
    read: int  # rows read for the preview
    note: str = ""  # anything else the reader should know (date order found, encoding)


@dataclass
class Hooks:
    """How an importer reports while it runs."""

    reject: Callable[[int, str, str], None] = lambda line, reason, column: None
    # Rows read so far (None where the importer counts them only at the end) and the
    # bytes of the file read so far, for the rate and the time left.
    progress: Callable[[int | None, int], None] = lambda rows, position: None
    # Asked between batches; True stops the run with :class:`Cancelled`.
    stop_requested: Callable[[], bool] = lambda: False

    def check(self) -> None:
        if self.stop_requested():
            raise Cancelled("cancelled; the batches before it are stored")


@dataclass(frozen=True)
class Outcome:
    """What a run did: its counts, what it found of the file, and whether it broke off."""

    counts: Mapping[str, int]  # read, inserted, updated, unchanged, rejected
    found: Mapping[str, Any] = field(default_factory=dict)  # date order, encoding, ...
    broken: str | None = None  # where the file broke off: the run fails with this


Previewer = Callable[["Session", "Principal", Path, str, Mapping[str, Any]], Preview]
Runner = Callable[["Engine", "Principal", Path, str, Mapping[str, Any], str, Hooks], Outcome]


@dataclass(frozen=True)
class Importer:
    """One importer of a capability, as the imports capability offers it.

    ``name`` is what a run records as its capability ("reports"); ``layouts`` the formats
    it reads, the first the default; ``guess`` names the layout a sniffed file is most
    likely in (or None: none of them); ``marking`` is the run's default marking.
    ``preview`` reads the first rows of a stored file, in the caller's session, and writes
    nothing; ``run`` imports
    it whole, as the given principal, its batches stamped with the run's key (``key:n``;
    a resumed run's later attempts ``key.2:n``, ``key.3:n``, so that what an earlier
    attempt stored counts as already held).
    """

    name: str
    label: str
    layouts: Sequence[str]
    page: str
    marking: Marking
    guess: Callable[[Sniffed], str | None]
    preview: Previewer
    run: Runner
    options: Sequence[str] = ()  # the option names ``preview`` and ``run`` read


# The importers the registered capabilities offer, by name (see ``install_importers``).
IMPORTERS: dict[str, Importer] = {}


def importer_named(name: str) -> Importer:
    try:
        return IMPORTERS[name]
    except KeyError:
        raise NotFound(f"no importer named {name!r}") from None
