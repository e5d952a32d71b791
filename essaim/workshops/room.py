"""What the room says: weights and ratings aggregated (median and spread), proposals, and the
grid the room's weights would give."""

from __future__ import annotations

import pandas as pd

from essaim.numbers.formatting import format_plain
from essaim.workshops.grid import Grid

# How the room's answers are summarised, said in the documents beside the figures.
AGGREGATION_RULE = (
    "Médiane : la réponse du milieu ; avec un nombre pair de réponses, le milieu des deux "
    "réponses centrales, d'où des demi-points (12,5). Quartiles : le milieu des deux réponses qui "
    "encadrent le premier (ou le troisième) quart ; un quart de la salle donne moins que le 1er "
    "quartile, un quart plus que le 3e. Écart interquartile : 3e quartile − 1er quartile. La "
    "grille de la salle répartit 100 points entre les dimensions en proportion de leurs médianes, "
    "puis chaque dimension entre ses critères en proportion de leurs poids.")
# Quartiles as midpoints of two answers: whole points give whole or half points, never the
# quarter-points of linear interpolation.
QUARTILES = "midpoint"


def format_points(value) -> str:
    """A median or quartile of points as people read it: "12", "12,5" (never rounded to even)."""
    return format_plain(value, 1)


def quoted_names(labels: dict[str, str], ids) -> str:
    """"« A »" or "« A » et « B »": every dimension tied at the top is named, not one of them."""
    quoted = [f"« {labels[i]} »" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]


def weights_table(inputs: pd.DataFrame) -> pd.DataFrame:
    """Participants × dimensions: each participant's current split of 100 points. A dimension
    that did not exist when a participant voted is missing (NaN) for them, not 0."""
    rows = inputs[inputs["kind"] == "weights"]
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame(list(rows["payload"]), index=rows["participant_id"]).astype(float)


def aggregate_weights(weights: pd.DataFrame) -> pd.DataFrame:
    """Per dimension: participants, median, quartiles and spread (interquartile range), in points.
    A wide spread is where the room disagrees."""
    if weights.empty:
        return pd.DataFrame(columns=["n", "median", "q1", "q3", "spread"])
    table = pd.DataFrame({
        "n": weights.notna().sum(),
        "median": weights.median(),
        "q1": weights.quantile(0.25, interpolation=QUARTILES),
        "q3": weights.quantile(0.75, interpolation=QUARTILES),
    })
    table["spread"] = table["q3"] - table["q1"]
    return table


def aggregate_ratings(inputs: pd.DataFrame) -> pd.DataFrame:
    """Per criterion: how many rated it, median relevance (1–5) and spread."""
    rows = inputs[inputs["kind"] == "rating"]
    if rows.empty:
        return pd.DataFrame(columns=["n", "median", "spread"])
    ratings = rows.assign(rating=[p["rating"] for p in rows["payload"]])
    grouped = ratings.groupby("slot")["rating"]
    return pd.DataFrame({"n": grouped.size(), "median": grouped.median(),
                         "spread": grouped.quantile(0.75, interpolation=QUARTILES)
                         - grouped.quantile(0.25, interpolation=QUARTILES)})


def room_grid(grid: Grid, aggregated: pd.DataFrame) -> Grid:
    """The grid with the room's median points per dimension, spread over each dimension's
    criteria in proportion to their current weights. Dimensions nobody has voted on yet keep
    their current share of 100; the voted ones share the rest in proportion to their medians."""
    if aggregated.empty:
        return grid
    total_weight = sum(d.weight for d in grid.dimensions) or 1.0
    medians = aggregated["median"].reindex([d.id for d in grid.dimensions])
    unvoted = {d.id: 100 * d.weight / total_weight for d in grid.dimensions
               if pd.isna(medians.get(d.id))}
    voted = medians.dropna()
    if voted.sum() <= 0:
        return grid
    remaining = 100 - sum(unvoted.values())
    shares = (remaining * voted / voted.sum()).round(2).to_dict()
    return grid.with_dimension_weights({**shares, **{k: round(v, 2) for k, v in unvoted.items()}})


PROPOSAL_KINDS = ("target", "criterion", "perverse_effect", "comment")


def proposals(inputs: pd.DataFrame, limit: int | None = None, *, include_hidden: bool = False,
              by_votes: bool = False) -> pd.DataFrame:
    """Proposals and comments: kind, text, about, value, pseudonym, role, time, id (slot),
    upvotes and moderation state. Newest first, or most upvoted first (then newest) with
    `by_votes`, as the projection orders them. Those hidden by the facilitator or awaiting their
    approval are left out unless `include_hidden` (the facilitator's own view)."""
    rows = inputs[inputs["kind"].isin(PROPOSAL_KINDS)]
    if not include_hidden and "moderation" in rows:
        rows = rows[rows["moderation"] == "visible"]
    frame = pd.DataFrame({
        "kind": rows["kind"], "text": [p.get("text", "") for p in rows["payload"]],
        "about": [p.get("about", "") for p in rows["payload"]],
        "value": [p.get("value") for p in rows["payload"]],
        "pseudonym": rows["pseudonym"], "role": rows["role"], "updated_at": rows["updated_at"],
        "slot": rows["slot"],
        "votes": rows.get("votes", 0),
        "moderation": rows.get("moderation", "visible"),
    })
    if by_votes:
        # A stable sort keeps the newest-first order among equal votes.
        frame = frame.sort_values("votes", ascending=False, kind="stable")
    return frame.head(limit) if limit else frame


def participation_by_role(participants: pd.DataFrame) -> pd.Series:
    """How many participants per declared role ("Non précisé" for none)."""
    if participants.empty:
        return pd.Series(dtype=int)
    return participants["role"].replace("", "Non précisé").value_counts()
