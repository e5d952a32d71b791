"""Dates and times in restitution documents: the store keeps UTC, people read Paris time, and
the documents say so."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
PARIS_NOTE = "heure de Paris"


def to_paris(moment) -> dt.datetime:
    """A stored time in Paris time; a naive time (SQLite drops the zone) is UTC."""
    moment = moment.to_pydatetime() if hasattr(moment, "to_pydatetime") else moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(PARIS)


def now_in_paris() -> dt.datetime:
    return dt.datetime.now(PARIS)


def format_time(moment) -> str:
    """"14 h 05" (Paris time), with non-breaking spaces: it never breaks across lines."""
    local = to_paris(moment)
    return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def format_datetime(moment) -> str:
    """"21/11/2026 à 14 h 05" (Paris time)."""
    return f"{to_paris(moment):%d/%m/%Y} à {format_time(moment)}"


def format_duration(delta: dt.timedelta) -> str:
    """"2 h 15", "45 min", "moins d'une minute"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "moins d'une minute"
    if minutes < 60:
        return f"{minutes}{NBSP}min"
    return f"{minutes // 60}{NBSP}h{NBSP}{minutes % 60:02d}"
