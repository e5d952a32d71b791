"""The raw inputs of a workshop restitution, as the PDF's annex: every participant's split of the
points, ratings and proposals, with short codes for the grid's dimensions and criteria and their
key."""

from __future__ import annotations

import pandas as pd

from essaim.numbers.dates import format_datetime, to_paris
from essaim.numbers.formatting import plural
from essaim.reports.model import Table
from essaim.reports.workshop import RAW_KINDS, WorkshopRecord, shown_proposals, who
from essaim.workshops.room import format_points


def _short_codes(record: WorkshopRecord) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, id) → (short code "D1" / "C4", label), kind "dimension" or "criterion": a room of
    300 rates every criterion, and the raw inputs stay readable with codes and one key. Keyed by
    kind, because a dimension and a criterion may share an id (« bien_etre »)."""
    codes = {("dimension", d.id): (f"D{i}", d.label)
             for i, d in enumerate(record.grid.dimensions, start=1)}
    codes.update({("criterion", c.id): (f"C{i}", c.label)
                  for i, (_, c) in enumerate(record.grid.criteria(), start=1)})
    return codes


def raw_inputs_key(record: WorkshopRecord) -> Table:
    codes = _short_codes(record)
    return Table("Annexe : clé des saisies brutes", pd.DataFrame(
        [(code, label) for code, label in codes.values()], columns=["Code", "Dimension ou critère"]),
        widths=(1.0, 9.0), caption="D : dimension (répartition des 100 points) ; C : critère "
                                   "(note de pertinence de 1 à 5).",
        source="Source : grille adoptée pendant la séance.")


def raw_inputs(record: WorkshopRecord) -> Table:
    """Every participant's inputs: their split of the points, their ratings (one row for all),
    their proposals and comments (moderated ones named, not quoted)."""
    codes = _short_codes(record)

    def short(kind: str, key: str) -> str:
        return codes[(kind, key)][0] if (kind, key) in codes else key

    shown_slots = set(shown_proposals(record.inputs)[0]["slot"])
    inputs = record.inputs.sort_values("updated_at")
    rows = []
    for _participant, mine in inputs.groupby("participant_id", sort=False):
        first = mine.iloc[0]
        person = who(first["pseudonym"], first["role"])
        ratings = mine[mine["kind"] == "rating"]
        for r in mine[mine["kind"] != "rating"].itertuples():
            if r.kind == "weights":
                content = " ; ".join(f"{short('dimension', k)} {format_points(v)}"
                                     for k, v in r.payload.items())
            elif r.slot in shown_slots:
                content = r.payload.get("text", "")
                if r.payload.get("value") is not None:
                    target = record.target_text(r.payload.get("about", ""), r.payload["value"])
                    content += f" (objectif {target})"
            else:
                content = "(retirée par la modération)"
            rows.append((r.updated_at, person, RAW_KINDS.get(r.kind, r.kind), content))
        if not ratings.empty:
            rows.append((ratings["updated_at"].max(), person, RAW_KINDS["rating"], " ; ".join(
                f"{short('criterion', r.slot)} {r.payload.get('rating')}"
                for r in ratings.itertuples())))
    rows.sort(key=lambda row: to_paris(row[0]))
    frame = pd.DataFrame([(format_datetime(t), p, k, c) for t, p, k, c in rows],
                         columns=["Heure", "Participant", "Saisie", "Contenu"])
    return Table("Annexe : les saisies brutes", frame,
                 widths=(1.9, 2.2, 1.8, 5.5),
                 caption=f"{plural(len(frame), 'ligne')} pour {plural(len(record.inputs), 'saisie')}"
                         " : la dernière saisie de chaque participant pour chaque question (ses "
                         "notes de pertinence sur une ligne) ; heure de Paris ; codes D et C : "
                         "voir la clé.", source=record.source())


def raw_input_blocks(record: WorkshopRecord) -> list[Table]:
    """The annex: the key of the short codes, then every input."""
    return [raw_inputs_key(record), raw_inputs(record)]
