"""Operations on the member register. Each takes a session and the acting principal."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.core.editing import apply_patch, check_version
from coalition.core.errors import Conflict, Forbidden, Invalid
from coalition.core.listing import Listing, ListQuery
from coalition.core.marking import Marking
from coalition.core.principal import SECRETARIAT, Principal, Role
from coalition.core.schemas import Page
from coalition.core.visibility import get_visible, visible_select
from coalition.members.model import Member, MemberFigure, MemberKind
from coalition.members.model import MemberStanding as MemberStanding  # for other capabilities
from coalition.members.schemas import (
    MemberCreate,
    MemberFigurePublic,
    MemberPublic,
    MemberUpdate,
)


def to_public(member: Member) -> MemberPublic:
    return MemberPublic.of(
        member,
        code=member.code,
        name=member.name,
        kind=MemberKind(member.kind),
        standing=MemberStanding(member.standing),
        joined_on=member.joined_on,
        left_on=member.left_on,
        population=member.population,
        population_year=member.population_year,
        gdp_usd=member.gdp_usd,
        gdp_year=member.gdp_year,
        version=member.version,
    )


# The register's one list: its sort keys, its order when none is named, its filters.
MEMBERS = Listing(
    model=Member,
    sorts={
        "code": Member.code,
        "name": Member.name,
        "kind": Member.kind,
        "joined_on": Member.joined_on,
        "population": Member.population,
        "gdp": Member.gdp_usd,
    },
    default=[Member.name],
    searched=(Member.code, Member.name),
    filters={
        "kind": lambda kind: Member.kind == kind.value,
        "standing": lambda standing: Member.standing == standing.value,
        "joined_since": lambda day: Member.joined_on >= day,
        "joined_until": lambda day: Member.joined_on <= day,
    },
)


def list_members(
    session: Session,
    principal: Principal,
    *,
    kind: MemberKind | None = None,
    standing: MemberStanding | None = None,
    joined_since: dt.date | None = None,
    joined_until: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
    sort: str | None = None,
    q: str | None = None,
) -> Page[MemberPublic]:
    """The register as the reader may see it, narrowed by every filter given."""
    ask = ListQuery(limit, offset, sort, q)
    rows = MEMBERS.fetch(
        session,
        visible_select(principal, Member),
        ask,
        kind=kind,
        standing=standing,
        joined_since=joined_since,
        joined_until=joined_until,
    )
    return rows.page(to_public)


def get_member(session: Session, principal: Principal, code: str) -> Member:
    return get_visible(session, principal, Member, code.upper())


# --- figures by year ----------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigures:
    """One member's population and GDP (current US$) for one year, and their source."""

    year: int
    population: int | None
    gdp_usd: int | None
    source: str


def member_figures(session: Session, principal: Principal, code: str) -> list[MemberFigurePublic]:
    """The figures by year of a member the reader may see, latest year first."""
    member = get_member(session, principal, code)
    return [
        MemberFigurePublic(year=f.year, population=f.population, gdp_usd=f.gdp_usd, source=f.source)
        for f in reversed(figures_by_member(session, [member.code]).get(member.code, []))
    ]


def figures_by_member(session: Session, codes: Iterable[str]) -> dict[str, list[YearFigures]]:
    """Each member's figures by year, oldest first. The caller has checked that the reader
    may see these members (a figure is as public as its member)."""
    wanted = sorted(set(codes))
    found: dict[str, list[YearFigures]] = {}
    if not wanted:
        return found
    rows = session.scalars(
        select(MemberFigure)
        .where(MemberFigure.member_code.in_(wanted))
        .order_by(MemberFigure.member_code, MemberFigure.year)
    )
    for row in rows:
        found.setdefault(row.member_code, []).append(
            YearFigures(row.year, row.population, row.gdp_usd, row.source)
        )
    return found


def shipped_figures() -> list[dict[str, str]]:
    """The figures shipped in ``data/member_figures.csv`` (see ``data/SOURCES.md``)."""
    text = (files("coalition") / "data" / "member_figures.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_figures(session: Session, codes: Iterable[str]) -> int:
    """Add the shipped figures of ``codes`` (members already in the register); returns the
    number of years added. A year already held for a member is left as it is."""
    wanted = set(codes)
    held = {
        (code, year)
        for code, year in session.execute(
            select(MemberFigure.member_code, MemberFigure.year).where(
                MemberFigure.member_code.in_(sorted(wanted))
            )
        )
    }
    added = 0
    for row in shipped_figures():
        key = (row["code"], int(row["year"]))
        if row["code"] not in wanted or key in held:
            continue
        session.add(
            MemberFigure(
                member_code=row["code"],
                year=key[1],
                population=int(row["population"]) if row["population"] else None,
                gdp_usd=int(row["gdp_usd"]) if row["gdp_usd"] else None,
                source=row["source"],
            )
        )
        added += 1
    session.flush()
    return added


def visible_codes(session: Session, principal: Principal) -> set[str]:
    """The codes of the members ``principal`` may see."""
    return set(session.scalars(visible_select(principal, Member).with_only_columns(Member.code)))


def require_member(session: Session, code: str) -> Member:
    """The member ``code``, for validating a reference; unknown codes are invalid input."""
    member = session.get(Member, code)
    if member is None:
        raise Invalid(f"unknown member code: {code}")
    return member


def _require_secretariat_admin(principal: Principal) -> None:
    if not (principal.member == SECRETARIAT and principal.has_role(Role.ADMIN)):
        raise Forbidden("only secretariat administrators keep the member register")


def country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    return None if country is None else str(getattr(country, "common_name", None) or country.name)


def create_member(session: Session, principal: Principal, data: MemberCreate) -> Member:
    _require_secretariat_admin(principal)
    if session.get(Member, data.code) is not None:
        raise Conflict(f"member {data.code} already exists")
    name = data.name
    if data.kind is MemberKind.STATE:
        official = country_name(data.code)
        if official is None:
            raise Invalid(f"{data.code} is not an ISO 3166 alpha-3 country code")
        name = name or official
    if not name:
        raise Invalid("an organisation needs a name")
    member = Member(
        code=data.code,
        name=name,
        kind=data.kind.value,
        standing=data.standing.value,
        joined_on=data.joined_on,
        left_on=data.left_on,
        population=data.population,
        population_year=data.population_year,
        gdp_usd=data.gdp_usd,
        gdp_year=data.gdp_year,
        source_title=data.source_title,
        source_ref=data.source_ref,
        illustrative=data.illustrative,
    )
    member.mark(session, principal, data.marking, data.rel_to, owner=SECRETARIAT)
    session.add(member)
    session.flush()
    return member


def update_member(session: Session, principal: Principal, code: str, data: MemberUpdate) -> Member:
    member = get_member(session, principal, code)
    _require_secretariat_admin(principal)
    check_version(member, data.version)
    patch = data.model_dump(exclude={"version"})
    joined = patch["joined_on"] or member.joined_on
    left = patch["left_on"] or member.left_on
    if joined and left and left < joined:
        raise Invalid("left_on is before joined_on")
    apply_patch(member, patch)
    session.flush()
    return member


# Institutions that give support without being states: their codes and names.
INSTITUTIONS = {
    "EIB": "European Investment Bank",
    "EBRD": "European Bank for Reconstruction and Development",
    "IMF": "International Monetary Fund",
    "WBG": "World Bank Group",
    "CEB": "Council of Europe Development Bank",
    "NIB": "Nordic Investment Bank",
    "UN": "United Nations",
}


def partner_name(code: str) -> str | None:
    """The name of a state (ISO 3166 alpha-3) or a known institution, else ``None``."""
    return country_name(code) or INSTITUTIONS.get(code)


def register_partner(session: Session, principal: Principal, code: str) -> Member:
    """Add ``code`` to the register as a partner (no vote, no account), for a donor an
    import met that is not in it. Secretariat only; the entry is PUBLIC, as donors are."""
    if not principal.is_secretariat:
        raise Forbidden(f"{code} is not in the register, and only the secretariat adds partners")
    name = partner_name(code)
    if name is None:
        raise Invalid(f"{code} is neither an ISO 3166 country code nor a known institution")
    member = Member(
        code=code,
        name=name,
        kind=(MemberKind.STATE if country_name(code) else MemberKind.ORGANISATION).value,
        standing=MemberStanding.PARTNER.value,
        source_title="registered as a partner by an import of its support",
    )
    member.mark(session, principal, Marking.PUBLIC, [], owner=SECRETARIAT)
    session.add(member)
    session.flush()
    return member
