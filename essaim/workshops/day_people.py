"""The people of a national day: a phone joins the day once (pseudonym and role), enters the
comptoirs with a token derived from its day token (the same person in every comptoir, each
comptoir's inputs its own), and the grand témoin's lines of each comptoir."""

from __future__ import annotations

import base64
import hashlib
import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.access import Client
from essaim.data.schema import participants, workshops
from essaim.data.schema_days import day_comptoirs, day_participants, days
from essaim.workshops.codes import TOKEN_PATTERN, normalise_code
from essaim.workshops.days import MAX_TEMOIN_CHARS, MAX_TEMOIN_LINES, Day, find_day
from essaim.workshops.errors import NotFound, WorkshopError
from essaim.workshops.joining import clean_profile, paced_lookup
from essaim.workshops.sessions import find_workshop
from essaim.workshops.writes import now_utc, write_session

log = logging.getLogger(__name__)


def check_day_code(engine: Engine, code: str, client: Client | str | None = None) -> Day:
    """The day for a typed code, paced like a session's code; NotFound (counted) otherwise."""
    return paced_lookup(engine, code, client, find_day)


def join_day(engine: Engine, code: str, *, token: str, pseudonym: str = "", role: str = "",
             client: Client | str | None = None) -> str:
    """The phone joins the day once, with a token it drew; joining again with it changes
    nothing (a resend is harmless). Returns the token."""
    if not TOKEN_PATTERN.match(token or ""):
        raise WorkshopError("Identifiant de participation invalide : rechargez la page.")
    day = check_day_code(engine, code, client)
    pseudonym, role = clean_profile(pseudonym, role)
    if _day_participant(engine, day.id, token) is not None:
        return token
    try:
        with write_session(engine) as conn:
            conn.execute(day_participants.insert().values(
                day_id=day.id, token=token, pseudonym=pseudonym, role=role, joined_at=now_utc()))
    except sa.exc.IntegrityError:
        if _day_participant(engine, day.id, token) is None:
            raise WorkshopError("Identifiant de participation déjà pris : rechargez la page.") from None
    log.info("Journée %s : une personne de plus (%s)", day.code, role or "sans rôle")
    return token


def _day_participant(engine: Engine, day_id: int, token: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(day_participants).where(
            day_participants.c.day_id == day_id, day_participants.c.token == token)
        ).mappings().first()
    return dict(row) if row else None


def day_profile(engine: Engine, code: str, token: str) -> dict:
    """The pseudonym and role a person joined the day with; NotFound otherwise."""
    day = find_day(engine, code)
    person = _day_participant(engine, day.id, token) if day else None
    if person is None:
        raise NotFound("Participation introuvable : rejoignez la journée avec son code.")
    return {"pseudonym": person["pseudonym"], "role": person["role"]}


def update_day_profile(engine: Engine, code: str, token: str, *, pseudonym: str,
                       role: str) -> None:
    """A new pseudonym or role for the day (the comptoirs entered keep the one they had)."""
    day = find_day(engine, code)
    if day is None or _day_participant(engine, day.id, token) is None:
        raise NotFound("Participation introuvable : rejoignez la journée avec son code.")
    pseudonym, role = clean_profile(pseudonym, role)
    with write_session(engine) as conn:
        conn.execute(day_participants.update().where(
            day_participants.c.day_id == day.id, day_participants.c.token == token)
            .values(pseudonym=pseudonym, role=role))
    log.info("Journée %s : profil d'une personne modifié", day.code)


def comptoir_token(day_token: str, session_code: str) -> str:
    """The person's token in one comptoir, derived from their day token: the same every time
    (a resent entry changes nothing), another for each comptoir, unguessable without the day's."""
    digest = hashlib.sha256(f"{day_token}\x1f{normalise_code(session_code)}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def enter_comptoir(engine: Engine, day_code: str, day_token: str, session_code: str) -> str:
    """The person enters a comptoir of the day with their day profile; returns their token in
    that comptoir (its inputs are its own)."""
    from essaim.workshops.joining import join_workshop

    day = find_day(engine, day_code)
    if day is None:
        raise NotFound("Cette journée n'existe plus.")
    if normalise_code(session_code) not in {c.code for c in day.comptoirs}:
        raise NotFound("Ce comptoir n'est pas au programme de la journée.")
    person = _day_participant(engine, day.id, day_token)
    if person is None:
        raise NotFound("Participation introuvable : rejoignez la journée avec son code.")
    token = comptoir_token(day_token, session_code)
    return join_workshop(engine, session_code, pseudonym=person["pseudonym"], role=person["role"],
                         token=token, client_key="journée")


def comptoir_participants(engine: Engine, day: Day) -> dict[str, int]:
    """Session code → how many people joined that comptoir (the hall's screen, live)."""
    codes = [c.code for c in day.comptoirs]
    if not codes:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(sa.select(workshops.c.code, sa.func.count(participants.c.id))
                            .join(participants, participants.c.workshop_id == workshops.c.id)
                            .where(workshops.c.code.in_(codes))
                            .group_by(workshops.c.code)).all()
    counts = {code: 0 for code in codes}
    counts.update({code: int(n) for code, n in rows})
    return counts


def day_people(engine: Engine, day: Day) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(day_participants).where(
            day_participants.c.day_id == day.id)).scalar_one())


def save_temoin_lines(engine: Engine, session_code: str, secret: str, text: str) -> None:
    """The grand témoin's own lines for a comptoir (three at most), written by the comptoir's
    team (its facilitator key or PIN)."""
    from essaim.workshops.facilitation import authorise

    workshop_id = authorise(engine, session_code, secret)
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_TEMOIN_LINES:
        raise WorkshopError(f"Trois lignes au plus : vous en avez écrit {len(lines)}.")
    joined = "\n".join(lines)
    if len(joined) > MAX_TEMOIN_CHARS:
        raise WorkshopError(f"Texte trop long : {len(joined)} caractères pour "
                            f"{MAX_TEMOIN_CHARS} au plus.")
    with write_session(engine) as conn:
        updated = conn.execute(day_comptoirs.update().where(
            day_comptoirs.c.workshop_id == workshop_id).values(
            temoin_lines=joined, temoin_updated_at=now_utc())).rowcount
    if not updated:
        raise WorkshopError("Cette séance n'est pas un comptoir d'une journée.")
    log.info("Comptoir %s : lignes du grand témoin enregistrées", normalise_code(session_code))


def day_of_session(engine: Engine, session_code: str) -> str | None:
    """The code of the day a session belongs to, or None."""
    workshop = find_workshop(engine, session_code)
    if workshop is None:
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(days.c.code).join(day_comptoirs, day_comptoirs.c.day_id
                                                         == days.c.id)
                            .where(day_comptoirs.c.workshop_id == workshop.id)).scalar()
