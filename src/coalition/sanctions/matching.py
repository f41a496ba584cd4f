"""Which listings on different sanctions lists may name the same target, and how sure. Pure.

A :class:`Target` is one listed person, organisation, vessel, aircraft or vehicle of one
list (:func:`target_of` reads it from an FtM entity; a Sanction or an address is not a
target). :func:`candidates` finds the pairs of targets on *different* lists that may be
one, in three steps, the way nomenklatura's blocking index and matcher do:

1. **Profiles.** Each target is reduced to what matching reads: its name keys (each name
   casefolded and tokenised by rigour, legal forms such as "OOO", "PAO" or "Limited
   Liability Company" removed for organisations, every token transliterated to Latin,
   tokens sorted, so "Общество с ограниченной ответственностью «Ромашка»" and "Romashka
   LLC" are both ``romashka``), the metaphone of each name, its strong identifiers
   (:data:`STRONG`, normalised: upper case, letters and digits only, an "IMO" prefix
   dropped, a BIC cut to its 8-character institution code), its years (birth,
   incorporation, build) and its countries.
2. **Blocks.** Targets that share a key are compared; keys are kept apart per schema
   family (:data:`FAMILIES`), so a person is never compared with a vessel. A target's keys
   are its strong identifiers and, per name, its rare tokens: those held by at most
   :data:`BLOCK_CAP` targets, the rarest :data:`TOKENS_PER_NAME` of them, in spelling and
   in sound (metaphone: "Aleksandr" and "Alexander" sound alike). A name whose tokens are
   all common ("Ivan Ivanov") is keyed by the pair of its two rarest tokens instead. Any
   key held by more than :data:`BLOCK_CAP` targets is dropped: a block of k targets
   costs k² comparisons, and a token that common says little; a strong identifier held
   by more than :data:`BLOCK_CAP` targets is a placeholder, not an identifier.
3. **Scores.** Each pair is scored by :func:`compare`: the best similarity of their name
   keys (rapidfuzz), raised when years, countries or identifiers agree and lowered when
   they disagree. A pair that shares a strong identifier and disagrees on none is a
   ``strong:<identifier>`` candidate with score 1.0; the others are ``name`` candidates.

Cost: profiles O(n·names); each target is compared with at most (keys × BLOCK_CAP) others,
each pair once (dedup per target, no global pair set), so the work is O(n) with a constant
bounded by the cap; memory is the profiles and the postings, O(n·keys), with no
per-pair state but the candidates kept. 500,000 targets take a few minutes on one core
(``bench/sanctions_match.py``).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz
from rigour.names import normalize_name, remove_org_types, remove_person_prefixes
from rigour.text import ascii_text, metaphone

THRESHOLD = 0.86  # tuned on bench/sanctions_match.py: see its docstring for the figures
BLOCK_CAP = 64
TOKENS_PER_NAME = 2
MAX_NAMES = 16  # names (with aliases) of one target read; lists rarely give more

# The schemas a list names as targets, and the families a schema may match within: a
# LegalEntity may be a person or an organisation, a Vehicle a vessel or an aircraft.
FAMILIES: Mapping[str, tuple[str, ...]] = {
    "Person": ("person",),
    "LegalEntity": ("person", "org"),
    "Organization": ("org",),
    "Company": ("org",),
    "PublicBody": ("org",),
    "Vessel": ("vessel",),
    "Airplane": ("aircraft",),
    "Vehicle": ("vessel", "aircraft", "vehicle"),
}

# Strong identifiers: (identifier, FtM properties holding it, whether it is only
# meaningful with a country). Registration and passport numbers are issued per country:
# they match only where the two targets' countries do not disagree.
STRONG: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("imoNumber", ("imoNumber",), False),
    ("mmsi", ("mmsi",), False),
    ("swiftBic", ("swiftBic",), False),
    ("leiCode", ("leiCode",), False),
    ("ogrnCode", ("ogrnCode",), False),
    ("taxNumber", ("taxNumber", "innCode"), False),
    ("unscId", ("unscId",), False),
    ("registrationNumber", ("registrationNumber",), True),
    ("passportNumber", ("passportNumber",), True),
)
YEARS = ("birthDate", "incorporationDate", "buildDate")
COUNTRIES = ("country", "nationality", "citizenship", "jurisdiction", "flag")
NAMES = ("name", "alias", "previousName")
PERSON_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
READ = frozenset(
    {p for _, props, _ in STRONG for p in props}
    | set(YEARS)
    | set(COUNTRIES)
    | set(NAMES)
    | set(PERSON_PARTS)
)

MIN_ID_CHARS = 4  # a shorter "number" (``0``, ``N/A``) identifies nothing

# Score adjustments (added to the name similarity, then clamped to 0..1).
YEAR_AGREES, YEAR_DISAGREES = 0.08, -0.30
COUNTRY_AGREES, COUNTRY_DISAGREES = 0.03, -0.08
ID_AGREES, ID_DISAGREES = 0.10, -0.40
DROPPED_PART = 0.05  # a name that drops a part ("Ivan Petrov" of "Ivan Ilyich Petrov")
SOUND_WEIGHT = 0.95  # names alike only in sound
NAMES_AGREE = 0.8  # the similarity from which names count as agreeing in the evidence

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def is_target(schema: str) -> bool:
    """Whether entities of ``schema`` are matched across lists (a Sanction is not)."""
    return schema in FAMILIES


@dataclass(frozen=True, slots=True)
class Target:
    """One listed target: ``ref`` is ``list_code:entity_id``; ``names`` every name and
    alias; ``properties`` the FtM properties matching reads (:data:`READ`)."""

    ref: str
    list_code: str
    schema: str
    names: tuple[str, ...]
    properties: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


def target_of(list_code: str, entity: Mapping[str, Any]) -> Target | None:
    """The target an FtM entity (its ``to_dict()`` form) names, or None if its schema is
    not a target's. A person listed only by name parts gets them joined as its name."""
    schema = str(entity.get("schema", ""))
    if not is_target(schema):
        return None
    raw = entity.get("properties") or {}
    properties = {
        prop: tuple(str(v) for v in values) for prop, values in raw.items() if prop in READ
    }
    names = [n for prop in NAMES for n in properties.get(prop, ())]
    if not names:
        parts = [properties[p][0] for p in PERSON_PARTS if properties.get(p)]
        if parts:
            names.append(" ".join(parts))
    return Target(
        ref=f"{list_code}:{entity['id']}",
        list_code=list_code,
        schema=schema,
        names=tuple(dict.fromkeys(names)),
        properties=properties,
    )


class Evidence(NamedTuple):
    """One property compared: its values on either side and whether they agree."""

    prop: str
    left: str
    right: str
    verdict: str  # "agree" or "disagree"


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two targets on different lists that may be one (``left_ref < right_ref``)."""

    left_ref: str
    right_ref: str
    score: float
    rule: str  # "strong:<identifier>" or "name"
    evidence: tuple[Evidence, ...]


# Names --------------------------------------------------------------------------------


# Spellings that transliteration schemes choose between for one Cyrillic letter, folded
# to one: Yevgeniy, Evgeniy and Evgeny are all EVGENI; Aleksandr and Alexander differ by
# one letter; Mikhail and Mihail are MIHAIL.
_FOLDS = (
    ("KH", "H"),
    ("X", "KS"),
    ("W", "V"),
    ("PH", "F"),
    ("TZ", "TS"),
    ("J", "I"),
    ("Y", "I"),
    ("II", "I"),
    ("IE", "E"),
    ("IU", "U"),
    ("IA", "A"),
    ("IO", "O"),
)
_DOUBLED = re.compile(r"([A-Z])\1+")


@lru_cache(maxsize=1 << 18)
def _latin(token: str) -> tuple[str, ...]:
    """A token as matching compares it: Latin capitals and digits (transliterated when
    it is not Latin), with transliteration variants folded (:data:`_FOLDS`)."""
    text = token if token.isascii() else ascii_text(token)
    out = []
    for part in _NOT_ALNUM.split(text.upper()):
        if not part:
            continue
        if not part.isdigit():
            for variant, folded in _FOLDS:
                part = part.replace(variant, folded)
            part = _DOUBLED.sub(r"\1", part)
        out.append(part)
    return tuple(out)


@lru_cache(maxsize=1 << 18)
def _sound(token: str) -> str:
    """A token's metaphone, or the token itself when it has none (digits)."""
    return metaphone(token) or token


def name_key(name: str, organisation: bool) -> str:
    """A name as matching compares it: Latin tokens, legal forms dropped, sorted.

    ``organisation`` drops legal forms ("OOO", "PJSC", "Limited Liability Company");
    otherwise honorifics ("Mr", "Dr") are dropped.
    """
    text = normalize_name(name)
    if not text:
        return ""
    stripped = remove_org_types(text) if organisation else remove_person_prefixes(text)
    if stripped.strip():
        text = stripped
    tokens = [t for token in text.split() for t in _latin(token)]
    return " ".join(sorted(tokens))


def _sound_key(key: str) -> str:
    return " ".join(sorted(_sound(t) for t in key.split()))


# Profiles -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Profile:
    """What matching reads of one target."""

    ref: str
    list_code: str
    families: tuple[str, ...]
    keys: tuple[str, ...]
    sounds: tuple[str, ...]
    years: frozenset[str]
    countries: frozenset[str]
    ids: dict[str, frozenset[str]]


_EMPTY: frozenset[str] = frozenset()


def _identifier(name: str, value: str) -> str:
    clean = _NOT_ALNUM.sub("", value.upper())
    if name == "imoNumber" and clean.startswith("IMO"):
        clean = clean[3:]
    if name == "swiftBic":
        clean = clean[:8] if len(clean) >= 8 else ""
    return clean if len(clean) >= MIN_ID_CHARS else ""


def _profile(target: Target) -> _Profile:
    props = target.properties
    families = FAMILIES[target.schema]
    organisation = "person" not in families
    keys = tuple(
        dict.fromkeys(k for n in target.names[:MAX_NAMES] if (k := name_key(n, organisation)))
    )
    ids: dict[str, frozenset[str]] = {}
    for name, sources, _ in STRONG:
        values = frozenset(
            v for p in sources for raw in props.get(p, ()) if (v := _identifier(name, raw))
        )
        if values:
            ids[name] = values
    years = frozenset(v[:4] for p in YEARS for v in props.get(p, ()) if v[:4].isdigit())
    countries = frozenset(v.lower() for p in COUNTRIES for v in props.get(p, ()))
    return _Profile(
        ref=target.ref,
        list_code=target.list_code,
        families=families,
        keys=keys,
        sounds=tuple(dict.fromkeys(_sound_key(k) for k in keys)),
        years=years or _EMPTY,
        countries=countries or _EMPTY,
        ids=ids,
    )


# Scoring ------------------------------------------------------------------------------


def _aligned(ka: str, kb: str) -> float:
    """How well the tokens of the shorter name match tokens of the longer (0..100), each
    token its best match, weighted by length; each token of the longer left over costs
    :data:`DROPPED_PART`. "Ivan Petrov" against "Petrov Ivan Ilyich" is 100 less one part."""
    ta, tb = ka.split(), kb.split()
    if len(ta) > len(tb):
        ta, tb = tb, ta
    if len(ta) < 2:
        return 0.0
    left = list(tb)
    total = weight = 0.0
    for token in ta:
        best, at = 0.0, 0
        for i, other in enumerate(left):
            score = fuzz.ratio(token, other)
            if score > best:
                best, at = score, i
        del left[at]
        total += best * len(token)
        weight += len(token)
    return total / weight * (1 - DROPPED_PART * len(left))


def _name_similarity(a: _Profile, b: _Profile) -> tuple[float, str, str]:
    """The best similarity (0..1) of any name of ``a`` with any of ``b``, and the two."""
    best, left, right = 0.0, "", ""
    for ka in a.keys:
        for kb in b.keys:
            score = fuzz.ratio(ka, kb)
            if score < 100 and " " in ka and " " in kb:
                score = max(score, _aligned(ka, kb))
            if score > best:
                best, left, right = score, ka, kb
    if best < 100:
        for sa in a.sounds:
            for sb in b.sounds:
                score = SOUND_WEIGHT * fuzz.ratio(sa, sb)
                if score > best:
                    best, left, right = score, sa, sb
    return best / 100.0, left, right


def _compare(a: _Profile, b: _Profile, threshold: float) -> Candidate | None:
    if a.list_code == b.list_code or not set(a.families) & set(b.families):
        return None
    if a.ref > b.ref:  # the same pair is scored the same way whichever side it came from
        a, b = b, a
    agree: list[str] = []
    disagree: list[str] = []
    countries_disagree = bool(a.countries and b.countries and not a.countries & b.countries)
    if a.ids and b.ids:
        for name, _, per_country in STRONG:
            va, vb = a.ids.get(name), b.ids.get(name)
            if va is None or vb is None:
                continue
            if va & vb:
                if not (per_country and countries_disagree):
                    agree.append(name)
            elif not per_country:
                # Two registration or passport numbers differ for one target that holds
                # several; a vessel has one IMO number, a company one tax number.
                disagree.append(name)
    similarity, left_name, right_name = _name_similarity(a, b)
    score = similarity
    if a.years and b.years:
        score += YEAR_AGREES if a.years & b.years else YEAR_DISAGREES
    if a.countries and b.countries:
        score += COUNTRY_DISAGREES if countries_disagree else COUNTRY_AGREES
    score += ID_AGREES * len(agree) + ID_DISAGREES * len(disagree)
    strong = bool(agree) and not disagree
    if not strong and score < threshold:
        return None
    score = 1.0 if strong else min(1.0, max(0.0, score))
    rule = f"strong:{agree[0]}" if strong else "name"
    names = Evidence(
        "name", left_name, right_name, "agree" if similarity >= NAMES_AGREE else "disagree"
    )
    return _candidate(a, b, score, rule, names, agree + disagree)


def _candidate(
    a: _Profile,
    b: _Profile,
    score: float,
    rule: str,
    names: Evidence,
    compared_ids: list[str],
) -> Candidate:
    evidence = [names]
    for name in compared_ids:
        common = a.ids[name] & b.ids[name]
        left = min(common) if common else min(a.ids[name])
        right = min(common) if common else min(b.ids[name])
        evidence.append(Evidence(name, left, right, "agree" if common else "disagree"))
    for prop, va, vb in (("year", a.years, b.years), ("country", a.countries, b.countries)):
        if va and vb:
            common = va & vb
            left = min(common) if common else ", ".join(sorted(va))
            right = min(common) if common else ", ".join(sorted(vb))
            evidence.append(Evidence(prop, left, right, "agree" if common else "disagree"))
    return Candidate(a.ref, b.ref, round(score, 4), rule, tuple(evidence))


def compare(left: Target, right: Target, threshold: float = 0.0) -> Candidate | None:
    """The candidate two targets make, or None when they are on one list, of
    incompatible schemas, or score under ``threshold`` without a strong identifier."""
    return _compare(_profile(left), _profile(right), threshold)


# Blocking -----------------------------------------------------------------------------


def _tokens(profile: _Profile) -> Iterable[str]:
    """The distinct blocking tokens of a profile, before rarity is known."""
    seen: set[str] = set()
    for family in profile.families:
        for key in profile.keys:
            for token in key.split():
                seen.add(f"{family} {token}")
        for key in profile.sounds:
            for token in key.split():
                seen.add(f"{family} ~{token}")
    return seen


def _name_blocks(profile: _Profile, frequency: Counter[str]) -> set[str]:
    """The rarest tokens of each name, or the pair of its two rarest when all are common."""
    blocks: set[str] = set()
    for family in profile.families:
        for keys, mark in ((profile.keys, ""), (profile.sounds, "~")):
            for key in keys:
                tokens = sorted(
                    {f"{family} {mark}{t}" for t in key.split()},
                    key=lambda t: (frequency[t], t),
                )
                rare = [t for t in tokens[:TOKENS_PER_NAME] if frequency[t] <= BLOCK_CAP]
                if rare:
                    blocks.update(rare)
                elif len(tokens) >= 2:
                    blocks.add(f"{tokens[0]}+{tokens[1].split(' ', 1)[1]}")
    return blocks


def _id_blocks(profile: _Profile) -> set[str]:
    return {
        f"{family} {name}={value}"
        for family in profile.families
        for name, values in profile.ids.items()
        for value in values
    }


def candidates(targets: Iterable[Target], threshold: float = THRESHOLD) -> list[Candidate]:
    """Every pair of targets on different lists scoring at least ``threshold`` or sharing
    a strong identifier, each pair once, sorted by (left_ref, right_ref)."""
    profiles: list[_Profile] = []
    frequency: Counter[str] = Counter()
    for target in targets:
        profile = _profile(target)
        profiles.append(profile)
        frequency.update(_tokens(profile))

    # Blocks are numbered as they are met; each target keeps the numbers of its blocks.
    numbers: dict[str, int] = {}
    postings: list[array[int]] = []
    blocks_of: list[array[int]] = []
    for index, profile in enumerate(profiles):
        mine = array("I")
        for block in _name_blocks(profile, frequency) | _id_blocks(profile):
            number = numbers.setdefault(block, len(postings))
            if number == len(postings):
                postings.append(array("I"))
            postings[number].append(index)
            mine.append(number)
        blocks_of.append(mine)
    del frequency, numbers
    for number, posting in enumerate(postings):
        if len(posting) > BLOCK_CAP:
            postings[number] = array("I")

    found: list[Candidate] = []
    for index, profile in enumerate(profiles):
        seen: set[int] = set()
        for number in blocks_of[index]:
            for other in postings[number]:
                if other <= index or other in seen:
                    continue
                seen.add(other)
                candidate = _compare(profile, profiles[other], threshold)
                if candidate is not None:
                    found.append(candidate)
    found.sort(key=lambda c: (c.left_ref, c.right_ref))
    return found
