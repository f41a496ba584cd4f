"""Territory snapshots: storing them, and the areas, changes and map layers read from them.

A snapshot is one source's polygon of one layer on one day (natural key: source, day,
layer). :func:`store` writes it: the shape repaired and named by the SHA-256 of its WKB,
stored once with its simplified copies, the true area and the area per region computed
once, the snapshot row audited. The same polygon again changes nothing; another polygon
for the same source, day and layer replaces the earlier one (audited, with both digests).

Every reading takes the reader's principal and sees only the snapshots the reader may
see: a NATIONAL assessment never reaches another nation's area, change, chart or map.
A day without a snapshot of its own is read from the latest snapshot before it, and the
answer names the day of the snapshot it read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.marking import Marking, encode_release
from coalition.core.principal import Principal, Role
from coalition.core.visibility import note_aggregated, visible, visible_select
from coalition.situation import geometry
from coalition.situation.model import FULL, Shape, Snapshot, SnapshotRegion
from coalition.situation.outlines import outlines

LAYERS = ("held", "contested", "claimed")
ZOOM_LEVELS = (4, 6, 8, 10)  # simplified copies kept; finer zooms read the full shape
SOURCE_TEXT = r"^[a-z][a-z0-9_.-]{1,79}$"


def require_analyst(principal: Principal) -> None:
    """Snapshots, claims and reviews are written by monitors and contributors (analysts)."""
    if principal.member is None or not principal.has_role(Role.MONITOR, Role.CONTRIBUTOR):
        raise Forbidden("recording the situation takes a monitor's or a contributor's role")


def check_source(source: str) -> str:
    if not re.fullmatch(SOURCE_TEXT, source):
        raise Invalid(
            "source: 2 to 80 lower-case letters, digits, '.', '-' or '_' starting with a "
            f"letter (e.g. deepstatemap), not {source[:40]!r}"
        )
    return source


def check_layer(layer: str) -> str:
    if layer not in LAYERS:
        raise Invalid(f"layer: one of {', '.join(LAYERS)}, not {layer[:20]!r}")
    return layer


@dataclass(frozen=True)
class Labels:
    """What a snapshot says of itself besides its shape."""

    method: str = ""
    marking: Marking = Marking.COALITION
    rel_to: Sequence[str] = ()
    owner: str | None = None
    source_title: str = ""
    source_ref: str = ""
    illustrative: bool = False
    run_key: str = ""


@dataclass
class Stored:
    snapshot: Snapshot
    outcome: str  # inserted, updated, unchanged


def digest(shape: BaseGeometry) -> tuple[bytes, str]:
    """The shape's WKB (normalised, so ring order and start do not change it) and its
    SHA-256."""
    wkb = shapely.to_wkb(shapely.normalize(shape))
    return wkb, hashlib.sha256(wkb).hexdigest()


def _store_shape(session: Session, shape: BaseGeometry, wkb: bytes, sha: str) -> None:
    held = set(session.scalars(select(Shape.level).where(Shape.sha256 == sha)))
    if FULL not in held:
        session.add(
            Shape(sha256=sha, level=FULL, wkb=wkb, vertices=int(shapely.get_num_coordinates(shape)))
        )
    wanted = [level for level in ZOOM_LEVELS if level not in held]
    for level, simple in geometry.simplified_levels(shape, wanted).items():
        session.add(
            Shape(
                sha256=sha,
                level=level,
                wkb=shapely.to_wkb(simple),
                vertices=int(shapely.get_num_coordinates(simple)),
            )
        )


def store(
    session: Session,
    principal: Principal,
    source: str,
    day: dt.date,
    layer: str,
    shape: BaseGeometry,
    labels: Labels,
    repairs: Iterable[str] = (),
) -> Stored:
    """Write one snapshot (the shape already repaired); see the module's rule."""
    require_analyst(principal)
    check_source(source)
    check_layer(layer)
    wkb, sha = digest(shape)
    found = session.scalar(
        select(Snapshot).where(
            Snapshot.source == source, Snapshot.taken_on == day, Snapshot.layer == layer
        )
    )
    if found is not None and not found.visible_to(principal):
        raise Conflict(
            f"{source} on {day} ({layer}) is recorded under a marking you may not see: "
            "import under a source name of your own"
        )
    repaired = "; ".join(repairs)[:2000]
    if found is not None and (
        found.shape_sha256 == sha
        and found.method == labels.method[:1000]
        and found.marking == labels.marking
        and found.rel_to == encode_release(labels.rel_to)
        and (labels.owner is None or found.owner_code == labels.owner)
        and found.illustrative == labels.illustrative
        and found.repairs == repaired
    ):
        return Stored(found, "unchanged")
    _store_shape(session, shape, wkb, sha)
    snapshot = found or Snapshot(source=source, taken_on=day, layer=layer)
    snapshot.mark(session, principal, labels.marking, labels.rel_to, owner=labels.owner)
    snapshot.method = labels.method[:1000]
    snapshot.shape_sha256 = sha
    snapshot.area_km2 = round(geometry.area_km2(shape), 3)
    snapshot.parts = len(shapely.get_parts(shape))
    snapshot.vertices = int(shapely.get_num_coordinates(shape))
    snapshot.repairs = repaired
    snapshot.run_key = labels.run_key
    snapshot.source_title = labels.source_title[:300]
    snapshot.source_ref = labels.source_ref[:500]
    snapshot.illustrative = labels.illustrative
    if found is not None:
        for old in list(found.regions):
            session.delete(old)  # audited, and gone before the new ones are written
        session.flush()
        session.expire(found, ["regions"])
    snapshot.regions = [
        SnapshotRegion(region_code=code, area_km2=round(km2, 3))
        for code, km2 in sorted(geometry.by_region(shape).items())
        if km2 > 0
    ]
    if found is None:
        session.add(snapshot)
    session.flush()
    return Stored(snapshot, "updated" if found is not None else "inserted")


# Reading ----------------------------------------------------------------------------


def _visible_snapshots(principal: Principal) -> Select[Snapshot]:
    return visible_select(principal, Snapshot)


def get_snapshot(session: Session, principal: Principal, snapshot_id: int) -> Snapshot:
    found = session.scalar(_visible_snapshots(principal).where(Snapshot.id == snapshot_id))
    if found is None:
        raise NotFound(f"no territory snapshot {snapshot_id}")
    return found


def snapshot_on(
    session: Session, principal: Principal, source: str, day: dt.date, layer: str = "held"
) -> Snapshot:
    """The source's snapshot of ``layer`` on ``day``, or the latest before it."""
    check_layer(layer)
    found = session.scalar(
        _visible_snapshots(principal)
        .where(Snapshot.source == source, Snapshot.layer == layer, Snapshot.taken_on <= day)
        .order_by(Snapshot.taken_on.desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"no {layer} snapshot of {source} on or before {day}")
    return found


def latest_held(
    session: Session, principal: Principal, source: str | None, day: dt.date
) -> Snapshot:
    """The ``held`` snapshot a line of contact is drawn from: ``source``'s on or before
    ``day``, or, with no source named, the most recent of any source the reader may see
    (ties to the source first in the alphabet)."""
    query = _visible_snapshots(principal).where(Snapshot.layer == "held", Snapshot.taken_on <= day)
    if source is not None:
        query = query.where(Snapshot.source == source)
    found = session.scalar(query.order_by(Snapshot.taken_on.desc(), Snapshot.source).limit(1))
    if found is None:
        raise NotFound(f"no held snapshot{f' of {source}' if source else ''} on or before {day}")
    return found


def shape_of(session: Session, snapshot: Snapshot, level: int = FULL) -> BaseGeometry:
    wkb = session.scalar(
        select(Shape.wkb).where(Shape.sha256 == snapshot.shape_sha256, Shape.level == level)
    )
    if wkb is None:  # a level not kept: the full shape
        wkb = session.scalar(
            select(Shape.wkb).where(Shape.sha256 == snapshot.shape_sha256, Shape.level == FULL)
        )
    if wkb is None:
        raise NotFound(f"the shape of snapshot {snapshot.id} is missing")
    found: BaseGeometry = shapely.from_wkb(wkb)
    return found


@dataclass
class SourceSummary:
    source: str
    layers: list[str]
    snapshots: int
    first: dt.date
    last: dt.date


def sources(session: Session, principal: Principal) -> list[SourceSummary]:
    """Each source the reader may see a snapshot of, with its days."""
    rows = session.execute(
        select(
            Snapshot.source,
            Snapshot.layer,
            func.count(),
            func.min(Snapshot.taken_on),
            func.max(Snapshot.taken_on),
        )
        .where(visible(principal, Snapshot))
        .group_by(Snapshot.source, Snapshot.layer)
        .order_by(Snapshot.source, Snapshot.layer)
    ).all()
    found: dict[str, SourceSummary] = {}
    for source, layer, count, first, last in rows:
        summary = found.setdefault(source, SourceSummary(source, [], 0, first, last))
        summary.layers.append(layer)
        summary.snapshots += count
        summary.first, summary.last = min(summary.first, first), max(summary.last, last)
    note_aggregated(session, _visible_snapshots(principal))
    return list(found.values())


def list_snapshots(
    session: Session,
    principal: Principal,
    *,
    source: str | None = None,
    layer: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[Snapshot]]:
    query = _visible_snapshots(principal)
    if source is not None:
        query = query.where(Snapshot.source == source)
    if layer is not None:
        query = query.where(Snapshot.layer == check_layer(layer))
    if since is not None:
        query = query.where(Snapshot.taken_on >= since)
    if until is not None:
        query = query.where(Snapshot.taken_on <= until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Snapshot.taken_on.desc(), Snapshot.source, Snapshot.layer, Snapshot.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(rows)


@dataclass
class SeriesPoint:
    day: dt.date
    area_km2: float
    snapshot_id: int


def series(
    session: Session,
    principal: Principal,
    source: str,
    layer: str = "held",
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[SeriesPoint]:
    """The area of each of the source's snapshots of ``layer``, oldest first."""
    check_layer(layer)
    query = (
        select(Snapshot.taken_on, Snapshot.area_km2, Snapshot.id)
        .where(visible(principal, Snapshot), Snapshot.source == source, Snapshot.layer == layer)
        .order_by(Snapshot.taken_on)
    )
    if since is not None:
        query = query.where(Snapshot.taken_on >= since)
    if until is not None:
        query = query.where(Snapshot.taken_on <= until)
    points = [SeriesPoint(day, km2, sid) for day, km2, sid in session.execute(query)]
    note_aggregated(
        session,
        _visible_snapshots(principal).where(Snapshot.source == source, Snapshot.layer == layer),
    )
    return points


@dataclass
class RegionChange:
    code: str
    name: str
    earlier_km2: float
    later_km2: float
    gained_km2: float
    lost_km2: float


@dataclass
class ChangeAnswer:
    source: str
    layer: str
    earlier: Snapshot
    later: Snapshot
    earlier_km2: float
    later_km2: float
    gained_km2: float
    lost_km2: float
    regions: list[RegionChange] = field(default_factory=list)
    gained: BaseGeometry | None = None
    lost: BaseGeometry | None = None


def change(
    session: Session,
    principal: Principal,
    source: str,
    start: dt.date,
    end: dt.date,
    layer: str = "held",
) -> ChangeAnswer:
    """What the source's ``layer`` gained and lost from ``start`` to ``end``, in all and
    by region."""
    if end < start:
        raise Invalid("to: earlier than from")
    earlier = snapshot_on(session, principal, source, start, layer)
    later = snapshot_on(session, principal, source, end, layer)
    found = geometry.change(
        shape_of(session, earlier),
        shape_of(session, later),
        areas=(earlier.area_km2, later.area_km2),  # computed at import
    )
    gained_by = geometry.by_region(found.gained) if found.gained_km2 > 0 else {}
    lost_by = geometry.by_region(found.lost) if found.lost_km2 > 0 else {}
    before = {r.region_code: r.area_km2 for r in earlier.regions}
    after = {r.region_code: r.area_km2 for r in later.regions}
    names = {outline.code: outline.name for outline in outlines()}
    codes = sorted(set(before) | set(after) | set(gained_by) | set(lost_by))
    regions = [
        RegionChange(
            code,
            names.get(code, code),
            before.get(code, 0.0),
            after.get(code, 0.0),
            round(gained_by.get(code, 0.0), 3),
            round(lost_by.get(code, 0.0), 3),
        )
        for code in codes
    ]
    regions.sort(key=lambda r: -(r.gained_km2 + r.lost_km2))
    return ChangeAnswer(
        source,
        layer,
        earlier,
        later,
        earlier.area_km2,
        later.area_km2,
        round(found.gained_km2, 3),
        round(found.lost_km2, 3),
        regions,
        found.gained,
        found.lost,
    )


@dataclass
class Comparison:
    day: dt.date
    layer: str
    a: Snapshot
    b: Snapshot
    only_a_km2: float
    only_b_km2: float
    disagreement: BaseGeometry


def compare(
    session: Session, principal: Principal, a: str, b: str, day: dt.date, layer: str = "held"
) -> Comparison:
    """Two sources side by side on one day: the area each holds that the other does not."""
    first = snapshot_on(session, principal, a, day, layer)
    second = snapshot_on(session, principal, b, day, layer)
    only_a, only_b, shape = geometry.disagreement(
        shape_of(session, first), shape_of(session, second)
    )
    return Comparison(day, layer, first, second, round(only_a, 3), round(only_b, 3), shape)


def level_for(zoom: int) -> int:
    """The stored level a map at ``zoom`` reads: the finest kept at or below it."""
    kept = [level for level in ZOOM_LEVELS if level <= zoom]
    if zoom > ZOOM_LEVELS[-1]:
        return FULL
    return kept[-1] if kept else ZOOM_LEVELS[0]


def map_shape(
    session: Session,
    snapshot: Snapshot,
    zoom: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> BaseGeometry:
    """The snapshot's shape as a map at ``zoom`` draws it, cut to ``bbox`` if given."""
    return geometry.simplified(shape_of(session, snapshot, level_for(zoom)), zoom, bounds=bbox)
