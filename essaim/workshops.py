"""Workshop sessions in the store: creation, joining, participants' inputs, moderation, grid
versions.

Every input is one database write in its own transaction, acknowledged only once committed, and
idempotent: a phone that resends after a lost answer (same participant token, same proposal id)
changes nothing the second time. Facilitator actions check the facilitator's secret (token or
PIN) here, on the server, whatever the page shows. The grid's version number gives optimistic
concurrency: a change prepared on an old version is refused rather than silently overwriting
another facilitator's. Wrong codes and PINs are paced by essaim.access.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import re
import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from essaim import access
from essaim.access import Client, TooManyAttempts
from essaim.formatting import format_number
from essaim.grid import Grid, grid_from_json
from essaim.schema import (
    grid_versions,
    participants,
    proposal_votes,
    workshop_changes,
    workshop_inputs,
    workshops,
)
from essaim.store import write_transaction

# No 0/O, 1/I/L: readable on a projected screen and typed on a phone without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
KINDS = {"comptoir": "Comptoir des enjeux", "atelier": "Atelier de travail",
         "copil": "Comité de pilotage"}
ROLES = ["", "Élu·e", "Opérateur / structure relais", "Financeur", "France Travail",
         "Bénéficiaire", "Chercheur·e", "Entreprise", "Autre"]
PROPOSAL_KINDS = {"target": "Objectif proposé", "criterion": "Nouveau critère",
                  "perverse_effect": "Effet pervers à surveiller", "comment": "Commentaire"}
MODERATION = {"visible": "affichée", "pending": "en attente de validation",
              "hidden": "masquée par l'animation"}
MAX_PSEUDONYM = 40
MAX_PROPOSAL = 400
MAX_DIMENSIONS = 50
# Tokens and proposal ids may be drawn by the phone itself (so that a resend is recognised):
# at least 16 random URL-safe characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
PROPOSAL_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


class WorkshopError(Exception):
    """A refused workshop operation; the message is French and meant for the person."""


class FacilitatorOnly(WorkshopError):
    """The action is reserved to the session's facilitator."""


class StaleGridError(WorkshopError):
    """The grid changed since the facilitator loaded it (someone else adopted a version)."""


class SessionClosed(WorkshopError):
    """The session no longer accepts contributions."""


class NotFound(WorkshopError):
    """The session, participant or proposal does not exist (or no longer)."""


class Throttled(WorkshopError):
    """Too many wrong codes or PINs: the client must wait `seconds` (said in the message)."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


@contextlib.contextmanager
def _paced() -> Iterator[None]:
    try:
        yield
    except TooManyAttempts as error:
        raise Throttled(str(error), error.seconds) from None


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _hash(*parts: str) -> str:
    # For the facilitator token only: 32 random bytes need no slow hash (the PIN gets one).
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# SQLite lets one writer in at a time and makes the others poll with growing sleeps: inside one
# process, writers queue on this lock instead, which keeps a burst of phones' latency flat.
_SQLITE_WRITES = threading.Lock()


@contextlib.contextmanager
def _write(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "sqlite":
        with _SQLITE_WRITES, write_transaction(engine) as conn:
            yield conn
    else:
        with write_transaction(engine) as conn:
            yield conn


# The statements of the phones' hot path are built once: a room of 300 phones runs them by the
# thousand, and building (and cache-keying) a statement costs more CPU than SQLite running it.
@functools.cache
def _statement(name: str, dialect: str = ""):
    if name == "by_code":
        return (sa.select(workshops, version_of_session().label("version"))
                .where(workshops.c.code == sa.bindparam("code")))
    if name == "version":
        return (sa.select(version_of_session())
                .where(workshops.c.code == sa.bindparam("code")))
    if name == "participant":
        return (sa.select(participants).join(workshops)
                .where(workshops.c.code == sa.bindparam("code"),
                       participants.c.token == sa.bindparam("token")))
    if name == "session_and_participant":
        return (sa.select(workshops.c.id, workshops.c.status, workshops.c.premoderation,
                          participants.c.id.label("pid"))
                .join(participants, participants.c.workshop_id == workshops.c.id)
                .where(workshops.c.code == sa.bindparam("code"),
                       participants.c.token == sa.bindparam("token")))
    if name == "change":
        return workshop_changes.insert()
    if name == "upsert":
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(workshop_inputs)
        return insert.on_conflict_do_update(
            index_elements=["workshop_id", "participant_id", "kind", "slot"],
            set_={"payload": insert.excluded.payload, "updated_at": insert.excluded.updated_at})
    raise KeyError(name)


def version_of_session():
    """The session's change counter, as a column expression over `workshops`: its newest change
    id (plus the counter older sessions kept in state_version). It only grows; every write of
    the session moves it."""
    newest = (sa.select(sa.func.coalesce(sa.func.max(workshop_changes.c.id), 0))
              .where(workshop_changes.c.workshop_id == workshops.c.id).scalar_subquery())
    return workshops.c.state_version + newest


def generate_join_code(length: int = CODE_LENGTH) -> str:
    """A random join code from the unambiguous alphabet (31^6 ≈ 887 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[:12]


def _row_to_workshop(row) -> Workshop:
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
            with _write(engine) as conn:
                workshop_id = conn.execute(workshops.insert().values(
                    code=code, title=title, kind=kind, scope_innovation=scope_innovation,
                    scope_territories=json.dumps(list(scope_territories)),
                    facilitator_token_hash=_hash(token), pin_hash=pin_hash,
                    created_at=_now(), status="open", results_hidden=False, state_version=1,
                    grid_version=1, premoderation=False,
                )).inserted_primary_key[0]
                conn.execute(grid_versions.insert().values(
                    workshop_id=workshop_id, version=1, grid_json=grid.to_json(),
                    author=author or "Animation", created_at=_now(), summary="Grille de départ"))
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
        row = conn.execute(_statement("by_code"), {"code": code}).first()
    return _row_to_workshop(row) if row else None


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
        return conn.execute(_statement("version"),
                            {"code": normalise_code(code)}).scalar_one_or_none()


# --- joining -------------------------------------------------------------------------------

def _as_client(client: Client | str | None) -> Client:
    if isinstance(client, Client):
        return client
    return Client(address=client or "inconnue")


WRONG_CODE = "Ce code ne correspond à aucune séance. Vérifiez-le sur l'écran projeté."


def check_code_pace(engine: Engine, client: Client | str | None) -> None:
    """Throttled (French, says how long to wait) when this client got codes wrong too often:
    checked before any lookup by code, so that a paced client learns nothing about codes."""
    with _paced():
        access.check_pace(engine, "code", _as_client(client))


def count_wrong_code(engine: Engine, client: Client | str | None) -> NotFound:
    """Count a wrong code for this client; the error to raise."""
    access.record_failure(engine, "code", _as_client(client))
    return NotFound(WRONG_CODE)


def check_join_code(engine: Engine, code: str, client: Client | str | None = None) -> Workshop:
    """The session for a typed code. Throttled (French, says how long to wait) when this client
    got codes wrong too often; NotFound for a wrong code (counted)."""
    check_code_pace(engine, client)
    workshop = find_workshop(engine, code)
    if workshop is None:
        raise count_wrong_code(engine, client)
    return workshop


def _clean_profile(pseudonym: str, role: str) -> tuple[str, str]:
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
    pseudonym, role = _clean_profile(pseudonym, role)
    if token is not None:
        known = find_participant(engine, workshop.code, token)
        if known is not None:
            return token
    if not workshop.is_open:
        raise SessionClosed("Cette séance est close : elle n'accepte plus de participations.")
    token = token or secrets.token_urlsafe(16)
    try:
        with _write(engine) as conn:
            conn.execute(participants.insert().values(
                workshop_id=workshop.id, token=token, pseudonym=pseudonym, role=role,
                joined_at=_now()))
            _bump(conn, workshop.id)
    except sa.exc.IntegrityError:
        # The same token arrived twice at once (a resend racing the original): one row won.
        if find_participant(engine, workshop.code, token) is None:
            raise WorkshopError("Identifiant de participation déjà pris : rechargez la page.") from None
    return token


def find_participant(engine: Engine, code: str, token: str) -> dict | None:
    """The participant with this token in this session, or None."""
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(_statement("participant"), {"code": normalise_code(code),
                                                       "token": token}).mappings().first()
    return dict(row) if row else None


def update_participant(engine: Engine, code: str, token: str, *, pseudonym: str,
                       role: str) -> None:
    """Change the participant's pseudonym and role (allowed after the close too: it is who
    they are, not a contribution)."""
    pseudonym, role = _clean_profile(pseudonym, role)
    with _write(engine) as conn:
        workshop_id, participant_id, _, _ = _session_and_participant(conn, code, token)
        conn.execute(participants.update().where(participants.c.id == participant_id)
                     .values(pseudonym=pseudonym, role=role))
        _bump(conn, workshop_id)


# --- participants' inputs --------------------------------------------------------------------

def _bump(conn: Connection, workshop_id: int) -> None:
    # One inserted row per change (see version_of_session): writers never wait on each other.
    conn.execute(_statement("change"), {"workshop_id": workshop_id, "at": _now()})


def _session_and_participant(conn: Connection, code: str, token: str) -> tuple[int, int, str, bool]:
    row = conn.execute(_statement("session_and_participant"),
                       {"code": normalise_code(code), "token": token}).first()
    if row is None:
        raise NotFound("Participation introuvable : rejoignez la séance avec son code.")
    return row.id, row.pid, row.status, bool(row.premoderation)


def _open_session_and_participant(conn: Connection, code: str, token: str) -> tuple[int, int, bool]:
    workshop_id, participant_id, status, premoderation = _session_and_participant(conn, code, token)
    if status != "open":
        raise SessionClosed("La séance est close : votre contribution n'a pas été enregistrée. "
                            "Merci d'avoir participé !")
    return workshop_id, participant_id, premoderation


def _upsert_input(conn: Connection, workshop_id: int, participant_id: int, kind: str, slot: str,
                  payload: dict) -> None:
    now = _now()
    conn.execute(_statement("upsert", conn.dialect.name), dict(
        workshop_id=workshop_id, participant_id=participant_id, kind=kind, slot=slot,
        payload=json.dumps(payload, ensure_ascii=False), created_at=now, updated_at=now,
        moderation="visible"))


def clean_weights(points: dict) -> dict[str, float]:
    """A split of exactly 100 points, each share between 0 and 100; WorkshopError (French)."""
    if not isinstance(points, dict) or not points or len(points) > MAX_DIMENSIONS:
        raise WorkshopError("Répartition illisible : rechargez la page.")
    cleaned = {}
    for key, value in points.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise WorkshopError("Chaque part doit être un nombre de points.") from None
        if not 0 <= number <= 100:
            raise WorkshopError("Chaque part doit être comprise entre 0 et 100 points.")
        cleaned[str(key)[:80]] = number
    total = sum(cleaned.values())
    if round(total, 6) != 100:
        raise WorkshopError(f"Répartissez exactement 100 points (actuellement "
                            f"{format_number(total, 1).removesuffix(',0')}).")
    return cleaned


def save_weights(engine: Engine, code: str, token: str, points: dict[str, float]) -> None:
    """A participant's 100 points across dimensions (replacing their previous split)."""
    cleaned = clean_weights(points)
    with _write(engine) as conn:
        workshop_id, participant_id, _ = _open_session_and_participant(conn, code, token)
        _upsert_input(conn, workshop_id, participant_id, "weights", "", cleaned)
        _bump(conn, workshop_id)


def save_rating(engine: Engine, code: str, token: str, criterion_id: str, rating: int) -> None:
    """A participant's relevance rating (1 to 5) of one criterion (replacing the previous one)."""
    save_ratings(engine, code, token, {criterion_id: rating})


def save_ratings(engine: Engine, code: str, token: str, ratings: dict[str, int | None]) -> None:
    """A participant's relevance ratings (1 to 5) of several criteria, all saved or none (one
    transaction); a rating given as None is withdrawn."""
    cleaned: dict[str, int | None] = {}
    if not isinstance(ratings, dict) or len(ratings) > 200:
        raise WorkshopError("Notes illisibles : rechargez la page.")
    for criterion_id, rating in ratings.items():
        if rating is not None and (not isinstance(rating, (int, float)) or isinstance(rating, bool)
                                   or int(rating) != rating or int(rating) not in range(1, 6)):
            raise WorkshopError("La note de pertinence va de 1 à 5.")
        cleaned[str(criterion_id)[:80]] = None if rating is None else int(rating)
    with _write(engine) as conn:
        workshop_id, participant_id, _ = _open_session_and_participant(conn, code, token)
        for criterion_id, rating in cleaned.items():
            if rating is None:
                conn.execute(workshop_inputs.delete().where(
                    workshop_inputs.c.workshop_id == workshop_id,
                    workshop_inputs.c.participant_id == participant_id,
                    workshop_inputs.c.kind == "rating", workshop_inputs.c.slot == criterion_id))
            else:
                _upsert_input(conn, workshop_id, participant_id, "rating", criterion_id,
                              {"rating": rating})
        _bump(conn, workshop_id)


def _clean_proposal(kind: str, text: str, about: str, value) -> tuple[str, str, float | None]:
    if kind not in PROPOSAL_KINDS:
        raise WorkshopError("Type de proposition inconnu.")
    text = (text or "").strip()
    if value is not None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise WorkshopError("L'objectif chiffré doit être un nombre.") from None
        if value != value or abs(value) > 1e12:  # NaN or absurd
            raise WorkshopError("L'objectif chiffré doit être un nombre.")
    if not text and value is None:
        raise WorkshopError("La proposition est vide.")
    if len(text) > MAX_PROPOSAL:
        raise WorkshopError(f"Texte trop long : {len(text)} caractères pour {MAX_PROPOSAL} au plus.")
    return text, str(about or "")[:80], value


def save_proposal(engine: Engine, code: str, token: str, kind: str, text: str, about: str = "",
                  value: float | None = None, proposal_id: str | None = None) -> tuple[str, str]:
    """Create or edit one of the participant's proposals (target, new criterion, perverse
    effect) or comments; returns its id and moderation state. With a `proposal_id` the phone
    drew, a resend or an edit replaces the same proposal. Under pre-moderation it waits for the
    facilitator again; a proposal the facilitator hid stays hidden."""
    text, about, value = _clean_proposal(kind, text, about, value)
    if proposal_id is not None and not PROPOSAL_ID_PATTERN.match(proposal_id):
        raise WorkshopError("Identifiant de proposition invalide.")
    proposal_id = proposal_id or uuid.uuid4().hex
    payload = json.dumps({"text": text, "about": about, "value": value}, ensure_ascii=False)
    with _write(engine) as conn:
        workshop_id, participant_id, premoderation = _open_session_and_participant(conn, code, token)
        existing = conn.execute(sa.select(workshop_inputs.c.id, workshop_inputs.c.participant_id,
                                          workshop_inputs.c.moderation)
                                .where(workshop_inputs.c.workshop_id == workshop_id,
                                       workshop_inputs.c.slot == proposal_id,
                                       workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)))).first()
        if existing is not None and existing.participant_id != participant_id:
            raise WorkshopError("Cette proposition n'est pas la vôtre.")
        moderation = "pending" if premoderation else "visible"
        if existing is not None and existing.moderation == "hidden":
            moderation = "hidden"
        if existing is None:
            conn.execute(workshop_inputs.insert().values(
                workshop_id=workshop_id, participant_id=participant_id, kind=kind,
                slot=proposal_id, payload=payload, created_at=_now(), updated_at=_now(),
                moderation=moderation))
        else:
            conn.execute(workshop_inputs.update().where(workshop_inputs.c.id == existing.id)
                         .values(kind=kind, payload=payload, updated_at=_now(),
                                 moderation=moderation))
        _bump(conn, workshop_id)
    return proposal_id, moderation


def add_proposal(engine: Engine, code: str, token: str, kind: str, text: str,
                 about: str = "", value: float | None = None) -> str:
    """A new proposal or comment (see save_proposal); returns its id."""
    return save_proposal(engine, code, token, kind, text, about, value)[0]


def delete_own_proposal(engine: Engine, code: str, token: str, proposal_id: str) -> None:
    """The participant withdraws one of their proposals (and its votes). Deleting one already
    gone changes nothing, so a resend is harmless."""
    with _write(engine) as conn:
        workshop_id, participant_id, _ = _open_session_and_participant(conn, code, token)
        deleted = conn.execute(workshop_inputs.delete().where(
            workshop_inputs.c.workshop_id == workshop_id,
            workshop_inputs.c.participant_id == participant_id,
            workshop_inputs.c.slot == proposal_id,
            workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)))).rowcount
        if deleted:
            _bump(conn, workshop_id)


def set_vote(engine: Engine, code: str, token: str, proposal_id: str, voted: bool) -> None:
    """Upvote a proposal shown to the room (one vote per participant), or take the vote back.
    Voting twice, or withdrawing a vote never given, changes nothing."""
    with _write(engine) as conn:
        workshop_id, participant_id, _ = _open_session_and_participant(conn, code, token)
        target = conn.execute(sa.select(workshop_inputs.c.id, workshop_inputs.c.moderation)
                              .where(workshop_inputs.c.workshop_id == workshop_id,
                                     workshop_inputs.c.slot == proposal_id,
                                     workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)))).first()
        if target is None:
            raise NotFound("Cette proposition a été retirée.")
        if voted and target.moderation != "visible":
            raise WorkshopError("Cette proposition n'est plus affichée : impossible de la soutenir.")
        mine = (proposal_votes.c.input_id == target.id) & (
            proposal_votes.c.participant_id == participant_id)
        already = conn.execute(sa.select(proposal_votes.c.id).where(mine)).first() is not None
        if voted and not already:
            conn.execute(proposal_votes.insert().values(
                workshop_id=workshop_id, input_id=target.id, participant_id=participant_id,
                created_at=_now()))
        elif not voted and already:
            conn.execute(proposal_votes.delete().where(mine))
        else:
            return
        _bump(conn, workshop_id)


def votes_per_input():
    """A subquery: the upvotes of each input (input_id, votes)."""
    return (sa.select(proposal_votes.c.input_id, sa.func.count().label("votes"))
            .group_by(proposal_votes.c.input_id).subquery())


def read_inputs(engine: Engine, code: str) -> pd.DataFrame:
    """Every input of the session with its participant's pseudonym and role, newest first; for
    proposals, their moderation state ("visible", "pending", "hidden") and upvotes."""
    votes = votes_per_input()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(workshop_inputs.c.kind, workshop_inputs.c.slot, workshop_inputs.c.payload,
                      workshop_inputs.c.updated_at, participants.c.id.label("participant_id"),
                      participants.c.pseudonym, participants.c.role,
                      workshop_inputs.c.id.label("input_id"), workshop_inputs.c.moderation,
                      workshop_inputs.c.created_at,
                      sa.func.coalesce(votes.c.votes, 0).label("votes"))
            .join(participants, participants.c.id == workshop_inputs.c.participant_id)
            .join(workshops, workshops.c.id == workshop_inputs.c.workshop_id)
            .outerjoin(votes, votes.c.input_id == workshop_inputs.c.id)
            .where(workshops.c.code == normalise_code(code))
            .order_by(workshop_inputs.c.updated_at.desc(), workshop_inputs.c.id.desc())
        ).mappings().all()
    frame = pd.DataFrame(rows, columns=["kind", "slot", "payload", "updated_at", "participant_id",
                                        "pseudonym", "role", "input_id", "moderation",
                                        "created_at", "votes"])
    frame["payload"] = frame["payload"].map(json.loads)
    frame["hidden"] = frame["moderation"] != "visible"
    frame["votes"] = frame["votes"].astype(int)
    return frame


def read_participants(engine: Engine, code: str) -> pd.DataFrame:
    """The session's participants (pseudonym, role, joined at)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(participants.c.id, participants.c.pseudonym,
                                      participants.c.role, participants.c.joined_at)
                            .join(workshops).where(workshops.c.code == normalise_code(code))
                            .order_by(participants.c.id)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "pseudonym", "role", "joined_at"])


# --- facilitator ---------------------------------------------------------------------------

def verify_facilitator(engine: Engine, code: str, *, token: str = "", pin: str = "",
                       client: Client | str | None = None, client_key: str = "") -> bool:
    """True when the token or the PIN is this session's. A PIN try is paced (Throttled, French,
    says how long) and a wrong one counted, for the client and for the session."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.id, workshops.c.facilitator_token_hash,
                                     workshops.c.pin_hash, workshops.c.code)
                           .where(workshops.c.code == normalise_code(code))).first()
    if token and row is not None and secrets.compare_digest(_hash(token),
                                                           row.facilitator_token_hash):
        return True
    if not pin:
        return False
    client = _as_client(client or client_key or None)
    target = normalise_code(code)
    with _paced():
        access.check_pace(engine, "pin", client, target)
    if row is not None and access.verify_secret(pin.strip(), row.pin_hash, row.code):
        if access.needs_rehash(row.pin_hash):
            with _write(engine) as conn:
                conn.execute(workshops.update().where(workshops.c.id == row.id)
                             .values(pin_hash=access.hash_secret(pin.strip())))
        return True
    access.record_failure(engine, "pin", client, target)
    return False


def _authorise(engine: Engine, code: str, secret: str) -> int:
    """The session id if `secret` is its facilitator token or PIN; FacilitatorOnly otherwise.
    Checked before the write transaction: the PIN's slow hash must not hold the write lock."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.id, workshops.c.code,
                                     workshops.c.facilitator_token_hash, workshops.c.pin_hash)
                           .where(workshops.c.code == normalise_code(code))).first()
    if row is None or not secret or not (
            secrets.compare_digest(_hash(secret), row.facilitator_token_hash)
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
    workshop_id = _authorise(engine, code, secret)
    with _write(engine) as conn:
        where = (workshop_inputs.c.workshop_id == workshop_id) & (
            workshop_inputs.c.slot == proposal_id) & workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS))
        if action == "delete":
            changed = conn.execute(workshop_inputs.delete().where(where)).rowcount
        else:
            changed = conn.execute(workshop_inputs.update().where(where).values(
                moderation="visible" if action == "show" else "hidden")).rowcount
        if not changed:
            raise NotFound("Cette proposition a déjà été retirée.")
        _bump(conn, workshop_id)


def set_premoderation(engine: Engine, code: str, secret: str, enabled: bool) -> None:
    """Ask that every new or edited proposal waits for the facilitator before reaching the
    screen (or stop asking; those waiting stay so until shown)."""
    workshop_id = _authorise(engine, code, secret)
    with _write(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            premoderation=bool(enabled)))
        _bump(conn, workshop_id)


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
    workshop_id = _authorise(engine, code, token)
    with _write(engine) as conn:
        updated = conn.execute(workshops.update().where(
            workshops.c.id == workshop_id, workshops.c.grid_version == expected_version
        ).values(grid_version=expected_version + 1)).rowcount
        if updated != 1:
            raise StaleGridError("La grille a été modifiée entre-temps (par une autre personne de "
                                 "l'animation). Rechargez la grille, puis refaites votre changement.")
        conn.execute(grid_versions.insert().values(
            workshop_id=workshop_id, version=expected_version + 1, grid_json=grid.to_json(),
            author=(author or "Animation")[:100], created_at=_now(), summary=summary))
        _bump(conn, workshop_id)
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
    workshop_id = _authorise(engine, code, token)
    with _write(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            status=status))
        _bump(conn, workshop_id)


def set_results_hidden(engine: Engine, code: str, token: str, hidden: bool) -> None:
    """Hide or reveal the room's results on the projection (facilitator only)."""
    workshop_id = _authorise(engine, code, token)
    with _write(engine) as conn:
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            results_hidden=bool(hidden)))
        _bump(conn, workshop_id)
