"""The avoided-costs tab of *Comparer les indicateurs*: editable unit costs and assumptions, the
summary over the chosen years, per innovation and per territory, with the sensitivity range and
the public costs avoided per euro invested."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.avoided_costs_view import (
    draw_avoided_cost_summary,
    draw_unit_costs,
    edit_assumptions,
    edit_unit_costs,
)
from components.charts import show_chart, wrap_label
from components.tables import show_table_with_download
from essaim.data.dataset import Dataset
from essaim.methods.avoided_costs import RATIO_NAME, SCENARIOS, unit_costs_from
from essaim.methods.avoided_costs_summary import avoided_costs_by, summarise_avoided_costs
from essaim.numbers.formatting import format_number

SOURCE = ("valeurs qui font foi (déclaration retenue quand des partenaires divergent), "
          "déclarations des partenaires ; coûts unitaires déclarés avec leurs sources")


def draw_avoided_costs(dataset: Dataset, counted: pd.DataFrame, essaimages: pd.DataFrame,
                       start: str, end: str, innovations: dict[str, str],
                       territory_names: pd.Series) -> None:
    """Avoided public costs of `essaimages` from `start` to `end` with editable unit costs and
    assumptions: the summary, per innovation and per territory."""
    declared = unit_costs_from(dataset.indicators)
    if not declared:
        st.info("Aucun indicateur du jeu de données n'a le rôle « coût évité » : déclarez-en un "
                "(coût unitaire, part concernée, durée, source) dans le modèle des indicateurs.",
                icon=":material/info:")
        return
    st.markdown("**Hypothèses** (modifiables ; chaque montant garde sa source)")
    unit_costs = edit_unit_costs(declared, "cmp_costs_editor")
    assumptions = edit_assumptions("cmp_costs")
    if unit_costs is None or assumptions is None:
        return
    summary = summarise_avoided_costs(dataset, counted, set(essaimages["code"]), assumptions,
                                      unit_costs, period=end, start=start)
    if pd.isna(summary.gross):
        st.info("Aucun résultat à valoriser pour ces années et ces innovations.",
                icon=":material/info:")
        return
    draw_avoided_cost_summary(summary, assumptions)
    window = (start, end)
    per_innovation = avoided_costs_by(dataset, counted, essaimages, window, assumptions,
                                      unit_costs, ["innovation_code"])
    names = per_innovation["innovation_code"].map(innovations)
    central = per_innovation["ratio_central"]
    fig = go.Figure(go.Bar(
        x=[wrap_label(n) for n in names], y=central,
        error_y={"type": "data", "symmetric": False,
                 "array": list((per_innovation["ratio_high"] - central).fillna(0)),
                 "arrayminus": list((central - per_innovation["ratio_low"]).fillna(0))},
        text=[format_number(v, 2) for v in central], textposition="outside",
        hovertemplate="%{x}<br>%{y:,.2f} € de coûts publics évités par euro investi"
                      "<extra></extra>"))
    fig.update_layout(title=wrap_label(f"{RATIO_NAME}, {summary.window} (trait : hypothèses basse "
                                       "et haute)", 40),
                      yaxis_title="€ évités par € investi", xaxis_title="Innovation")
    show_chart(fig, _costs_table(per_innovation.assign(innovation_code=names), "Innovation"),
               "couts_evites_innovations", "cmp_costs_innov", SOURCE)
    per_territory = avoided_costs_by(dataset, counted, essaimages, window, assumptions,
                                     unit_costs, ["territory_code", "innovation_code"])
    per_territory.insert(0, "Territoire", per_territory.pop("territory_code").map(territory_names))
    per_territory["innovation_code"] = per_territory["innovation_code"].map(innovations)
    st.markdown("**Par territoire**")
    show_table_with_download(_costs_table(per_territory, "Innovation"),
                             "couts_evites_territoires", key="cmp_costs_terr")
    draw_unit_costs(unit_costs)
    st.caption("Ordres de grandeur pour ouvrir la discussion, pas une évaluation certifiée ; "
               "« n.d. » : montant investi ou résultat non déclaré.")


def _costs_table(table: pd.DataFrame, innovation_heading: str) -> pd.DataFrame:
    columns = {"innovation_code": innovation_heading, "gross": "Coûts évités bruts (€)",
               "invested": "Montant investi, actualisé (€)",
               "projected_central": "Projection après la période, nette (€)"}
    for case, label in SCENARIOS.items():
        columns[f"net_{case}"] = f"Nets, hypothèse {label} (€)"
        columns[f"ratio_{case}"] = f"€ évités par € investi ({label})"
    return table.rename(columns=columns)
