"""How a proposal from the room changes the grid when the facilitator adopts it."""

from __future__ import annotations

import dataclasses

import pandas as pd

from essaim.numbers.formatting import format_number
from essaim.workshops.grid import Criterion, Grid, slugify


def adoption(grid: Grid, proposal) -> tuple[Grid, str] | None:
    """The grid a proposal would give and a one-line summary, or None when it cannot be adopted
    as it stands (a target without a criterion or value, an empty text).

    `proposal` has kind, text, about (a criterion id or ""), value and slot (its unique id)."""
    criteria = {c.id: (d, c) for d, c in grid.criteria()}
    about = criteria.get(proposal.about)
    if proposal.kind == "target" and about and pd.notna(proposal.value):
        dimension, criterion = about
        changed = dataclasses.replace(criterion, target=float(proposal.value))
        return (grid.with_criterion(dimension.id, changed),
                f"Objectif de « {criterion.label} » porté à {format_number(proposal.value, 1)}")
    if proposal.kind == "perverse_effect" and about and proposal.text:
        dimension, criterion = about
        text = "; ".join(t for t in (criterion.perverse_effects, proposal.text) if t)
        return (grid.with_criterion(dimension.id,
                                    dataclasses.replace(criterion, perverse_effects=text)),
                f"Effet pervers ajouté à « {criterion.label} »")
    if proposal.kind == "criterion" and proposal.text:
        dimension = about[0] if about else grid.dimensions[-1]
        new = Criterion(id=f"{slugify(proposal.text)[:40]}_{proposal.slot[:4]}",
                        label=proposal.text[:120], weight=1.0, notes="Proposé par la salle")
        return grid.with_criterion(dimension.id, new), f"Critère ajouté : « {new.label} »"
    return None
