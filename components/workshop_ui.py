"""Shared pieces of the workshop views: store access, QR code, room snapshot, grid tables."""

from __future__ import annotations

import io

import pandas as pd
import segno
import streamlit as st

from components.data_access import comparison_inputs, current_dataset, current_engine
from essaim import workshops
from essaim.grid import Grid, grid_from_dict
from essaim.links import base_url
from essaim.room import aggregate_ratings, aggregate_weights, proposals, room_grid, weights_table
from essaim.scoring import compare_rankings, latest_values, score_grid
from essaim.settings import read_setting


def app_base_url() -> str:
    """The app's address as participants should use it (ESSAIM_PUBLIC_URL, else the browser's)."""
    return base_url(st.context.url, read_setting("ESSAIM_PUBLIC_URL"))


def client_key() -> str:
    """Who is typing, for slowing down repeated wrong codes: the client's IP, else the session."""
    address = st.context.ip_address
    if isinstance(address, str) and address:
        return address
    return st.runtime.scriptrunner.get_script_run_ctx().session_id


@st.cache_data(max_entries=32, show_spinner=False)
def _qr_png(url: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def show_qr_code(url: str, caption: str = "", scale: int = 8) -> None:
    """A QR code for `url`, drawn locally (no web service), with an optional caption."""
    st.image(_qr_png(url, scale), caption=caption or None)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def room_snapshot(code: str, state_version: int, dataset_id: int) -> dict:
    """Everything the projection shows for one state of the session (shared by all screens)."""
    engine = current_engine()
    workshop = workshops.find_workshop(engine, code)
    grid, version = workshops.current_grid(engine, code)
    inputs = workshops.read_inputs(engine, code)
    people = workshops.read_participants(engine, code)
    aggregated = aggregate_weights(weights_table(inputs))
    proposed = room_grid(grid, aggregated)
    rankings = rank_essaimages(grid, proposed, workshop.scope_innovation, workshop.scope_territories)
    return {"workshop": workshop, "grid": grid, "grid_version": version, "inputs": inputs,
            "participants": people, "weights": aggregated, "ratings": aggregate_ratings(inputs),
            "room_grid": proposed, "rankings": rankings, "proposals": proposals(inputs)}


def rank_essaimages(grid: Grid, proposed: Grid, innovation: str | None,
                    territories: tuple[str, ...]) -> pd.DataFrame:
    """Composite scores and ranks of the session's essaimages under both grids, with names."""
    dataset = current_dataset()
    values, _ = comparison_inputs(dataset)
    essaimages = dataset.essaimage_table()
    if innovation:
        essaimages = essaimages[essaimages["innovation_code"] == innovation]
    if territories:
        essaimages = essaimages[essaimages["territory_code"].isin(territories)]
    scoped = values[values["territory_code"].isin(essaimages["territory_code"])]
    scoped = scoped[scoped["essaimage_code"].isna() | scoped["essaimage_code"].isin(essaimages["code"])]
    latest = latest_values(scoped, essaimages).reindex(essaimages["code"]).dropna(how="all")
    directions = dict(zip(dataset.indicators["code"], dataset.indicators["direction"]))
    table = compare_rankings(score_grid(grid, latest, directions),
                             score_grid(proposed, latest, directions))
    names = essaimages.set_index("code")
    table.insert(0, "essaimage", [f"{names.at[c, 'territory']} — {names.at[c, 'innovation']}"
                                  for c in table.index])
    return table


def grid_table(grid: Grid) -> pd.DataFrame:
    """The grid as an editable table: one row per criterion (empty numbers as blank cells)."""
    table = pd.DataFrame([{
        "Dimension": d.label, "Critère": c.label, "Indicateur": c.indicator_code or "",
        "Poids": c.weight, "Objectif": c.target, "Seuil": c.threshold, "Source": c.source,
        "Effets pervers": c.perverse_effects, "Notes": c.notes, "_id": c.id, "_dim": d.id,
    } for d, c in grid.criteria()])
    return table.astype({"Poids": float, "Objectif": float, "Seuil": float})


def grid_from_table(table: pd.DataFrame, known_indicators: set[str]) -> Grid:
    """A grid from the edited table (GridError in French when a row is not valid)."""
    dimensions: dict[str, dict] = {}
    for row in table.to_dict("records"):
        label = str(row.get("Dimension") or "").strip()
        dim_id = row.get("_dim") if isinstance(row.get("_dim"), str) and row.get("_dim") else None
        key = dim_id or label
        dimension = dimensions.setdefault(key, {"label": label, "criteria": []})
        if dim_id:
            dimension["id"] = dim_id
        dimension["criteria"].append({
            "id": row.get("_id") if isinstance(row.get("_id"), str) and row.get("_id") else None,
            "label": row.get("Critère"), "indicator_code": row.get("Indicateur") or None,
            "weight": row.get("Poids"), "target": row.get("Objectif"),
            "threshold": row.get("Seuil"), "source": row.get("Source") or "",
            "perverse_effects": row.get("Effets pervers") or "", "notes": row.get("Notes") or "",
        })
    return grid_from_dict({"dimensions": list(dimensions.values())}, known_indicators)


def engine_and_workshop(code: str):
    """The engine and the session for `code`, or (engine, None)."""
    engine = current_engine()
    return engine, workshops.find_workshop(engine, code) if code else None

