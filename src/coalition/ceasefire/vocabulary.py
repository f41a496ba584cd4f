"""The ceasefire vocabulary: scopes, source kinds, incident types, verification. Pure."""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    ALL_FRONTS = "all_fronts"
    ENERGY_INFRASTRUCTURE = "energy_infrastructure"
    MARITIME = "maritime"


class CeasefireStatus(enum.StrEnum):
    PROPOSED = "proposed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    COLLAPSED = "collapsed"


class SourceKind(enum.StrEnum):
    MONITOR_PATROL = "monitor_patrol"
    FIXED_SENSOR = "fixed_sensor"
    UAV = "uav"
    OPEN_SOURCE = "open_source"
    PARTY_STATEMENT = "party_statement"


class IncidentType(enum.StrEnum):
    SHELLING = "shelling"
    SMALL_ARMS = "small_arms"
    DRONE_STRIKE = "drone_strike"
    MISSILE = "missile"
    AIR_STRIKE = "air_strike"
    GROUND_ASSAULT = "ground_assault"
    INFRASTRUCTURE_STRIKE = "infrastructure_strike"
    OTHER = "other"


class TimePrecision(enum.StrEnum):
    """What a report's time is given to: its window in the grouping rule. A date without
    a time is ``day`` (stored at midnight UTC, the start of the day)."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


class Verification(enum.StrEnum):
    REPORTED = "reported"
    CORROBORATED = "corroborated"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    UNFOUNDED = "unfounded"
