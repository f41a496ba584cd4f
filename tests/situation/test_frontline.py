"""The line of contact: the held area's outline less the state border and the coast."""

from __future__ import annotations

import shapely

from coalition.situation.frontline import line_of_contact


def test_ground_held_inside_the_country_is_all_line() -> None:
    held = shapely.box(35.0, 48.0, 35.5, 48.5)  # inland, around Dnipro's east
    line = line_of_contact(held)
    assert abs(line.length - held.exterior.length) < 1e-9


def test_ground_reaching_the_border_leaves_the_border_out() -> None:
    # A strip from inland to well beyond the eastern border: what is left of its outline
    # is its western side and its two long edges up to the border.
    held = shapely.box(38.5, 48.6, 42.0, 49.0)
    line = line_of_contact(held)
    west, _, east, _ = line.bounds
    assert west == 38.5
    assert east < 40.5  # the state border near Luhansk lies at about 39.7-40.2 E
    assert line.length < held.exterior.length / 2


def test_nothing_held_is_no_line() -> None:
    assert line_of_contact(shapely.Polygon()).is_empty
