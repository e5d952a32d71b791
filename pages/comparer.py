"""Comparer les indicateurs: across partners, territories and innovations, with several methods."""

import streamlit as st

from components.compare_views import (
    draw_avoided_costs,
    draw_did,
    draw_disagreements,
    draw_grouped_bars,
    draw_heatmap,
    draw_radar,
    draw_scatter,
)
from components.data_access import comparison_inputs, current_dataset, departements
from components.lazy_tabs import show_lazy_tabs
from essaim.model import FAMILIES
from essaim.normalise import NORMALISATIONS, normalise_values
from essaim.reference import REFERENCE_INDICATORS
from essaim.scoping import select_scope

dataset = current_dataset()
values, population = comparison_inputs(dataset)
indicators = dataset.indicators.set_index("code")
innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
periods = sorted(values["period"].unique())

st.title("Comparer les indicateurs")
st.caption("Indicateurs standard (définis nationalement) et co-construits (définis avec les "
           "partenaires) sont signalés comme tels. Chaque graphique montre les données qu'il "
           "utilise.")

with st.container(border=True):
    left, right = st.columns([3, 2])
    chosen_indicators = left.multiselect(
        "Indicateurs", list(indicators.index),
        default=["beneficiaires", "sorties_emploi", "taux_sortie_emploi", "bien_etre", "confiance"],
        format_func=lambda c: f"{indicators.at[c, 'label']} ({FAMILIES[indicators.at[c, 'family']].lower()}"
        f", {'standard' if indicators.at[c, 'standard'] else 'co-construit'})",
        key="cmp_indicators", placeholder="Choisissez des indicateurs")
    chosen_innovations = right.multiselect("Innovations", list(innovations), default=list(innovations),
                                           format_func=innovations.get, key="cmp_innovations",
                                           placeholder="Choisissez des innovations")
    left, right = st.columns([3, 2])
    chosen_periods = left.multiselect("Périodes", periods, default=periods[-3:], key="cmp_periods",
                                      placeholder="Choisissez des périodes")
    method = right.selectbox("Normalisation", list(NORMALISATIONS), format_func=NORMALISATIONS.get,
                             key="cmp_method",
                             help="Les taux et scores ne se rapportent ni aux bénéficiaires ni aux "
                                  "habitants ; l'écart à la référence n'existe que pour les "
                                  "indicateurs qui ont un équivalent départemental (n.d. sinon).")

if not chosen_indicators or not chosen_innovations or not chosen_periods:
    st.info("Choisissez au moins un indicateur, une innovation et une période pour comparer.",
            icon=":material/tune:")
    st.stop()

scoped = select_scope(values, chosen_indicators, chosen_innovations, chosen_periods)
scoped = normalise_values(scoped, method, indicators=dataset.indicators,
                          beneficiaries=values[values["indicator_code"] == "beneficiaires"],
                          population=population, departements=departements(),
                          territories=dataset.territories)
scoped = scoped.assign(innovation=scoped["innovation_code"].map(innovations))
labels = [indicators.at[c, "label"] for c in chosen_indicators]



def heatmap_view() -> None:
    draw_heatmap(scoped, st.toggle("Regrouper les partenaires par type", value=True,
                                   key="cmp_heat_by_type"))


def bars_view() -> None:
    draw_grouped_bars(scoped, st.selectbox("Indicateur", labels, key="cmp_bars_indicator"))


def radar_view() -> None:
    draw_radar(scoped, st.radio("Un contour par", ["innovation", "type de partenaire"],
                                horizontal=True, key="cmp_radar_by"))


def scatter_view() -> None:
    left, right = st.columns(2)
    draw_scatter(scoped, left.selectbox("Résultat", labels, key="cmp_scatter_indicator"),
                 right.selectbox("Statistique de référence", list(REFERENCE_INDICATORS),
                                 format_func=lambda c: REFERENCE_INDICATORS[c].label,
                                 key="cmp_scatter_reference"),
                 departements(), dataset.territories, list(innovations))


def did_view() -> None:
    territorial = sorted(set(values.loc[values["essaimage_code"].isna(), "indicator_code"]))
    c1, c2, c3 = st.columns(3)
    outcome = c1.selectbox("Résultat observé sur tous les territoires", territorial,
                           format_func=lambda c: indicators.at[c, "label"], key="cmp_did_outcome")
    running = dataset.essaimages.dropna(subset=["date_etape_iii"])["innovation_code"].value_counts()
    treated = c2.selectbox("Innovation (groupe traité)", list(running.index),
                           format_func=innovations.get, key="cmp_did_innovation",
                           help="Les territoires où l'innovation a atteint l'étape III.")
    start = c3.selectbox("Début de la période « après »", periods[1:],
                         index=len(periods[1:]) // 2, key="cmp_did_start")
    draw_did(values, outcome, treated, start, dataset.essaimages, indicators.at[outcome, "label"])


def costs_view() -> None:
    period = st.selectbox("Période", chosen_periods[::-1], key="cmp_costs_period")
    draw_avoided_costs(values[values["innovation_code"].isin(chosen_innovations)], period,
                       innovations, dataset.territories.set_index("code")["name"])


show_lazy_tabs({
    "Partenaires × indicateurs": heatmap_view,
    "Barres groupées": bars_view,
    "Radar": radar_view,
    "Nuage de points": scatter_view,
    "Désaccords entre partenaires": lambda: draw_disagreements(scoped),
    "Doubles différences": did_view,
    "Coûts évités": costs_view,
}, key="cmp_view")
