"""What the territory map draws, as plain data: one entry per territory (position, accessible
name, coloured stage segments), the overseas insets, the bounds to fit. Streamlit-free: the
browser script (components/assets/territory_map.js) receives it as JSON."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.explorer.geo import (
    innovation_colours,
    is_overseas,
    points_bounds,
    spread_colocated,
    text_colour_on,
)


def stage_phrase(innovation: str, stage: str) -> str:
    """"TAPAJ, étape IV": an innovation and the roadmap stage it reached, as read aloud."""
    return f"{innovation}, étape {stage}"


def territory_points(dataset: Dataset, essaimages: pd.DataFrame) -> list[dict]:
    """One entry per territory running one of `essaimages` (from Dataset.essaimage_table), by
    name: code, name, département, display position (co-located territories set apart),
    accessible name ("Brest — TAPAJ, étape IV"), tooltip lines, and one segment per innovation
    (colour, readable text colour, stage)."""
    if essaimages.empty:
        return []
    colours = innovation_colours(list(dataset.innovations["code"]))
    territories = dataset.territories.set_index("code")
    shown = territories.loc[sorted(essaimages["territory_code"].unique())]
    positions = spread_colocated([(code, row.latitude, row.longitude)
                                  for code, row in shown.iterrows()])
    by_territory = dict(tuple(essaimages.sort_values("innovation").groupby("territory_code")))
    points = []
    for code, row in shown.sort_values("name").iterrows():
        mine = list(by_territory[code].itertuples())
        latitude, longitude = positions[code]
        points.append({
            "code": code,
            "name": row["name"],
            "departement": row["code_departement"],
            "lat": latitude,
            "lon": longitude,
            "label": f"{row['name']} — " + " ; ".join(stage_phrase(e.innovation, e.stage)
                                                     for e in mine),
            "lines": [f"{e.innovation} – {e.stage_label}" for e in mine],
            "innovations": [e.innovation_code for e in mine],
            "innovationNames": [e.innovation for e in mine],
            "segments": [{"colour": colours[e.innovation_code],
                          "text": text_colour_on(colours[e.innovation_code]),
                          "stage": e.stage} for e in mine],
        })
    return points


def innovation_legend(dataset: Dataset) -> list[dict]:
    """Code, name and colour of each innovation, in the dataset's order."""
    colours = innovation_colours(list(dataset.innovations["code"]))
    return [{"code": code, "name": name, "colour": colours[code]}
            for code, name in zip(dataset.innovations["code"], dataset.innovations["name"])]


def click_lookup(points: list[dict]) -> dict[tuple[float, float], str]:
    """Marker display position (rounded as the browser reports it back) → territory code."""
    return {(round(p["lat"], 5), round(p["lon"], 5)): p["code"] for p in points}


def fit_bounds(points: list[dict]) -> list[list[float]] | None:
    """The bounds that show every metropolitan point (None when there is none): overseas points
    are shown in their insets, and framing them with the mainland would shrink France to a
    corner of the map."""
    return points_bounds([(p["lat"], p["lon"]) for p in points if not is_overseas(p["departement"])])
