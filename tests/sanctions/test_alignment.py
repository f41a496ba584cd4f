"""Resolution and alignment on the database: clusters across lists, gaps as of a day,
the matrix, and what a reader may not see.

Three lists are loaded as FtM files (so the entities are exactly as written here): the
EU's (applied by FRA, DEU and POL), the UK's (GBR) and OFAC's (applied by nobody here).
The same tanker is on the EU's and UK's lists under other ids and spellings, one IMO
number; a bank only on the UK's; a person on the EU's and UK's by name alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from sqlalchemy import Engine, select

from coalition.core.db import transaction
from coalition.core.errors import Forbidden, Invalid, NotFound
from coalition.core.marking import Marking
from coalition.sanctions import alignment, ingest, resolution, summary
from coalition.sanctions.clusters import Judgement
from coalition.sanctions.model import Candidate, Designation
from tests.world import World

D1, D2, D3 = dt.date(2025, 2, 24), dt.date(2025, 5, 20), dt.date(2025, 7, 1)


def target(eid: str, schema: str, name: str, **props: list[str]) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "properties": {"name": [name], **props}}


def sanction(eid: str, of: str, program: str, listed: str, **props: list[str]) -> dict[str, Any]:
    return {
        "id": eid,
        "schema": "Sanction",
        "properties": {"entity": [of], "program": [program], "listingDate": [listed], **props},
    }


EU = [
    target("eu-1", "Vessel", "EAGLE S", imoNumber=["9329760"]),
    sanction("eu-1-s", "eu-1", "RUS", "2025-05-20", authorityId=["EU.1.1"]),
    target("eu-2", "Person", "Ivan Petrov", birthDate=["1961-04-02"]),
    sanction("eu-2-s", "eu-2", "UKR", "2022-02-25", reason=["Minister"]),
]
UK = [
    target("uk-1", "Vessel", "Eagle S.", imoNumber=["9329760"]),
    sanction("uk-1-s", "uk-1", "Russia", "2024-12-20", authorityId=["RUS1900"]),
    target("uk-2", "Company", "Sovcombank", swiftBic=["SOMRRUMM"]),
    sanction("uk-2-s", "uk-2", "Russia", "2022-02-24", authorityId=["RUS0257"]),
    target("uk-3", "Person", "Ivan Petrov", birthDate=["1961"]),
    sanction("uk-3-s", "uk-3", "Russia", "2022-03-15"),
]
US = [
    target("us-1", "Company", "SOVCOMBANK", swiftBic=["SOMRRUMMXXX"]),
    sanction("us-1-s", "us-1", "RUSSIA-EO14024", "2022-02-24"),
]


def load(engine: Engine, world: World, code: str, day: dt.date, entities: list[Any]) -> None:
    body = b"".join(json.dumps(e).encode() + b"\n" for e in entities)
    ingest.import_snapshot(
        engine,
        world.principal("sec.admin"),
        io.BytesIO(body),
        list_code=code,
        taken_on=day,
        sha256=f"{code}-{day}".ljust(64, "0"),
        run_key="",
    )


@pytest.fixture
def lists(engine: Engine, world: World) -> World:
    load(engine, world, "eu_fsf", D1, EU)
    load(engine, world, "gb_fcdo_sanctions", D1, UK)
    load(engine, world, "us_ofac_sdn", D1, US)
    sec = world.principal("sec.admin")
    with transaction(engine) as session:
        for member in ("FRA", "DEU", "POL"):
            alignment.apply_list(session, sec, member, "eu_fsf", dt.date(2022, 1, 1))
        alignment.apply_list(session, sec, "GBR", "gb_fcdo_sanctions", dt.date(2022, 1, 1))
    return world


def gap_of(
    engine: Engine, world: World, a: str, b: str, user: str | None = "gbr.viewer", **kw: Any
) -> list[str]:
    with transaction(engine) as session:
        found = alignment.gap(session, world.principal(user), a, b, **kw)
    return [row.caption for row in found.rows]


def test_designations_carry_themes_kinds_and_dates(engine: Engine, lists: World) -> None:
    with transaction(engine) as session:
        rows = {d.ref: d for d in session.scalars(select(Designation))}
    assert rows["gb_fcdo_sanctions:uk-2"].theme == "russia"
    assert rows["gb_fcdo_sanctions:uk-2"].kind == "bank"
    assert rows["eu_fsf:eu-1"].kind == "vessel"
    assert rows["eu_fsf:eu-2"].program == "UKR"
    assert rows["eu_fsf:eu-2"].listing_date == dt.date(2022, 2, 25)
    assert rows["us_ofac_sdn:us-1"].authority_id == ""
    assert rows["eu_fsf:eu-1"].authority_id == "EU.1.1"


def test_a_strong_identifier_joins_by_rule_and_closes_the_gap(engine: Engine, lists: World) -> None:
    # Before resolution the tanker on the UK's list is a target the EU does not list.
    before = gap_of(engine, lists, "GBR", "FRA")
    assert "Eagle S." in before and "Sovcombank" in before
    with transaction(engine) as session:
        found = resolution.find_candidates(session, lists.principal("sec.admin"))
    assert found.judged_by_rule >= 2  # the tanker by IMO, the bank by BIC (UK and US)
    after = gap_of(engine, lists, "GBR", "FRA")
    assert "Eagle S." not in after
    assert "Sovcombank" in after
    # The person matched by name alone waits for a person's judgement.
    assert "Ivan Petrov" in after
    with transaction(engine) as session:
        pairs = {(c.left_ref, c.right_ref, c.rule) for c in session.scalars(select(Candidate))}
    assert ("eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3", "name") in pairs


def test_a_persons_judgement_joins_and_can_be_revisited(engine: Engine, lists: World) -> None:
    analyst = lists.principal("gbr.contributor")
    with transaction(engine) as session:
        resolution.judge(session, analyst, "eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3", Judgement.SAME)
    assert "Ivan Petrov" not in gap_of(engine, lists, "GBR", "FRA")
    # A "different" inside the cluster is refused with its reason.
    with transaction(engine) as session, pytest.raises(Invalid, match="revisit"):
        resolution.judge(
            session, analyst, "eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3", Judgement.DIFFERENT
        )
    with transaction(engine) as session:
        resolution.revisit(session, analyst, "eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3")
    assert "Ivan Petrov" in gap_of(engine, lists, "GBR", "FRA")
    with transaction(engine) as session:
        kept = resolution.history(session, analyst, "gb_fcdo_sanctions:uk-3", "eu_fsf:eu-2")
    assert [h.ended_by for h in kept] == ["gbr.contributor"]


def test_a_viewer_cannot_judge_and_an_unknown_target_is_not_found(
    engine: Engine, lists: World
) -> None:
    with transaction(engine) as session, pytest.raises(Forbidden):
        resolution.judge(
            session,
            lists.principal("gbr.viewer"),
            "eu_fsf:eu-2",
            "gb_fcdo_sanctions:uk-3",
            Judgement.SAME,
        )
    with transaction(engine) as session, pytest.raises(NotFound):
        resolution.judge(
            session,
            lists.principal("gbr.contributor"),
            "eu_fsf:eu-2",
            "eu_fsf:nobody",
            Judgement.SAME,
        )


def test_a_national_judgement_counts_only_for_its_member(engine: Engine, lists: World) -> None:
    with transaction(engine) as session:
        resolution.judge(
            session,
            lists.principal("gbr.contributor"),
            "eu_fsf:eu-2",
            "gb_fcdo_sanctions:uk-3",
            Judgement.SAME,
            marking=Marking.NATIONAL,
        )
    assert "Ivan Petrov" not in gap_of(engine, lists, "GBR", "FRA", user="gbr.viewer")
    assert "Ivan Petrov" in gap_of(engine, lists, "GBR", "FRA", user="fra.viewer")
    assert "Ivan Petrov" in gap_of(engine, lists, "GBR", "FRA", user=None)
    with transaction(engine) as session:
        seen_by = {
            user: {p: t for p, _, t in alignment.matrix(session, lists.principal(user)).rows}
            for user in ("gbr.viewer", "fra.viewer")
        }
    # GBR's users count the person once across the EU's and UK's lists; FRA's twice.
    assert seen_by["fra.viewer"]["COALITION"] - seen_by["gbr.viewer"]["COALITION"] == 1


def test_a_gap_is_paged_in_rank_order_with_its_total(engine: Engine, lists: World) -> None:
    with transaction(engine) as session:
        reader = lists.principal("gbr.viewer")
        whole = alignment.gap(session, reader, "GBR", "FRA", as_of=D1)
        pages = [
            alignment.gap(session, reader, "GBR", "FRA", as_of=D1, limit=1, offset=n)
            for n in range(whole.total)
        ]
    assert whole.total == len(whole.rows) == 3
    assert [p.rows[0].caption for p in pages] == [r.caption for r in whole.rows]
    assert all(p.total == 3 for p in pages)


def test_gaps_are_answered_as_of_a_day_and_say_what_opened(engine: Engine, lists: World) -> None:
    # On D2 the UK's list no longer holds the bank; on D3 the EU lists it.
    load(engine, lists, "gb_fcdo_sanctions", D2, [e for e in UK if not e["id"].startswith("uk-2")])
    assert "Sovcombank" in gap_of(engine, lists, "GBR", "FRA", as_of=D1)
    assert "Sovcombank" not in gap_of(engine, lists, "GBR", "FRA", as_of=D2)
    # Reproducible after later snapshots: D1's answer is the same as before.
    assert gap_of(engine, lists, "GBR", "FRA", as_of=D1) == gap_of(
        engine, lists, "GBR", "FRA", as_of=D1
    )
    with transaction(engine) as session:
        found = alignment.gap(
            session, lists.principal("gbr.viewer"), "FRA", "GBR", as_of=D2, since=D1
        )
    opened = {r.caption: r.opened for r in found.rows}
    assert opened == {"EAGLE S": False, "Ivan Petrov": False}


def test_theme_filters_a_and_ranking_puts_vessels_and_banks_first(
    engine: Engine, lists: World
) -> None:
    with transaction(engine) as session:
        found = alignment.gap(session, lists.principal("gbr.viewer"), "GBR", "FRA", theme="russia")
        ranked = [(r.kind, r.caption) for r in found.rows]
        assert ranked[0][0] in ("vessel", "bank")
        assert ranked[-1][0] == "person"
        assert all(any(x.theme == "russia" for x in r.listings) for r in found.rows)
        with pytest.raises(Invalid, match="theme"):
            alignment.gap(session, lists.principal("gbr.viewer"), "GBR", "FRA", theme="nope")
        with pytest.raises(NotFound):
            alignment.gap(session, lists.principal("gbr.viewer"), "GBR", "XXX")


def test_the_matrix_counts_each_target_once(engine: Engine, lists: World) -> None:
    with transaction(engine) as session:
        resolution.find_candidates(session, lists.principal("sec.admin"))
        found = alignment.matrix(session, lists.principal("gbr.viewer"), as_of=D1)
    rows = {party: (counts, total) for party, counts, total in found.rows}
    assert rows["GBR"][1] == 3
    assert rows["FRA"][1] == 2
    assert rows["FRA"][0]["russia"] == 2
    # The tanker is one target on both lists: 3 + 2 - 1.
    assert rows[alignment.COALITION][1] == 4


def test_a_list_the_reader_may_not_see_neither_appears_nor_counts(
    engine: Engine, world: World
) -> None:
    body = b"".join(json.dumps(e).encode() + b"\n" for e in UK)
    ingest.import_snapshot(
        engine,
        world.principal("gbr.admin"),
        io.BytesIO(body),
        list_code="gb_watch",
        taken_on=D1,
        sha256="w" * 64,
        run_key="",
        marking=Marking.NATIONAL,
    )
    load(engine, world, "eu_fsf", D1, EU)
    with transaction(engine) as session:
        alignment.apply_list(session, world.principal("gbr.admin"), "GBR", "gb_watch", D1)
        alignment.apply_list(session, world.principal("sec.admin"), "FRA", "eu_fsf", D1)
    assert "Sovcombank" in gap_of(engine, world, "GBR", "FRA", user="gbr.viewer", as_of=D1)
    with transaction(engine) as session:
        fra = world.principal("fra.viewer")
        assert alignment.gap(session, fra, "GBR", "FRA", as_of=D1).rows == []
        with pytest.raises(NotFound):
            alignment.gap(session, fra, "gb_watch", "FRA", as_of=D1)
        rows = {p: total for p, _, total in alignment.matrix(session, fra, as_of=D1).rows}
    assert "GBR" not in rows
    assert rows["FRA"] == 2


def test_targets_and_histories_are_read_for_a_whole_page(engine: Engine, lists: World) -> None:
    analyst = lists.principal("gbr.contributor")
    pair = ("eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3")
    with transaction(engine) as session:
        resolution.judge(session, analyst, *pair, Judgement.UNSURE, note="dates differ")
    with transaction(engine) as session:
        held = resolution.entities_of(session, analyst, [*pair, "eu_fsf:eu-1", "eu_fsf:nobody"])
        pasts = resolution.histories(session, analyst, [pair[::-1], ("eu_fsf:eu-1", "x_y:z")])
        assert {ref: e.caption for ref, e in held.items()} == {
            "eu_fsf:eu-2": "Ivan Petrov",
            "gb_fcdo_sanctions:uk-3": "Ivan Petrov",
            "eu_fsf:eu-1": "EAGLE S",
        }
        assert [j.note for j in pasts[pair]] == ["dates differ"]
        assert pasts[("eu_fsf:eu-1", "x_y:z")] == []
    with transaction(engine) as session:
        # The public sees the lists but not a COALITION judgement.
        assert resolution.histories(session, lists.principal(None), [pair])[pair] == []


KINDS = ("vessel", "bank", "entity", "aircraft", "person")
MARKED = (
    (Marking.PUBLIC, "SEC", ""),
    (Marking.COALITION, "SEC", ""),
    (Marking.NATIONAL, "FRA", ""),  # FRA's alone: never counted for GBR
    (Marking.REL_TO, "POL", "|GBR|POL|"),  # for GBR, not for FRA
)


def scatter(
    engine: Engine, world: World, seed: int, marked: tuple[Any, ...] = MARKED
) -> list[dict[str, Any]]:
    """Designations written straight to the table (and summarised, as the code writing
    them does): targets on one to three lists, under two themes, listed and delisted on
    several days, marked four ways (or as ``marked`` says); GBR applies two lists."""
    import random

    rnd = random.Random(seed)
    codes = ("eu_fsf", "gb_fcdo_sanctions", "us_ofac_sdn")
    rows = []
    for n in range(120):
        target = f"NK-{n % 40:03d}" if n % 3 else f"{codes[n % 3]}:t{n}"
        first = rnd.choice([D1 - dt.timedelta(days=400), D1, D2])
        marking, owner, rel_to = rnd.choices(marked, weights=(6, 3, 1, 1)[: len(marked)])[0]
        rows.append(
            {
                "list_code": rnd.choice(codes),
                "ref": f"x:{n}",
                "target_id": str(n),
                "sanction_id": "",
                "schema": "Thing",
                "kind": rnd.choice(KINDS),
                "caption": f"Target {n % 40:03d}",
                "program": "",
                "theme": rnd.choice(["russia", "russia", "belarus"]),
                "authority_id": "",
                "listing_date": rnd.choice([None, first - dt.timedelta(days=n)]),
                "reason": "",
                "un_listed": rnd.random() < 0.1,
                "first_seen": first,
                "listed_until": rnd.choice([None, None, None, first + dt.timedelta(days=90)]),
                "canonical_public": target,
                "canonical_coalition": target,
                "owner_code": owner,
                "marking": marking.value,
                "rel_to": rel_to,
            }
        )
    with transaction(engine) as session:
        session.execute(Designation.__table__.insert(), rows)
        summary.refresh_all(session)
        alignment.apply_list(session, world.principal("sec.admin"), "GBR", "us_ofac_sdn", D1)
    return rows


def held_by(session: Any, reader: Any, party: str, day: dt.date) -> dict[str, set[str]]:
    """What ``party``'s lists designate on ``day`` as ``reader`` sees them, target by theme,
    counted row by row in Python."""
    from coalition.core.marking import can_see

    lists = alignment.party_lists(session, reader, party, day)
    column = resolution.scope_of(reader)
    found: dict[str, set[str]] = {}
    for d in session.scalars(select(Designation)):
        if (
            d.list_code in lists
            and d.first_seen <= day
            and (d.listed_until is None or d.listed_until > day)
            and can_see(reader, d.owner_code, Marking(d.marking), d.rel_to)
        ):
            found.setdefault(d.theme, set()).add(getattr(d, column))
    return found


@pytest.mark.parametrize("user", ["gbr.viewer", "fra.viewer", None])
@pytest.mark.parametrize("day", [D1, D2, D3])
def test_the_matrix_and_the_gap_agree_with_counting_row_by_row(
    engine: Engine, lists: World, user: str | None, day: dt.date
) -> None:
    scatter(engine, lists, seed=day.toordinal())
    agree_with_rows(engine, lists.principal(user), day)


@pytest.mark.parametrize("user", ["gbr.viewer", None])
@pytest.mark.parametrize("day", [D1, D2, D3])
def test_the_summary_answers_as_the_rows_do(
    engine: Engine, lists: World, user: str | None, day: dt.date
) -> None:
    """Every designation public: the matrix and the gap are read from the summary."""
    scatter(engine, lists, seed=day.toordinal() + 1, marked=MARKED[:1])
    with transaction(engine) as session:
        reader = lists.principal(user)
        every = alignment._every_list(session)
        assert alignment._summarised(reader, alignment._marks(session, every))
    agree_with_rows(engine, reader, day)
    # And in the same order, with the same evidence, as read from the rows.
    with transaction(engine) as session:
        for a, b, theme in (("GBR", "FRA", None), ("FRA", "GBR", "russia")):
            parties = (
                alignment.party_lists(session, reader, a, day),
                alignment.party_lists(session, reader, b, day),
            )
            for kind in (None, "vessel"):
                fast = alignment._ranked_summary(
                    session, reader, parties, day, theme, kind, None, 0
                )
                slow = alignment._ranked(session, reader, parties, day, theme, kind, None, 0)
                assert fast == slow
            targets = {row.target for row in slow[1]}
            for since in (D1, D2):
                assert alignment._in_gap_summary(
                    session, reader, parties, since, theme, targets
                ) == alignment._in_gap(session, reader, parties, since, theme, targets)


def agree_with_rows(engine: Engine, reader: Any, day: dt.date) -> None:
    """The matrix and three gaps as ``reader`` gets them, against counting row by row."""
    with transaction(engine) as session:
        found = alignment.matrix(session, reader, as_of=day)
        for party, counts, total in found.rows:
            held = held_by(session, reader, party, day)
            assert total == len(set().union(*held.values())), party
            assert counts == {t: len(held.get(t, ())) for t in found.themes}, party
        for a, b, theme in (("GBR", "FRA", None), ("FRA", "GBR", "russia"), ("GBR", "POL", None)):
            gap = alignment.gap(session, reader, a, b, as_of=day, theme=theme)
            wanted = held_by(session, reader, a, day)
            keys = wanted.get(theme, set()) if theme else set().union(*wanted.values())
            keys -= set().union(*held_by(session, reader, b, day).values())
            assert gap.total == len(gap.rows) == len(keys)
            assert {row.target for row in gap.rows} == keys
            paged = [
                row.target
                for n in range(0, gap.total + 2, 2)
                for row in alignment.gap(
                    session, reader, a, b, as_of=day, theme=theme, limit=2, offset=n
                ).rows
            ]
            assert paged == [row.target for row in gap.rows]
            past = alignment.gap(session, reader, a, b, as_of=day, theme=theme, offset=gap.total)
            assert past.rows == [] and past.total == gap.total


def test_the_matrix_notes_every_marking_it_counts_and_no_other(
    engine: Engine, lists: World
) -> None:
    from coalition.core.marking import watch_shown

    rows = scatter(engine, lists, seed=7)
    reader = lists.principal("gbr.viewer")
    noted = watch_shown()
    with transaction(engine) as session:
        alignment.matrix(session, reader, as_of=D1)
    held = {
        (Marking(r["marking"]), r["owner_code"], r["rel_to"] or None)
        for r in rows
        if r["marking"] != Marking.NATIONAL.value
    }
    assert held <= noted
    assert not any(marking is Marking.NATIONAL for marking, _, _ in noted)
