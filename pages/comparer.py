"""Comparer les indicateurs: across partners, territories and innovations, with several methods."""

import streamlit as st

from components.avoided_costs_panel import draw_avoided_costs
from components.charts import use_chart_heading_level
from components.compare_address import ignored_in_address, opening_choices, write_choices
from components.compare_scope import scoped_values
from components.compare_views import (
    draw_grouped_bars,
    draw_heatmap,
    draw_radar,
    draw_scatter,
)
from components.data_access import comparison_inputs, counted, current_dataset, departements
from components.did_view import draw_did
from components.disagreements_view import draw_disagreements
from components.lazy_tabs import show_lazy_tabs
from components.provenance_view import draw_provenance_picker
from components.routing import route_page_through_app
from essaim.data.model import FAMILIES, STAGES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.data.roles import indicators_with_role, role_indicator
from essaim.explorer.filters import describe_ignored
from essaim.figures.compare_tables import provenance_cells
from essaim.figures.disagreements import indicator_tolerances
from essaim.figures.key_figures import reference_year
from essaim.figures.normalise import NORMALISATIONS, WHOLE_COMMUNE, population_basis
from essaim.methods.avoided_costs import unit_costs_from
from essaim.methods.avoided_costs_summary import default_year
from essaim.methods.did_analysis import territory_outcomes
from essaim.methods.did_design import COMPARISON_RULES, DEFAULT_RULE
from essaim.numbers.formatting import escape_markdown

route_page_through_app()

dataset = current_dataset()
values, population = comparison_inputs(dataset)
indicators = dataset.indicators.set_index("code")
innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
territory_names = dataset.territories.set_index("code")["name"]
partner_names = dataset.partners.set_index("code")["name"]
periods = sorted(values["period"].unique())
# Settled cells carry a row without a partner (essaim.figures.counted): not a declarant.
partner_codes = sorted(values["partner_code"].dropna().unique(),
                       key=lambda c: partner_names.get(c, c))
VIEWS = ["Partenaires × indicateurs", "Barres groupées", "Radar", "Nuage de points",
         "Désaccords entre partenaires", "Doubles différences", "Coûts évités"]
key_indicators = (indicators_with_role(dataset.indicators, "key_figure")
                  or list(indicators.index[:5]))
# The three years up to the common reference year: a territory a year ahead of the others does not
# make its lone year the default.
key_values = values[values["indicator_code"].isin(key_indicators) & values["counts"]]
reference = reference_year(key_values, set(key_values["territory_code"])) or periods[-1]
defaults = {"cmp_indicators": key_indicators,
            "cmp_innovations": list(innovations),
            "cmp_periods": [p for p in periods if p <= reference][-3:],
            "cmp_territories": [], "cmp_partners": [], "cmp_method": "brut", "cmp_view": VIEWS[0]}
opening = opening_choices({"cmp_indicators": list(indicators.index),
                           "cmp_innovations": list(innovations), "cmp_periods": periods,
                           "cmp_territories": list(territory_names.index),
                           "cmp_partners": partner_codes, "cmp_method": list(NORMALISATIONS),
                           "cmp_view": VIEWS}, defaults)
st.session_state.setdefault("cmp_view", opening["cmp_view"])
use_chart_heading_level(2)  # chart titles follow the page's h1 (tabs are not headings)

st.title("Comparer les indicateurs")
if ignored_in_address():
    st.info(escape_markdown(describe_ignored(ignored_in_address())), icon=":material/link_off:")
st.caption("Indicateurs standard (définis nationalement) et co-construits (définis avec les "
           "partenaires) sont signalés comme tels. Chaque graphique dit sa source et montre les "
           "données qu'il utilise.")

# Folded (on a phone, on a projector): the charts come first, and no chip is cut.
with st.expander("Sélection : indicateurs, innovations, périodes, territoires, partenaires",
                 key="cmp_selection_open", icon=":material/tune:"):
    left, right = st.columns([3, 2])
    chosen_indicators = left.multiselect(
        "Indicateurs", list(indicators.index), default=opening["cmp_indicators"],
        format_func=lambda c: f"{indicators.at[c, 'label']} ({FAMILIES.get(indicators.at[c, 'family'], '').lower()}"
        f", {'standard' if indicators.at[c, 'standard'] else 'co-construit'})",
        key="cmp_indicators", placeholder="Choisissez des indicateurs")
    chosen_innovations = right.multiselect("Innovations", list(innovations),
                                           default=opening["cmp_innovations"],
                                           format_func=innovations.get, key="cmp_innovations",
                                           placeholder="Choisissez des innovations")
    left, middle, right = st.columns([3, 2, 2])
    chosen_periods = left.multiselect("Périodes", periods, default=opening["cmp_periods"],
                                      key="cmp_periods",
                                      placeholder="Choisissez des périodes")
    chosen_territories = middle.multiselect("Territoires", sorted(territory_names.index,
                                                                   key=territory_names.get),
                                            default=opening["cmp_territories"],
                                            format_func=territory_names.get, key="cmp_territories",
                                            placeholder="Tous")
    chosen_partners = right.multiselect("Partenaires déclarants", partner_codes,
                                        default=opening["cmp_partners"],
                                        format_func=lambda c: partner_names.get(c, c),
                                        key="cmp_partners", placeholder="Tous")
    method = st.selectbox("Normalisation", list(NORMALISATIONS), format_func=NORMALISATIONS.get,
                          index=list(NORMALISATIONS).index(opening["cmp_method"]), key="cmp_method",
                          help="Effectifs et montants se rapportent aux bénéficiaires ou aux "
                               "habitants, pas les taux ni les scores. La référence "
                               "départementale compte les habitants : l'écart n'existe que pour "
                               "un taux qui compte aussi les habitants ; pour un taux qui compte "
                               "les bénéficiaires, elle se lit comme une cible (le public visé). "
                               "n.d. sinon.")

write_choices(defaults)
if not chosen_indicators or not chosen_innovations or not chosen_periods:
    st.info("Choisissez au moins un indicateur, une innovation et une période pour comparer.",
            icon=":material/tune:")
    st.stop()

beneficiaries = role_indicator(dataset.indicators, "beneficiaries")
scoped = scoped_values(dataset, chosen_indicators, chosen_innovations, chosen_periods,
                       chosen_territories, chosen_partners, method)
labels = [indicators.at[c, "label"] for c in chosen_indicators]
whole_commune = scoped["territory_code"].map(population_basis(dataset.territories)).astype(bool)
if method == "pour_10000_habitants" and whole_commune.any():
    names = sorted(set(scoped.loc[whole_commune, "territory_code"].map(territory_names)))
    st.caption(f"Quartiers prioritaires ({', '.join(names)}) : rapportés à la {WHOLE_COMMUNE} "
               "(la population du quartier n'est pas dans les données de référence).")
if method == "pour_100_beneficiaires" and beneficiaries is None:
    st.warning("Aucun indicateur n'a le rôle « bénéficiaires » dans ce jeu de données : la "
               "normalisation « pour 100 bénéficiaires » donne n.d. partout.")


def heatmap_view() -> None:
    draw_heatmap(scoped, st.toggle("Regrouper les partenaires par type", value=True,
                                   key="cmp_heat_by_type"), method)


BAR_GROUPS = {"innovation": "innovation (ses territoires)", "partenaire": "partenaire déclarant",
              "type": "type de partenaire"}


def bars_view() -> None:
    left, right = st.columns([3, 2])
    draw_grouped_bars(scoped, left.selectbox("Indicateur", labels, key="cmp_bars_indicator"),
                      right.radio("Regrouper les barres par", list(BAR_GROUPS), horizontal=True,
                                  key="cmp_bars_by", format_func=BAR_GROUPS.get),
                      method)


def radar_view() -> None:
    draw_radar(scoped, st.radio("Un contour par", ["innovation", "type de partenaire"],
                                horizontal=True, key="cmp_radar_by"), method)


def scatter_view() -> None:
    left, right = st.columns(2)
    draw_scatter(scoped, left.selectbox("Résultat", labels, key="cmp_scatter_indicator"),
                 right.selectbox("Statistique de référence", list(REFERENCE_INDICATORS),
                                 format_func=lambda c: REFERENCE_INDICATORS[c].label,
                                 key="cmp_scatter_reference"),
                 departements(), dataset.territories, list(innovations), method)


def did_view() -> None:
    territorial = territory_outcomes(dataset, counted(dataset))
    if not territorial:
        st.info("Aucun indicateur n'est mesuré sur tout le territoire (valeurs sans essaimage) : "
                "les doubles différences ont besoin d'un résultat observé partout.")
        return
    c1, c2, c3 = st.columns(3)
    outcome = c1.selectbox("Résultat observé sur tous les territoires", territorial,
                           format_func=lambda c: indicators.at[c, "label"], key="cmp_did_outcome")
    spread = dataset.essaimages["innovation_code"].value_counts()
    treated = c2.selectbox("Innovation", list(spread.index), format_func=innovations.get,
                           key="cmp_did_innovation")
    stage = c3.selectbox("Démarrage à la date de l'étape", ["III", "II", "IV"],
                         format_func=STAGES.get, key="cmp_did_stage",
                         help="Chaque territoire est traité à partir de l'année où son essaimage "
                              "a atteint cette étape (ou une étape suivante).")
    rule = st.radio("Groupe de comparaison", list(COMPARISON_RULES),
                    index=list(COMPARISON_RULES).index(DEFAULT_RULE),
                    format_func=COMPARISON_RULES.get, key="cmp_did_rule",
                    help="Par défaut, la comparaison se fait avec des territoires sans innovation "
                         "de l'accélérateur à cette étape. L'élargir ajoute des territoires, mais "
                         "l'effet mesuré devient celui de l'innovation face aux autres.")
    draw_did(dataset, counted(dataset), population, outcome, treated, stage, rule)


def costs_view() -> None:
    essaimages = dataset.essaimages[dataset.essaimages["innovation_code"].isin(chosen_innovations)]
    if chosen_territories:
        essaimages = essaimages[essaimages["territory_code"].isin(chosen_territories)]
    years = sorted(chosen_periods)
    # The common reference year of these outcomes: a territory a year ahead does not move it.
    reference = default_year(counted(dataset), unit_costs_from(dataset.indicators),
                             set(essaimages["code"]))
    default = years.index(reference) if reference in years else len(years) - 1
    left, right = st.columns(2)
    end = right.selectbox("Jusqu'à l'année", years, index=default, key="cmp_costs_period",
                          help="Par défaut, l'année de référence commune : la dernière où au "
                               "moins la moitié des territoires ont déclaré.")
    starts = [y for y in years if y <= end]
    start = left.selectbox("Depuis l'année", starts, index=len(starts) - 1,
                           key="cmp_costs_start",
                           help="Coûts évités et montants investis sont comptés sur les mêmes "
                                "années.")
    draw_avoided_costs(dataset, counted(dataset), essaimages, start, end, innovations,
                       territory_names)


show_lazy_tabs(dict(zip(VIEWS, [
    heatmap_view, bars_view, radar_view, scatter_view,
    lambda: draw_disagreements(scoped, indicator_tolerances(dataset.indicators)),
    did_view, costs_view])), key="cmp_view")
draw_provenance_picker(dataset, counted(dataset), provenance_cells(scoped), key="cmp_provenance")
