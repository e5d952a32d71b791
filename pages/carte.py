"""Carte des territoires: the 42 territories, a département choropleth, filters, side panel, table."""

import streamlit as st

from components.data_access import current_dataset, departements
from components.tables import show_table_with_download
from components.territory_map import (
    prepare_territory_map,
    draw_choropleth_legend,
    draw_innovation_legend,
    show_territory_map,
    territory_rows,
)
from components.territory_panel import draw_territory_panel
from components.routing import route_page_through_app
from essaim.formatting import plural
from essaim.model import STAGES
from essaim.reference import REFERENCE_INDICATORS
from essaim.territory_filters import OVERSEAS_VIEWS, TerritoryFilter, filter_essaimages

route_page_through_app()

dataset = current_dataset()
essaimages = dataset.essaimage_table()
innovation_names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
region_names = dict(zip(departements()["code_region"], departements()["nom_region"]))
years = sorted(essaimages["start_date"].map(lambda d: d.year).unique())

st.title("Carte des territoires")

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    chosen = TerritoryFilter(
        innovations=tuple(c1.multiselect("Innovation", list(innovation_names),
                                         format_func=innovation_names.get, key="carte_innovations",
                                         placeholder="Toutes")),
        stages=tuple(c2.multiselect("Étape de la feuille de route", list(STAGES),
                                    format_func=STAGES.get, key="carte_stages",
                                    placeholder="Toutes")),
        regions=tuple(c3.multiselect("Région", sorted(set(essaimages["code_region"]),
                                                      key=region_names.get),
                                     format_func=region_names.get, key="carte_regions",
                                     placeholder="Toutes")),
        start_years=c4.select_slider("Année de démarrage", options=years,
                                     value=(years[0], years[-1]), key="carte_years"),
    )
    c5, c6, c7 = st.columns([4, 2, 2])
    indicator_code = c5.selectbox("Fond de carte : indicateur de référence par département",
                                  list(REFERENCE_INDICATORS),
                                  format_func=lambda c: REFERENCE_INDICATORS[c].label,
                                  key="carte_indicator")
    show_epci = c6.toggle("Contours des EPCI", key="carte_epci",
                          help="Les intercommunalités des territoires affichés.")
    show_osm = c7.toggle("Fond OpenStreetMap", key="carte_osm",
                         help="Nécessite une connexion internet ; désactivé par défaut.")

shown = filter_essaimages(essaimages, chosen)
territory_count = shown["territory_code"].nunique()
st.markdown(f"**{plural(territory_count, 'territoire affiché', 'territoires affichés')} sur "
            f"{len(dataset.territories)}**")
view = st.segmented_control("Aller à", list(OVERSEAS_VIEWS), default="Métropole",
                            key="carte_view") or "Métropole"

map_column, panel_column = st.columns([3, 1])
with map_column:
    payload, lookup = prepare_territory_map(dataset, dataset.cache_key, indicator_code,
                                            tuple(sorted(shown["code"])), show_epci, show_osm)
    clicked = show_territory_map(payload, lookup, view)
    if clicked:
        st.session_state["carte_selected"] = clicked
with panel_column:
    draw_territory_panel(dataset, st.session_state.get("carte_selected"))

legend_left, legend_right = st.columns(2)
with legend_left:
    draw_innovation_legend(dataset)
with legend_right:
    draw_choropleth_legend(indicator_code)

st.subheader("Territoires affichés")
if shown.empty:
    st.info("Aucun territoire ne correspond à ces filtres. Élargissez la sélection (innovation, "
            "étape, région ou années).")
else:
    show_table_with_download(territory_rows(dataset, shown), "territoires_affiches",
                             key="carte_table")
