"""The meetings, members and proposals lists filter alike on the API, the export and the page.

Each list declares its filters once (``core/filters.py``): the API list route and the
export take them under the same names, several filters combine (every one must hold), a
bad value is a 422 with a reason on the API and a message beside the form on the page,
and the page keeps what was typed in its form, its paging and sorting links and its
export links. Filtering by attendee tells a reader nothing of a member they may not see.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from typing import Any

import pytest

MEETINGS = [
    # title, kind, held_on, format, level, attendees
    ("Lancaster House", "summit", "2025-03-02", "in_person", "leaders", ["GBR", "FRA", "POL"]),
    ("Leaders' call", "summit", "2025-03-15", "virtual", "leaders", ["GBR", "DEU"]),
    (
        "Chiefs at Northwood",
        "military_chiefs",
        "2025-03-20",
        "in_person",
        "chiefs_of_defence",
        ["GBR", "FRA"],
    ),
    ("Advisers' call", "advisers", "2025-04-01", "virtual", "officials", ["FRA"]),
]


def _meetings(client_for: Any) -> None:
    sec = client_for("sec.contributor")
    for title, kind, held_on, fmt, level, attendees in MEETINGS:
        body = {
            "title": title,
            "kind": kind,
            "held_on": held_on,
            "format": fmt,
            "level": level,
            "attendees": attendees,
            "marking": "PUBLIC",
        }
        assert sec.post("/api/v1/meetings", json=body).status_code == 201


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(m["title"] for m in response.json()["items"])


def _csv_titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    first, rest = response.text.split("\r\n", 1)
    assert first.startswith("# marking: ")
    return sorted(r["title"] for r in csv.DictReader(io.StringIO(rest, newline="")))


def test_meeting_filters_combine_on_the_api_and_the_export(client_for: Any) -> None:
    _meetings(client_for)
    public = client_for(None)
    cases = [
        ({"kind": "summit"}, ["Lancaster House", "Leaders' call"]),
        ({"level": "leaders", "meeting_format": "virtual"}, ["Leaders' call"]),
        ({"attendee": "fra"}, ["Advisers' call", "Chiefs at Northwood", "Lancaster House"]),
        (
            {"attendee": "FRA", "meeting_format": "in_person"},
            ["Chiefs at Northwood", "Lancaster House"],
        ),
        (
            {"attendee": "FRA", "since": "2025-03-10", "until": "2025-03-31"},
            ["Chiefs at Northwood"],
        ),
        ({"kind": "summit", "attendee": "DEU", "level": "leaders"}, ["Leaders' call"]),
        ({"kind": "advisers", "attendee": "GBR"}, []),
        ({"since": "2025-03-20", "until": "2025-03-20"}, ["Chiefs at Northwood"]),
    ]
    for params, expected in cases:
        assert _titles(public.get("/api/v1/meetings", params=params)) == expected, params
        exported = public.get("/api/v1/export/meetings", params=params)
        assert _csv_titles(exported) == expected, params


def test_attendee_filter_reveals_no_member_the_reader_may_not_see(
    client_for: Any, engine: Any
) -> None:
    from coalition.core.db import transaction
    from coalition.members.model import Member

    with transaction(engine) as session:
        session.add(
            Member(code="QQQ", name="Unnamed", kind="state", owner_code="SEC", marking="COALITION")
        )
    sec = client_for("sec.contributor")
    body = {"title": "Quiet call", "kind": "advisers", "held_on": "2025-03-05"}
    attended = {**body, "attendees": ["GBR", "QQQ"], "marking": "PUBLIC"}
    assert sec.post("/api/v1/meetings", json=attended).status_code == 201
    # QQQ is hidden from the public: its attendance answers as an unknown code's does.
    public, fra = client_for(None), client_for("fra.viewer")
    assert _titles(public.get("/api/v1/meetings", params={"attendee": "QQQ"})) == []
    assert _titles(public.get("/api/v1/meetings", params={"attendee": "ZZZ"})) == []
    assert _csv_titles(public.get("/api/v1/export/meetings", params={"attendee": "QQQ"})) == []
    assert _titles(public.get("/api/v1/meetings", params={"attendee": "GBR"})) == ["Quiet call"]
    assert _titles(fra.get("/api/v1/meetings", params={"attendee": "QQQ"})) == ["Quiet call"]
    page = public.get("/meetings", params={"attendee": "QQQ"}).text
    assert 'value="QQQ"' not in page and 'value="GBR"' in page  # nor offered as a choice
    assert "Quiet call" not in page
    assert 'value="QQQ"' in fra.get("/meetings").text


BAD = [
    ("/api/v1/meetings", {"kind": "picnic"}, "kind"),
    ("/api/v1/meetings", {"meeting_format": "carrier pigeon"}, "meeting_format"),
    ("/api/v1/meetings", {"since": "2025-13-01"}, "since"),
    ("/api/v1/meetings", {"attendee": "G8R!"}, "attendee"),
    (
        "/api/v1/meetings",
        {"since": "2025-03-20", "until": "2025-03-01"},
        "until: earlier than since",
    ),
    ("/api/v1/members", {"standing": "observer"}, "standing"),
    ("/api/v1/members", {"joined_since": "March"}, "joined_since"),
    (
        "/api/v1/members",
        {"joined_since": "2025-04-01", "joined_until": "2025-03-01"},
        "joined_until: earlier than joined_since",
    ),
    ("/api/v1/proposals", {"rule": "unanimity"}, "rule"),
    ("/api/v1/proposals", {"meeting_id": "0"}, "meeting_id"),
    ("/api/v1/proposals", {"awaiting": "perhaps"}, "awaiting"),
]


@pytest.mark.parametrize(("path", "params", "named"), BAD)
def test_bad_filters_are_refused_with_their_reason(
    client_for: Any, path: str, params: dict[str, str], named: str
) -> None:
    for url in (path, path.replace("/api/v1/", "/api/v1/export/")):
        response = client_for(None).get(url, params=params)
        assert response.status_code == 422, (url, response.text)
        assert named in response.json()["error"]["detail"], response.text


def test_member_filters_combine(client_for: Any, engine: Any) -> None:
    from sqlalchemy import update

    from coalition.core.db import transaction
    from coalition.members.model import Member

    with transaction(engine, actor="test") as session:
        session.execute(
            update(Member).where(Member.code == "POL").values(joined_on=dt.date(2025, 4, 10))
        )
        session.execute(update(Member).where(Member.code == "EU").values(joined_on=None))
    public = client_for(None)

    def codes(path: str, **params: str) -> list[str]:
        response = public.get(path, params=params)
        assert response.status_code == 200, response.text
        if path.startswith("/api/v1/export/"):
            rest = response.text.split("\r\n", 1)[1]
            return sorted(r["code"] for r in csv.DictReader(io.StringIO(rest, newline="")))
        return sorted(m["code"] for m in response.json()["items"])

    for path in ("/api/v1/members", "/api/v1/export/members"):
        assert codes(path, joined_since="2025-04-01") == ["POL"]
        assert codes(path, kind="state", joined_until="2025-03-31") == ["DEU", "FRA", "GBR"]
        assert codes(path, kind="state", standing="member", joined_since="2025-03-02") == [
            "DEU",
            "FRA",
            "GBR",
            "POL",
        ]
        assert codes(path, kind="organisation", joined_since="2025-01-01") == []  # EU: no date
        assert codes(path, kind="organisation", standing="partner") == []


def _proposal(client: Any, title: str, rule: str, meeting_id: int | None) -> int:
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
    body: dict[str, Any] = {
        "title": title,
        "rule": rule,
        "deadline": deadline.isoformat().replace("+00:00", "Z"),
        "marking": "COALITION",
    }
    if meeting_id is not None:
        body["meeting_id"] = meeting_id
    response = client.post("/api/v1/proposals", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_proposal_filters_combine_and_awaiting_is_the_readers_own(client_for: Any) -> None:
    sec = client_for("sec.contributor")
    meeting = sec.post(
        "/api/v1/meetings",
        json={"title": "Summit", "kind": "summit", "held_on": "2025-03-02", "marking": "PUBLIC"},
    ).json()["id"]
    first = _proposal(sec, "Extend the ceasefire", "consensus", meeting)
    _proposal(sec, "Fund the monitors", "simple_majority", meeting)
    _proposal(sec, "Invite observers", "consensus", None)
    stated = client_for("gbr.contributor").post(
        f"/api/v1/proposals/{first}/positions", json={"stance": "support"}
    )
    assert stated.status_code == 201, stated.text

    def titles(who: str | None, **params: Any) -> list[str]:
        listed = _titles(client_for(who).get("/api/v1/proposals", params=params))
        exported = _csv_titles(client_for(who).get("/api/v1/export/proposals", params=params))
        assert listed == exported, params
        return listed

    everything = ["Extend the ceasefire", "Fund the monitors", "Invite observers"]
    assert titles("fra.viewer", meeting_id=meeting) == everything[:2]
    assert titles("fra.viewer", meeting_id=meeting, rule="consensus") == everything[:1]
    assert titles("fra.viewer", meeting_id=meeting, status="adopted") == []
    assert titles("fra.viewer", status="open", rule="consensus") == [everything[0], everything[2]]
    # Awaiting: open, the reader's member takes part, and has stated no position yet.
    assert titles("gbr.viewer", awaiting="true") == everything[1:]
    assert titles("fra.viewer", awaiting="true") == everything
    assert titles("fra.viewer", awaiting="true", rule="consensus") == [everything[0], everything[2]]
    assert titles("gbr.viewer", awaiting="true", meeting_id=meeting) == everything[1:2]
    assert titles("gbr.viewer", awaiting="false", rule="simple_majority") == everything[1:2]
    assert titles("sec.admin", awaiting="true") == []  # the secretariat takes no part
    assert titles(None, awaiting="true") == []  # nor does the public


LIST_PAGES = [
    ("/meetings", {"kind": "picnic", "since": "2025-03-01"}, "Kind: not one of the choices"),
    ("/meetings", {"since": "2025-03-20", "until": "2025-03-01"}, "Held until: earlier than"),
    ("/members", {"joined_since": "soon"}, "Joined from: a date written YYYY-MM-DD"),
    ("/proposals", {"meeting_id": "first"}, "Meeting: not a whole number"),
]


@pytest.mark.parametrize(("path", "params", "message"), LIST_PAGES)
def test_a_page_says_which_filter_it_refused_and_keeps_the_form(
    client_for: Any, path: str, params: dict[str, str], message: str
) -> None:
    response = client_for("gbr.viewer").get(path, params=params)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "The list was not filtered" in text and message in text
    assert "Correct the filters above to see the list." in text
    assert "/api/v1/export" not in text  # no file of a list that was not filtered
    for name, value in params.items():  # a typed day is kept as typed; a choice, offered
        if name in ("since", "until", "joined_since"):
            assert f'name="{name}" value="{value}"' in text, name
        else:
            assert f'<select name="{name}">' in text, name


def test_meetings_page_filters_combine_and_every_link_keeps_them(client_for: Any) -> None:
    _meetings(client_for)
    params = {
        "kind": "summit",
        "attendee": "GBR",
        "level": "",  # the form's "all" is no filter
        "since": "2025-03-01",
        "until": "",
        "limit": "1",
    }
    response = client_for(None).get("/meetings", params=params)
    assert response.status_code == 200, response.text
    text = html.unescape(response.text)
    assert "Leaders' call" in text and "Chiefs at Northwood" not in text  # one row a page
    assert "rows 1–1 of 2" in text
    assert '<option value="summit" selected>' in text
    assert '<option value="GBR" selected>' in text
    assert 'name="since" value="2025-03-01"' in text
    wanted = {"kind=summit", "attendee=GBR", "since=2025-03-01"}
    links = re.findall(r'href="(/(?:meetings|api/v1/export/meetings)\?[^"]*)"', text)
    nexts = [u for u in links if "offset=1" in u]
    sorts = [u for u in links if "sort=" in u]
    files = [u for u in links if u.startswith("/api/v1/export/meetings")]
    assert nexts and sorts and len(files) == 2
    for url in nexts + sorts + files:
        assert wanted <= set(url.split("?", 1)[1].split("&")), url
        assert "level=" not in url and "until=" not in url, url  # blanks are left out
    exported = client_for(None).get(files[0])
    assert _csv_titles(exported) == ["Lancaster House", "Leaders' call"]
    sorted_page = client_for(None).get(next(u for u in sorts if "sort=title" in u))
    assert "rows 1–1 of 2" in html.unescape(sorted_page.text)


def test_proposals_page_offers_awaiting_to_a_members_users_only(client_for: Any) -> None:
    assert 'name="awaiting"' in client_for("gbr.viewer").get("/proposals").text
    assert 'name="awaiting"' not in client_for("sec.admin").get("/proposals").text
    assert 'name="awaiting"' not in client_for(None).get("/proposals").text
    ticked = client_for("gbr.viewer").get("/proposals", params={"awaiting": "true"}).text
    assert 'name="awaiting" value="true" checked' in ticked
    assert "awaiting=true&amp;format=csv" in ticked
