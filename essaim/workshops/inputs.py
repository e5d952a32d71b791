"""A participant's inputs: 100 points, relevance ratings, proposals and comments, upvotes; and
how the views read them back.

Every input is one database write in its own transaction, acknowledged only once committed, and
idempotent: a phone that resends after a lost answer (same participant token, same proposal id)
changes nothing the second time."""

from __future__ import annotations

import json
import logging
import uuid

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from essaim.data.schema import participants, proposal_votes, workshop_inputs, workshops
from essaim.numbers.entry import read_number
from essaim.numbers.formatting import format_number
from essaim.workshops.codes import (
    MAX_DIMENSIONS,
    MAX_PROPOSAL,
    PROPOSAL_ID_PATTERN,
    PROPOSAL_KINDS,
    normalise_code,
)
from essaim.workshops.errors import NotFound, WorkshopError
from essaim.workshops.writes import (
    hot_statement,
    now_utc,
    open_session_and_participant,
    record_change,
    write_session,
)

log = logging.getLogger(__name__)


def _upsert_input(conn: Connection, workshop_id: int, participant_id: int, kind: str, slot: str,
                  payload: dict) -> None:
    now = now_utc()
    conn.execute(hot_statement("upsert", conn.dialect.name), {
        "workshop_id": workshop_id, "participant_id": participant_id, "kind": kind, "slot": slot,
        "payload": json.dumps(payload, ensure_ascii=False), "created_at": now, "updated_at": now,
        "moderation": "visible"})


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
    with write_session(engine) as conn:
        workshop_id, participant_id, _ = open_session_and_participant(conn, code, token)
        _upsert_input(conn, workshop_id, participant_id, "weights", "", cleaned)
        record_change(conn, workshop_id)
    log.info("Séance %s : répartition des 100 points", normalise_code(code))


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
    with write_session(engine) as conn:
        workshop_id, participant_id, _ = open_session_and_participant(conn, code, token)
        for criterion_id, rating in cleaned.items():
            if rating is None:
                conn.execute(workshop_inputs.delete().where(
                    workshop_inputs.c.workshop_id == workshop_id,
                    workshop_inputs.c.participant_id == participant_id,
                    workshop_inputs.c.kind == "rating", workshop_inputs.c.slot == criterion_id))
            else:
                _upsert_input(conn, workshop_id, participant_id, "rating", criterion_id,
                              {"rating": rating})
        record_change(conn, workshop_id)
    log.info("Séance %s : notes de pertinence", normalise_code(code))


def _clean_proposal(kind: str, text: str, about: str, value) -> tuple[str, str, float | None]:
    if kind not in PROPOSAL_KINDS:
        raise WorkshopError("Type de proposition inconnu.")
    text = (text or "").strip()
    if value is not None and not (isinstance(value, str) and not value.strip()):
        # Typed on a phone the French way (« 49,8 », « 1 500 », « 12,5 % »): the one reader.
        entry = read_number(value)
        if not entry.ok or abs(entry.value) > 1e12:
            raise WorkshopError(f"Objectif chiffré « {entry.text} » : "
                                f"{entry.error or 'nombre hors de portée'}.")
        value = entry.value
    else:
        value = None
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
    if value is not None and about:
        problem = target_problem(engine, code, about, value)
        if problem:
            raise WorkshopError(f"Objectif chiffré refusé : {problem}.")
    if proposal_id is not None and not PROPOSAL_ID_PATTERN.match(proposal_id):
        raise WorkshopError("Identifiant de proposition invalide.")
    proposal_id = proposal_id or uuid.uuid4().hex
    payload = json.dumps({"text": text, "about": about, "value": value}, ensure_ascii=False)
    with write_session(engine) as conn:
        workshop_id, participant_id, premoderation = open_session_and_participant(conn, code, token)
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
                slot=proposal_id, payload=payload, created_at=now_utc(), updated_at=now_utc(),
                moderation=moderation))
        else:
            conn.execute(workshop_inputs.update().where(workshop_inputs.c.id == existing.id)
                         .values(kind=kind, payload=payload, updated_at=now_utc(),
                                 moderation=moderation))
        record_change(conn, workshop_id)
    log.info("Séance %s : proposition %s (%s, %s)", normalise_code(code), proposal_id, kind, moderation)
    return proposal_id, moderation


def target_problem(engine: Engine, code: str, criterion_id: str, value: float) -> str | None:
    """Why `value` cannot be a target of the session's criterion (its indicator's range,
    essaim.numbers.ranges), or None. Read only for a proposal with a figure and a criterion."""
    from essaim.data.schema import datasets, grid_versions, indicators
    from essaim.numbers.ranges import ValueRule
    from essaim.workshops.grid import grid_from_json, target_rule

    with engine.connect() as conn:
        grid_json = conn.execute(
            sa.select(grid_versions.c.grid_json).join(workshops, sa.and_(
                workshops.c.id == grid_versions.c.workshop_id,
                workshops.c.grid_version == grid_versions.c.version))
            .where(workshops.c.code == normalise_code(code))).scalar()
        if grid_json is None:
            return None
        indicator = next((c.indicator_code for _, c in grid_from_json(grid_json).criteria()
                          if c.id == criterion_id), None)
        if not indicator:
            return None
        row = conn.execute(sa.select(indicators.c.measure, indicators.c.unit, indicators.c.minimum,
                                     indicators.c.maximum)
                           .join(datasets, datasets.c.id == indicators.c.dataset_id)
                           .where(datasets.c.active.is_(True),
                                  indicators.c.code == indicator)).mappings().first()
    return target_rule(ValueRule.of(dict(row))).check(value) if row else None


def add_proposal(engine: Engine, code: str, token: str, kind: str, text: str,
                 about: str = "", value: float | None = None) -> str:
    """A new proposal or comment (see save_proposal); returns its id."""
    return save_proposal(engine, code, token, kind, text, about, value)[0]


def delete_own_proposal(engine: Engine, code: str, token: str, proposal_id: str) -> None:
    """The participant withdraws one of their proposals (and its votes). Deleting one already
    gone changes nothing, so a resend is harmless."""
    with write_session(engine) as conn:
        workshop_id, participant_id, _ = open_session_and_participant(conn, code, token)
        deleted = conn.execute(workshop_inputs.delete().where(
            workshop_inputs.c.workshop_id == workshop_id,
            workshop_inputs.c.participant_id == participant_id,
            workshop_inputs.c.slot == proposal_id,
            workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)))).rowcount
        if deleted:
            record_change(conn, workshop_id)
    log.info("Séance %s : proposition retirée par son auteur", normalise_code(code))


def set_vote(engine: Engine, code: str, token: str, proposal_id: str, voted: bool) -> None:
    """Upvote a proposal shown to the room (one vote per participant), or take the vote back.
    Voting twice, or withdrawing a vote never given, changes nothing."""
    with write_session(engine) as conn:
        workshop_id, participant_id, _ = open_session_and_participant(conn, code, token)
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
                created_at=now_utc()))
        elif not voted and already:
            conn.execute(proposal_votes.delete().where(mine))
        else:
            return
        record_change(conn, workshop_id)
    log.info("Séance %s : soutien", normalise_code(code))


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
