"""Synthetic sanctions lists that overlap the way members' lists do, and the truth of them.

Shared by the sanctions benchmarks (imported as a sibling module: each script runs from
this folder). :func:`generate_lists` draws a pool of true targets and lets each list name
a share of them, written its own way:

- **Persons** (55 % of a list; each list names a given person with chance 0.25): Russian,
  Ukrainian or Belarusian names drawn in Cyrillic (first name, patronymic, a surname
  built from common stems and endings), a few Western names; birth dates (on 85 % of
  listings, a year alone on some, one year off on 2 %), nationality, passport numbers on
  some. A list writes the name in Cyrillic (one list in ten) or in one of four
  transliteration schemes (Yevgeniy, Evgenii, Evgeny, Eugene), first name or surname
  first, with or without the patronymic, sometimes with an alias in another scheme, and
  with a typo on 8 % of listings.
- **Companies** (27 %, chance 0.35) and **banks** (5 %, chance 0.7): names built from
  stems, their legal form written "OOO", "LLC", "Limited Liability Company", "ООО «…»",
  "Obshchestvo s Ogranichennoy Otvetstvennostyu" and so on, before or after the name;
  OGRN and INN (each on about half of the listings), a bank's BIC (on 75 %, with or
  without a branch code).
- **Vessels** (13 %, chance 0.6): names ("NS CHAMPION", "M/T Champion"), a valid IMO
  number (check digit computed; on 95 % of listings), MMSI (on 55 %), flag (a previous
  flag on 15 %), build year; a fifth were renamed, and a list may know either name.

Entity ids are per list and say nothing of the truth. ``truth`` maps each ref
(``list_code:entity_id``) to its true target. Everything is drawn from ``seed``: the same
arguments give the same lists.
"""

from __future__ import annotations

import json
import os
import random
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


def _words(text: str) -> list[str]:
    return text.split()


CODES = ["us_ofac", "eu_fsf", "gb_hmt", "ua_nsdc", "ca_sema", "au_dfat", "ch_seco", "jp_mof"]
CODES += ["nz_mfat", "fr_tresor"]
CYRILLIC_LIST = "ua_nsdc"  # the list writing names in Cyrillic

KINDS = ("person", "company", "bank", "vessel")
MIX = {"person": 0.55, "company": 0.27, "bank": 0.05, "vessel": 0.13}
SHARE = {"person": 0.25, "company": 0.35, "bank": 0.7, "vessel": 0.6}

# Cyrillic first names (male, female) and their patronymic stems.
MALE = _words(
    "Александр Алексей Андрей Антон Аркадий Артём Борис Вадим Валентин Валерий Василий "
    "Виктор Виталий Владимир Владислав Всеволод Вячеслав Геннадий Георгий Глеб Григорий "
    "Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим "
    "Михаил Никита Николай Олег Павел Пётр Роман Руслан Сергей Станислав Степан Тимур "
    "Фёдор Юрий Яков Ярослав Эдуард Аркадий Ростислав Тарас Богдан Остап"
)
FEMALE = _words(
    "Анна Алла Алёна Валентина Вера Галина Дарья Евгения Екатерина Елена Ирина Юлия "
    "Людмила Марина Мария Наталья Нина Ольга Светлана Татьяна Ксения Оксана Полина"
)
STEMS = _words(
    "Абрам Авер Бел Бер Бог Бор Буд Вас Вин Вол Ворон Гал Гор Греб Гус Дан Дем Дер Дуб "
    "Ерм Жук Зайц Зим Зуб Иль Кал Кар Кир Клим Коз Комар Корн Кос Крив Кудр Кузн Лав Леб "
    "Лис Лук Мак Мал Мар Мед Мир Мороз Муш Наз Ник Нов Овч Ор Пан Пас Пахом Рыб Сав Сем "
    "Сид Сок Сор Стар Степ Тар Тер Тих Тк Ус Фед Фил Фом Хар Хом Цвет Чер Шар Шевч Шил "
    "Щерб Юд Яков Ярош Гриц Ковал Кравч Мельн Петр Сыч Бонд Голуб Тимош Лит Слав Крут"
)
CONSONANTS = list("бвгдзклмнпрстфхцчшж")
SYLLABLE_VOWELS = list("аоуиеы")
MIDDLES = _words("ан ен ин он ел ал ил ар ер ор ов ев иц ач ух ош уш ым ет от ат")
ENDINGS = ("ов", "ев", "ин", "ский", "енко", "ук", "чук", "ич", "ых", "ко", "ян", "цев")
WEST_FIRST = _words(
    "John Michael David Robert James Thomas Mark Paul Peter Andrew Stefan Marco Luca Hans "
    "Klaus Pierre Jean Ahmed Ali Omar Hassan Karim Samir Yusuf Ibrahim Khalid Tariq Nabil "
    "Walid Rami Fadi George Nicholas Christos Andreas Dimitrios Giorgos Kemal Murat Emre "
    "Selim Burak Cem Oguz Rafael Diego Carlos Javier Miguel Antonio Luis Pablo Henrik Lars"
)
WEST_LAST = _words(
    "Carter Miller Weber Schmidt Rossi Bianchi Dubois Laurent Haddad Nasser Khalil Mansour "
    "Farouk Brennan Walsh Keller Novak Horvat Petersen Lindqvist Ortega Castillo Saleh "
    "Hamdan Qasim Darwish Aziz Rahman Sayegh Tannous Habib Bakri Shami Jaber Najjar Kassab "
    "Yilmaz Demir Kaya Sahin Celik Ozturk Aydin Arslan Dogan Kilic Papadopoulos Georgiou "
    "Constantinou Nikolaou Christodoulou Ioannou Charalambous Savva Hadjigeorgiou Morales "
    "Vargas Herrera Medina Navarro Romero Molina Delgado Guerrero Fischer Wagner Becker "
    "Hoffmann Schulz Koch Richter Klein Wolf Neumann Schwarz Zimmermann Braun Hartmann "
    "Lange Krause Werner Lehmann Kohler Maier Vogel Jung Friedrich Keller Gunther Berger"
)

COMPANY_SYLLABLES = _words(
    "ros neft gaz trans prom stroy tech avia mash energo snab torg servis invest kom "
    "agro volga ural sib arkt del ta nord mar kon tex sint lan vel bor gran zar dor "
    "alfa vega orion kama don neva lena amur baikal tver kursk oka mega geo bio eco "
    "khim lit stal ugol les ryb zoloto almaz med tsvet flot port log konsalt"
)
COMPANY_WORDS = _words(
    "Trade Logistics Holding Group Capital Marine Shipping Engineering Systems Export "
    "Industries Resources Petroleum Metals Technologies Development Partners"
)
FORMS = {
    "ooo": [
        "OOO",
        "LLC",
        "Limited Liability Company",
        "ООО",
        "Obshchestvo s Ogranichennoy Otvetstvennostyu",
    ],
    "ao": ["AO", "JSC", "Joint Stock Company", "АО", "Aktsionernoe Obshchestvo"],
    "pao": ["PAO", "PJSC", "Public Joint Stock Company", "ПАО"],
    "ltd": ["Limited", "Ltd", "LTD.", "Ltd."],
    "fze": ["FZE", "FZCO", "Free Zone Establishment"],
}
VESSEL_ADJ = _words(
    "Ocean Sea Blue Golden Silver Northern Arctic Pacific Grand Royal Eastern Western "
    "Great Lucky Bright Swift Noble Brave Crystal Iron Black White Red Green Southern "
    "Atlantic Baltic Caspian Aegean Coral Emerald Sapphire Ruby Amber Jade Ivory Scarlet "
    "Azure Mighty Gentle Silent Proud Wild Free Bold Calm Rapid Steady True Prime Supreme"
)
VESSEL_NOUN = _words(
    "Star Eagle Champion Pearl Wave Spirit Glory Dawn Horizon Falcon Dragon Phoenix "
    "Voyager Pioneer Breeze Legend Harmony Fortune Victory Crown Wind Light Rose Lion "
    "Tiger Hawk Pride Grace Hope Venture Unity Destiny Trader Carrier Express Albatross "
    "Condor Osprey Heron Dolphin Marlin Orca Sturgeon Mariner Navigator Explorer Ranger "
    "Guardian Sentinel Monarch Empress Duchess Baron Titan Atlas Neptune Triton Poseidon "
    "Meridian Zenith Aurora Comet Nova Galaxy Orbit Summit Harbor Anchor Compass Beacon"
)
VESSEL_PREFIX = ["", "", "", "NS ", "SCF ", "M/T ", "MT ", "MV ", "Sun ", "Sea "]
FLAGS = ["ru", "pa", "lr", "km", "ga", "cm", "mh", "sl", "gq", "st", "ae", "hk"]
MIDS = {"ru": "273", "pa": "352", "lr": "636", "km": "616", "ga": "626", "cm": "613"}
NATIONS = ["ru"] * 7 + ["ua", "by", "kz"]
WEST_NATIONS = ["gb", "de", "it", "fr", "ae", "tr", "cy", "lb", "sy"]

# Transliteration schemes: (name, letters, initial е, й at the end after и).
_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "ч": "ch", "ш": "sh", "ы": "y", "ъ": "", "ь": "",
    "э": "e", "ц": "ts", "щ": "shch", "х": "kh", "ю": "yu", "я": "ya", "е": "e",
    "ё": "e", "й": "y", "і": "i", "ї": "yi", "є": "ye",
}  # fmt: skip
SCHEMES = {
    "bgn": ({**_BASE, "ё": "yo"}, "ye", "iy"),
    "icao": ({**_BASE, "й": "i", "ю": "iu", "я": "ia", "х": "kh"}, "e", "ii"),
    "plain": ({**_BASE, "х": "h", "щ": "sch"}, "e", "y"),
    "german": ({**_BASE, "ж": "sh", "ш": "sch", "ч": "tsch", "х": "ch", "й": "j"}, "je", "ij"),
}
WESTERN = {"Александр": "Alexander", "Михаил": "Mikhail", "Пётр": "Peter", "Евгений": "Eugene"}
VOWELS = set("аеёиоуыэюяьъ")


def transliterate(text: str, scheme: str) -> str:
    """``text`` (Cyrillic) in Latin letters by one of :data:`SCHEMES`."""
    letters, initial_e, final_iy = SCHEMES[scheme]
    out = []
    for word in text.split(" "):
        low = word.lower()
        chars = []
        for i, ch in enumerate(low):
            if ch == "е" and (i == 0 or low[i - 1] in VOWELS):
                chars.append(initial_e)
            elif ch == "й" and i == len(low) - 1 and i > 0 and low[i - 1] == "и":
                chars[-1] = final_iy
            else:
                chars.append(letters.get(ch, ch))
        latin = "".join(chars)
        out.append(latin[:1].upper() + latin[1:] if word[:1].isupper() else latin)
    return " ".join(out)


def imo_number(prefix: int) -> str:
    """A valid IMO number from six digits: the seventh is the check digit."""
    digits = f"{prefix:06d}"
    check = sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return f"{digits}{check}"


def entity_id_of(code: str, number: int) -> str:
    """A listing's FtM id: FtM's ids take letters, digits, dots and hyphens only."""
    return f"{code.replace('_', '-')}-{number}"


def _inn(first9: str) -> str:
    """A legal entity's 10-digit INN: nine digits and their check digit."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(w * int(d) for w, d in zip(weights, first9, strict=True)) % 11 % 10
    return first9 + str(check)


def _ogrn(first12: str) -> str:
    """A 13-digit OGRN: twelve digits and their check digit."""
    return first12 + str(int(first12) % 11 % 10)


def _typo(rnd: random.Random, name: str) -> str:
    words = name.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return name
    i = rnd.choice(long_words)
    w = words[i]
    at = rnd.randrange(1, len(w) - 1)
    kind = rnd.randrange(3)
    if kind == 0:
        w = w[:at] + w[at + 1 :]
    elif kind == 1:
        w = w[:at] + w[at + 1] + w[at] + w[at + 2 :]
    else:
        w = w[:at] + rnd.choice("aeiounrst") + w[at + 1 :]
    words[i] = w
    return " ".join(words)


# True targets --------------------------------------------------------------------------


def _person(seed: int, i: int) -> dict[str, Any]:
    rnd = random.Random(f"{seed}:person:{i}")
    year = rnd.randint(1940, 1995)
    born = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    if rnd.random() < 0.08:
        return {
            "kind": "person",
            "west": True,
            "first": rnd.choice(WEST_FIRST),
            "middle": rnd.choice(WEST_FIRST) if rnd.random() < 0.6 else "",
            "last": rnd.choice(WEST_LAST)
            + ("-" + rnd.choice(WEST_LAST) if rnd.random() < 0.3 else ""),
            "born": born,
            "nation": rnd.choice(WEST_NATIONS),
            "passport": f"{rnd.randint(10**8, 10**9 - 1)}",
        }
    female = rnd.random() < 0.2
    father = rnd.choice(MALE)
    if rnd.random() < 0.5:
        stem = rnd.choice(STEMS) + (rnd.choice(MIDDLES) if rnd.random() < 0.7 else "")
    else:  # surnames are many more than any list of stems: build one from syllables
        stem = "".join(
            rnd.choice(CONSONANTS) + rnd.choice(SYLLABLE_VOWELS) for _ in range(rnd.randint(2, 3))
        ).capitalize()
    ending = rnd.choice(ENDINGS)
    last = stem + ending
    if female and ending in ("ов", "ев", "ин", "цев"):
        last += "а"
    elif female and ending == "ский":
        last = stem + "ская"
    patronymic = _patronymic(father, female)
    return {
        "kind": "person",
        "west": False,
        "first": rnd.choice(FEMALE if female else MALE),
        "middle": patronymic,
        "last": last,
        "born": born,
        "nation": rnd.choice(NATIONS),
        "passport": f"{rnd.randint(10, 99)}{rnd.randint(10**6, 10**7 - 1)}",
    }


def _patronymic(father: str, female: bool) -> str:
    base = father[:-1] if father[-1] in "йь" else father
    if father[-1] in "йь":
        return base + ("евна" if female else "евич")
    if father[-1] in "аяо":
        return base[:-1] + ("ична" if female else "ич")
    return base + ("овна" if female else "ович")


def _company(seed: int, i: int, bank: bool) -> dict[str, Any]:
    rnd = random.Random(f"{seed}:{'bank' if bank else 'company'}:{i}")
    parts = rnd.sample(COMPANY_SYLLABLES, 2 if rnd.random() < 0.05 else 3)
    stem = "".join(parts).capitalize()
    if rnd.random() < 0.35:
        stem += " " + rnd.choice(COMPANY_WORDS)
    foreign = rnd.random() < 0.15
    form = rnd.choice(["ltd", "fze"]) if foreign else rnd.choice(["ooo", "ooo", "ao", "pao"])
    country = rnd.choice(["ae", "hk", "tr", "cy"]) if foreign else "ru"
    code = ""
    if bank:
        letters = ""
        n = i
        for _ in range(4):
            letters += chr(ord("A") + n % 26)
            n //= 26
        code = f"{letters}{country.upper()}{rnd.choice(['MM', 'M2', '2X', 'AA'])}"
    return {
        "kind": "bank" if bank else "company",
        "stem": stem,
        "form": form,
        "country": country,
        "ogrn": _ogrn(f"1{rnd.randint(10**10, 10**11 - 1)}"),
        "inn": _inn(f"{rnd.randint(10**8, 10**9 - 1)}"),
        "bic": code,
        "founded": f"{rnd.randint(1992, 2023)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
    }


def _vessel(seed: int, i: int) -> dict[str, Any]:
    rnd = random.Random(f"{seed}:vessel:{i}")

    def name() -> str:
        style = rnd.random()
        if style < 0.5:
            base = f"{rnd.choice(VESSEL_PREFIX)}{rnd.choice(VESSEL_ADJ)} {rnd.choice(VESSEL_NOUN)}"
            return base + (f" {rnd.randint(1, 99)}" if rnd.random() < 0.4 else "")
        if style < 0.75:  # named for a person, as many Russian ships are
            title = rnd.choice(["Kapitan", "Akademik", "Professor", "General", "Marshal", ""])
            stem = rnd.choice(STEMS) + rnd.choice(MIDDLES) + rnd.choice(ENDINGS)
            return f"{title} {transliterate(stem, 'bgn')}".strip()
        parts = rnd.sample(COMPANY_SYLLABLES, 2)
        return f"{''.join(parts).capitalize()}-{rnd.randint(1, 300)}"

    flag = rnd.choice(FLAGS)
    return {
        "kind": "vessel",
        "name": name().upper(),
        "previous": name().upper() if rnd.random() < 0.2 else "",
        "imo": imo_number(100000 + (i * 7919) % 900000),
        "mmsi": f"{MIDS.get(flag, '511')}{(i * 104729) % 10**6:06d}",
        "flag": flag,
        "old_flag": rnd.choice(FLAGS),
        "built": str(rnd.randint(1985, 2015)),
    }


TRUE_TARGET = {
    "person": _person,
    "company": lambda seed, i: _company(seed, i, False),
    "bank": lambda seed, i: _company(seed, i, True),
    "vessel": _vessel,
}


# Listings ------------------------------------------------------------------------------


def _person_names(rnd: random.Random, person: dict[str, Any], code: str) -> list[str]:
    if person["west"]:
        first, middle, last = person["first"], person["middle"], person["last"]
        scheme_name = None
    else:
        cyrillic = code == CYRILLIC_LIST and rnd.random() < 0.9
        scheme_name = None if cyrillic else _scheme(rnd, code)
        first, middle, last = (
            _latin(person[k], scheme_name, rnd) for k in ("first", "middle", "last")
        )
    if rnd.random() < 0.4:
        middle = ""
    style = rnd.random()
    if style < 0.45:
        name = " ".join(p for p in (first, middle, last) if p)
    elif style < 0.8:
        name = " ".join(p for p in (last.upper(), first, middle) if p)
    else:
        name = f"{last}, " + " ".join(p for p in (first, middle) if p)
    if rnd.random() < 0.08:
        name = _typo(rnd, name)
    names = [name]
    if not person["west"] and rnd.random() < 0.4:
        other = rnd.choice([s for s in SCHEMES if s != scheme_name])
        names.append(f"{_latin(person['first'], other, rnd)} {_latin(person['last'], other, rnd)}")
    return names


def _scheme(rnd: random.Random, code: str) -> str:
    preferred = sorted(SCHEMES)[CODES.index(code) % len(SCHEMES) if code in CODES else 0]
    return preferred if rnd.random() < 0.7 else rnd.choice(sorted(SCHEMES))


def _latin(cyrillic: str, scheme: str | None, rnd: random.Random) -> str:
    if scheme is None or not cyrillic:
        return cyrillic
    if cyrillic in WESTERN and rnd.random() < 0.2:
        return WESTERN[cyrillic]
    return transliterate(cyrillic, scheme)


def _company_name(rnd: random.Random, company: dict[str, Any], code: str) -> str:
    form = rnd.choice(FORMS[company["form"]])
    stem = company["stem"]
    if form[0] in "ОАП" and form.isupper() and not form.isascii():
        return f"{form} «{stem}»"
    style = rnd.random()
    if company["kind"] == "bank":
        stem = rnd.choice([f"Bank {stem}", f"{stem} Bank", f"{stem}bank", f"KB {stem}"])
    if style < 0.1:
        stem = stem.upper()
    name = f"{form} {stem}" if style < 0.5 else f"{stem} {form}"
    if rnd.random() < 0.2:
        name = name.replace(stem, f'"{stem}"')
    if rnd.random() < 0.05:
        name = _typo(rnd, name)
    return name


def _listing(code: str, seed: int, kind: str, i: int) -> dict[str, Any]:
    rnd = random.Random(f"{seed}:{code}:{kind}:{i}")
    target = TRUE_TARGET[kind](seed, i)
    props: dict[str, list[str]] = {}
    if kind == "person":
        schema = "Person"
        names = _person_names(rnd, target, code)
        props["name"] = names[:1]
        if len(names) > 1:
            props["alias"] = names[1:]
        if rnd.random() < 0.85:
            born = target["born"]
            if rnd.random() < 0.02:
                born = f"{int(born[:4]) + rnd.choice([-1, 1])}{born[4:]}"
            props["birthDate"] = [born if rnd.random() < 0.7 else born[:4]]
        if rnd.random() < 0.6:
            props["nationality"] = [target["nation"]]
        if rnd.random() < 0.15:
            passport = target["passport"]
            props["passportNumber"] = [
                passport if rnd.random() < 0.5 else f"{passport[:2]} {passport[2:]}"
            ]
    elif kind in ("company", "bank"):
        schema = rnd.choice(["Company", "Company", "Organization", "LegalEntity"])
        props["name"] = [_company_name(rnd, target, code)]
        if rnd.random() < 0.3:
            props["alias"] = [_company_name(rnd, target, code)]
        if target["country"] == "ru" and rnd.random() < 0.5:
            key = "ogrnCode" if rnd.random() < 0.7 else "registrationNumber"
            props[key] = [target["ogrn"]]
        if target["country"] == "ru" and rnd.random() < 0.55:
            props["innCode" if rnd.random() < 0.5 else "taxNumber"] = [target["inn"]]
        if target["bic"] and rnd.random() < 0.75:
            props["swiftBic"] = [target["bic"] + ("XXX" if rnd.random() < 0.4 else "")]
        if rnd.random() < 0.75:
            props["country" if rnd.random() < 0.5 else "jurisdiction"] = [target["country"]]
        if rnd.random() < 0.3:
            props["incorporationDate"] = [target["founded"]]
    else:
        schema = "Vessel"
        name, previous = target["name"], target["previous"]
        if previous and rnd.random() < 0.3:
            name, previous = previous, ""  # this list still knows the old name
        if rnd.random() < 0.25:
            name = name.title()
        if rnd.random() < 0.15:
            name = (
                name.split(" ", 1)[-1]
                if name.startswith(("NS ", "SCF ", "M/T ", "MT ", "MV "))
                else f"M/T {name}"
            )
        props["name"] = [name]
        if previous:
            props["previousName"] = [previous]
        if rnd.random() < 0.95:
            props["imoNumber"] = [target["imo"] if rnd.random() < 0.6 else f"IMO {target['imo']}"]
        if rnd.random() < 0.55:
            props["mmsi"] = [target["mmsi"]]
        if rnd.random() < 0.8:
            props["flag"] = [target["old_flag"] if rnd.random() < 0.15 else target["flag"]]
        if rnd.random() < 0.6:
            props["buildDate"] = [target["built"]]
    return {"schema": schema, "properties": props}


# Lists ---------------------------------------------------------------------------------


class Truth(Mapping[str, str]):
    """Each ref's true target (``person17``, ``vessel3``), read off the lists' entries
    rather than held as half a million strings."""

    def __init__(self, entries: dict[str, array[int]]) -> None:
        self._entries = entries

    def __getitem__(self, ref: str) -> str:
        code, _, entity_id = ref.partition(":")
        try:
            entry = self._entries[code][int(entity_id.rsplit("-", 1)[1]) - 1]
        except (KeyError, IndexError, ValueError) as exc:
            raise KeyError(ref) from exc
        return f"{KINDS[entry >> 32]}{entry & 0xFFFFFFFF}"

    def __iter__(self) -> Iterator[str]:
        for code, entries in self._entries.items():
            for number in range(1, len(entries) + 1):
                yield f"{code}:{entity_id_of(code, number)}"

    def __len__(self) -> int:
        return sum(len(e) for e in self._entries.values())

    def sizes(self) -> Counter[int]:
        """How many listings each true target has (by its packed entry)."""
        counts: Counter[int] = Counter()
        for entries in self._entries.values():
            counts.update(entries)
        return counts


@dataclass(frozen=True)
class Lists:
    """Generated lists: each list's entries (the true target of its n-th listing, packed
    as kind << 32 | index) and the truth (each ref's true target)."""

    seed: int
    codes: list[str]
    entries: dict[str, array[int]]
    truth: Truth

    def entities(self, code: str) -> Iterator[dict[str, Any]]:
        """The list's FtM entities (``to_dict()`` form), each target then its Sanction."""
        for number, entry in enumerate(self.entries[code], start=1):
            entity_id = entity_id_of(code, number)
            listing = _listing(code, self.seed, KINDS[entry >> 32], entry & 0xFFFFFFFF)
            yield {"id": entity_id, **listing}
            yield {
                "id": f"{entity_id}-sanction",
                "schema": "Sanction",
                "properties": {"entity": [entity_id], "authority": [code], "program": ["RUS"]},
            }

    def write(self, folder: str) -> list[str]:
        """Write each list as FtM JSON lines (``<code>.ftm.json``); the paths written."""
        os.makedirs(folder, exist_ok=True)
        paths = []
        for code in self.codes:
            path = os.path.join(folder, f"{code}.ftm.json")
            with open(path, "w", encoding="utf-8") as f:
                for entity in self.entities(code):
                    f.write(json.dumps(entity, ensure_ascii=False) + "\n")
            paths.append(path)
        return paths


def generate_lists(n_lists: int = 10, per_list: int = 50_000, seed: int = 20250310) -> Lists:
    """``n_lists`` lists of ``per_list`` targets each, overlapping as the module says."""
    rnd = random.Random(seed)
    codes = CODES[:n_lists] + [f"list_{n:02d}" for n in range(len(CODES), n_lists)]
    pool = {kind: max(1, round(per_list * MIX[kind] / SHARE[kind])) for kind in MIX}
    entries: dict[str, array[int]] = {}
    for code in codes:
        chosen: list[int] = []
        for number, kind in enumerate(KINDS):
            wanted = min(pool[kind], round(per_list * MIX[kind]))
            chosen.extend(number << 32 | i for i in rnd.sample(range(pool[kind]), wanted))
        rnd.shuffle(chosen)
        entries[code] = array("q", chosen)
    return Lists(seed, codes, entries, Truth(entries))


class _Pair(Protocol):
    left_ref: str
    right_ref: str


def evaluate(candidates: Iterable[_Pair], truth: Truth) -> dict[str, float]:
    """Precision and recall of candidate pairs against the true same-target pairs.

    A true pair is two refs on different lists naming one true target (a list names a
    target once, so every two refs of one target are a true pair). Precision is the share
    of candidates that are true pairs; recall the share of true pairs among candidates.
    """
    sizes = truth.sizes()
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    found = hits = 0
    for c in candidates:
        found += 1
        hits += truth.get(c.left_ref) == truth.get(c.right_ref) is not None
    return {
        "precision": hits / found if found else 1.0,
        "recall": hits / true_pairs if true_pairs else 1.0,
        "candidates": float(found),
        "true_pairs": float(true_pairs),
    }
