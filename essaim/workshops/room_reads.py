"""What the live screens read, as plain dicts (no pandas: the phone API serves them by the
hundred): the pulse of the sessions a server watches, the session as phones show it, the counts
the projection redraws every second, the proposals shown to the room, one participant's inputs."""

from __future__ import annotations

import functools
import json

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.data.schema import grid_versions, participants, proposal_votes, workshop_inputs, workshops
from essaim.workshops.codes import KINDS, MAX_PROPOSAL, MAX_PSEUDONYM, PROPOSAL_KINDS, ROLES, normalise_code
from essaim.workshops.errors import NotFound
from essaim.workshops.grid import grid_from_json
from essaim.workshops.inputs import votes_per_input
from essaim.workshops.joining import find_participant
from essaim.workshops.writes import version_of_session


@functools.cache
def _pulses_statement():
    # Built once: every server runs it twice a second while phones wait.
    return (sa.select(workshops.c.code, version_of_session().label("state_version"),
                      workshops.c.status,
                      workshops.c.grid_version, workshops.c.results_hidden,
                      workshops.c.premoderation)
            .where(workshops.c.code.in_(sa.bindparam("codes", expanding=True))))


def read_pulses(engine: Engine, codes: list[str]) -> dict[str, tuple]:
    """For each session code: (state_version, status, grid_version, results_hidden,
    premoderation) — one query for all the sessions a server is watching."""
    if not codes:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(_pulses_statement(), {"codes": list(codes)}).all()
    return {row.code: (row.state_version, row.status, row.grid_version, bool(row.results_hidden),
                       bool(row.premoderation)) for row in rows}


def phone_session(engine: Engine, code: str) -> dict | None:
    """What every phone of the session shows: title, status, the grid's dimensions and criteria
    (ids and labels only). None for an unknown code."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.code, workshops.c.title, workshops.c.kind,
                                     workshops.c.status,
                                     workshops.c.grid_version, workshops.c.premoderation,
                                     grid_versions.c.grid_json)
                           .join(grid_versions, sa.and_(
                               grid_versions.c.workshop_id == workshops.c.id,
                               grid_versions.c.version == workshops.c.grid_version))
                           .where(workshops.c.code == normalise_code(code))).first()
    if row is None:
        return None
    grid = grid_from_json(row.grid_json)
    total = sum(d.weight for d in grid.dimensions) or 1.0
    return {
        "code": row.code, "title": row.title, "kind": KINDS.get(row.kind, row.kind),
        "open": row.status == "open", "premoderation": bool(row.premoderation),
        "grid_version": row.grid_version,
        "dimensions": [{"id": d.id, "label": d.label,
                        "grid_points": round(100 * d.weight / total, 1),
                        "criteria": [{"id": c.id, "label": c.label} for c in d.criteria]}
                       for d in grid.dimensions],
        "proposal_kinds": PROPOSAL_KINDS, "roles": ROLES, "max_text": MAX_PROPOSAL,
        "max_pseudonym": MAX_PSEUDONYM,
    }


def room_counts(engine: Engine, code: str) -> dict | None:
    """Who is there and what came in — participants, splits received, proposals shown, the
    participants per declared role, whether the session is open — in one query, for a screen
    that redraws every second. None for an unknown code."""
    counted = {
        "participants": sa.select(sa.func.count()).select_from(participants)
        .where(participants.c.workshop_id == workshops.c.id).scalar_subquery(),
        "splits": sa.select(sa.func.count()).select_from(workshop_inputs)
        .where(workshop_inputs.c.workshop_id == workshops.c.id,
               workshop_inputs.c.kind == "weights").scalar_subquery(),
        "proposals": sa.select(sa.func.count()).select_from(workshop_inputs)
        .where(workshop_inputs.c.workshop_id == workshops.c.id,
               workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)),
               workshop_inputs.c.moderation == "visible").scalar_subquery(),
    }
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops.c.id, workshops.c.status,
                                     *(q.label(k) for k, q in counted.items()))
                           .where(workshops.c.code == normalise_code(code))).first()
        if row is None:
            return None
        roles = dict(conn.execute(sa.select(participants.c.role, sa.func.count())
                                  .where(participants.c.workshop_id == row.id)
                                  .group_by(participants.c.role)).all())
    return {"participants": row.participants, "splits": row.splits, "proposals": row.proposals,
            "open": row.status == "open",
            "roles": {(role or "Non précisé"): n for role, n in
                      sorted(roles.items(), key=lambda item: -item[1])}}


def room_proposals(engine: Engine, code: str) -> list[dict]:
    """The proposals and comments shown to the room (visible only), most upvoted first, then
    newest: id, kind, text, about, value, pseudonym, votes."""
    votes = votes_per_input()
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(workshop_inputs.c.slot, workshop_inputs.c.kind, workshop_inputs.c.payload,
                      participants.c.pseudonym, sa.func.coalesce(votes.c.votes, 0).label("votes"))
            .join(participants, participants.c.id == workshop_inputs.c.participant_id)
            .join(workshops, workshops.c.id == workshop_inputs.c.workshop_id)
            .outerjoin(votes, votes.c.input_id == workshop_inputs.c.id)
            .where(workshops.c.code == normalise_code(code),
                   workshop_inputs.c.kind.in_(list(PROPOSAL_KINDS)),
                   workshop_inputs.c.moderation == "visible")
            .order_by(sa.desc("votes"), workshop_inputs.c.created_at.desc(),
                      workshop_inputs.c.id.desc())).all()
    result = []
    for row in rows:
        payload = json.loads(row.payload)
        result.append({"id": row.slot, "kind": row.kind, "text": payload.get("text", ""),
                       "about": payload.get("about", ""), "value": payload.get("value"),
                       "pseudonym": row.pseudonym, "votes": int(row.votes)})
    return result


def participant_inputs(engine: Engine, code: str, token: str) -> dict:
    """What one participant gave: profile, split, ratings, proposals (with their moderation
    state) and the proposals they upvoted. NotFound for an unknown token."""
    person = find_participant(engine, code, token)
    if person is None:
        raise NotFound("Participation introuvable : rejoignez la séance avec son code.")
    participant_id = person["id"]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(workshop_inputs.c.kind, workshop_inputs.c.slot,
                                      workshop_inputs.c.payload, workshop_inputs.c.moderation)
                            .where(workshop_inputs.c.participant_id == participant_id)
                            .order_by(workshop_inputs.c.created_at, workshop_inputs.c.id)).all()
        voted = conn.execute(sa.select(workshop_inputs.c.slot)
                             .join(proposal_votes, proposal_votes.c.input_id == workshop_inputs.c.id)
                             .where(proposal_votes.c.participant_id == participant_id)).scalars()
        voted = list(voted)
    weights, ratings, proposals = None, {}, []
    for row in rows:
        payload = json.loads(row.payload)
        if row.kind == "weights":
            weights = payload
        elif row.kind == "rating":
            ratings[row.slot] = payload["rating"]
        else:
            proposals.append({"id": row.slot, "kind": row.kind, "text": payload.get("text", ""),
                              "about": payload.get("about", ""), "value": payload.get("value"),
                              "moderation": row.moderation})
    return {"pseudonym": person["pseudonym"], "role": person["role"], "weights": weights,
            "ratings": ratings, "proposals": proposals, "votes": voted}
