"""A list's filters as its reader names them: one declaration for the API, pages and files.

A capability declares the filters of a list once, as a :class:`ListFilters` model beside
its wire shapes (``MeetingFilters``). The API's list route and the list's export take it
as query parameters (``Annotated[MeetingFilters, Query()]``), so the document names every
filter, and a value of the wrong kind or a range whose end comes before its start is a
422 naming the parameter. The list page reads the same model from its address
(``web.pages.read_filters``): a blank field is no filter, and a refused value comes back
as reasons in plain words for the page to show beside its form, never as an error page.
The service applies the values through its listing's declared filters
(``Listing.filters``), so filters combine (all must hold) wherever the list is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError


class ListFilters(BaseModel):
    """Base of a list's filters: every field optional, ``None`` (or false) meaning "all"."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # Pairs of fields bounding a range, inclusive: ``(start, end)``; the end may not come
    # before the start.
    ranges: ClassVar[Sequence[tuple[str, str]]] = ()
    # How the page names a field where its name alone would not read well.
    labels: ClassVar[Mapping[str, str]] = {}

    @model_validator(mode="after")
    def _ranges_in_order(self) -> Self:
        for start, end in self.ranges:
            first, last = getattr(self, start), getattr(self, end)
            if first is not None and last is not None and last < first:
                raise PydanticCustomError(
                    "range_order",
                    "{end}: earlier than {start}, so nothing can match",
                    {"start": start, "end": end},
                )
        return self

    def values(self) -> dict[str, Any]:
        """Each filter by name, for the list function (``None``: not applied)."""
        return {name: getattr(self, name) for name in type(self).model_fields}
