"""The facilitator's actions: checked here, on the server, with the session's token or PIN
(paced by essaim.access), whatever the page shows. The grid's version number gives optimistic
concurrency: a change prepared on an old version is refused rather than silently overwriting
another facilitator's."""

from __future__ import annotations

import logging
import secrets

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim import access
from essaim.access import Client
from essaim.data.schema import grid_versions, workshop_inputs, workshops
from essaim.workshops.codes import PROPOSAL_KINDS, normalise_code
from essaim.workshops.errors import FacilitatorOnly, NotFound, StaleGridError, WorkshopError, paced
from essaim.workshops.grid import Grid, grid_from_json
from essaim.workshops.joining import as_client
from essaim.workshops.writes import hash_token, now_utc, record_change, write_session

log = logging.getLogger(__name__)


def verify_facilitator(engine: Engine, code: str, *, token: str = "", pin: str = "",
                       client: Client | str | None = None, client_key: str = "") -> bool:
    """True when the token or the PIN is this session's. A PIN try is paced (Throttled, French,
    says how long) and a wrong one counted, for the client and for the session."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.id, workshops.c.facilitator_token_hash,
                                     workshops.c.pin_hash, workshops.c.code)
                           .where(workshops.c.code == normalise_code(code))).first()
    if token and row is not None and secrets.compare_digest(hash_token(token),
                                                           row.facilitator_token_hash):
        return True
    if not pin:
        return False
    client = as_client(client or client_key or None)
    target = normalise_code(code)
    with paced():
        access.check_pace(engine, "pin", client, target)
    if row is not None and access.verify_secret(pin.strip(), row.pin_hash, row.code):
        if access.needs_rehash(row.pin_hash):
            with write_session(engine) as conn:
                conn.execute(workshops.update().where(workshops.c.id == row.id)
                             .values(pin_hash=access.hash_secret(pin.strip())))
        return True
    access.record_failure(engine, "pin", client, target)
    log.warning("Séance %s : code PIN d'animation erroné", target)
    return False


def authorise(engine: Engine, code: str, secret: str) -> int:
    """The session id if `secret` is its facilitator token or PIN; FacilitatorOnly otherwise.
    Checked before the write transaction: the PIN's slow hash must not hold the write lock."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.id, workshops.c.code,
                                     workshops.c.facilitator_token_hash, workshops.c.pin_hash)
                           .where(workshops.c.code == normalise_code(code))).first()
    if row is None or not secret or not (
            secrets.compare_digest(hash_token(secret), row.facilitator_token_hash)
            or (len(secret.strip()) <= 12
                and access.verify_secret(secret.strip(), row.pin_hash, row.code))):
        raise FacilitatorOnly("Action réservée à l'animation de la séance.")
    return row.id


def moderate_proposal(engine: Engine, code: str, secret: str, proposal_id: str,
                      action: str) -> None:
    """The facilitator shows ("show"), hides ("hide") or deletes ("delete") a proposal or
    comment, whether or not it has reached the screen yet."""
    if action not in ("show", "hide", "delete"):
        raise WorkshopError("Action de modération inconnue.")
    workshop_id = authorise(engine, code, secret)
    with write_session(engine) as conn:
        where = (workshop_inputs.c.workshop_id == workshop_id) & (
            workshop_inputs.c.slot == proposal_id) & workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS))
        if action == "delete":
            changed = conn.execute(workshop_inputs.delete().where(where)).rowcount
        else:
            changed = conn.execute(workshop_inputs.update().where(where).values(
                moderation="visible" if action == "show" else "hidden")).rowcount
        if not changed:
            raise NotFound("Cette proposition a déjà été retirée.")
        record_change(conn, workshop_id)
    log.info("Séance %s : modération « %s » de la proposition %s", normalise_code(code), action, proposal_id)


def set_premoderation(engine: Engine, code: str, secret: str, enabled: bool) -> None:
    """Ask that every new or edited proposal waits for the facilitator before reaching the
    screen (or stop asking; those waiting stay so until shown)."""
    workshop_id = authorise(engine, code, secret)
    with write_session(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            premoderation=bool(enabled)))
        record_change(conn, workshop_id)
    log.info("Séance %s : validation préalable %s", normalise_code(code), "demandée" if enabled else "levée")


def current_grid(engine: Engine, code: str) -> tuple[Grid, int]:
    """The session's grid and its version number."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(grid_versions.c.grid_json, grid_versions.c.version)
                           .join(workshops, sa.and_(workshops.c.id == grid_versions.c.workshop_id,
                                                    workshops.c.grid_version == grid_versions.c.version))
                           .where(workshops.c.code == normalise_code(code))).first()
    if row is None:
        raise WorkshopError("Séance introuvable.")
    return grid_from_json(row.grid_json), row.version


def save_grid_version(engine: Engine, code: str, token: str, grid: Grid, *, expected_version: int,
                      author: str, summary: str) -> int:
    """Record `grid` as the next version, if the grid is still at `expected_version`; returns the
    new version. StaleGridError when another change came first: nothing is overwritten."""
    workshop_id = authorise(engine, code, token)
    with write_session(engine) as conn:
        updated = conn.execute(workshops.update().where(
            workshops.c.id == workshop_id, workshops.c.grid_version == expected_version
        ).values(grid_version=expected_version + 1)).rowcount
        if updated != 1:
            raise StaleGridError("La grille a été modifiée entre-temps (par une autre personne de "
                                 "l'animation). Rechargez la grille, puis refaites votre changement.")
        conn.execute(grid_versions.insert().values(
            workshop_id=workshop_id, version=expected_version + 1, grid_json=grid.to_json(),
            author=(author or "Animation")[:100], created_at=now_utc(), summary=summary))
        record_change(conn, workshop_id)
    log.info("Séance %s : grille version %s (%s)", normalise_code(code), expected_version + 1,
             summary.split("\n")[0])
    return expected_version + 1


def list_grid_versions(engine: Engine, code: str) -> pd.DataFrame:
    """Every version of the session's grid: version, author, time, summary, grid (JSON)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(grid_versions.c.version, grid_versions.c.author,
                                      grid_versions.c.created_at, grid_versions.c.summary,
                                      grid_versions.c.grid_json)
                            .join(workshops).where(workshops.c.code == normalise_code(code))
                            .order_by(grid_versions.c.version)).mappings().all()
    return pd.DataFrame(rows, columns=["version", "author", "created_at", "summary", "grid_json"])


def set_status(engine: Engine, code: str, token: str, status: str) -> None:
    """Close ("closed") or reopen ("open") the session (facilitator only)."""
    if status not in ("open", "closed"):
        raise WorkshopError("Statut inconnu.")
    workshop_id = authorise(engine, code, token)
    with write_session(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            status=status))
        record_change(conn, workshop_id)
    log.info("Séance %s : statut « %s »", normalise_code(code), status)


def set_results_hidden(engine: Engine, code: str, token: str, hidden: bool) -> None:
    """Hide or reveal the room's results on the projection (facilitator only)."""
    workshop_id = authorise(engine, code, token)
    with write_session(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            results_hidden=bool(hidden)))
        record_change(conn, workshop_id)
    log.info("Séance %s : résultats %s", normalise_code(code), "masqués" if hidden else "affichés")
