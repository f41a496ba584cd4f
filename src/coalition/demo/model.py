"""A record that the illustrative demo scenario was loaded into this database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.db import Base, UTCDateTime, utcnow
from coalition.core.model import Audited


class ScenarioLoad(Audited, Base):
    __tablename__ = "scenario_loads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
