"""Mon territoire: the portrait of one territory, opened from the map, by search or by URL."""

import streamlit as st

from components.data_access import counted, current_dataset, departements
from components.routing import route_page_through_app
from components.territory_portrait import (
    draw_indirect_impacts,
    draw_key_indicators,
    draw_reference_comparison,
    draw_roadmap_timeline,
    draw_territory_avoided_costs,
    draw_who_and_what,
)
from essaim.search import search_territories

route_page_through_app()

dataset = current_dataset()
territories = dataset.territories.sort_values("name")
names = dict(zip(territories["code"], territories["name"]))

requested = st.query_params.get("territoire")
if requested is not None and requested not in names:
    st.warning("Le territoire demandé dans l'adresse n'existe pas dans les données ; choisissez-en "
               "un ci-dessous.")
    requested = None

st.title("Mon territoire")
query = st.text_input("Rechercher une commune, un EPCI ou un territoire (accents facultatifs)",
                      key="territoire_query", placeholder="ex. Orleans, Bordeaux Métropole, Réunion")
matches = search_territories(territories, query) if query else list(names)
if not matches:
    st.info("Aucun territoire ne correspond à cette recherche.")
    st.stop()
index = matches.index(requested) if requested in matches else 0
code = st.selectbox("Territoire", matches, index=index, format_func=names.get,
                    key="territoire_code")
if code != requested:
    st.query_params["territoire"] = code

reference = departements().set_index("code_departement")
values = counted(dataset)
draw_who_and_what(dataset, code, reference)
draw_roadmap_timeline(dataset, code)
draw_key_indicators(dataset, values, code)
draw_indirect_impacts(dataset, values, code)
draw_territory_avoided_costs(dataset, values, code)
draw_reference_comparison(dataset, code, reference)
