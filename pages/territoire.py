"""Mon territoire: the portrait of one territory, opened from the map, by search or by URL. Its
key figures come first (a phone reads them on its first screens); the detail is in tabs, each
drawn only when opened."""

import streamlit as st

from components.agreement_notes import draw_agreement_notes
from components.data_access import comparison_inputs, counted, current_dataset, departements
from components.frame import projection_mode
from components.lazy_tabs import show_lazy_tabs
from components.portrait_lead import (
    compared_with_peers,
    draw_key_figure_cards,
    draw_portrait_header,
)
from components.routing import route_page_through_app
from components.territory_pair import PAIR_KEY, PAIR_PARAMETER, draw_territory_pair
from components.territory_portrait import (
    draw_indirect_impacts,
    draw_key_indicator_series,
    draw_key_indicators,
    draw_reference_comparison,
    draw_roadmap_timeline,
    draw_territory_avoided_costs,
    draw_territory_disagreements,
    draw_who_and_what,
)
from components.territory_search import choose_territory

route_page_through_app()
PAIR_TAB = "Côte à côte"

dataset = current_dataset()
codes = set(dataset.territories["code"])

requested = st.query_params.get("territoire")
st.title("Mon territoire")
if requested is not None and requested not in codes:
    st.warning("Le territoire demandé dans l'adresse n'existe pas dans les données ; choisissez-en "
               "un ci-dessous.")
    requested = None

if projection_mode() and requested:
    # On the wall the figures come first: the finder folds away.
    with st.expander("Changer de territoire", icon=":material/search:"):
        code = choose_territory(dataset, requested)
else:
    code = choose_territory(dataset, requested)
if code is None:
    st.info("Quel territoire voulez-vous voir ? Cherchez-le par une commune qu'il couvre, son "
            "intercommunalité, son département, ou choisissez-le dans la liste.",
            icon=":material/location_on:")
    st.stop()
if code != requested:
    st.query_params["territoire"] = code
    st.query_params.pop(PAIR_PARAMETER, None)
    st.session_state.pop(PAIR_KEY, None)

reference = departements().set_index("code_departement")
values = counted(dataset)
compared = compared_with_peers(dataset, values, code)
draw_portrait_header(dataset, code, reference)
draw_key_figure_cards(dataset, values, compared, code)
draw_agreement_notes(dataset, values, code)  # agreed, arbitrated, disputed: said up front


def disagreements() -> None:
    draw_territory_disagreements(dataset, comparison_inputs(dataset)[0], code)


st.subheader("Voir le détail")
if st.query_params.get(PAIR_PARAMETER) and "portrait_detail" not in st.session_state:
    st.session_state["portrait_detail"] = PAIR_TAB  # a link to a comparison opens it
show_lazy_tabs({
    "Indicateurs": lambda: draw_key_indicators(dataset, values, compared, code),
    "Évolution": lambda: draw_key_indicator_series(dataset, values, code),
    "Qui fait quoi": lambda: draw_who_and_what(dataset, code),
    "Feuille de route": lambda: draw_roadmap_timeline(dataset, code),
    "Désaccords": disagreements,
    "Impacts indirects": lambda: draw_indirect_impacts(dataset, compared, code),
    "Coûts évités": lambda: draw_territory_avoided_costs(dataset, values, code),
    "Contexte": lambda: draw_reference_comparison(dataset, code, reference),
    PAIR_TAB: lambda: draw_territory_pair(dataset, values, reference, code),
}, key="portrait_detail")
