"""The views of *Comparer les indicateurs*; each takes the scoped values and draws one chart with
its data table, or a helpful message when the selection leaves nothing to show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show_chart
from components.tables import show_table_with_download
from essaim.avoided_costs import DEFAULT_UNIT_COSTS, Adjustments, UnitCost, compute_avoided_costs, return_per_euro
from essaim.did import build_did_panel, estimate_did, trend_by_group
from essaim.disagreements import find_disagreements
from essaim.formatting import format_number, format_value
from essaim.geo import innovation_colours
from essaim.model import PARTNER_TYPES
from essaim.reference import REFERENCE_INDICATORS
from essaim.scoping import scale_for_radar

STANDARD = {True: "standard", False: "co-construit"}


def _nothing(message: str) -> None:
    st.info(message, icon=":material/info:")


def draw_heatmap(scoped: pd.DataFrame, by_type: bool) -> None:
    """Partner (or partner type) × indicator: mean normalised value, coloured within each indicator."""
    data = scoped.dropna(subset=["normalised"])
    if data.empty:
        _nothing("Aucune valeur pour cette sélection avec cette normalisation.")
        return
    rows = data["partner_type"].map(PARTNER_TYPES) if by_type else data["partner"]
    table = data.assign(row=rows).pivot_table(index="row", columns="label", values="normalised",
                                              aggfunc="mean")
    spread = (table.max() - table.min()).replace(0, np.nan)
    relative = (table - table.min()) / spread
    text = table.map(lambda v: format_number(v, 1))
    fig = go.Figure(go.Heatmap(
        z=relative.to_numpy(), x=list(table.columns), y=list(table.index), text=text.to_numpy(),
        texttemplate="%{text}", colorscale="YlGnBu", showscale=False,
        hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
    ))
    fig.update_layout(height=max(300, 40 * len(table) + 160),
                      title="Moyenne des valeurs déclarées (couleur relative à chaque indicateur)")
    show_chart(fig, table.reset_index().rename(columns={"row": "Partenaire"}), "heatmap", "cmp_heat")


def draw_grouped_bars(scoped: pd.DataFrame, indicator_label: str) -> None:
    """Median per innovation, bars grouped by period, for one indicator."""
    data = scoped[(scoped["label"] == indicator_label) & (scoped["innovation_code"] != "")]
    data = data.dropna(subset=["normalised"])
    if data.empty:
        _nothing("Pas de valeur pour cet indicateur dans la sélection.")
        return
    table = data.groupby(["innovation", "period"])["normalised"].median().reset_index()
    fig = go.Figure([
        go.Bar(name=period, x=list(group["innovation"]), y=list(group["normalised"]),
               hovertemplate="%{x}<br>" + period + " : %{y:,.1f}<extra></extra>")
        for period, group in table.groupby("period")
    ])
    fig.update_layout(barmode="group", title=f"{indicator_label} — médiane des territoires",
                      yaxis_title="valeur (normalisée)")
    show_chart(fig, table.rename(columns={"innovation": "Innovation", "period": "Période",
                                          "normalised": "Médiane"}), "barres", "cmp_bars")


def draw_radar(scoped: pd.DataFrame, by: str) -> None:
    """One outline per innovation or partner type over the chosen indicators, scaled 0–100."""
    data = scoped.dropna(subset=["normalised"])
    data = data[data["innovation_code"] != ""] if by == "innovation" else data
    column = "innovation" if by == "innovation" else "partner_type"
    if data["label"].nunique() < 3:
        _nothing("Le radar a besoin d'au moins trois indicateurs renseignés : ajoutez-en.")
        return
    table = data.pivot_table(index=column, columns="label", values="normalised", aggfunc="median")
    if by != "innovation":
        table.index = table.index.map(PARTNER_TYPES)
    directions = dict(zip(data["label"], data["direction"]))
    scaled = scale_for_radar(table, directions)
    axes = list(scaled.columns)
    fig = go.Figure([
        go.Scatterpolar(r=list(row.fillna(0)) + [row.fillna(0).iloc[0]], theta=axes + axes[:1],
                        name=str(name), fill="toself", opacity=0.6)
        for name, row in scaled.iterrows()
    ])
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}}, height=520,
                      title="Position relative (100 = meilleure valeur de la sélection)")
    show_chart(fig, table.reset_index(), "radar", "cmp_radar")


def draw_scatter(scoped: pd.DataFrame, indicator_label: str, reference_code: str,
                 departements: pd.DataFrame, territories: pd.DataFrame,
                 innovation_codes: list[str]) -> None:
    """An outcome against a département statistic, one point per essaimage."""
    reference = REFERENCE_INDICATORS[reference_code]
    data = scoped[(scoped["label"] == indicator_label) & (scoped["innovation_code"] != "")]
    data = data.dropna(subset=["normalised"])
    if data.empty:
        _nothing("Pas de valeur pour cet indicateur dans la sélection.")
        return
    latest = data.sort_values("period").groupby("essaimage_code").tail(1)
    departement = latest["territory_code"].map(territories.set_index("code")["code_departement"])
    latest = latest.assign(reference=departement.map(
        departements.set_index("code_departement")[reference.column]))
    colours = innovation_colours(innovation_codes)
    fig = go.Figure([
        go.Scatter(x=group["reference"], y=group["normalised"], mode="markers", name=name,
                   text=group["territory"], marker={"size": 11, "color": colours.get(code),
                                                    "line": {"width": 1, "color": "#111"}},
                   hovertemplate="%{text}<br>" + reference.label + " : %{x:,.1f} %<br>"
                   + indicator_label + " : %{y:,.1f}<extra></extra>")
        for (code, name), group in latest.groupby(["innovation_code", "innovation"])
    ])
    fig.update_layout(xaxis_title=f"{reference.label} (%) — {reference.source}, {reference.vintage}",
                      yaxis_title=indicator_label, height=480)
    show_chart(fig, latest[["territory", "innovation", "period", "value", "normalised", "reference"]]
               .rename(columns={"territory": "Territoire", "innovation": "Innovation",
                                "period": "Période", "value": "Valeur brute",
                                "normalised": "Valeur normalisée",
                                "reference": reference.label}), "nuage", "cmp_scatter")
    st.caption("Chaque point est un essaimage (dernière période disponible). Une corrélation n'est "
               "pas un effet : le contexte départemental décrit tout le département.")


def draw_disagreements(scoped: pd.DataFrame) -> None:
    """Cases where two partners report different values, the widest gaps first."""
    found = find_disagreements(scoped)
    if found.empty:
        st.success("Aucun désaccord entre partenaires dans cette sélection.")
        return
    labels = scoped.drop_duplicates("indicator_code").set_index("indicator_code")
    names = scoped.drop_duplicates("partner_code").set_index("partner_code")["partner"]
    territories = scoped.drop_duplicates("territory_code").set_index("territory_code")["territory"]
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
    })
    st.warning(f"{len(found)} désaccord(s) entre partenaires : mêmes indicateur, territoire et "
               "période, valeurs différentes. Les deux déclarations sont conservées.",
               icon=":material/compare_arrows:")
    cases = table["Territoire"] + " · " + table["Indicateur"] + " · " + table["Période"]
    fig = go.Figure([
        go.Scatter(x=table["Valeur basse"], y=cases, mode="markers", name="Déclaration basse",
                   marker={"size": 12, "symbol": "circle"}),
        go.Scatter(x=table["Valeur haute"], y=cases, mode="markers", name="Déclaration haute",
                   marker={"size": 12, "symbol": "diamond"}),
    ])
    for low, high, case in zip(table["Valeur basse"], table["Valeur haute"], cases):
        fig.add_shape(type="line", x0=low, x1=high, y0=case, y1=case,
                      line={"color": "#999", "width": 2}, layer="below")
    fig.update_layout(height=max(300, 34 * len(table) + 120), title="Écarts entre déclarations")
    show_chart(fig, table, "desaccords", "cmp_disagree")


def draw_did(values: pd.DataFrame, outcome_code: str, innovation_code: str, start_period: str,
             essaimages: pd.DataFrame, indicator_label: str) -> None:
    """The estimate with its 95 % interval, the parallel-trends chart, and the caveats."""
    territory_values = values[(values["indicator_code"] == outcome_code)
                              & values["essaimage_code"].isna()]
    if territory_values.empty:
        _nothing("Cet indicateur n'est pas mesuré sur l'ensemble des territoires : choisissez un "
                 "indicateur territorial (par exemple les demandeurs d'emploi de longue durée).")
        return
    treated = set(essaimages.loc[(essaimages["innovation_code"] == innovation_code)
                                 & essaimages["date_etape_iii"].notna(), "territory_code"])
    panel = build_did_panel(territory_values, treated, start_period)
    try:
        result = estimate_did(panel)
    except ValueError as error:
        _nothing(f"Estimation impossible : {error}")
        return
    columns = st.columns(3)
    columns[0].metric("Effet estimé (doubles différences)", format_number(result.estimate, 2))
    columns[1].metric("Intervalle de confiance à 95 %",
                      f"{format_number(result.ci_low, 2)} ; {format_number(result.ci_high, 2)}")
    columns[2].metric("Territoires traités / de comparaison",
                      f"{result.n_treated} / {result.n_control}")
    trend = trend_by_group(panel)
    fig = go.Figure([
        go.Scatter(x=[int(p) for p in group["period"]], y=list(group["y"]), mode="lines+markers",
                   name=name, hovertemplate="%{x} : %{y:,.1f}<extra>" + name + "</extra>")
        for name, group in trend.groupby("group")
    ])
    fig.add_vline(x=int(start_period) - 0.5, line_dash="dash", line_color="#555",
                  annotation_text="après", annotation_position="top right")
    fig.update_layout(title=f"{indicator_label} : tendances des deux groupes",
                      yaxis_title=indicator_label, xaxis={"dtick": 1, "tickformat": "d"})
    show_chart(fig, trend[["period", "group", "y"]].rename(
        columns={"period": "Période", "group": "Groupe", "y": "Moyenne"}), "doubles_differences",
        "cmp_did")
    st.caption(
        f"Lecture : entre avant et après {start_period}, l'écart entre les territoires qui portent "
        f"l'innovation et les autres a varié de {format_number(result.estimate, 2)} "
        f"(de {format_number(result.ci_low, 2)} à {format_number(result.ci_high, 2)} avec 95 % de "
        "confiance ; erreurs-types regroupées par territoire). **Une méthode parmi d'autres** : "
        "elle suppose que les deux groupes auraient évolué en parallèle sans l'innovation (à "
        "vérifier sur le graphique avant la ligne pointillée), les territoires de comparaison "
        "portent d'autres innovations, et les effectifs sont petits. À croiser avec les méthodes "
        "qualitatives et le regard des acteurs.")


def edit_unit_costs(key: str) -> list[UnitCost]:
    """An editable table of the unit costs, starting from the documented defaults."""
    frame = pd.DataFrame([{"Coût évité": c.label, "Indicateur": c.indicator_code,
                           "Part concernée (%)": 100 * c.share, "Montant (€)": c.euros,
                           "Source": c.source, "code": c.code} for c in DEFAULT_UNIT_COSTS])
    edited = st.data_editor(
        frame, hide_index=True, key=key, disabled=["Indicateur", "code"],
        column_order=["Coût évité", "Part concernée (%)", "Montant (€)", "Source"],
        column_config={
            "Part concernée (%)": st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
            "Montant (€)": st.column_config.NumberColumn(min_value=0, step=100),
        },
    )
    return [UnitCost(row["code"], row["Coût évité"], row["Indicateur"],
                     float(row["Part concernée (%)"] or 0) / 100, float(row["Montant (€)"] or 0),
                     row["Source"] or "") for row in edited.to_dict("records")]


def edit_adjustments(key: str) -> Adjustments:
    """Deadweight, attribution, drop-off and duration, as percentages and years."""
    columns = st.columns(4)
    return Adjustments(
        deadweight=columns[0].number_input("Poids mort (%)", 0, 100, 20, key=f"{key}_dw",
                                           help="Ce qui serait arrivé sans l'innovation.") / 100,
        attribution=columns[1].number_input("Attribution à d'autres (%)", 0, 100, 25,
                                            key=f"{key}_attr",
                                            help="La part due à d'autres acteurs.") / 100,
        drop_off=columns[2].number_input("Érosion annuelle (%)", 0, 100, 30, key=f"{key}_drop",
                                         help="La baisse de l'effet chaque année.") / 100,
        duration_years=columns[3].number_input("Durée de l'effet (années)", 1, 10, 2,
                                               key=f"{key}_years"),
    )


def draw_avoided_costs(values: pd.DataFrame, period: str, innovations: dict[str, str],
                       territory_names: pd.Series) -> None:
    """Avoided costs with editable unit costs and adjustments: per innovation and per territory,
    and per euro invested."""
    st.markdown("**Hypothèses** (modifiables ; chaque montant garde sa source)")
    unit_costs = edit_unit_costs("cmp_costs_editor")
    adjustments = edit_adjustments("cmp_costs")
    scoped = values[(values["period"] == period) & values["essaimage_code"].notna()]
    try:
        avoided = compute_avoided_costs(scoped, unit_costs, adjustments)
    except ValueError as error:
        st.error(str(error))
        return
    if avoided.empty:
        _nothing("Aucun résultat à valoriser pour cette période et ces innovations.")
        return
    budgets = scoped[scoped["indicator_code"] == "budget"]
    essaimage_innovation = scoped.drop_duplicates("essaimage_code").set_index("essaimage_code")[
        "innovation_code"]
    avoided["innovation_code"] = avoided["essaimage_code"].map(essaimage_innovation)
    per_innovation = return_per_euro(avoided, budgets, ["innovation_code"])
    per_innovation["innovation_code"] = per_innovation["innovation_code"].map(innovations)
    fig = go.Figure(go.Bar(x=per_innovation["innovation_code"], y=per_innovation["per_euro"],
                           text=[format_number(v, 2) for v in per_innovation["per_euro"]],
                           hovertemplate="%{x}<br>%{y:,.2f} € évités par euro investi<extra></extra>"))
    fig.update_layout(title=f"Coûts évités nets par euro investi, {period}", yaxis_title="€ par € investi")
    show_chart(fig, per_innovation.rename(columns={
        "innovation_code": "Innovation", "net": "Coûts évités nets (€)", "budget": "Budget (€)",
        "per_euro": "€ évités par € investi"}), "couts_evites_innovations", "cmp_costs_innov")
    per_territory = return_per_euro(avoided, budgets, ["territory_code", "innovation_code"])
    per_territory.insert(0, "Territoire", per_territory.pop("territory_code").map(territory_names))
    per_territory["innovation_code"] = per_territory["innovation_code"].map(innovations)
    st.markdown("**Par territoire**")
    show_table_with_download(per_territory.rename(columns={
        "innovation_code": "Innovation", "net": "Coûts évités nets (€)", "budget": "Budget (€)",
        "per_euro": "€ évités par € investi"}), "couts_evites_territoires", key="cmp_costs_terr")
    st.caption(f"Net = brut × (1 − poids mort) × (1 − attribution), cumulé sur "
               f"{adjustments.duration_years} an(s) avec l'érosion : chaque euro brut compte pour "
               f"{format_value(adjustments.net_factor(), 'score')} €. Ordres de grandeur pour "
               "ouvrir la discussion, pas une évaluation.")
