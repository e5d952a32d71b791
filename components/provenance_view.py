"""« D'où vient ce chiffre ? » on screen: the reports behind a figure, the rule that chose the
one that counts, its thread and the dataset version (essaim.partners.provenance)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import provenance_inputs
from essaim.data.dataset import Dataset
from essaim.figures.counted import CELL, STATUS_SHORT
from essaim.numbers.formatting import escape_markdown, format_value
from essaim.partners.provenance import CellProvenance, cell_provenance

QUESTION = "D'où vient ce chiffre ?"


def draw_cell_provenance(provenance: CellProvenance) -> None:
    """One cell's provenance, as a short text a screen reader reads in order."""
    lines = [(f"**{escape_markdown(provenance.indicator)}**, {escape_markdown(provenance.where)}, "
             f"{provenance.period} : **{escape_markdown(provenance.value)}** — "
             f"*{escape_markdown(provenance.status_short)}*"),
             f"- Règle : {escape_markdown(provenance.rule)}."]
    for report in provenance.reports:
        mark = " — **c'est elle qui compte**" if report.counts else ""
        unusual = " (valeur inhabituelle, confirmée)" if report.unusual_confirmed else ""
        lines.append(f"- {escape_markdown(report.partner)} : {escape_markdown(report.value)}"
                     f"{unusual}{mark}. Source : {escape_markdown(report.source)} ; "
                     f"{escape_markdown(report.way)}.")
    if provenance.thread:
        lines.append(f"- Discussion : {escape_markdown(provenance.thread)} (espace partenaire, "
                     "ou *Gérer les données › Désaccords* pour l'ANSA).")
    if provenance.local_definition:
        lines.append(f"- Définition convenue pour ce chiffre : "
                     f"{escape_markdown(provenance.local_definition)}.")
    lines.append(f"- Données : {escape_markdown(provenance.dataset_version)}.")
    st.markdown("\n".join(lines))


def draw_provenance_picker(dataset: Dataset, counted: pd.DataFrame, cells: pd.DataFrame,
                           key: str, label: str = QUESTION) -> None:
    """A list of the figures shown (rows of `cells`: CELL columns and `text`, the label to list)
    and, for the one chosen, where it comes from — every period of that indicator and place with
    its status, then the chosen period's reports."""
    if cells.empty:
        return
    options = list(range(len(cells)))
    texts = list(cells["text"])
    # Drawn only while open: the provenance of a figure is looked up when someone asks.
    with st.expander(label, icon=":material/manage_search:", key=f"{key}_open",
                     on_change="rerun") as fold:
        if not fold.open:
            return
        chosen = st.selectbox("Chiffre", options, format_func=lambda i: texts[i], key=key,
                              help="Choisissez un chiffre pour voir qui l'a déclaré, la règle "
                                   "qui a choisi la valeur qui compte et la discussion.")
        cell = {c: cells.iloc[chosen][c] for c in CELL}
        cell["period"] = _choose_period(dataset, counted, cell, f"{key}_period_{chosen}")
        draw_cell_provenance(cell_provenance(dataset, counted, provenance_inputs(dataset), cell))


def _choose_period(dataset: Dataset, counted: pd.DataFrame, cell: dict, key: str) -> str:
    """Every period of the cell's indicator and place, with its value and status, to choose
    from (the figure's own period first)."""
    essaimage = cell.get("essaimage_code") or None
    rows = counted[(counted["indicator_code"] == cell["indicator_code"])
                   & (counted["territory_code"] == cell["territory_code"])
                   & (counted["essaimage_code"].isna() if essaimage is None
                      else counted["essaimage_code"] == essaimage)].sort_values(
        "period", ascending=False)
    if len(rows) < 2:
        return str(cell["period"])
    definitions = dataset.indicators.set_index("code")
    unit = definitions.at[cell["indicator_code"], "unit"]
    measure = definitions.at[cell["indicator_code"], "measure"]
    shown = {str(row.period): f"{row.period} : {format_value(row.value, unit, measure)} — "
                              f"{STATUS_SHORT.get(row.status, '')}" for row in rows.itertuples()}
    periods = list(shown)
    first = periods.index(str(cell["period"])) if str(cell["period"]) in periods else 0
    return st.radio("Période", periods, index=first, format_func=shown.get, key=key,
                    horizontal=True)
