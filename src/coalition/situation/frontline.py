"""The line of contact drawn from a control polygon. Pure: no database, no web.

A held area's outline runs partly along the state border (where the held ground reaches
it) and partly across the country: that second part is the line of contact. It is the
part of the polygon's boundary inside Ukraine (the union of the shipped Ukrainian
outlines, :mod:`~coalition.situation.outlines`) less whatever lies within
:data:`BORDER_MARGIN_DEG` of Ukraine's outer border or of the coast those outlines end at.
The margin absorbs the difference between a source's drawing of the border and ours; a
held area that reaches no border is all line. Ground held outside Ukraine (a
cross-border incursion) draws no line here.
"""

from __future__ import annotations

from functools import lru_cache

import shapely

from coalition.situation.outlines import outlines

BORDER_MARGIN_DEG = 0.02  # about 2 km: sources trace the border on their own base maps


@lru_cache(maxsize=1)
def _inland() -> shapely.Geometry:
    """Ukraine less a margin along its outer boundary (state border and coast)."""
    ukraine = shapely.union_all(
        [o.geometry for o in outlines() if o.code.startswith("UA-")], grid_size=1e-6
    )
    inland = shapely.buffer(ukraine, -BORDER_MARGIN_DEG)
    shapely.prepare(inland)
    return inland


def line_of_contact(held: shapely.Geometry) -> shapely.Geometry:
    """The parts of ``held``'s outline that are not the state border or the coast."""
    if held.is_empty:
        return shapely.MultiLineString()
    found = shapely.intersection(shapely.boundary(held), _inland())
    return shapely.line_merge(found) if not found.is_empty else found
