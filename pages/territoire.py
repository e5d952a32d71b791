"""Mon territoire: the portrait of one territory, opened from the map, by search or by URL."""

import streamlit as st

from components.agreement_notes import draw_agreement_notes
from components.data_access import comparison_inputs, counted, current_dataset, departements
from components.routing import route_page_through_app
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

dataset = current_dataset()
codes = set(dataset.territories["code"])

requested = st.query_params.get("territoire")
st.title("Mon territoire")
if requested is not None and requested not in codes:
    st.warning("Le territoire demandé dans l'adresse n'existe pas dans les données ; choisissez-en "
               "un ci-dessous.")
    requested = None

code = choose_territory(dataset, requested)
if code is None:
    st.info("Quel territoire voulez-vous voir ? Cherchez-le par une commune qu'il couvre, son "
            "intercommunalité, son département, ou choisissez-le dans la liste.",
            icon=":material/location_on:")
    st.stop()
if code != requested:
    st.query_params["territoire"] = code

reference = departements().set_index("code_departement")
values = counted(dataset)
draw_who_and_what(dataset, code, reference)
draw_roadmap_timeline(dataset, code)
draw_key_indicator_series(dataset, values, code)
draw_key_indicators(dataset, values, code)
draw_agreement_notes(dataset, values, code)
draw_territory_disagreements(dataset, comparison_inputs(dataset)[0], code)
draw_indirect_impacts(dataset, values, code)
draw_territory_avoided_costs(dataset, values, code)
draw_reference_comparison(dataset, code, reference)
