"""Joining a session: a typed code (paced when wrong), a participant's profile and token."""

from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim import access
from essaim.access import Client
from essaim.data.schema import participants
from essaim.workshops.codes import MAX_PSEUDONYM, ROLES, TOKEN_PATTERN, normalise_code
from essaim.workshops.errors import NotFound, SessionClosed, WorkshopError, paced
from essaim.workshops.sessions import Workshop, find_workshop
from essaim.workshops.writes import (
    hot_statement,
    now_utc,
    record_change,
    session_and_participant,
    write_session,
)

log = logging.getLogger(__name__)


def as_client(client: Client | str | None) -> Client:
    if isinstance(client, Client):
        return client
    return Client(address=client or "inconnue")


WRONG_CODE = "Ce code ne correspond à aucune séance. Vérifiez-le sur l'écran projeté."


def check_code_pace(engine: Engine, client: Client | str | None) -> None:
    """Throttled (French, says how long to wait) when this client got codes wrong too often:
    checked before any lookup by code, so that a paced client learns nothing about codes."""
    with paced():
        access.check_pace(engine, "code", as_client(client))


def count_wrong_code(engine: Engine, client: Client | str | None) -> NotFound:
    """Count a wrong code for this client; the error to raise."""
    access.record_failure(engine, "code", as_client(client))
    return NotFound(WRONG_CODE)


def paced_lookup(engine: Engine, code: str, client: Client | str | None, find):
    """What `find(engine, code)` finds for a typed code (a session, a day). Throttled (French,
    says how long to wait) when this client got codes wrong too often; NotFound for a wrong code
    (counted)."""
    check_code_pace(engine, client)
    found = find(engine, code)
    if found is None:
        raise count_wrong_code(engine, client)
    return found


def check_join_code(engine: Engine, code: str, client: Client | str | None = None) -> Workshop:
    """The session for a typed code (see paced_lookup)."""
    return paced_lookup(engine, code, client, find_workshop)


def clean_profile(pseudonym: str, role: str) -> tuple[str, str]:
    pseudonym = (pseudonym or "").strip()
    if len(pseudonym) > MAX_PSEUDONYM:
        raise WorkshopError(f"Le pseudonyme est trop long : {len(pseudonym)} caractères pour "
                            f"{MAX_PSEUDONYM} au plus.")
    if role not in ROLES:
        raise WorkshopError("Rôle inconnu.")
    return pseudonym, role or ""


def join_workshop(engine: Engine, code: str, *, pseudonym: str = "", role: str = "",
                  client: Client | str | None = None, client_key: str = "",
                  token: str | None = None) -> str:
    """Add a participant (anonymous unless a pseudonym is given); returns their private token.

    A phone may draw its token itself (`token`, 16 to 40 URL-safe characters): joining again
    with the same token is then recognised and changes nothing, so a join whose answer was lost
    can be resent safely."""
    if token is not None and not TOKEN_PATTERN.match(token):
        raise WorkshopError("Identifiant de participation invalide : rechargez la page.")
    workshop = check_join_code(engine, code, client or client_key or None)
    pseudonym, role = clean_profile(pseudonym, role)
    if token is not None:
        known = find_participant(engine, workshop.code, token)
        if known is not None:
            return token
    if not workshop.is_open:
        raise SessionClosed("Cette séance est close : elle n'accepte plus de participations.")
    token = token or secrets.token_urlsafe(16)
    try:
        with write_session(engine) as conn:
            conn.execute(participants.insert().values(
                workshop_id=workshop.id, token=token, pseudonym=pseudonym, role=role,
                joined_at=now_utc()))
            record_change(conn, workshop.id)
    except sa.exc.IntegrityError:
        # The same token arrived twice at once (a resend racing the original): one row won.
        if find_participant(engine, workshop.code, token) is None:
            raise WorkshopError("Identifiant de participation déjà pris : rechargez la page.") from None
    log.info("Séance %s : un participant de plus (%s)", workshop.code, role or "sans rôle")
    return token


def find_participant(engine: Engine, code: str, token: str) -> dict | None:
    """The participant with this token in this session, or None."""
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(hot_statement("participant"), {"code": normalise_code(code),
                                                       "token": token}).mappings().first()
    return dict(row) if row else None


def update_participant(engine: Engine, code: str, token: str, *, pseudonym: str,
                       role: str) -> None:
    """Change the participant's pseudonym and role (allowed after the close too: it is who
    they are, not a contribution)."""
    pseudonym, role = clean_profile(pseudonym, role)
    with write_session(engine) as conn:
        workshop_id, participant_id, _, _ = session_and_participant(conn, code, token)
        conn.execute(participants.update().where(participants.c.id == participant_id)
                     .values(pseudonym=pseudonym, role=role))
        record_change(conn, workshop_id)
    log.info("Séance %s : profil d'un participant modifié", normalise_code(code))
