"""What an assembler hands back, and the one way it makes a figure. Pure.

An assembler (:mod:`coalition.briefings.daily`, :mod:`coalition.briefings.summit`) reads
other capabilities through their service functions under one principal and returns an
:class:`Assembled`: the checked :class:`~coalition.briefings.document.Document` and the
``inputs`` it was computed from (plain JSON values: ids, counts, dates). The digest of the
inputs is kept with an issued edition, so a rebuild can be checked against it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coalition.briefings.document import Document, Figure, Section, Value, digest
from coalition.core.marking import Shown


@dataclass(frozen=True)
class Assembled:
    """A built briefing and the inputs it rests on."""

    document: Document
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """The SHA-256 of the inputs in canonical JSON."""
        return digest(self.inputs)


def figure(
    key: str,
    label: str,
    value: Value,
    *,
    unit: str,
    source: str,
    cutoff: datetime,
    previous: Mapping[str, Value] | None,
    shown: Iterable[Shown] = (),
) -> Figure:
    """A figure compared with the previous edition's value of the same key.

    ``previous`` is the previous edition's figures by key, or None when there is no
    previous edition; a key the previous edition did not print counts as having no
    previous figure.
    """
    before = None if previous is None else previous.get(key)
    return Figure(
        key=key,
        label=label,
        value=value,
        unit=unit,
        source=source,
        cutoff=cutoff,
        previous=before,
        first_edition=before is None,
        shown=frozenset(shown),
    )


def values(assembled: Assembled | None) -> dict[str, Value] | None:
    """The figures of an edition by key: what the next edition compares itself with."""
    if assembled is None:
        return None
    return {f.key: f.value for f in assembled.document.figures()}


def against(current: Assembled, previous: Assembled | None) -> Assembled:
    """``current`` resting also on what its deltas quote of ``previous``.

    A delta prints the previous value, so a figure rests on the records the previous
    edition's figure of the same key rests on too; and the inputs of both editions make
    the digest, since both decide what is printed.
    """
    if previous is None:
        return Assembled(current.document, {"edition": current.inputs, "previous": None})
    before = {f.key: f for f in previous.document.figures()}

    def carried(figure: Figure) -> Figure:
        quoted = before.get(figure.key)
        if quoted is None or figure.previous is None:
            return figure
        return dataclasses.replace(figure, shown=figure.shown | quoted.shown)

    def section(part: Section) -> Section:
        return dataclasses.replace(part, figures=tuple(carried(f) for f in part.figures))

    document = dataclasses.replace(
        current.document, sections=tuple(section(s) for s in current.document.sections)
    )
    return Assembled(document, {"edition": current.inputs, "previous": previous.inputs})
