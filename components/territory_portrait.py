"""The blocks of a territory's portrait; each says in plain words how to read it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.avoided_costs_view import draw_avoided_cost_summary, draw_unit_costs
from components.charts import show_chart, show_small_charts
from components.disagreements_view import draw_disagreements
from components.provenance_view import draw_provenance_picker
from components.tables import show_table_with_download
from essaim.data.dataset import Dataset
from essaim.data.model import FAMILIES, INDIRECT_IMPACTS_FAMILY, PARTNER_TYPES, STAGES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.data.roles import indicators_with_role
from essaim.explorer.geo import innovation_colours
from essaim.figures.comparison import key_indicator_series, reference_comparison
from essaim.figures.counted import STATUS_SHORT
from essaim.figures.disagreements import indicator_tolerances
from essaim.methods.avoided_costs import Assumptions, unit_costs_from
from essaim.methods.avoided_costs_summary import summarise_avoided_costs
from essaim.numbers.formatting import escape_markdown, format_change, format_percent, format_value

_STAGE_COLUMNS = {"0": "date_etape_0", "I": "date_etape_i", "II": "date_etape_ii",
                  "III": "date_etape_iii", "IV": "date_etape_iv"}


def change_style(change: float | None, direction: str) -> tuple[str, str]:
    """Arrow and colour of a change shown by st.metric: the arrow follows the sign, the colour
    says whether it is good news for the indicator's direction. The change is written with a
    French minus sign (−), which Streamlit would not read as negative by itself."""
    if change is None or pd.isna(change) or change == 0:
        return "off", "gray"
    good = (change > 0) == (direction == "up")
    return ("up" if change > 0 else "down"), ("green" if good else "red")


def _how_to_read(text: str) -> None:
    with st.expander("Comment lire ces chiffres"):
        st.markdown(text)


def draw_who_and_what(dataset: Dataset, code: str) -> None:
    """The territory's innovations and relays, and the partners with their roles."""
    mine = dataset.essaimage_table()
    mine = mine[mine["territory_code"] == code]
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"].isin(mine["code"])]
    roles = roles.merge(dataset.partners, left_on="partner_code", right_on="code")
    st.subheader("Qui fait quoi")
    for e in mine.itertuples():
        st.markdown(f"**{escape_markdown(e.innovation)}** — {e.stage_label} — mis en œuvre par "
                    f"{escape_markdown(e.relay)}")
    table = roles.merge(mine[["code", "innovation"]], left_on="essaimage_code", right_on="code")
    show_table_with_download(
        pd.DataFrame({"Innovation": table["innovation"], "Partenaire": table["name"],
                      "Type": table["type"].map(PARTNER_TYPES), "Rôle": table["role"]}),
        f"partenaires_{code}", key="portrait_partners",
    )
    _how_to_read("Chaque innovation est mise en œuvre par une structure relais, formée par le "
                 "porteur de l'innovation. Le tableau liste les partenaires de chaque essaimage et "
                 "leur rôle : financeurs, prescripteurs, employeurs, réseaux d'appui, évaluateurs.")


def draw_roadmap_timeline(dataset: Dataset, code: str) -> None:
    """Each essaimage's roadmap stages as bars on a time axis (Étape 0 → IV), with the dates."""
    st.subheader("Feuille de route")
    mine = dataset.essaimage_table()
    mine = mine[mine["territory_code"] == code]
    rows = []
    for e in mine.itertuples():
        reached = [(stage, getattr(e, column)) for stage, column in _STAGE_COLUMNS.items()
                   if pd.notna(getattr(e, column))]
        for index, (stage, start) in enumerate(reached):
            end = reached[index + 1][1] if index + 1 < len(reached) else dt.date.today()
            rows.append({"Innovation": e.innovation, "Étape": STAGES[stage], "Début": start,
                         "Fin": end, "En cours": index + 1 == len(reached)})
    table = pd.DataFrame(rows)
    fig = go.Figure([
        go.Bar(base=[pd.Timestamp(d) for d in group["Début"]],
               x=[(pd.Timestamp(f) - pd.Timestamp(d)).total_seconds() * 1000
                  for d, f in zip(group["Début"], group["Fin"])],
               y=group["Innovation"], orientation="h", name=stage,
               hovertemplate=stage + "<br>depuis le %{base|%d/%m/%Y}<extra></extra>")
        for stage, group in table.groupby("Étape", sort=False)
    ])
    fig.update_layout(barmode="stack", xaxis={"type": "date", "tickformat": "%Y"},
                      height=160 + 50 * len(mine), title="Étapes atteintes, de l'identification à "
                      "l'évaluation")
    show_chart(fig, table.drop(columns=["En cours"]), f"feuille_de_route_{code}", "portrait_roadmap",
               "dates des étapes déclarées pour chaque essaimage (table des essaimages)")
    _how_to_read("Chaque barre est une innovation essaimée dans le territoire ; chaque couleur, une "
                 "étape de la feuille de route de l'accélérateur, depuis la date où elle a commencé. "
                 "La dernière étape court jusqu'à aujourd'hui.")


def draw_key_indicators(dataset: Dataset, counted: pd.DataFrame, compared: pd.DataFrame,
                        code: str) -> None:
    """Latest value of each indicator beside the previous period and the other territories
    (`compared`: essaim.figures.comparison.compare_with_peers for the territory)."""
    st.subheader("Indicateurs et points de comparaison")
    if compared.empty:
        st.info("Aucun indicateur n'est encore renseigné pour ce territoire : les essaimages "
                "n'ont pas atteint l'étape III.")
        return
    definitions = dataset.indicators.set_index("code")
    innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    families = [f for f in FAMILIES if f in set(compared["indicator_code"].map(definitions["family"]))]
    family = st.segmented_control("Famille d'indicateurs", families, format_func=FAMILIES.get,
                                  default=families[0], key="portrait_family") or families[0]
    compared = compared[compared["indicator_code"].map(definitions["family"]) == family]
    units = compared["indicator_code"].map(definitions["unit"])
    measures = compared["indicator_code"].map(definitions["measure"])

    def fmt(column: str) -> list[str]:
        return [format_value(v, u, m) for v, u, m in zip(compared[column], units, measures)]

    # The status stands beside the value, in the first columns: no scrolling to know whether a
    # figure is agreed, disputed or from a single source.
    table = pd.DataFrame({
        "Indicateur": compared["indicator_code"].map(definitions["label"]),
        "Valeur": fmt("value"),
        "Statut": compared["status"].map(STATUS_SHORT),
        "Période": compared["period"],
        "Innovation": compared["innovation_code"].map(innovations),
        "Périodes précédentes discutées": compared["earlier_statuses"].replace("", "—"),
        "Évolution sur un an": [format_change(v - p, u, m) for v, p, u, m in
                                zip(compared["value"], compared["previous"], units, measures)],
        "Médiane des autres territoires": fmt("peer_median"),
        "Minimum": fmt("peer_min"),
        "Maximum": fmt("peer_max"),
        "Type": compared["indicator_code"].map(definitions["standard"]).map(
            {True: "standard", False: "co-construit"}),
        "Source": compared["source"],
    })
    show_table_with_download(table, f"indicateurs_{code}", key="portrait_indicators")
    cells = compared.assign(territory_code=code, text=[
        f"{label} · {innovation} · {period} : {value} ({STATUS_SHORT.get(status, '')})"
        for label, innovation, period, value, status in zip(
            table["Indicateur"], table["Innovation"], table["Période"], table["Valeur"],
            compared["status"])])
    draw_provenance_picker(dataset, counted, cells, key="portrait_provenance")
    _how_to_read("La **valeur** est celle qui fait foi : la déclaration de la structure relais "
                 "(ou du partenaire désigné pour l'indicateur) quand plusieurs partenaires "
                 "divergent ; « n.d. » si le désaccord n'est pas tranché. Elle se lit d'abord par "
                 "rapport à la **période précédente** (l'évolution d'un taux est en points), "
                 "puis à la **médiane des autres territoires** qui portent la même innovation, "
                 "avec l'étendue (minimum – maximum). « n.d. » : non disponible.")


def draw_reference_comparison(dataset: Dataset, code: str, reference: pd.DataFrame) -> None:
    """The département's public statistics beside its region's and France's, with source and
    vintage."""
    st.subheader("Le contexte : département, région, France")
    territory = dataset.territories.set_index("code").loc[code]
    compared = reference_comparison(reference.reset_index(), territory["code_departement"],
                                    REFERENCE_INDICATORS.values())
    region = reference.loc[territory["code_departement"], "nom_region"]
    table = pd.DataFrame({
        "Indicateur": compared["label"],
        f"Département ({reference.loc[territory['code_departement'], 'nom_departement']})":
            compared["departement"].map(format_percent),
        f"Région ({region}, calcul Essaim)": compared["region"].map(format_percent),
        "France (calcul Essaim)": compared["france"].map(format_percent),
        "Source": compared["source"],
        "Millésime": compared["vintage"],
    })
    show_table_with_download(table, f"contexte_{code}", key="portrait_reference")
    _how_to_read("Ces statistiques publiques décrivent le département, pas le seul territoire de "
                 "l'essaimage. Les colonnes région et France sont des moyennes des départements "
                 "pondérées par leur population (calcul Essaim). « n.d. » : la statistique n'est "
                 "pas publiée pour ce département.")


def draw_key_indicator_series(dataset: Dataset, counted: pd.DataFrame, code: str) -> None:
    """A small time series per key indicator: the territory's value that counts, period by
    period, beside the median of the other territories running the same innovation."""
    st.subheader("Évolution des indicateurs clés")
    indicators = indicators_with_role(dataset.indicators, "key_figure")
    series = key_indicator_series(dataset, counted, code, indicators)
    if series.empty:
        st.info("Pas encore de série pour les indicateurs clés de ce territoire (aucune valeur "
                "déclarée, ou essaimage avant l'étape III).")
        return
    definitions = dataset.indicators.set_index("code")
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    colours = innovation_colours(list(dataset.innovations["code"]))
    series = series.assign(status=_period_statuses(dataset, counted, code, series))
    shown = [c for c in indicators if c in set(series["indicator_code"])]
    charts = []
    for indicator in shown:
        unit = definitions.at[indicator, "unit"]
        fig = go.Figure()
        for innovation, group in series[series["indicator_code"] == indicator].groupby("innovation_code"):
            name = names.get(innovation, innovation)
            fig.add_scatter(x=list(group["period"]), y=list(group["value"]), mode="lines+markers",
                            name=name, line={"color": colours.get(innovation), "width": 3},
                            customdata=list(group["status"]),
                            hovertemplate=f"{name}<br>%{{x}} : %{{y:,.1f}} {unit} "
                                          "(%{customdata})<extra></extra>")
            fig.add_scatter(x=list(group["period"]), y=list(group["peer_median"]), mode="lines",
                            name=f"Médiane des autres territoires ({name})",
                            line={"color": colours.get(innovation), "dash": "dot", "width": 2},
                            hovertemplate="Médiane des autres territoires<br>%{x} : %{y:,.1f}"
                                          "<extra></extra>")
        fig.update_yaxes(title_text=unit or "valeur", rangemode="tozero")
        fig.update_xaxes(type="category", tickangle=0)
        fig.update_layout(height=300, showlegend=True,
                          legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
        charts.append((definitions.at[indicator, "label"], fig))
    table = series.assign(indicator_code=series["indicator_code"].map(definitions["label"]),
                          innovation_code=series["innovation_code"].map(names)).rename(columns={
        "indicator_code": "Indicateur", "innovation_code": "Innovation", "period": "Période",
        "value": "Valeur du territoire", "status": "Statut",
        "peer_median": "Médiane des autres territoires"})[
        ["Indicateur", "Innovation", "Période", "Valeur du territoire", "Statut",
         "Médiane des autres territoires"]]
    show_small_charts(charts, table, "Indicateurs clés par période : le territoire et la médiane "
                      "des autres territoires de la même innovation", f"series_{code}",
                      "portrait_series", "valeurs qui font foi (déclaration retenue quand des "
                      "partenaires divergent), déclarations des partenaires")
    _how_to_read("Chaque petit graphique suit un indicateur clé d'année en année : en trait plein "
                 "avec des points, la valeur du territoire (celle qui fait foi) ; en pointillés de "
                 "la même couleur, la médiane des autres territoires qui portent la même "
                 "innovation. Une année sans point : valeur non déclarée ou désaccord non tranché "
                 "(n.d.).")


def _period_statuses(dataset: Dataset, counted: pd.DataFrame, code: str,
                     series: pd.DataFrame) -> list[str]:
    """The status of each (indicator, innovation, period) of the series, in words."""
    innovations = dataset.essaimages.set_index("code")["innovation_code"]
    own = counted[(counted["territory_code"] == code) & counted["essaimage_code"].notna()]
    statuses = {(i, innovations.get(e), str(p)): STATUS_SHORT.get(s, "")
                for i, e, p, s in zip(own["indicator_code"], own["essaimage_code"], own["period"],
                                      own["status"])}
    return [statuses.get((i, n, str(p)), "n.d.") for i, n, p in
            zip(series["indicator_code"], series["innovation_code"], series["period"])]


def draw_territory_disagreements(dataset: Dataset, reports: pd.DataFrame, code: str) -> None:
    """The disagreements between partners about this territory's figures, with which report
    counts (`reports`: every partner's report, essaim.figures.scoping.enrich_values)."""
    st.subheader("Désaccords entre partenaires sur ce territoire")
    draw_disagreements(reports[reports["territory_code"] == code],
                       indicator_tolerances(dataset.indicators), key="portrait_disagree",
                       where="sur les chiffres de ce territoire")


def draw_indirect_impacts(dataset: Dataset, compared: pd.DataFrame, code: str) -> None:
    """Indirect impacts (well-being, confidence…) beside what people said (`compared`:
    compare_with_peers for the territory)."""
    st.subheader("Impacts indirects et paroles d'acteurs")
    numbers, words = st.columns(2)
    with numbers:
        definitions = dataset.indicators.set_index("code")
        if not compared.empty:
            compared = compared[compared["indicator_code"].map(definitions["family"])
                                == INDIRECT_IMPACTS_FAMILY]
        if compared.empty:
            st.info("Pas encore de mesure des impacts indirects pour ce territoire.")
        names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
        several = compared["innovation_code"].nunique() > 1 if not compared.empty else False
        for row in compared.itertuples():
            unit, measure = definitions.at[row.indicator_code, "unit"], \
                definitions.at[row.indicator_code, "measure"]
            which = f" — {names[row.innovation_code]}" if several else ""
            change = None if pd.isna(row.previous) or pd.isna(row.value) else row.value - row.previous
            arrow, colour = change_style(change, definitions.at[row.indicator_code, "direction"])
            st.metric(f"{definitions.at[row.indicator_code, 'label']}{which} ({row.period})",
                      format_value(row.value, unit, measure),
                      delta=None if change is None else
                      f"{format_change(change, unit, measure)} sur un an",
                      delta_arrow=arrow, delta_color=colour,
                      help=f"Source : {row.source}. Médiane des autres territoires : "
                           f"{format_value(row.peer_median, unit, measure)}.")
    with words:
        draw_verbatims(dataset, code)
    _how_to_read("À gauche, les mesures des impacts indirects en fin de parcours, avec leur "
                 "évolution sur un an ; à droite, ce que disent les personnes accompagnées et "
                 "les acteurs. Les deux se lisent ensemble : les chiffres disent combien, les "
                 "paroles disent comment.")


def draw_territory_avoided_costs(dataset: Dataset, counted: pd.DataFrame, code: str) -> None:
    """Avoided costs of the territory's latest year with the stated, default assumptions."""
    st.subheader("Coûts évités")
    unit_costs = unit_costs_from(dataset.indicators)
    if not unit_costs:
        st.info("Aucun indicateur du jeu de données n'a le rôle « coût évité » : les coûts évités "
                "ne peuvent pas être estimés (voir *Gérer les données*).")
        return
    essaimages = set(dataset.essaimages.loc[dataset.essaimages["territory_code"] == code, "code"])
    assumptions = Assumptions()
    summary = summarise_avoided_costs(dataset, counted, essaimages, assumptions, unit_costs)
    if summary.period is None:
        st.info("Pas encore de résultat à valoriser pour ce territoire.")
        return
    draw_avoided_cost_summary(summary, assumptions)
    draw_unit_costs(unit_costs)
    st.caption("Ces hypothèses se discutent et se modifient dans *Comparer les indicateurs › "
               "Coûts évités*.")
    _how_to_read("Les coûts évités multiplient des résultats par des coûts unitaires publics "
                 "(chaque montant a sa source). Le montant net retire ce qui serait arrivé de toute "
                 "façon (poids mort), la part due à d'autres acteurs (attribution) et ce qui a "
                 "seulement été déplacé, puis compte l'effet sur sa durée, avec son érosion, "
                 "actualisé. La fourchette basse – haute montre la sensibilité aux hypothèses. "
                 "C'est un ordre de grandeur pour le dialogue, pas une évaluation certifiée.")


def draw_verbatims(dataset: Dataset, code: str) -> None:
    """What people said (quotes of the territory's essaimages, newest first)."""
    mine = dataset.essaimages[dataset.essaimages["territory_code"] == code]["code"]
    quotes = dataset.verbatims[dataset.verbatims["essaimage_code"].isin(mine)]
    if quotes.empty:
        st.info("Aucune parole recueillie pour ce territoire.")
        return
    for quote in quotes.sort_values("period", ascending=False).itertuples():
        st.markdown(f"> {escape_markdown(quote.text)}\n>\n> — *{escape_markdown(quote.speaker)}*, "
                    f"{quote.period}")
