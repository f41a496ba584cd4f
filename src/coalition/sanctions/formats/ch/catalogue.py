"""The list's own tables: its sanctions programmes and its places. Pure.

Beside its targets, the list holds two tables that targets refer to by ``ssid``:

- ``<sanctions-program ssid>``: a programme (one ordinance), with its ``<program-key>``
  (its short name, "Belarus"), its ``<program-name>`` (the ordinance's title), its
  ``<origin>`` (UN, EU, CH) and its ``<sanctions-set ssid>`` elements, each a part of the
  ordinance (an annex, an article) that a target is listed under. Names come in several
  languages (``lang="eng"``, ``ger``, ``fre``, ``ita``): English is taken when given.
- ``<place ssid>``: a place (``<location>``, ``<area>``, ``<country iso-code>``) that an
  address or a place of birth names by its ``place-id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coalition.sanctions.formats.build import clean_text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

LANGUAGE = "eng"


@dataclass(frozen=True)
class Programme:
    """One sanctions programme: an ordinance and its short name."""

    ssid: str
    key: str  # "Belarus"
    name: str  # "Ordinance of 16 March 2022 on measures against Belarus (SR 946.231.116.9)"
    origin: str  # UN, EU, CH


@dataclass(frozen=True)
class SanctionsSet:
    """One part of a programme (an annex, an article) targets are listed under."""

    ssid: str
    name: str
    programme: Programme


@dataclass(frozen=True)
class Place:
    """A place an address or a place of birth names by its id."""

    location: str = ""
    area: str = ""
    country: str = ""  # the name as published
    country_code: str = ""  # its iso-code attribute


@dataclass
class Catalogue:
    """The sanctions sets and places of one file, by ssid."""

    sets: dict[str, SanctionsSet] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def in_language(element: Element, tag: str) -> str:
    """The text of the ``tag`` children in English, else the first one given."""
    texts = [(child.get("lang", ""), clean_text(child.text)) for child in element.findall(tag)]
    texts = [(lang, text) for lang, text in texts if text]
    english = [text for lang, text in texts if lang.lower() in (LANGUAGE, "en")]
    return (english or [text for _, text in texts] or [""])[0]


def read_programme(element: Element, catalogue: Catalogue) -> None:
    """Add a ``<sanctions-program>``'s sets to ``catalogue``."""
    programme = Programme(
        clean_text(element.get("ssid")),
        in_language(element, "program-key"),
        in_language(element, "program-name"),
        clean_text(element.findtext("origin")),
    )
    by_ssid: dict[str, list[tuple[str, str]]] = {}
    for each in element.findall("sanctions-set"):
        if ssid := clean_text(each.get("ssid")):
            by_ssid.setdefault(ssid, []).append((each.get("lang", ""), clean_text(each.text)))
    for ssid, names in by_ssid.items():
        english = [text for lang, text in names if lang.lower() in (LANGUAGE, "en") and text]
        name = (english or [text for _, text in names if text] or [""])[0]
        catalogue.sets[ssid] = SanctionsSet(ssid, name, programme)


def read_place(element: Element, catalogue: Catalogue) -> None:
    """Add a ``<place>`` to ``catalogue``."""
    if ssid := clean_text(element.get("ssid")):
        catalogue.places[ssid] = place_of(element)


def place_of(element: Element, base: Place | None = None) -> Place:
    """The place an element describes, its own children over those of ``base``."""
    base = base or Place()
    country = element.find("country")
    return Place(
        clean_text(element.findtext("location")) or base.location,
        clean_text(element.findtext("area")) or base.area,
        (clean_text(country.text) if country is not None else "") or base.country,
        (clean_text(country.get("iso-code")) if country is not None else "") or base.country_code,
    )
