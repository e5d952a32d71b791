"""The views of *Comparer les indicateurs*; each takes the scoped values and draws one chart with
its source and data table, or a French message saying why there is nothing to show.

`scoped` holds every partner's report (essaim.figures.scoping.enrich_values) with a `normalised` column
and a `counts` flag: views about partners use every report, views that aggregate territories use
only the reports that count (essaim.figures.counted), so a disagreement is never counted twice.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show_chart, wrap_label
from components.disagreements_view import REPORTS_SOURCE
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.explorer.geo import innovation_colours, text_colour_on
from essaim.figures.compare_tables import (
    BAR_GROUPINGS,
    bars_table,
    heatmap_rules,
    heatmap_table,
    radar_table,
    scatter_table,
)
from essaim.figures.normalise import NORMALISED_UNITS
from essaim.figures.scoping import scale_for_radar
from essaim.numbers.formatting import format_number

COUNTED_SOURCE = ("valeurs qui font foi (déclaration retenue quand des partenaires divergent), "
                  "déclarations des partenaires")


def _nothing(message: str) -> None:
    st.info(message, icon=":material/info:")


def value_title(label: str, unit: str, method: str) -> str:
    """What a value axis shows, in words: "Sorties vers l'emploi (personnes)" for raw values,
    "Sorties vers l'emploi, pour 100 bénéficiaires" once normalised."""
    if method == "brut":
        return f"{label} ({unit})" if isinstance(unit, str) and unit else label
    return f"{label}, {NORMALISED_UNITS[method]}"


def _unit_of(scoped: pd.DataFrame, label: str) -> str:
    units = scoped.loc[scoped["label"] == label, "unit"].dropna()
    return str(units.iloc[0]) if len(units) else ""


def draw_heatmap(scoped: pd.DataFrame, by_type: bool, method: str) -> None:
    """Partner (or partner type) × indicator: each cell summarised by the indicator's rule
    (essaim.figures.compare_tables), coloured within each indicator (every partner's own report).
    A cell without a value says « n.d. »; nothing at all gives a French message."""
    table = heatmap_table(scoped, by_type, method)
    if table.empty:
        _nothing("Rien à afficher : aucune valeur de la sélection ne se prête à cette "
                 "normalisation (un taux ne se rapporte ni aux bénéficiaires ni aux habitants, et "
                 "seuls les indicateurs dotés d'une statistique de référence ont un écart), ou "
                 "aucun partenaire n'a déclaré ces indicateurs pour ces périodes. Choisissez "
                 "« Valeurs brutes », d'autres indicateurs ou d'autres périodes.")
        return
    spread = (table.max() - table.min()).replace(0, np.nan)
    relative = ((table - table.min()) / spread).where(table.notna())
    relative = relative.where(relative.notna() | table.isna(), 0.5)  # one value: mid colour
    text = table.map(lambda v: format_number(v, 1) if pd.notna(v) else "n.d.")
    columns = [wrap_label(c, 14) for c in table.columns]
    missing = table.isna()
    fig = go.Figure([
        go.Heatmap(z=relative.to_numpy(), x=columns, y=[wrap_label(r, 22) for r in table.index],
                   text=text.to_numpy(), texttemplate="%{text}", colorscale="YlGnBu", zmin=0,
                   zmax=1, hoverongaps=False, xgap=2, ygap=2,
                   # The colour scale, under the grid: colours compare partners within one
                   # indicator (a column), not across indicators.
                   colorbar={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.04,
                             "yanchor": "top", "len": 1, "thickness": 14,
                             "title": {"text": "Couleur : rang de la case<br>dans son indicateur",
                                       "side": "top"},
                             "tickvals": [0.1, 0.5, 0.9],
                             "ticktext": ["plus bas", "milieu", "plus haut"]},
                   hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>"),
        # Cells without a value: grey, saying « n.d. », never an empty box.
        go.Heatmap(z=missing.astype(float).where(missing).to_numpy(), x=columns,
                   y=[wrap_label(r, 22) for r in table.index],
                   text=missing.map(lambda m: "n.d." if m else "").to_numpy(),
                   texttemplate="%{text}", colorscale=[[0, "#e6e6e6"], [1, "#e6e6e6"]],
                   showscale=False, hoverinfo="skip", xgap=2, ygap=2),
    ])
    what = "valeurs déclarées" if method == "brut" else NORMALISED_UNITS[method]
    rule = heatmap_rules(scoped, method)
    fig.update_layout(height=max(360, 48 * len(table) + 260),
                      title=f"Par {'type de partenaire' if by_type else 'partenaire'} : {rule} "
                            f"({what}) — couleur relative à chaque indicateur",
                      # Indicator names on top, like a table's header (turned only when they
                      # would collide, on a phone); the colour scale below.
                      xaxis={"side": "top"}, yaxis={"autorange": "reversed"})
    show_chart(fig, table.rename_axis("Type de partenaire" if by_type else "Partenaire")
               .reset_index(),
               "heatmap", "cmp_heat", REPORTS_SOURCE)
    st.caption("Case grise « n.d. » : le partenaire n'a pas déclaré cet indicateur dans la sélection.")


def draw_grouped_bars(scoped: pd.DataFrame, indicator_label: str, by: str, method: str) -> None:
    """One indicator, bars grouped by period: per innovation the territories' values that count,
    per partner (or type) its own reports, each group summarised by the indicator's rule."""
    table, word = bars_table(scoped, indicator_label, by, method)
    name = BAR_GROUPINGS[by]
    column = "group"
    if table.empty:
        _nothing("Pas de valeur pour cet indicateur dans la sélection.")
        return
    categories = sorted(table[column].unique(), key=str)
    horizontal = len(categories) > 6  # many partners: bars across, names readable on the left
    bars = []
    for period, group in table.groupby("period"):
        labels = [wrap_label(v, 40 if horizontal else 16) for v in group[column]]
        values = list(group["value"])
        bars.append(go.Bar(name=str(period), x=values if horizontal else labels,
                           y=labels if horizontal else values,
                           orientation="h" if horizontal else "v",
                           hovertemplate=("%{y}" if horizontal else "%{x}") + "<br>" + str(period)
                           + " : " + ("%{x:,.1f}" if horizontal else "%{y:,.1f}") + "<extra></extra>"))
    fig = go.Figure(bars)
    what = f"{word} des territoires" if by == "innovation" else f"{word} des déclarations"
    value_axis = value_title(indicator_label, _unit_of(scoped, indicator_label), method)
    fig.update_layout(barmode="group", title=f"{indicator_label} — {what}, par {name.lower()}",
                      legend_title_text="Période")
    if horizontal:
        order = [wrap_label(v, 40) for v in categories]
        fig.update_layout(xaxis_title=value_axis, yaxis_title=name,
                          height=max(420, 26 * len(categories) * max(table["period"].nunique(), 1)
                                     + 200),
                          yaxis={"categoryorder": "array", "categoryarray": order[::-1]})
    else:
        fig.update_layout(yaxis_title=value_axis, xaxis_title=name,
                          xaxis={"categoryorder": "array",
                                 "categoryarray": [wrap_label(v, 16) for v in categories]})
    show_chart(fig, table.rename(columns={column: name, "period": "Période",
                                          "value": f"{what.capitalize()} ({value_axis})"}),
               "barres", "cmp_bars", COUNTED_SOURCE if by == "innovation" else REPORTS_SOURCE)


def draw_radar(scoped: pd.DataFrame, by: str, method: str) -> None:
    """One outline per innovation or partner type over the chosen indicators, scaled 0–100."""
    table = radar_table(scoped, by, method)
    if table.shape[1] < 3:
        _nothing("Le radar a besoin d'au moins trois indicateurs renseignés : ajoutez-en.")
        return
    data = scoped.dropna(subset=["normalised"])
    directions = dict(zip(data["label"], data["direction"]))
    scaled = scale_for_radar(table, directions)
    axes = [wrap_label(a, 14) for a in scaled.columns]
    fig = go.Figure([
        go.Scatterpolar(r=list(row.fillna(0)) + [row.fillna(0).iloc[0]], theta=axes + axes[:1],
                        name=str(name), fill="toself", opacity=0.6)
        for name, row in scaled.iterrows()])
    fig.update_layout(polar={"radialaxis": {"range": [0, 100]}}, height=580,
                      title="Position relative de chaque "
                            f"{'innovation' if by == 'innovation' else 'type de partenaire'} "
                            "(100 = meilleure valeur de la sélection)")
    show_chart(fig, table.rename_axis("Innovation" if by == "innovation" else
                                      "Type de partenaire").reset_index(), "radar", "cmp_radar",
               COUNTED_SOURCE if by == "innovation" else REPORTS_SOURCE)


def draw_scatter(scoped: pd.DataFrame, indicator_label: str, reference_code: str,
                 departements: pd.DataFrame, territories: pd.DataFrame,
                 innovation_codes: list[str], method: str) -> None:
    """An outcome against a département statistic, one point per essaimage (latest value that
    counts)."""
    reference = REFERENCE_INDICATORS[reference_code]
    latest = scatter_table(scoped, indicator_label, reference.column, departements, territories)
    if latest.empty:
        _nothing("Pas de valeur pour cet indicateur dans la sélection.")
        return
    colours = innovation_colours(innovation_codes)
    # Each point carries a number, and the list under the chart names it: readable on a phone
    # and on a projector, where names beside 30 points would cover each other.
    latest = latest.sort_values("territory").reset_index(drop=True)
    latest["number"] = [str(i + 1) for i in range(len(latest))]
    fig = go.Figure([
        go.Scatter(x=group["reference"], y=group["normalised"], mode="markers+text", name=name,
                   text=group["number"], customdata=group["territory"],
                   textfont={"color": text_colour_on(colours.get(code, "#000000")), "size": 11},
                   marker={"size": 22, "color": colours.get(code),
                           "line": {"width": 1, "color": "#111"}},
                   hovertemplate="%{text}. %{customdata}<br>" + reference.label
                   + " : %{x:,.1f} %<br>" + indicator_label + " : %{y:,.1f}<extra></extra>")
        for (code, name), group in latest.groupby(["innovation_code", "innovation"])])
    value_axis = value_title(indicator_label, _unit_of(scoped, indicator_label), method)
    fig.update_layout(xaxis_title=f"{reference.label} du département (%)",
                      yaxis_title=value_axis, height=520,
                      title=f"{indicator_label} face à : {reference.label} du département")
    columns = {"territory": "Territoire", "innovation": "Innovation", "period": "Période",
               "value": value_title(indicator_label, _unit_of(scoped, indicator_label), "brut"),
               "normalised": value_axis, "reference": f"{reference.label} (%)"}
    shown = ["territory", "innovation", "period", "value", "reference"] if method == "brut" else \
        ["territory", "innovation", "period", "value", "normalised", "reference"]
    show_chart(fig, latest[shown].rename(columns=columns),
               "nuage", "cmp_scatter",
               f"{COUNTED_SOURCE} ; {reference.source}, {reference.vintage}")
    _name_points(latest, value_axis, reference.label)
    st.caption("Chaque point est un essaimage (dernière période disponible). Une corrélation n'est "
               "pas un effet : le contexte départemental décrit tout le département.")


def _name_points(latest: pd.DataFrame, value_axis: str, reference_label: str) -> None:
    """The numbered points of the scatter, named: « 3. Grenoble (TAPAJ) : 12,0 ; 8,1 % »."""
    def shown(value) -> str:
        whole = not pd.isna(value) and float(value).is_integer()
        return format_number(value, 0 if whole else 1)

    items = "".join(
        f'<li value="{row.number}" style="break-inside: avoid">'
        f"{html.escape(str(row.territory))} ({html.escape(str(row.innovation))})"
        f" : {shown(row.normalised)} ; {format_number(row.reference, 1)} %</li>"
        for row in latest.itertuples())
    st.html(f'<div class="essaim-points"><p><b>Les points</b> ({html.escape(value_axis)} ; '
            f'{html.escape(reference_label)})</p><ol style="columns: 17rem; column-gap: 3.5rem; '
            f'margin: 0; padding-left: 2.4rem; line-height: 1.5">{items}</ol></div>')
