"""Creating and finding sessions: a join code, the facilitator's secrets, the first grid."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim import access
from essaim.data.schema import grid_versions, workshops
from essaim.workshops.codes import KINDS, generate_join_code, normalise_code
from essaim.workshops.errors import WorkshopError
from essaim.workshops.grid import Grid
from essaim.workshops.writes import hash_token, hot_statement, now_utc, write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    kind: str
    scope_innovation: str | None
    scope_territories: tuple[str, ...]
    status: str
    results_hidden: bool
    state_version: int
    grid_version: int
    created_at: dt.datetime
    premoderation: bool = False

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class CreatedWorkshop:
    code: str
    facilitator_token: str
    pin: str


def row_to_workshop(row) -> Workshop:
    return Workshop(
        id=row.id, code=row.code, title=row.title, kind=row.kind,
        scope_innovation=row.scope_innovation,
        scope_territories=tuple(json.loads(row.scope_territories or "[]")),
        status=row.status, results_hidden=bool(row.results_hidden),
        state_version=row.version, grid_version=row.grid_version,
        created_at=row.created_at, premoderation=bool(row.premoderation),
    )


def create_workshop(engine: Engine, *, title: str, kind: str, grid: Grid, author: str = "",
                    scope_innovation: str | None = None,
                    scope_territories: tuple[str, ...] = ()) -> CreatedWorkshop:
    """Create a session with its first grid version; returns the join code and the
    facilitator's secrets (token for the private link, 6-digit PIN), shown once."""
    title = title.strip()
    if not title:
        raise WorkshopError("Donnez un titre à la séance.")
    if len(title) > 120:
        raise WorkshopError("Le titre est trop long (120 caractères au plus).")
    if kind not in KINDS:
        raise WorkshopError("Type de séance inconnu.")
    token = secrets.token_urlsafe(24)
    pin = f"{secrets.randbelow(1_000_000):06d}"
    pin_hash = access.hash_secret(pin)
    for _ in range(10):
        code = generate_join_code()
        try:
            with write_session(engine) as conn:
                workshop_id = conn.execute(workshops.insert().values(
                    code=code, title=title, kind=kind, scope_innovation=scope_innovation,
                    scope_territories=json.dumps(list(scope_territories)),
                    facilitator_token_hash=hash_token(token), pin_hash=pin_hash,
                    created_at=now_utc(), status="open", results_hidden=False, state_version=1,
                    grid_version=1, premoderation=False,
                )).inserted_primary_key[0]
                conn.execute(grid_versions.insert().values(
                    workshop_id=workshop_id, version=1, grid_json=grid.to_json(),
                    author=author or "Animation", created_at=now_utc(), summary="Grille de départ"))
            log.info("Séance %s créée (%s, « %s »)", code, kind, title)
            return CreatedWorkshop(code=code, facilitator_token=token, pin=pin)
        except sa.exc.IntegrityError:
            continue  # the code was taken: draw another
    raise WorkshopError("Impossible de créer un code de séance unique ; réessayez.")


def find_workshop(engine: Engine, code: str) -> Workshop | None:
    """The session with this join code, or None."""
    code = normalise_code(code)
    if not code:
        return None
    with engine.connect() as conn:
        row = conn.execute(hot_statement("by_code"), {"code": code}).first()
    return row_to_workshop(row) if row else None


def list_workshops(engine: Engine) -> pd.DataFrame:
    """All sessions, newest first (no secrets). Their codes give access to the rooms: never show
    this list to anonymous visitors."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(
            workshops.c.code, workshops.c.title, workshops.c.kind, workshops.c.status,
            workshops.c.created_at, workshops.c.grid_version,
        ).order_by(workshops.c.created_at.desc())).mappings().all()
    return pd.DataFrame(rows, columns=["code", "title", "kind", "status", "created_at", "grid_version"])


def read_state_version(engine: Engine, code: str) -> int | None:
    """The session's change counter: the one cheap query the live views poll."""
    with engine.connect() as conn:
        return conn.execute(hot_statement("version"),
                            {"code": normalise_code(code)}).scalar_one_or_none()
