"""Disagreements between partners, on Comparer and in a territory's portrait: the cases where
reports of one figure are further apart than the indicator's tolerance, and which one counts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show_chart, wrap_label
from essaim.figures.counted import STATUS_LABELS
from essaim.figures.disagreements import find_disagreements
from essaim.figures.scoping import reports_only
from essaim.numbers.formatting import plural

STANDARD = {True: "standard", False: "co-construit"}
REPORTS_SOURCE = "déclarations des partenaires (Essaim)"


def draw_disagreements(scoped: pd.DataFrame, tolerances: dict[str, float],
                       key: str = "cmp_disagree", where: str = "dans cette sélection") -> None:
    """Cases where partners report values further apart than the indicator's tolerance, the
    widest gaps first, with which report counts (`where` completes the French sentences).
    Settled cells' synthetic rows are not reports: they are left out."""
    scoped = reports_only(scoped)
    found = find_disagreements(scoped, tolerances)
    if found.empty:
        st.success(f"Aucun désaccord entre partenaires {where}.")
        return
    labels = scoped.drop_duplicates("indicator_code").set_index("indicator_code")
    names = scoped.drop_duplicates("partner_code").set_index("partner_code")["partner"]
    territories = scoped.drop_duplicates("territory_code").set_index("territory_code")["territory"]
    status = scoped.drop_duplicates(["indicator_code", "territory_code", "period",
                                     "essaimage_code"]).set_index(
        ["indicator_code", "territory_code", "period"])["status"]
    table = pd.DataFrame({
        "Indicateur": found["indicator_code"].map(labels["label"]),
        "Type": found["indicator_code"].map(labels["standard"]).map(STANDARD),
        "Territoire": found["territory_code"].map(territories),
        "Période": found["period"],
        "Déclaration basse": found["low_partner"].map(names),
        "Valeur basse": found["low_value"],
        "Déclaration haute": found["high_partner"].map(names),
        "Valeur haute": found["high_value"],
        "Écart": found["gap"],
        "Écart relatif (%)": (100 * found["relative_gap"]).round(1),
        "Ce qui compte": [STATUS_LABELS.get(status.get((i, t, p)), "")
                          for i, t, p in zip(found["indicator_code"], found["territory_code"],
                                             found["period"])],
    })
    st.warning(f"{plural(len(found), 'désaccord')} entre partenaires : mêmes indicateur, "
               "territoire et période, valeurs plus éloignées que la tolérance de l'indicateur. "
               "Toutes les déclarations sont conservées ; la colonne « Ce qui compte » dit "
               "laquelle fait foi.", icon=":material/compare_arrows:")
    cases = [wrap_label(f"{t} · {i} · {p}", 40) for t, i, p in
             zip(table["Territoire"], table["Indicateur"], table["Période"])]
    fig = go.Figure([
        go.Scatter(x=table["Valeur basse"], y=cases, mode="markers", name="Déclaration basse",
                   marker={"size": 12, "symbol": "circle"}),
        go.Scatter(x=table["Valeur haute"], y=cases, mode="markers", name="Déclaration haute",
                   marker={"size": 12, "symbol": "diamond"}),
    ])
    for low, high, case in zip(table["Valeur basse"], table["Valeur haute"], cases):
        fig.add_shape(type="line", x0=low, x1=high, y0=case, y1=case,
                      line={"color": "#999", "width": 2}, layer="below")
    fig.update_layout(height=max(320, 44 * len(table) + 140), title="Écarts entre déclarations",
                      xaxis_title="Valeur déclarée")
    show_chart(fig, table, "desaccords", key, REPORTS_SOURCE)
