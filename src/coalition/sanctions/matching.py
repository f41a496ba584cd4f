"""Which listings on different sanctions lists may name the same target, and how sure. Pure.

A :class:`Target` is one listed person, organisation, vessel, aircraft or vehicle of one
list (:func:`target_of` reads it from an FtM entity; a Sanction or an address is not a
target). :func:`candidates` finds the pairs of targets on *different* lists that may be
one, in three steps, the way nomenklatura's blocking index and matcher do:

1. **Profiles.** Each target is reduced to what matching reads: its name keys (each name
   casefolded and tokenised by rigour; legal forms such as "OOO", "PAO" or "Limited
   Liability Company" removed for organisations, "M/T" for vessels; every token
   transliterated to Latin and its transliteration variants folded (:data:`_FOLDS`);
   tokens sorted: "Общество с ограниченной ответственностью «Ромашка»" and "Romashka
   LLC" are both ``ROMASHKA``, "Yevgeniy Prigozhin" and "Пригожин Евгений" both
   ``EVGENI PRIGOSHIN``), its strong identifiers (:data:`STRONG`, normalised: upper
   case, letters and digits only, an "IMO" prefix dropped, a BIC cut to its
   8-character institution code), its years (birth, incorporation, build) and countries.
2. **Blocks.** Targets that share a block are compared; blocks are kept apart per schema
   family (:data:`FAMILIES`), so a person is never compared with a vessel. A target's
   blocks are each strong identifier and, per name, its :data:`TOKENS_PER_NAME` rarest
   tokens if held by at most :data:`BLOCK_CAP` targets, in spelling and in sound
   (metaphone); the pair of its two rarest when all are common ("Ivan Ivanov"); each of
   the two rarest with the other's first :data:`PREFIX` letters; and the rarest with
   each letter left out in turn (a typo or one transliterated letter apart still meet).
   A block held by more than :data:`BLOCK_CAP` targets is dropped: it costs k² / 2
   comparisons for a key that says little (a true target is on at most one listing per
   list, so a true block is about the number of lists), and an identifier that common is
   a filler value (such as "N/A"), not an identifier.
3. **Scores.** Each pair is scored by :func:`compare`: the best similarity of their name
   keys (token by token, rapidfuzz's Levenshtein similarity; a name dropping a part
   costs a little), raised when years, countries or identifiers agree and lowered when
   they disagree (a birth year one apart costs little, more costs much; a vessel's flag
   is not held against it). A pair that shares a strong identifier and disagrees on none
   is a ``strong:<identifier>`` candidate with score 1.0; others are ``name`` candidates
   kept from :data:`THRESHOLD`.

Cost: profiles are O(n·names). Blocks are rows of (64-bit hash, target) in one numpy
array sorted in place, about 15 a target; each block gives at most BLOCK_CAP² / 2 pairs,
deduplicated as numpy int64 codes, so comparisons are O(n·blocks·BLOCK_CAP) at worst and
about 13 a target in practice. Memory is the profiles (~600 bytes a target), the rows
(8 bytes each), the distinct pairs (8 bytes each) and the candidates kept. Two block
keys whose hashes collide are one block: more comparisons, never fewer, bar the cap.
``bench/sanctions_match.py`` measures 500,000 targets (figures in its docstring).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rigour.names import (
    normalize_name,
    remove_obj_prefixes,
    remove_org_types,
    remove_person_prefixes,
)
from rigour.text import ascii_text, metaphone

THRESHOLD = 0.85  # tuned on bench/sanctions_match.py: see its docstring for the figures
BLOCK_CAP = 48  # about five times the number of lists: a true target's block is one a list
TOKENS_PER_NAME = 2  # rare tokens of each name used as blocks
PREFIX = 3  # letters of the other rare token joined to each
MIN_DELETED = 5  # shortest token indexed with each of its letters left out
BEST_MARGIN = 0.0  # how far under a target's best on one list another may be: ties are kept
_PAIR_BATCH = 1 << 20  # pairs drawn, deduplicated or scored at once
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
_PER_COUNTRY = frozenset(name for name, _, per_country in STRONG if per_country)
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
YEAR_AGREES, YEAR_NEAR, YEAR_DISAGREES = 0.08, -0.06, -0.30
COUNTRY_AGREES, COUNTRY_DISAGREES = 0.03, -0.08
ID_AGREES, ID_DISAGREES = 0.10, -0.40
DROPPED_PART = 0.05  # a name that drops a part ("Ivan Petrov" of "Ivan Ilyich Petrov")
TOKEN_MATCH = 80  # the ratio from which two tokens are one spelt two ways
SOUND_WEIGHT = 0.95  # names alike only in sound
NAMES_AGREE = 0.8  # the similarity from which names count as agreeing in the evidence

# Two spellings' similarity (0..1): edits over the longer's length. Stricter than
# rapidfuzz's ratio for a name that adds letters ("Terev" and "Terevko" are two families).
_LETTERS = Levenshtein.normalized_similarity
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def _stable_hash(key: str) -> int:
    """A 64-bit hash of ``key`` that is the same in every process (Python's ``hash`` of a
    string changes from run to run), so blocks, and the candidates found, do too."""
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


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
# one letter; Mikhail, Mihail and Michail are MIHAIL. English "kh" and German "ch" both
# write х, English "ch" and German "tsch" both write ч: all four fold to H, so ч and х
# are not told apart (nor ж and ш), a price paid in every list alike.
_FOLDS = (
    ("SHCH", "SH"),
    ("TSCH", "CH"),
    ("SCH", "SH"),
    ("KH", "H"),
    ("CH", "H"),
    ("ZH", "SH"),
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
# Words that say what kind of organisation a name is, not which: "Bank Rossiya", "KB
# Rossiya" and "Rossiya" are one bank's names.
_GENERIC = frozenset({"BANK", "KB", "AKB"})
_DOUBLED = re.compile(r"([A-Z])\1+")


@lru_cache(maxsize=1 << 16)
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


@lru_cache(maxsize=1 << 16)
def _sound(token: str) -> str:
    """A token's metaphone, or the token itself when it has none (digits)."""
    return metaphone(token) or token


def name_key(name: str, kind: str) -> str:
    """A name as matching compares it: Latin tokens, variants folded, sorted.

    ``kind`` is what the name names: an ``org`` loses its legal forms ("OOO", "PJSC",
    "Limited Liability Company") and words like "Bank"; an ``object`` (vessel, aircraft)
    its class prefix ("M/T", "MV"); a ``person`` their honorifics ("Mr", "Dr").
    """
    text = normalize_name(name)
    if not text:
        return ""
    if kind == "org":
        stripped = remove_org_types(text)
    elif kind == "object":
        stripped = remove_obj_prefixes(text)
    else:
        stripped = remove_person_prefixes(text)
    if stripped.strip():
        text = stripped
    tokens = [t for token in text.split() for t in _latin(token)]
    if kind == "org":
        tokens = [_unglued(t) for t in tokens if t not in _GENERIC] or tokens
    elif kind == "object":
        tokens = [t for t in tokens if len(t) > 1] or tokens
    return " ".join(sorted(tokens))


def _unglued(token: str) -> str:
    """ "SBERBANK" as "SBER": a name glued to the word Bank is written apart elsewhere."""
    return token[:-4] if token.endswith("BANK") and len(token) > 6 else token


def _sound_key(key: str) -> str:
    return " ".join(sorted(_sound(t) for t in key.split()))


def _sounds(profile: _Profile) -> tuple[str, ...]:
    """The sound of each name key (derived when needed, not held: it is cheap)."""
    return tuple(dict.fromkeys(_sound_key(k) for k in profile.keys))


# Profiles -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Profile:
    """What matching reads of one target. Small tuples, not sets: half a million of these
    are held at once, and equal years or countries share one tuple (:func:`_shared`)."""

    ref: str
    list_code: str
    families: tuple[str, ...]
    keys: tuple[str, ...]
    years: tuple[int, ...]
    countries: tuple[str, ...]
    ids: tuple[tuple[str, tuple[str, ...]], ...]  # (identifier, values), in STRONG's order


_SHARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _shared(values: Iterable[Any]) -> tuple[Any, ...]:
    """``values`` sorted, as one tuple shared by every profile with the same."""
    key = tuple(sorted(set(values)))
    if len(_SHARED) > 100_000:  # years and countries repeat; anything else is not kept
        return key
    return _SHARED.setdefault(key, key)


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
    kind = "org" if "org" in families else "person" if "person" in families else "object"
    keys = tuple(dict.fromkeys(k for n in target.names[:MAX_NAMES] if (k := name_key(n, kind))))
    ids = []
    for name, sources, _ in STRONG:
        values = {v for p in sources for raw in props.get(p, ()) if (v := _identifier(name, raw))}
        if values:
            ids.append((name, tuple(sorted(values))))
    years = (int(v[:4]) for p in YEARS for v in props.get(p, ()) if v[:4].isdigit())
    countries = (v.lower() for p in COUNTRIES for v in props.get(p, ()))
    return _Profile(
        ref=target.ref,
        list_code=target.list_code,
        families=families,
        keys=keys,
        years=_shared(years),
        countries=_shared(countries),
        ids=tuple(ids),
    )


# Scoring ------------------------------------------------------------------------------


def _aligned(ka: str, kb: str) -> float:
    """How well the tokens of the shorter name match tokens of the longer (0..100).

    Each token takes its best match (rapidfuzz's ratio) among the other name's tokens,
    weighted by its length; a match under :data:`TOKEN_MATCH` counts half, so "Nina
    Golubko" is not "Nikolai Golubko". Tokens of the longer name left over cost
    :data:`DROPPED_PART` for one (a patronymic left out), four times that for two.
    """
    ta, tb = ka.split(), kb.split()
    if len(ta) > len(tb):
        ta, tb = tb, ta
    left = list(tb)
    total = weight = 0.0
    for token in ta:
        if token in left:  # most tokens of two spellings of one name are equal
            left.remove(token)
            total += 100.0 * len(token)
        else:
            _, best, at = process.extractOne(token, left, scorer=_LETTERS)
            best *= 100
            del left[at]
            total += (best if best >= TOKEN_MATCH else best / 2) * len(token)
        weight += len(token)
    return total / weight * max(0.0, 1 - DROPPED_PART * len(left) ** 2)


def _similar(ka: str, kb: str) -> float:
    """The similarity of two name keys (0..100): token by token when both have several,
    else the ratio of the two (token_sort_ratio, as the keys are sorted)."""
    if " " in ka and " " in kb:
        return 100.0 if ka == kb else _aligned(ka, kb)
    return 100 * _LETTERS(ka, kb)


def _name_similarity(a: _Profile, b: _Profile, need: float) -> tuple[float, str, str]:
    """The best similarity (0..1) of any name of ``a`` with any of ``b``, and the two.
    Sounds are compared only while spellings fall short of ``need``."""
    best, left, right = 0.0, "", ""
    for ka in a.keys:
        for kb in b.keys:
            score = _similar(ka, kb)
            if score > best:
                best, left, right = score, ka, kb
    if best < need * 100:
        for sa in _sounds(a):
            for sb in _sounds(b):
                score = SOUND_WEIGHT * _similar(sa, sb)
                if score > best:
                    best, left, right = score, sa, sb
    return best / 100.0, left, right


def _years(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    if any(y in b for y in a):
        return YEAR_AGREES
    # A year apart is as often a clerk's slip as another person.
    near = any(abs(x - y) <= 1 for x in a for y in b)
    return YEAR_NEAR if near else YEAR_DISAGREES


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v for v in a if v in b)


def _compare(a: _Profile, b: _Profile, threshold: float) -> Candidate | None:
    if a.list_code == b.list_code or not set(a.families) & set(b.families):
        return None
    if a.ref > b.ref:  # the same pair is scored the same way whichever side it came from
        a, b = b, a
    agree: list[str] = []
    disagree: list[str] = []
    countries_disagree = bool(a.countries and b.countries and not _common(a.countries, b.countries))
    if a.ids and b.ids:
        theirs = dict(b.ids)
        for name, values in a.ids:
            other = theirs.get(name)
            if other is None:
                continue
            if _common(values, other):
                if not (name in _PER_COUNTRY and countries_disagree):
                    agree.append(name)
            elif name not in _PER_COUNTRY:
                # Two registration or passport numbers differ for one target that holds
                # several; a vessel has one IMO number, a company one tax number.
                disagree.append(name)
    strong = bool(agree) and not disagree
    # Everything but the names first: a pair they already sink is not worth the names.
    adjust = ID_AGREES * len(agree) + ID_DISAGREES * len(disagree)
    if a.years and b.years:
        adjust += _years(a.years, b.years)
    if a.countries and b.countries:
        if not countries_disagree:
            adjust += COUNTRY_AGREES
        elif "vessel" not in a.families:  # a vessel changes flag as it changes hands
            adjust += COUNTRY_DISAGREES
    if not strong and threshold - adjust > 1.0:
        return None
    similarity, left_name, right_name = _name_similarity(a, b, threshold - adjust)
    score = similarity + adjust
    if not strong and score < threshold:
        return None
    score = 1.0 if strong else min(1.0, max(0.0, score))
    rule = f"strong:{agree[0]}" if strong else "name"
    names = Evidence(
        "name", left_name, right_name, "agree" if similarity >= NAMES_AGREE else "disagree"
    )
    return _candidate(a, b, score, rule, names, agree + disagree)


_OFTEN: dict[Evidence, Evidence] = {}


def _often(prop: str, left: str, right: str, verdict: str) -> Evidence:
    """Evidence of years and countries, one object for each that recurs (a million
    candidates hold a few thousand distinct ones)."""
    evidence = Evidence(prop, left, right, verdict)
    if len(_OFTEN) > 100_000:
        return evidence
    return _OFTEN.setdefault(evidence, evidence)


def _candidate(
    a: _Profile,
    b: _Profile,
    score: float,
    rule: str,
    names: Evidence,
    compared_ids: list[str],
) -> Candidate:
    evidence = [names]
    ours, theirs = dict(a.ids), dict(b.ids)
    for name in compared_ids:
        common = _common(ours[name], theirs[name])
        left = common[0] if common else ours[name][0]
        right = common[0] if common else theirs[name][0]
        evidence.append(Evidence(name, left, right, "agree" if common else "disagree"))
    for prop, va, vb in (
        ("year", tuple(map(str, a.years)), tuple(map(str, b.years))),
        ("country", a.countries, b.countries),
    ):
        if va and vb:
            common = _common(va, vb)
            left = common[0] if common else ", ".join(va)
            right = common[0] if common else ", ".join(vb)
            evidence.append(_often(prop, left, right, "agree" if common else "disagree"))
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
        for key in _sounds(profile):
            for token in key.split():
                seen.add(f"{family} ~{token}")
    return seen


class _Rarity:
    """How many targets hold each blocking token, by the token's 64-bit hash: two sorted
    numpy arrays, a fraction of what a dict of the tokens would hold."""

    def __init__(self, profiles: Sequence[_Profile]) -> None:
        hashes = array("q")
        for profile in profiles:
            hashes.extend(_stable_hash(t) for t in _tokens(profile))
        self.hashes, self.counts = np.unique(
            np.frombuffer(hashes, dtype=np.int64), return_counts=True
        )

    def of(self, tokens: Sequence[str]) -> dict[str, int]:
        wanted = np.fromiter((_stable_hash(t) for t in tokens), dtype=np.int64, count=len(tokens))
        found = self.counts[np.searchsorted(self.hashes, wanted)].tolist()
        return dict(zip(tokens, found, strict=True))


def _name_blocks(profile: _Profile, rarity: _Rarity) -> set[str]:
    """The rarest tokens of each name, or the pair of its two rarest when all are common;
    each of the two rarest with the other's first letters (:data:`PREFIX`), so that a
    typo or a transliteration in one is still met through the other; and the rarest with
    each of its letters left out in turn (a symmetric-deletion index: "CHAREVA" and
    "HAREVA", or "PASILICH" and "PATILICH", share one), for tokens of at least
    :data:`MIN_DELETED` letters."""
    blocks: set[str] = set()
    frequency = rarity.of(list(_tokens(profile)))
    for family in profile.families:
        for keys, mark in ((profile.keys, ""), (_sounds(profile), "~")):
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
                if mark:
                    continue
                if len(tokens) >= 2:
                    first, second = (t.split(" ", 1)[1] for t in tokens[:2])
                    blocks.add(f"{family} {first}+{second[:PREFIX]}*")
                    blocks.add(f"{family} {second}+{first[:PREFIX]}*")
                rarest = tokens[0].split(" ", 1)[1]
                if len(rarest) >= MIN_DELETED:
                    blocks.update(
                        f"{family} -{rarest[:i]}{rarest[i + 1 :]}" for i in range(len(rarest))
                    )
    return blocks


def _id_blocks(profile: _Profile) -> set[str]:
    return {
        f"{family} {name}={value}"
        for family in profile.families
        for name, values in profile.ids
        for value in values
    }


def _pairs(profiles: Sequence[_Profile]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Every pair of profiles on different lists sharing a block of at most
    :data:`BLOCK_CAP`, once, as ``left * n + right`` (left < right), sorted.

    Blocks are held as rows of (hash of the block, profile) sorted by hash: equal hashes
    are one block (two blocks whose hashes collide are compared as one: more work, never
    a pair lost). Pairs are drawn block size by block size, a bounded batch at a time, and
    deduplicated as they go, so memory is the distinct pairs (8 bytes each) and the rows.
    """
    n = len(profiles)
    rarity = _Rarity(profiles)
    # One int64 per (block, profile): the block's hash in the high bits, the profile in
    # the low, so that one in-place sort groups the blocks with their members ascending.
    owner_bits = max(1, n.bit_length())
    mask = (1 << owner_bits) - 1
    shift = 63 - owner_bits
    rows = array("q")
    for index, profile in enumerate(profiles):
        for block in _name_blocks(profile, rarity) | _id_blocks(profile):
            rows.append(
                ((_stable_hash(block) >> owner_bits) & ((1 << shift) - 1)) << owner_bits | index
            )
    del rarity
    packed = np.frombuffer(rows, dtype=np.int64).copy()
    del rows
    packed.sort()
    members = np.empty(len(packed), dtype=np.uint32)
    for at in range(0, len(packed), _PAIR_BATCH):  # a batch at a time: no row-sized copy
        members[at : at + _PAIR_BATCH] = packed[at : at + _PAIR_BATCH] & mask
    packed >>= owner_bits
    starts = np.flatnonzero(packed[1:] != packed[:-1]) + 1
    del packed
    starts = np.concatenate(([0], starts))
    sizes = np.diff(np.append(starts, len(members)))
    useful = (sizes >= 2) & (sizes <= BLOCK_CAP)
    starts, sizes = starts[useful], sizes[useful]
    del useful
    numbers: dict[str, int] = {}
    lists = np.fromiter(
        (numbers.setdefault(p.list_code, len(numbers)) for p in profiles), dtype=np.int32, count=n
    )
    found: list[np.ndarray[Any, np.dtype[np.int64]]] = [np.empty(0, dtype=np.int64)]
    held = 0
    for size in range(2, BLOCK_CAP + 1):
        firsts = starts[sizes == size]
        left_at, right_at = np.triu_indices(size, 1)
        batch = max(1, _PAIR_BATCH // len(left_at))
        for at in range(0, len(firsts), batch):
            block = members[firsts[at : at + batch, None] + np.arange(size)]
            left, right = block[:, left_at].ravel(), block[:, right_at].ravel()
            apart = lists[left] != lists[right]
            codes = left[apart].astype(np.int64) * n + right[apart]
            found.append(np.unique(codes))
            held += len(found[-1])
            if held > 4 * _PAIR_BATCH:
                found = [_distinct(found)]
                held = len(found[0])
    del members, starts, sizes
    return _distinct(found)


def _distinct(parts: list[np.ndarray[Any, np.dtype[np.int64]]]) -> np.ndarray[Any, Any]:
    """The distinct values of ``parts``, sorted; ``parts`` is emptied as they are joined,
    and the join sorted in place, so at most about twice the values are held at once
    (``np.unique`` of a join holds the parts, the join, a sorted copy and the result)."""
    joined = np.concatenate(parts)
    parts.clear()
    joined.sort()
    if len(joined) < 2:
        return joined
    keep = np.empty(len(joined), dtype=bool)
    keep[0] = True
    np.not_equal(joined[1:], joined[:-1], out=keep[1:])
    return joined[keep]


def _best_on_each_list(
    ends: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    scores: np.ndarray[Any, Any],
    lists: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Which candidates are, for both their targets, within :data:`BEST_MARGIN` of the
    best that target scores with any target of the other's list. A list names a target
    once: of two look-alikes on one list, the one that fits worse is another target."""
    keep = np.ones(len(scores), dtype=bool)
    if not len(scores):
        return keep
    n_lists = int(lists.max()) + 1
    left, right = ends
    # Each candidate seen from both its ends: (target, the other's list, score).
    target = np.concatenate((left, right)).astype(np.int64)
    other_list = np.concatenate((lists[right], lists[left]))
    score = np.concatenate((scores, scores))
    which = np.concatenate((np.arange(len(scores)), np.arange(len(scores))))
    key = target * n_lists + other_list
    order = np.lexsort((-score, key))
    ranked = key[order]
    first = np.r_[True, ranked[1:] != ranked[:-1]]
    best = score[order][first][np.cumsum(first) - 1]
    misfits = which[order][score[order] < best - BEST_MARGIN]
    keep[misfits] = False
    return keep


def candidates(targets: Iterable[Target], threshold: float = THRESHOLD) -> list[Candidate]:
    """Every pair of targets on different lists sharing a strong identifier, or scoring
    at least ``threshold`` and within :data:`BEST_MARGIN` of the best either scores on the
    other's list; each pair once, sorted by (left_ref, right_ref)."""
    return list(each_candidate(targets, threshold))


def each_candidate(targets: Iterable[Target], threshold: float = THRESHOLD) -> Iterator[Candidate]:
    """:func:`candidates` one at a time, in the same order. Only each pair's ends and
    score are held while the pairs are scored; a kept pair's evidence is drawn again as it
    is given (scoring it twice costs less than holding every candidate's evidence, about
    half a kilobyte each, at once)."""
    profiles = [_profile(target) for target in targets]
    n = len(profiles)
    pairs = _pairs(profiles)
    lefts, rights, scores = array("I"), array("I"), array("d")
    for at in range(0, len(pairs), _PAIR_BATCH):
        for code in pairs[at : at + _PAIR_BATCH].tolist():
            left, right = divmod(code, n)
            candidate = _compare(profiles[left], profiles[right], threshold)
            if candidate is not None:
                lefts.append(left)
                rights.append(right)
                # A strong candidate competes with nothing: it is kept whatever else fits.
                scores.append(2.0 if candidate.rule != "name" else candidate.score)
    del pairs
    numbers: dict[str, int] = {}
    lists = np.fromiter(
        (numbers.setdefault(p.list_code, len(numbers)) for p in profiles), dtype=np.int32, count=n
    )
    ends = (np.frombuffer(lefts, dtype=np.uint32), np.frombuffer(rights, dtype=np.uint32))
    score_of = np.frombuffer(scores, dtype=np.float64)
    keep = _best_on_each_list(ends, score_of, lists) | (score_of > 1.0)
    # In the order of (left_ref, right_ref), a candidate's left being the lesser ref.
    by_rank = sorted(range(n), key=lambda i: profiles[i].ref)
    rank = np.empty(n, dtype=np.int64)
    rank[by_rank] = np.arange(n, dtype=np.int64)
    left_rank, right_rank = rank[ends[0][keep]], rank[ends[1][keep]]
    order = np.sort(np.minimum(left_rank, right_rank) * n + np.maximum(left_rank, right_rank))
    del ends, score_of, keep, left_rank, right_rank, rank, lefts, rights, scores
    for code in order.tolist():
        low, high = divmod(code, n)
        candidate = _compare(profiles[by_rank[low]], profiles[by_rank[high]], threshold)
        if candidate is not None:  # always: scoring is deterministic
            yield candidate
