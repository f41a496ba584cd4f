"""The situation part of the demo scenario: the Kursk encirclement claims of 13–14 March
2025 with their public reviews (real, sourced), and territory snapshots invented for the
demonstration (flagged illustrative).

**Claims.** Two real claims, each worded from public reports of it (``data/SOURCES.md``):

- Vladimir Putin at his news conference with Alexander Lukashenko in the Kremlin on
  13 March 2025: the Ukrainian group in Kursk was "in isolation", could no longer withdraw
  even in small groups, and after a "physical blockade" would have two options,
  "surrender or die"; on 14 March, at a Security Council meeting, that Ukrainian forces
  there were "blocked".
- Donald Trump on Truth Social on 14 March 2025: "thousands of Ukrainian troops are
  completely surrounded by the Russian military".

Their reviews: the Institute for the Study of War's assessment of 14 March 2025 (no
geolocated evidence of an encirclement; Russian milbloggers' maps showing routes out into
Sumy Oblast; the Ukrainian General Staff's denial of the same day as an official
statement), and the U.S. and European intelligence assessments Reuters reported on
20 March 2025 (Ukrainian forces had lost ground but were not encircled). Neither reviewer
rates on our scale: the rating and confidence are the secretariat's reading of what each
published, and each review's summary says so. No fact-checker's rating of these claims was
found, so none is recorded.

Only the days are public, not the hours: every claim and review is timed at noon UTC of
its day (:data:`NOON`), so two reviews of one day count as made at the same instant.
Claims and reviews are PUBLIC, owned by the secretariat.

**Territory.** Every snapshot is invented: a front line of a few dozen hand-placed
vertices through Kharkiv, Donetsk, Zaporizhzhia and Kherson oblasts, the ground east and
south of it clipped to the shipped oblast outlines, moved a little between days so that
the change between the two summits (2 and 15 March 2025) shows gains and losses in
several oblasts. ``illustrative-osint`` holds 1, 6, 11 and 16 March; a second source,
``illustrative-analytic``, draws 11 March differently so the comparison page has
something to show; ``gbr-assessment`` is a NATIONAL snapshot of the United Kingdom's on
11 March, stored by its liaison and seen by no other member. No area computed from them
is a real figure.

Loading again adds nothing: a claim already held (same summary and claimant) is reused, a
review already held (same reviewer and time) is skipped, and a snapshot stored again with
the same shape, method and marking is left unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from coalition.core.marking import Marking
from coalition.core.principal import SYSTEM, Principal, Role
from coalition.situation import claims as claims_service
from coalition.situation import territory
from coalition.situation.claims import ClaimIn, EvidenceIn, ReviewIn
from coalition.situation.model import Claim
from coalition.situation.outlines import outlines
from coalition.situation.verdicts import (
    ClaimantType,
    ClaimKind,
    Confidence,
    EvidenceKind,
    Rating,
    ReviewerKind,
)

NOON = dt.time(12, 0, tzinfo=dt.UTC)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOON)


# Sources -----------------------------------------------------------------------------

ISW_URL = "https://www.criticalthreats.org/analysis/ukraine-invasion-updates-march-2025"
ISW_TITLE = (
    "ISW and CTP, Russian Offensive Campaign Assessment, March 14, 2025 "
    "(in Ukraine Invasion Updates, March 2025)"
)
GENERAL_STAFF_URL = (
    "https://unn.ua/en/news/general-staff-reports-about-alleged-encirclement-of-ukrainian-"
    "units-in-the-kursk-region-do-not-correspond-to-reality"
)
INTEL_URL = (
    "https://kyivindependent.com/us-eu-intelligence-reportedly-refute-trump-putins-claims-"
    "on-ukrainian-encirclement-in-kursk-oblast"
)
INTEL_TITLE = (
    "Reuters (Erin Banco), 20 March 2025, on U.S. and European intelligence assessments, "
    "as reported by the Kyiv Independent"
)
PUTIN_URL = (
    "https://en.interaffairs.ru/article/vladimir-putin-russia-was-not-against-this-"
    "proposal-of-the-idea-of-an-interim-ceasefire-but-a-lot-o/"
)
TRUMP_URL = (
    "https://kyivindependent.com/trump-claims-he-asked-putin-to-spare-surrounded-ukrainian-troops/"
)
READING = (
    " Rating and confidence are the secretariat's reading of the published assessment, "
    "which rates on no such scale."
)

SUDZHA = {"type": "Point", "coordinates": [35.27, 51.19]}  # approximate


@dataclass(frozen=True)
class DemoReview:
    reviewer: str
    kind: ReviewerKind
    day: dt.date
    rating: Rating
    confidence: Confidence
    summary: str
    url: str
    source: tuple[str, str]
    evidence: Sequence[EvidenceIn] = ()


@dataclass(frozen=True)
class DemoClaim:
    summary: str
    claimant: str
    day: dt.date
    text: str
    appeared_in: str
    source: tuple[str, str]
    appeared_url: str = ""
    claimant_type: ClaimantType = ClaimantType.PERSON
    reviews: Sequence[DemoReview] = field(default_factory=tuple)


ISW = "Institute for the Study of War (ISW)"
INTEL = "U.S. and European intelligence (as reported by Reuters)"

ISW_EVIDENCE = (
    EvidenceIn(
        kind=EvidenceKind.GEOLOCATED_IMAGERY,
        source="ISW's review of geolocated footage",
        url=ISW_URL,
        dated=dt.date(2025, 3, 14),
        note="ISW reported it had observed no geolocated evidence that Russian forces had "
        "encircled a significant number of Ukrainian forces in Kursk Oblast or elsewhere "
        "along the front line.",
    ),
    EvidenceIn(
        kind=EvidenceKind.OPEN_SOURCE_ANALYSIS,
        source="Russian milbloggers' maps of 13 and 14 March 2025, as reported by ISW",
        url=ISW_URL,
        dated=dt.date(2025, 3, 14),
        note="ISW reported that many Russian milbloggers published maps acknowledging that "
        "Ukrainian forces had viable egress routes into Sumy Oblast from their remaining "
        "positions in Kursk Oblast.",
    ),
    EvidenceIn(
        kind=EvidenceKind.OFFICIAL_STATEMENT,
        source="General Staff of the Armed Forces of Ukraine, statement of 14 March 2025",
        url=GENERAL_STAFF_URL,
        dated=dt.date(2025, 3, 14),
        note="The General Staff said reports of an 'encirclement' of Ukrainian units in the "
        "Kursk region were untrue and created by the Russians for political purposes, that "
        "its units had regrouped and withdrawn to more advantageous defensive lines, and "
        "that there was no threat of encirclement (as reported by UNN and Politico). "
        "A party's own statement, cited by ISW.",
    ),
)

INTEL_EVIDENCE = (
    EvidenceIn(
        kind=EvidenceKind.INTELLIGENCE_ASSESSMENT,
        source="U.S. intelligence agencies including the CIA, and European governments' "
        "assessments, as described to Reuters by three U.S. and European officials",
        url=INTEL_URL,
        dated=dt.date(2025, 3, 20),
        note="Reported: Ukrainian troops in Kursk had lost ground and faced intense pressure "
        "but were not completely surrounded; U.S. agencies had shared that assessment with "
        "the White House over the past week. The assessments themselves are not published.",
    ),
)

CLAIMS = (
    DemoClaim(
        summary="Ukrainian forces in Russia's Kursk region are isolated and cannot withdraw",
        claimant="Vladimir Putin, President of Russia",
        day=dt.date(2025, 3, 13),
        text=(
            "At a news conference with Alexander Lukashenko in the Kremlin on 13 March 2025, "
            "Vladimir Putin said the situation in the Kursk region was completely under "
            "Russian control and that the group that had invaded Russian territory was "
            '"in isolation", under full fire control; that Ukrainian soldiers could no '
            'longer withdraw even in small groups; and that if a "physical blockade" '
            "followed in the coming days, no one would be able to leave and there would be "
            'two options: "surrender or die" (as translated by Reuters and TASS). On 14 March, '
            "at a meeting of Russia's Security Council, he said Ukrainian forces in Kursk "
            'were "blocked" (as reported by ISW and the Kyiv Independent).'
        ),
        appeared_in="News conference with Alexander Lukashenko, the Kremlin, Moscow",
        source=(
            "TASS report of the news conference, 13 March 2025, as carried by International "
            "Affairs",
            PUTIN_URL,
        ),
        reviews=(
            DemoReview(
                reviewer=ISW,
                kind=ReviewerKind.ANALYTIC_BODY,
                day=dt.date(2025, 3, 14),
                rating=Rating.MOSTLY_FALSE,
                confidence=Confidence.MODERATE,
                summary="ISW observed no geolocated evidence that Russian forces had "
                "encircled a significant number of Ukrainian forces in Kursk Oblast; Russian "
                "milbloggers' own maps showed routes out into Sumy Oblast. Ukrainian forces "
                "were under heavy pressure and losing ground, which the claim gets right; "
                "the isolation it asserts was not observed." + READING,
                url=ISW_URL,
                source=(ISW_TITLE, ISW_URL),
                evidence=ISW_EVIDENCE,
            ),
            DemoReview(
                reviewer=INTEL,
                kind=ReviewerKind.MEMBER_INTELLIGENCE,
                day=dt.date(2025, 3, 20),
                rating=Rating.FALSE,
                confidence=Confidence.MODERATE,
                summary="Three U.S. and European officials told Reuters that their "
                "governments' intelligence assessments showed Ukrainian soldiers in Kursk "
                "had lost ground but were not encircled, contrary to Putin's and Trump's "
                "comments. Moderate confidence: the assessments are reported by unnamed "
                "officials, not published." + READING,
                url=INTEL_URL,
                source=(INTEL_TITLE, INTEL_URL),
                evidence=INTEL_EVIDENCE,
            ),
        ),
    ),
    DemoClaim(
        summary="Thousands of Ukrainian troops are completely surrounded by the Russian military",
        claimant="Donald Trump, President of the United States",
        day=dt.date(2025, 3, 14),
        text=(
            'In a post on Truth Social on 14 March 2025, Donald Trump wrote that "at this '
            "very moment, thousands of Ukrainian troops are completely surrounded by the "
            'Russian military, and in a very bad and vulnerable position", and that he had '
            '"strongly requested to President Putin that their lives be spared". The post '
            "did not name a place; it was reported as referring to Russia's Kursk region."
        ),
        appeared_in="Truth Social",
        source=("Kyiv Independent, 14 March 2025, quoting the post", TRUMP_URL),
        reviews=(
            DemoReview(
                reviewer=ISW,
                kind=ReviewerKind.ANALYTIC_BODY,
                day=dt.date(2025, 3, 14),
                rating=Rating.MOSTLY_FALSE,
                confidence=Confidence.MODERATE,
                summary="ISW observed no geolocated evidence that Russian forces had "
                "encircled a significant number of Ukrainian forces in Kursk Oblast or "
                "elsewhere along the front line, and said Putin had seized on the US "
                "president's statement about a supposed encirclement." + READING,
                url=ISW_URL,
                source=(ISW_TITLE, ISW_URL),
                evidence=ISW_EVIDENCE,
            ),
            DemoReview(
                reviewer=INTEL,
                kind=ReviewerKind.MEMBER_INTELLIGENCE,
                day=dt.date(2025, 3, 20),
                rating=Rating.FALSE,
                confidence=Confidence.MODERATE,
                summary="Three U.S. and European officials told Reuters that intelligence "
                "assessments, shared with the White House over the past week, showed "
                "Ukrainian troops in Kursk were not completely surrounded, contrary to the "
                "president's post." + READING,
                url=INTEL_URL,
                source=(INTEL_TITLE, INTEL_URL),
                evidence=INTEL_EVIDENCE,
            ),
        ),
    ),
)


def _claim(session: Session, wanted: DemoClaim) -> Claim:
    held = claims_service.find_claim(session, SYSTEM, wanted.summary, wanted.claimant)
    if held is not None:
        return held
    return claims_service.record_claim(
        session,
        SYSTEM,
        ClaimIn(
            summary=wanted.summary,
            claimant=wanted.claimant,
            claimant_type=wanted.claimant_type,
            kind=ClaimKind.ENCIRCLEMENT,
            claimed_at=_at(wanted.day),
            text=wanted.text,
            appeared_in=wanted.appeared_in,
            appeared_url=wanted.appeared_url,
            place="Kursk Oblast, Russia (point: Sudzha, approximate)",
            area=SUDZHA,
            marking=Marking.PUBLIC,
            source_title=wanted.source[0],
            source_ref=wanted.source[1],
        ),
    )


def load_claims(session: Session) -> None:
    """The real claims and their reviews; what is already held is left alone."""
    for wanted in CLAIMS:
        claim = _claim(session, wanted)
        for review in wanted.reviews:
            at = _at(review.day)
            if claims_service.has_review(session, claim, review.reviewer, at):
                continue
            claims_service.add_review(
                session,
                SYSTEM,
                claim.id,
                ReviewIn(
                    reviewer=review.reviewer,
                    reviewer_kind=review.kind,
                    reviewed_at=at,
                    rating=review.rating,
                    confidence=review.confidence,
                    summary=review.summary,
                    url=review.url,
                    evidence=review.evidence,
                    marking=Marking.PUBLIC,
                    source_title=review.source[0],
                    source_ref=review.source[1],
                ),
            )


# Territory (illustrative) -------------------------------------------------------------

# An invented front line, north (the Kharkiv border) to south (the mouth of the Dnipro),
# as (longitude, latitude). The "held" ground is east and south of it.
FRONT: tuple[tuple[float, float], ...] = (
    (37.55, 50.40),  # 0 Kharkiv
    (37.70, 50.05),  # 1 Kharkiv
    (37.75, 49.75),  # 2 Kharkiv
    (37.95, 49.45),  # 3
    (38.05, 49.15),  # 4 Donetsk
    (38.10, 48.95),  # 5 Donetsk
    (37.95, 48.65),  # 6 Donetsk
    (37.80, 48.45),  # 7 Donetsk
    (37.40, 48.35),  # 8 Donetsk
    (37.20, 48.15),  # 9 Donetsk
    (37.00, 47.95),  # 10 Donetsk
    (36.75, 47.85),  # 11
    (36.40, 47.65),  # 12 Zaporizhzhia
    (35.95, 47.45),  # 13 Zaporizhzhia
    (35.60, 47.40),  # 14 Zaporizhzhia
    (35.20, 47.50),  # 15 Zaporizhzhia
    (34.70, 47.50),  # 16 Zaporizhzhia
    (34.30, 47.45),  # 17
    (33.90, 47.15),  # 18 Kherson
    (33.40, 46.78),  # 19 Kherson
    (32.90, 46.62),  # 20 Kherson
    (32.60, 46.56),  # 21 Kherson
    (32.10, 46.50),  # 22 Kherson
    (31.70, 46.45),  # 23
)
# Closing the ring far to the south and east; the oblast outlines cut it to Ukraine.
CLOSE = ((31.70, 44.00), (41.00, 44.00), (41.00, 50.40))

Moves = Mapping[int, tuple[float, float]]

# How each day's line differs from the one before (degrees of longitude, latitude): a
# vertex moved west or north enlarges the held ground, one moved east or south shrinks it.
OSINT_MOVES: tuple[tuple[dt.date, Moves], ...] = (
    (dt.date(2025, 3, 1), {}),
    (dt.date(2025, 3, 6), {8: (-0.06, 0.0), 2: (-0.05, 0.0)}),
    (dt.date(2025, 3, 11), {9: (-0.05, -0.02), 7: (0.04, 0.0), 13: (0.0, -0.05)}),
    (dt.date(2025, 3, 16), {8: (-0.04, 0.0), 1: (-0.04, 0.0), 14: (0.0, 0.03)}),
)
COMPARED_DAY = dt.date(2025, 3, 11)
ANALYTIC_MOVES: Moves = {8: (0.05, 0.0), 12: (-0.06, 0.03)}  # from the OSINT line that day
GBR_MOVES: Moves = {10: (-0.05, 0.0), 20: (0.0, 0.03)}
# The UK's own assessment is stored by its liaison (the demo's ``gbr.liaison``): the
# secretariat may not see, so may not overwrite, another nation's NATIONAL record.
GBR_LIAISON = Principal(username="gbr.liaison", member="GBR", role=Role.CONTRIBUTOR)

METHOD = (
    "Illustrative: invented for the demonstration. A hand-placed front line of a few dozen "
    "vertices, the ground east and south of it clipped to the shipped oblast outlines. Not "
    "any source's map; no area computed from it is a real figure."
)
ILLUSTRATIVE_TITLE = "Illustrative snapshot, invented for the demonstration"


@dataclass(frozen=True)
class DemoSnapshot:
    source: str
    day: dt.date
    line: tuple[tuple[float, float], ...]
    marking: Marking = Marking.COALITION
    by: Principal = SYSTEM
    title: str = ILLUSTRATIVE_TITLE


def moved(line: Sequence[tuple[float, float]], moves: Moves) -> tuple[tuple[float, float], ...]:
    """The line with the given vertices displaced."""
    return tuple(
        (round(x + moves.get(i, (0.0, 0.0))[0], 4), round(y + moves.get(i, (0.0, 0.0))[1], 4))
        for i, (x, y) in enumerate(line)
    )


def held_shape(line: Sequence[tuple[float, float]]) -> BaseGeometry:
    """The ground east and south of ``line``, within Ukraine's shipped oblast outlines."""
    ukraine = shapely.union_all([o.geometry for o in outlines() if o.code.startswith("UA-")])
    found: BaseGeometry = shapely.intersection(Polygon([*line, *CLOSE]), ukraine)
    return shapely.make_valid(found) if not found.is_valid else found


def snapshots() -> list[DemoSnapshot]:
    """Every illustrative snapshot, oldest first within each source."""
    found: list[DemoSnapshot] = []
    line = FRONT
    by_day: dict[dt.date, tuple[tuple[float, float], ...]] = {}
    for day, moves in OSINT_MOVES:
        line = moved(line, moves)
        by_day[day] = line
        found.append(DemoSnapshot("illustrative-osint", day, line))
    found.append(
        DemoSnapshot(
            "illustrative-analytic", COMPARED_DAY, moved(by_day[COMPARED_DAY], ANALYTIC_MOVES)
        )
    )
    found.append(
        DemoSnapshot(
            "gbr-assessment",
            COMPARED_DAY,
            moved(by_day[COMPARED_DAY], GBR_MOVES),
            marking=Marking.NATIONAL,
            by=GBR_LIAISON,
            title="Illustrative national assessment (United Kingdom), invented for the "
            "demonstration",
        )
    )
    return found


def load_territory(session: Session) -> None:
    """The illustrative snapshots; one stored again unchanged is left as it is."""
    for snap in snapshots():
        territory.store(
            session,
            snap.by,
            snap.source,
            snap.day,
            "held",
            held_shape(snap.line),
            territory.Labels(
                method=METHOD,
                marking=snap.marking,
                source_title=snap.title,
                illustrative=True,
            ),
        )


def load(session: Session) -> None:
    """The claims with their reviews, then the illustrative territory snapshots."""
    load_claims(session)
    load_territory(session)
