"""The situation pages: the overview, the snapshots, the change and the comparison, the
claims and their forms.

Two PUBLIC snapshots of ``deepstatemap`` (1 and 10 March 2025) cover a box in Donetsk
oblast that moves west between the days; ``isw`` holds the same box on 1 March; FRA holds
a NATIONAL assessment of its own, ten times larger, that no other nation may see on any
page, in any figure or chart. A PUBLIC claim has one review. Pages are read as the public,
a viewer and a monitor; forms are posted with the token the page gave.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from shapely.geometry import box
from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.core.marking import Marking
from coalition.situation import claims, territory
from tests.world import World

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
D1, D5, D10 = dt.date(2025, 3, 1), dt.date(2025, 3, 5), dt.date(2025, 3, 10)
EARLIER = box(37.6, 47.9, 38.0, 48.1)
LATER = box(37.5, 47.9, 37.95, 48.1)  # gains a strip to the west, loses one to the east
NATIONAL = box(34.0, 46.8, 39.0, 49.0)
READERS = (None, "fra.viewer", "gbr.monitor")


@pytest.fixture
def loaded(engine: Engine, world: World) -> dict[str, int]:
    gbr, fra = world.principal("gbr.monitor"), world.principal("fra.monitor")
    public = territory.Labels(method="traced from the published map", marking=Marking.PUBLIC)
    with transaction(engine, actor=gbr.actor) as session:
        first = territory.store(session, gbr, "deepstatemap", D1, "held", EARLIER, public)
        later = territory.store(session, gbr, "deepstatemap", D10, "held", LATER, public)
        territory.store(session, gbr, "isw", D1, "held", EARLIER, public)
        claim = claims.record_claim(
            session,
            gbr,
            claims.ClaimIn(
                summary="Forces in the box are encircled",
                claimant="A spokesman",
                kind="encirclement",
                claimed_at=dt.datetime(2025, 3, 1, 18, tzinfo=dt.UTC),
                place="Donetsk",
                marking=Marking.PUBLIC,
            ),
        )
        claims.add_review(
            session,
            gbr,
            claim.id,
            claims.ReviewIn(
                reviewer="An analytic body",
                reviewer_kind="analytic_body",
                reviewed_at=dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC),
                rating="false",
                confidence="high",
                evidence=[
                    claims.EvidenceIn(
                        "geolocated_imagery", "Footage geolocated", dated=dt.date(2025, 3, 2)
                    )
                ],
                marking=Marking.PUBLIC,
            ),
        )
        ids = {"first": first.snapshot.id, "later": later.snapshot.id, "claim": claim.id}
    with transaction(engine, actor=fra.actor) as session:
        secret = territory.store(
            session,
            fra,
            "fra.assessment",
            D5,
            "held",
            NATIONAL,
            territory.Labels(method="national assessment", marking=Marking.NATIONAL),
        )
        ids["national"] = secret.snapshot.id
    return ids


def _token(client: Any, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    assert match, path
    return match.group(1)


@pytest.mark.parametrize("reader", READERS)
def test_each_page_renders_for_every_reader(
    client_for: Any, loaded: dict[str, int], reader: str | None
) -> None:
    client = client_for(reader)
    for path in (
        "/situation",
        "/situation/snapshots",
        "/situation/snapshots?source=deepstatemap&layer=held&since=2025-03-01&until=2025-03-31",
        f"/situation/snapshots/{loaded['first']}",
        f"/situation/snapshots/{loaded['later']}",
        "/situation/change",
        "/situation/change?source=deepstatemap&from=2025-03-01&to=2025-03-10&layer=held",
        "/situation/compare",
        "/situation/compare?a=deepstatemap&b=isw&date=2025-03-10",
        "/situation/claims",
        "/situation/claims?kind=encirclement&status=refuted",
        f"/situation/claims/{loaded['claim']}",
    ):
        page = client.get(path)
        assert page.status_code == 200, (reader, path, page.text[:800])
        assert 'aria-label="Situation pages"' in page.text
        # Every page states its overall marking: what others see is all PUBLIC; FRA's
        # readers see their own NATIONAL assessment too, on some pages.
        level = "marking-" if reader == "fra.viewer" else "marking-public"
        assert f'class="page-marking page-marking-top {level}' in page.text, path
    assert "No territory snapshot" not in client.get("/situation").text


def test_the_overview_shows_latest_areas_the_chart_and_claims_by_status(
    client_for: Any, loaded: dict[str, int]
) -> None:
    text = client_for("gbr.viewer").get("/situation").text
    area = territory.geometry.area_km2(LATER)
    row = re.search(r'<tr data-source="deepstatemap">(.*?)</tr>', text, re.DOTALL)
    assert row and f"{area:,.0f}" in row.group(1) and "2025-03-10" in row.group(1)
    assert "PUBLIC" in row.group(1)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart situation-chart"' in text
    assert text.count('class="series"') == 2  # deepstatemap and isw
    claims_card = text.split('id="claims-by-status"')[1]
    assert re.search(r"claim-status-refuted\">refuted</span> <strong>1</strong>", claims_card)
    assert "/situation/claims?status=refuted" in claims_card


def test_a_national_snapshot_reaches_no_other_nation(
    client_for: Any, loaded: dict[str, int]
) -> None:
    national_area = f"{territory.geometry.area_km2(NATIONAL):,.0f}"
    own = client_for("fra.viewer").get("/situation").text
    assert "fra.assessment" in own and national_area in own
    assert 'marking-national"' in own  # the page carries the highest marking it shows
    assert client_for("fra.viewer").get(f"/situation/snapshots/{loaded['national']}").is_success
    for reader in (None, "gbr.viewer", "gbr.monitor"):
        client = client_for(reader)
        for path in (
            "/situation",
            "/situation/snapshots",
            "/situation/compare?a=deepstatemap&b=isw&date=2025-03-05",
            f"/situation/claims/{loaded['claim']}",
        ):
            text = client.get(path).text
            assert "fra.assessment" not in text, (reader, path)
            assert national_area not in text, (reader, path)
            assert "NATIONAL (FRA)" not in text and "marking-national" not in text, (reader, path)
        assert client.get(f"/situation/snapshots/{loaded['national']}").status_code == 404
        asked = client.get("/situation/change?source=fra.assessment&from=2025-03-01&to=2025-03-10")
        assert asked.status_code == 422 and national_area not in asked.text
        listed = client.get("/situation/snapshots?source=fra.assessment")
        assert 'data-snapshot="' not in listed.text


def test_the_change_page_shows_the_totals_and_the_figures_by_oblast(
    client_for: Any, loaded: dict[str, int]
) -> None:
    page = client_for(None).get(
        "/situation/change?source=deepstatemap&from=2025-03-01&to=2025-03-10&layer=held"
    )
    assert page.status_code == 200, page.text
    text = page.text
    gained = territory.geometry.area_km2(box(37.5, 47.9, 37.6, 48.1))
    lost = territory.geometry.area_km2(box(37.95, 47.9, 38.0, 48.1))
    totals = text.split('id="change-totals"')[1].split("</section>")[0]
    assert f"{gained:,.0f}" in totals.split('id="gained-km2"')[1][:80]
    assert f"{lost:,.0f}" in totals.split('id="lost-km2"')[1][:80]
    donetsk = re.search(r'<tr data-region="UA-14">(.*?)</tr>', text, re.DOTALL)
    assert donetsk and "Donetsk" in donetsk.group(1)
    assert f"{gained:,.0f}" in donetsk.group(1) and f"{lost:,.0f}" in donetsk.group(1)
    # The map asks the API for the gained and lost shapes and the later outline.
    assert "/api/v1/situation/change?source=deepstatemap&amp;from=2025-03-01" in text
    assert "geometry=true" in text
    assert f"/api/v1/situation/snapshots/{loaded['later']}/geojson" in text
    assert "/static/vendor/leaflet/leaflet.js" in text and "//unpkg" not in text


def test_the_change_page_refuses_a_bad_question_keeping_it(
    client_for: Any, loaded: dict[str, int]
) -> None:
    page = client_for(None).get("/situation/change?source=deepstatemap&from=2025-03-10&to=01/03")
    assert page.status_code == 422
    assert 'value="01/03"' in page.text and "YYYY-MM-DD" in page.text
    early = client_for(None).get(
        "/situation/change?source=deepstatemap&from=2024-01-01&to=2024-02-01"
    )
    assert (
        early.status_code == 422
        and "No held snapshot of deepstatemap on or before 2024-01-01" in early.text
    )


def test_the_snapshot_page_shows_figures_regions_and_the_map(
    client_for: Any, loaded: dict[str, int]
) -> None:
    text = client_for(None).get(f"/situation/snapshots/{loaded['later']}").text
    assert "traced from the published map" in text
    assert re.search(r'<tr data-region="UA-14">.*?Donetsk', text, re.DOTALL)
    assert f'data-snapshots="/api/v1/situation/snapshots/{loaded["later"]}/geojson"' in text
    assert f'href="/situation/snapshots/{loaded["first"]}" rel="prev"' in text
    geojson = client_for(None).get(
        f"/api/v1/situation/snapshots/{loaded['later']}/geojson?zoom=8&bbox=30,44,41,53"
    )
    assert geojson.status_code == 200 and geojson.json()["type"] == "Feature"


def test_the_comparison_shows_what_each_source_holds_alone(
    client_for: Any, loaded: dict[str, int]
) -> None:
    text = client_for(None).get("/situation/compare?a=deepstatemap&b=isw&date=2025-03-10").text
    only_a = territory.geometry.area_km2(box(37.5, 47.9, 37.6, 48.1))
    assert f"{only_a:,.0f}" in text.split('id="only-a-km2"')[1][:60]


def test_the_claim_form_refuses_bad_input_keeping_the_values(
    client_for: Any, loaded: dict[str, int]
) -> None:
    client = client_for("gbr.monitor")
    form = {
        "csrf_token": _token(client, "/situation/claims/new"),
        "summary": "The town has fallen",
        "text": "We took the town this morning.",
        "claimant": "A ministry",
        "claimant_type": "organization",
        "kind": "",
        "claimed_at": "yesterday",
        "place": "Pokrovsk",
        "marking": "PUBLIC",
    }
    refused = client.post("/situation/claims", data=form, follow_redirects=False)
    assert refused.status_code == 422
    text = refused.text
    assert "Nothing was saved" in text
    assert 'id="error-kind"' in text and 'id="error-claimed_at"' in text
    assert 'value="The town has fallen"' in text and "We took the town this morning." in text
    assert 'value="yesterday"' in text and 'value="Pokrovsk"' in text
    assert '<option value="organization" selected' in text
    saved = client.post(
        "/situation/claims",
        data={**form, "kind": "territorial_control", "claimed_at": "2025-03-09 08:00"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"])
    assert "The town has fallen" in page.text and "2025-03-09 08:00 UTC" in page.text
    assert "Claim recorded." in page.text


def test_a_viewer_gets_no_claim_form(client_for: Any, loaded: dict[str, int]) -> None:
    assert client_for("fra.viewer").get("/situation/claims/new").status_code == 403
    text = client_for("fra.viewer").get(f"/situation/claims/{loaded['claim']}").text
    assert 'id="review-form"' not in text


def test_a_review_is_added_through_the_form(client_for: Any, loaded: dict[str, int]) -> None:
    client = client_for("fra.monitor")
    path = f"/situation/claims/{loaded['claim']}"
    page = client.get(path)
    assert 'id="review-form"' in page.text and "Download ClaimReview JSON-LD" in page.text
    assert "Footage geolocated" in page.text and "geolocated imagery" in page.text
    assert re.search(
        r'rating-false">False</span> <span class="confidence">confidence: high', page.text
    )
    form = {
        "csrf_token": _token(client, path),
        "reviewer": "FRA intelligence",
        "reviewer_kind": "member_intelligence",
        "reviewed_at": "2025-03-04 10:00",
        "rating": "mostly_true",
        "confidence": "moderate",
        "marking": "PUBLIC",
        "evidence1_kind": "intelligence_assessment",
        "evidence1_source": "",
        "evidence1_dated": "4 March",
    }
    refused = client.post(f"{path}/reviews", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="error-evidence1_source"' in refused.text
    assert 'id="error-evidence1_dated"' in refused.text
    assert 'value="FRA intelligence"' in refused.text and 'value="4 March"' in refused.text
    saved = client.post(
        f"{path}/reviews",
        data={**form, "evidence1_source": "DGSE note", "evidence1_dated": "2025-03-04"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    text = client.get(path).text
    assert "FRA intelligence" in text and "DGSE note" in text and "Mostly true" in text
    assert "claim-status-disputed" in text  # a firm false and a firm mostly true
    assert "Review recorded." in text
    exported = client.get(f"/api/v1/situation/claims/{loaded['claim']}/claimreview").json()
    assert len(exported) == 2


def test_the_pages_say_when_there_is_nothing_to_show(client_for: Any, world: World) -> None:
    client = client_for("gbr.monitor")
    for path in (
        "/situation",
        "/situation/snapshots",
        "/situation/change",
        "/situation/compare",
        "/situation/claims",
        "/situation/claims/new",
    ):
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:500])
    assert "No territory snapshot you may see" in client.get("/situation").text
    assert "no snapshot you may see" in client.get("/situation").text  # the empty chart
    assert client.get("/situation/claims/1").status_code == 404
    assert client.get("/situation/snapshots/1").status_code == 404
    anonymous = client_for(None).get("/situation/claims/new", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401)


def test_a_form_without_its_token_saves_nothing(client_for: Any, loaded: dict[str, int]) -> None:
    client = client_for("gbr.monitor")
    client.get("/situation/claims/new")  # the browser holds its cookie, the post no token
    posted = client.post(
        "/situation/claims",
        data={"summary": "x", "claimant": "y", "kind": "other", "claimed_at": "2025-03-01"},
        follow_redirects=False,
    )
    assert posted.status_code == 403
    assert client.get("/situation/claims").text.count('data-claim="') == 1


def test_the_change_page_offers_the_change_since_the_last_summit(
    engine: Engine, world: World, client_for: Any, loaded: dict[str, int]
) -> None:
    from coalition.meetings.model import Meeting

    with transaction(engine) as session:
        session.add(
            Meeting(
                title="Leaders' summit",
                kind="summit",
                held_on=dt.date(2025, 3, 2),
                format="virtual",
                level="leaders",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )
    page = client_for("fra.viewer").get(
        "/situation/change?source=deepstatemap&from=2025-03-01&to=2025-03-10&layer=held"
    )
    offer = page.text.split('id="since-summit"')[1].split("</p>")[0]
    assert "from=2025-03-02" in offer and "Leaders&#39; summit" in offer
    followed = client_for("fra.viewer").get(
        "/situation/change?source=deepstatemap&from=2025-03-02&to=2025-03-10&layer=held"
    )
    assert followed.status_code == 200 and 'id="change-totals"' in followed.text
