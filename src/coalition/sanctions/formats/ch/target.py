"""One target of the SECO sanctions list, as read from its ``<target>`` element. Pure.

A ``<target ssid>`` names the sanctions sets it is listed under (``<sanctions-set-id>``,
or the attribute of that name), perhaps a ``<foreign-identifier>`` (another body's
reference), its ``<modification>`` history (listed, amended, de-listed, each dated), and
one of ``<individual>``, ``<entity>`` or ``<object object-type>``. That element holds the
target's ``<identity>`` elements (``main="true"`` for the main one, others for other
identities it is known under), its ``<justification>``, ``<other-information>`` and
``<relation>`` elements. Only these direct children are read: a ``<modification>``
repeats the target's earlier state inside ``<added>`` and ``<removed>``, which is history,
not the listing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from coalition.sanctions.formats.build import clean_text
from coalition.sanctions.formats.ch.catalogue import Catalogue, Place, place_of
from coalition.sanctions.formats.ch.dates import from_parts, read_day

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_T = TypeVar("_T")
KINDS = ("individual", "entity", "object")
DE_LISTED = "de-listed"


@dataclass(frozen=True)
class Name:
    """One ``<name>``: its parts joined in their order, and what it is."""

    full: str
    kind: str  # primary-name, alias, formerly-known-as
    quality: str  # good, low
    main: bool  # of the main identity
    parts: tuple[tuple[str, str], ...] = ()  # (name-part-type, value) in order
    variants: tuple[tuple[str, str, str], ...] = ()  # (the name so spelt, script, lang)


@dataclass(frozen=True)
class Paper:
    """One ``<identification-document>``."""

    kind: str  # passport, diplomatic-passport, id-card, ...
    number: str
    issuer: str  # as published, with its code if given: "Russia (RU)"
    issued: str
    expires: str
    remark: str


@dataclass(frozen=True)
class Modification:
    """One ``<modification>``: listed, amended or de-listed, and its dates."""

    kind: str
    enacted: dt.date | None
    published: dt.date | None
    effective: dt.date | None
    order: int  # its place among the target's modifications

    @property
    def day(self) -> dt.date | None:
        return self.effective or self.published or self.enacted


@dataclass
class Target:
    """What the list says of one target."""

    ssid: str
    line: int
    kind: str = ""  # individual, entity, object
    object_type: str = ""  # vessel, ... for an object
    sex: str = ""
    set_ids: list[str] = field(default_factory=list)
    foreign_ids: list[str] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    births: list[tuple[str | None, str]] = field(default_factory=list)  # (ISO, as published)
    birth_places: list[Place] = field(default_factory=list)
    nationalities: list[Place] = field(default_factory=list)  # a country and its code
    addresses: list[tuple[Place, str]] = field(default_factory=list)  # place, street lines
    papers: list[Paper] = field(default_factory=list)
    justifications: list[str] = field(default_factory=list)
    information: list[str] = field(default_factory=list)  # <other-information>
    relations: list[tuple[str, str]] = field(default_factory=list)  # (type, target ssid)
    modifications: list[Modification] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)  # unknown element, its text

    @property
    def latest(self) -> Modification | None:
        """The last modification: the latest day; on one day, the first given (the list
        gives a target's history newest first)."""
        dated = [m for m in self.modifications if m.day is not None]
        if not dated:
            return self.modifications[0] if self.modifications else None
        return max(dated, key=lambda m: (m.day, -m.order))

    @property
    def de_listed(self) -> bool:
        latest = self.latest
        return latest is not None and latest.kind == DE_LISTED


def _text(element: Element, tag: str) -> str:
    return clean_text(element.findtext(tag))


def _add_once(found: list[_T], item: _T) -> None:
    if item not in found:
        found.append(item)


def _unknown(t: Target, element: Element, where: str) -> None:
    """Keep an element this reader does not know, with every text inside it."""
    text = clean_text(" ".join(element.itertext()))
    attributes = ", ".join(f"{k}={v}" for k, v in element.attrib.items() if k != "ssid")
    said = "; ".join(p for p in (text, attributes) if p)
    if said:
        _add_once(t.others, (f"{where}/{element.tag}", said))


def _part_value(part: Element) -> str:
    return _text(part, "value") or clean_text(part.text)


def _order(part: Element, index: int) -> tuple[int, int]:
    order = clean_text(part.get("order"))
    return (int(order) if order.isdigit() else 10_000, index)


def _name(element: Element, main: bool) -> Name | None:
    parts = sorted(
        enumerate(element.findall("name-part")), key=lambda pair: _order(pair[1], pair[0])
    )
    typed = [(clean_text(p.get("name-part-type")), _part_value(p), p) for _, p in parts]
    spoken = [(kind, value) for kind, value, _ in typed if value and kind != "title"]
    full = " ".join(value for _, value in spoken)
    if not full:
        full = " ".join(value for _, value, _ in typed if value)  # a title alone
    if not full:
        return None
    cultures: list[tuple[str, str]] = []
    for _, _, part in typed:
        for spelling in part.findall("spelling-variant"):
            culture = (clean_text(spelling.get("script")), clean_text(spelling.get("lang")))
            if clean_text(spelling.text) and culture not in cultures:
                cultures.append(culture)
    variants = []
    for script, lang in cultures:  # the name with each part spelt in that script, if it is
        words = []
        for kind, value, part in typed:
            if kind == "title":
                continue
            spelt = [
                clean_text(v.text)
                for v in part.findall("spelling-variant")
                if (clean_text(v.get("script")), clean_text(v.get("lang"))) == (script, lang)
                and clean_text(v.text)
            ]
            words.append(spelt[0] if spelt else value)
        variant = " ".join(w for w in words if w)
        if variant and variant != full:
            variants.append((variant, script, lang))
    return Name(
        full,
        clean_text(element.get("name-type")) or "primary-name",
        clean_text(element.get("quality")) or "good",
        main,
        tuple((kind, value) for kind, value, _ in typed if value),
        tuple(variants),
    )


def _day_of(element: Element) -> tuple[str | None, str]:
    year, month, day = element.get("year"), element.get("month"), element.get("day")
    shown = ".".join(clean_text(p) for p in (day, month, year) if clean_text(p))
    return from_parts(year, month, day), shown or clean_text(" ".join(element.itertext()))


def _date_text(element: Element | None) -> str:
    """A document's date: a ``<day-month-year>`` inside it, or its text."""
    if element is None:
        return ""
    inner = element.find("day-month-year")
    if inner is None:
        inner = element if element.get("year") else None
    if inner is not None:
        iso, shown = _day_of(inner)
        return iso or shown
    return clean_text(element.text)


def _identity(t: Target, identity: Element, catalogue: Catalogue) -> None:
    main = clean_text(identity.get("main")).lower() == "true"
    for child in identity:
        tag = child.tag
        if tag == "name":
            if name := _name(child, main):
                _add_once(t.names, name)
        elif tag == "day-month-year":
            iso, shown = _day_of(child)
            if shown:
                _add_once(t.births, (iso, shown))
        elif tag == "place-of-birth":
            base = catalogue.places.get(clean_text(child.get("place-id")))
            place = place_of(child, base)
            if place != Place():
                _add_once(t.birth_places, place)
        elif tag == "nationality":
            country = child.find("country")
            if country is not None:
                place = Place(country=clean_text(country.text),
                              country_code=clean_text(country.get("iso-code")))  # fmt: skip
                if place != Place():
                    _add_once(t.nationalities, place)
            elif text := clean_text(child.text):
                _add_once(t.nationalities, Place(country=text))
        elif tag == "address":
            base = catalogue.places.get(clean_text(child.get("place-id")))
            lines = ", ".join(
                p
                for p in (
                    (f"c/o {_text(child, 'c-o')}" if _text(child, "c-o") else ""),
                    _text(child, "address-details"),
                    (f"P.O. Box {_text(child, 'p-o-box')}" if _text(child, "p-o-box") else ""),
                    _text(child, "zip-code"),
                    (f"({_text(child, 'remarks')})" if _text(child, "remarks") else ""),
                )
                if p
            )
            place = place_of(child, base)
            if lines or place != Place():
                _add_once(t.addresses, (place, lines))
        elif tag == "identification-document":
            issuer = child.find("issuer")
            issuer_text = clean_text(issuer.text) if issuer is not None else ""
            code = ""
            if issuer is not None:
                code = clean_text(issuer.get("code") or issuer.get("iso-code"))
            paper = Paper(
                clean_text(child.get("document-type")) or "other",
                _text(child, "number"),
                f"{issuer_text} ({code})" if issuer_text and code else issuer_text or code,
                _date_text(child.find("date-of-issue")),
                _date_text(child.find("expiry-date")),
                _text(child, "remark"),
            )
            if paper.number or paper.remark:
                _add_once(t.papers, paper)
        else:
            _unknown(t, child, "identity")


def _node(t: Target, node: Element, catalogue: Catalogue) -> None:
    t.kind = node.tag
    t.object_type = clean_text(node.get("object-type"))
    t.sex = clean_text(node.get("sex"))
    for child in node:
        tag = child.tag
        if tag == "identity":
            _identity(t, child, catalogue)
        elif tag == "justification":
            if text := clean_text(child.text):
                _add_once(t.justifications, text)
        elif tag == "other-information":
            if text := clean_text(child.text):
                _add_once(t.information, text)
        elif tag == "relation":
            kind = clean_text(child.get("relation-type")) or "related-to"
            if other := clean_text(child.get("target-id")):
                _add_once(t.relations, (kind, other))
        else:
            _unknown(t, child, t.kind)


def target_of(element: Element, line: int, catalogue: Catalogue) -> Target:
    """The target a ``<target>`` element describes (its tags without a namespace)."""
    t = Target(clean_text(element.get("ssid")), line)
    if given := clean_text(element.get("sanctions-set-id")):
        t.set_ids.append(given)
    for child in element:
        tag = child.tag
        if tag == "sanctions-set-id":
            if (text := clean_text(child.text)) and text not in t.set_ids:
                t.set_ids.append(text)
        elif tag == "foreign-identifier":
            if text := clean_text(child.text):
                _add_once(t.foreign_ids, text)
        elif tag == "modification":
            t.modifications.append(
                Modification(
                    clean_text(child.get("modification-type")),
                    read_day(child.get("enactment-date")),
                    read_day(child.get("publication-date")),
                    read_day(child.get("effective-date")),
                    len(t.modifications),
                )
            )
        elif tag in KINDS:
            if t.kind:
                _unknown(t, child, "target")  # a second kind: kept, not read as the target
            else:
                _node(t, child, catalogue)
        else:
            _unknown(t, child, "target")
    return t
