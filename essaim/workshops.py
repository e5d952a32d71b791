"""Workshop sessions in the store: creation, joining, participants' inputs, grid versions.

Every input is one database write in its own transaction, acknowledged only once committed.
Facilitator actions check the facilitator's secret (token or PIN) here, on the server, whatever
the page shows. The grid's version number gives optimistic concurrency: a change prepared on an
old version is refused rather than silently overwriting another facilitator's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from essaim.formatting import format_number
from essaim.grid import Grid, grid_from_json
from essaim.schema import grid_versions, join_failures, participants, workshop_inputs, workshops
from essaim.store import write_transaction

# No 0/O, 1/I/L: readable on a projected screen and typed on a phone without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_FAILED_JOINS = 5
FAILED_JOIN_WINDOW = dt.timedelta(minutes=10)
KINDS = {"comptoir": "Comptoir des enjeux", "atelier": "Atelier de travail",
         "copil": "Comité de pilotage"}
ROLES = ["", "Élu·e", "Opérateur / structure relais", "Financeur", "France Travail",
         "Bénéficiaire", "Chercheur·e", "Entreprise", "Autre"]
PROPOSAL_KINDS = {"target": "Objectif proposé", "criterion": "Nouveau critère",
                  "perverse_effect": "Effet pervers à surveiller", "comment": "Commentaire"}
MAX_PSEUDONYM = 40
MAX_PROPOSAL = 400


class WorkshopError(Exception):
    """A refused workshop operation; the message is French and meant for the person."""


class FacilitatorOnly(WorkshopError):
    """The action is reserved to the session's facilitator."""


class StaleGridError(WorkshopError):
    """The grid changed since the facilitator loaded it (someone else adopted a version)."""


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
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def generate_join_code(length: int = CODE_LENGTH) -> str:
    """A random join code from the unambiguous alphabet (31^6 ≈ 887 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes, O→0-free alphabet kept."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def _row_to_workshop(row) -> Workshop:
    return Workshop(
        id=row.id, code=row.code, title=row.title, kind=row.kind,
        scope_innovation=row.scope_innovation,
        scope_territories=tuple(json.loads(row.scope_territories or "[]")),
        status=row.status, results_hidden=bool(row.results_hidden),
        state_version=row.state_version, grid_version=row.grid_version,
        created_at=row.created_at,
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
    for _ in range(10):
        code = generate_join_code()
        try:
            with write_transaction(engine) as conn:
                workshop_id = conn.execute(workshops.insert().values(
                    code=code, title=title, kind=kind, scope_innovation=scope_innovation,
                    scope_territories=json.dumps(list(scope_territories)),
                    facilitator_token_hash=_hash(token), pin_hash=_hash(code, pin),
                    created_at=_now(), status="open", results_hidden=False, state_version=1,
                    grid_version=1,
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
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops).where(workshops.c.code == normalise_code(code))).first()
    return _row_to_workshop(row) if row else None


def list_workshops(engine: Engine) -> pd.DataFrame:
    """All sessions, newest first (no secrets)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(
            workshops.c.code, workshops.c.title, workshops.c.kind, workshops.c.status,
            workshops.c.created_at, workshops.c.grid_version,
        ).order_by(workshops.c.created_at.desc())).mappings().all()
    return pd.DataFrame(rows, columns=["code", "title", "kind", "status", "created_at", "grid_version"])


def read_state_version(engine: Engine, code: str) -> int | None:
    """The session's change counter: the one cheap query the live views poll."""
    with engine.connect() as conn:
        return conn.execute(sa.select(workshops.c.state_version)
                            .where(workshops.c.code == normalise_code(code))).scalar_one_or_none()


# --- joining -------------------------------------------------------------------------------

def too_many_failed_joins(engine: Engine, client_key: str) -> bool:
    """True when this client got a code or PIN wrong too often recently: it must wait."""
    since = _now() - FAILED_JOIN_WINDOW
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(join_failures).where(
            join_failures.c.client_key == client_key, join_failures.c.at >= since)).scalar_one()
    return count >= MAX_FAILED_JOINS


def _record_failure(engine: Engine, client_key: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(join_failures.insert().values(client_key=client_key[:100], at=_now()))


def check_join_code(engine: Engine, code: str, client_key: str) -> Workshop:
    """The session for a typed code; WorkshopError (French) for a wrong code, a closed session,
    or after too many wrong codes from the same client (slowed down for ten minutes)."""
    if too_many_failed_joins(engine, client_key):
        raise WorkshopError("Trop de codes erronés : patientez dix minutes avant de réessayer.")
    workshop = find_workshop(engine, code) if normalise_code(code) else None
    if workshop is None:
        _record_failure(engine, client_key)
        raise WorkshopError("Ce code ne correspond à aucune séance. Vérifiez-le sur l'écran projeté.")
    return workshop


def join_workshop(engine: Engine, code: str, *, pseudonym: str = "", role: str = "",
                  client_key: str = "") -> str:
    """Add a participant (anonymous unless a pseudonym is given); returns their private token,
    kept in their URL so a reload or a lost connection keeps their identity."""
    workshop = check_join_code(engine, code, client_key or "anonyme")
    if not workshop.is_open:
        raise WorkshopError("Cette séance est close : elle n'accepte plus de participations.")
    pseudonym = pseudonym.strip()
    if len(pseudonym) > MAX_PSEUDONYM:
        raise WorkshopError(f"Le pseudonyme est trop long ({MAX_PSEUDONYM} caractères au plus).")
    if role not in ROLES:
        raise WorkshopError("Rôle inconnu.")
    token = secrets.token_urlsafe(16)
    with write_transaction(engine) as conn:
        conn.execute(participants.insert().values(
            workshop_id=workshop.id, token=token, pseudonym=pseudonym, role=role, joined_at=_now()))
        _bump(conn, workshop.id)
    return token


def find_participant(engine: Engine, code: str, token: str) -> dict | None:
    """The participant with this token in this session, or None."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(participants).join(workshops).where(
            workshops.c.code == normalise_code(code), participants.c.token == token)).mappings().first()
    return dict(row) if row else None


# --- participants' inputs --------------------------------------------------------------------

def _bump(conn: Connection, workshop_id: int) -> None:
    conn.execute(workshops.update().where(workshops.c.id == workshop_id)
                 .values(state_version=workshops.c.state_version + 1))


def _open_session_and_participant(conn: Connection, code: str, token: str) -> tuple[int, int]:
    row = conn.execute(sa.select(workshops.c.id, workshops.c.status, participants.c.id.label("pid"))
                       .join(participants, participants.c.workshop_id == workshops.c.id)
                       .where(workshops.c.code == normalise_code(code),
                              participants.c.token == token)).first()
    if row is None:
        raise WorkshopError("Participation introuvable : rejoignez la séance avec son code.")
    if row.status != "open":
        raise WorkshopError("Cette séance est close : votre contribution n'a pas été enregistrée. "
                            "Merci d'avoir participé !")
    return row.id, row.pid


def _upsert_input(conn: Connection, workshop_id: int, participant_id: int, kind: str, slot: str,
                  payload: dict) -> None:
    values = dict(workshop_id=workshop_id, participant_id=participant_id, kind=kind, slot=slot,
                  payload=json.dumps(payload, ensure_ascii=False), created_at=_now(),
                  updated_at=_now())
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(workshop_inputs).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["workshop_id", "participant_id", "kind", "slot"],
        set_={"payload": statement.excluded.payload, "updated_at": statement.excluded.updated_at})
    conn.execute(statement)


def save_weights(engine: Engine, code: str, token: str, points: dict[str, float]) -> None:
    """A participant's 100 points across dimensions (replacing their previous split)."""
    cleaned = {}
    for key, value in points.items():
        number = float(value)
        if number < 0 or number > 100:
            raise WorkshopError("Chaque part doit être comprise entre 0 et 100 points.")
        cleaned[str(key)[:80]] = number
    if round(sum(cleaned.values()), 6) != 100:
        raise WorkshopError(f"Répartissez exactement 100 points (actuellement "
                            f"{format_number(sum(cleaned.values()), 1).removesuffix(',0')}).")
    with write_transaction(engine) as conn:
        workshop_id, participant_id = _open_session_and_participant(conn, code, token)
        _upsert_input(conn, workshop_id, participant_id, "weights", "", cleaned)
        _bump(conn, workshop_id)


def save_rating(engine: Engine, code: str, token: str, criterion_id: str, rating: int) -> None:
    """A participant's relevance rating (1 to 5) of one criterion (replacing the previous one)."""
    save_ratings(engine, code, token, {criterion_id: rating})


def save_ratings(engine: Engine, code: str, token: str, ratings: dict[str, int | None]) -> None:
    """A participant's relevance ratings (1 to 5) of several criteria, all saved or none (one
    transaction); a rating given as None is withdrawn."""
    cleaned: dict[str, int | None] = {}
    for criterion_id, rating in ratings.items():
        if rating is not None and int(rating) not in range(1, 6):
            raise WorkshopError("La note de pertinence va de 1 à 5.")
        cleaned[str(criterion_id)[:80]] = None if rating is None else int(rating)
    with write_transaction(engine) as conn:
        workshop_id, participant_id = _open_session_and_participant(conn, code, token)
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


def add_proposal(engine: Engine, code: str, token: str, kind: str, text: str,
                 about: str = "", value: float | None = None) -> None:
    """A proposal (target, new criterion, perverse effect) or a comment, appended."""
    if kind not in PROPOSAL_KINDS:
        raise WorkshopError("Type de proposition inconnu.")
    text = text.strip()
    if not text and value is None:
        raise WorkshopError("La proposition est vide.")
    if len(text) > MAX_PROPOSAL:
        raise WorkshopError(f"Texte trop long : {len(text)} caractères pour {MAX_PROPOSAL} au plus.")
    with write_transaction(engine) as conn:
        workshop_id, participant_id = _open_session_and_participant(conn, code, token)
        _upsert_input(conn, workshop_id, participant_id, kind, uuid.uuid4().hex,
                      {"text": text, "about": about[:80], "value": value})
        _bump(conn, workshop_id)


def read_inputs(engine: Engine, code: str) -> pd.DataFrame:
    """Every input of the session with its participant's pseudonym and role, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(workshop_inputs.c.kind, workshop_inputs.c.slot, workshop_inputs.c.payload,
                      workshop_inputs.c.updated_at, participants.c.id.label("participant_id"),
                      participants.c.pseudonym, participants.c.role)
            .join(participants, participants.c.id == workshop_inputs.c.participant_id)
            .join(workshops, workshops.c.id == workshop_inputs.c.workshop_id)
            .where(workshops.c.code == normalise_code(code))
            .order_by(workshop_inputs.c.updated_at.desc(), workshop_inputs.c.id.desc())
        ).mappings().all()
    frame = pd.DataFrame(rows, columns=["kind", "slot", "payload", "updated_at", "participant_id",
                                        "pseudonym", "role"])
    frame["payload"] = frame["payload"].map(json.loads)
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
                       client_key: str = "") -> bool:
    """True when the token or the PIN is this session's. Wrong PINs count as failed attempts."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.facilitator_token_hash, workshops.c.pin_hash,
                                     workshops.c.code)
                           .where(workshops.c.code == normalise_code(code))).first()
    if row is None:
        return False
    if token and secrets.compare_digest(_hash(token), row.facilitator_token_hash):
        return True
    if pin:
        if client_key and too_many_failed_joins(engine, client_key):
            return False
        if secrets.compare_digest(_hash(row.code, pin.strip()), row.pin_hash):
            return True
        if client_key:
            _record_failure(engine, client_key)
    return False


def _authorise(conn: Connection, code: str, secret: str) -> int:
    """The session id if `secret` is its facilitator token or PIN; FacilitatorOnly otherwise."""
    row = conn.execute(sa.select(workshops.c.id, workshops.c.code, workshops.c.facilitator_token_hash,
                                 workshops.c.pin_hash)
                       .where(workshops.c.code == normalise_code(code))).first()
    if row is None or not secret or not (
            secrets.compare_digest(_hash(secret), row.facilitator_token_hash)
            or secrets.compare_digest(_hash(row.code, secret.strip()), row.pin_hash)):
        raise FacilitatorOnly("Action réservée à l'animation de la séance.")
    return row.id


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
    with write_transaction(engine) as conn:
        workshop_id = _authorise(conn, code, token)
        updated = conn.execute(workshops.update().where(
            workshops.c.id == workshop_id, workshops.c.grid_version == expected_version
        ).values(grid_version=expected_version + 1,
                 state_version=workshops.c.state_version + 1)).rowcount
        if updated != 1:
            raise StaleGridError("La grille a été modifiée entre-temps (par une autre personne de "
                                 "l'animation). Rechargez la grille, puis refaites votre changement.")
        conn.execute(grid_versions.insert().values(
            workshop_id=workshop_id, version=expected_version + 1, grid_json=grid.to_json(),
            author=(author or "Animation")[:100], created_at=_now(), summary=summary))
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
    with write_transaction(engine) as conn:
        workshop_id = _authorise(conn, code, token)
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            status=status, state_version=workshops.c.state_version + 1))


def set_results_hidden(engine: Engine, code: str, token: str, hidden: bool) -> None:
    """Hide or reveal the room's results on the projection (facilitator only)."""
    with write_transaction(engine) as conn:
        workshop_id = _authorise(conn, code, token)
        conn.execute(workshops.update().where(workshops.c.id == workshop_id).values(
            results_hidden=bool(hidden), state_version=workshops.c.state_version + 1))
