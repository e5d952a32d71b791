"""Carte des territoires: the territories on a map with overseas insets, a département choropleth,
filters, a side panel, an image export and the table. The address holds the whole view."""

import streamlit as st

from components.data_access import current_dataset, departements
from components.frame import projection_mode
from components.map_image import draw_map_image_download
from components.map_state import (
    ignored_in_address,
    opening_years,
    read_map_state,
    view_to_apply,
    write_map_state,
)
from components.routing import route_page_through_app
from components.tables import show_table_with_download
from components.territory_map import (
    draw_choropleth_legend,
    draw_departement_table,
    draw_innovation_legend,
    fit_map_to_phones,
    prepare_territory_map,
    show_territory_map,
    territory_rows,
)
from components.territory_panel import draw_territory_panel
from essaim.data.model import STAGES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.explorer.filters import (
    MapState,
    TerritoryFilter,
    describe_filter,
    describe_ignored,
    filter_essaimages,
)
from essaim.numbers.formatting import escape_markdown, plural

route_page_through_app()

dataset = current_dataset()
essaimages = dataset.essaimage_table()
innovation_names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
region_names = dict(zip(departements()["code_region"], departements()["nom_region"]))
years = sorted(int(y) for y in essaimages["start_date"].map(lambda d: d.year).unique())
all_years = (years[0], years[-1])
default_indicator = next(iter(REFERENCE_INDICATORS))
state = read_map_state(dataset, essaimages, default_indicator)

st.title("Carte des territoires")
if ignored_in_address():
    st.info(escape_markdown(describe_ignored(ignored_in_address())), icon=":material/link_off:")

# Folded, so that the map comes first on a phone (the line under it says what is filtered).
with st.expander("Filtres et fond de carte", key="carte_filters_open", icon=":material/tune:"):
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
        start_years=c4.select_slider("Année de démarrage", options=years, value=opening_years(),
                                     key="carte_years"),
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
            f"{len(dataset.territories)}** — "
            + escape_markdown(describe_filter(chosen, innovation_names, STAGES, region_names,
                                              all_years)))

fit_map_to_phones()
# On a projector the side column is wider: the panel and both legends stand whole beside the map.
map_column, panel_column = st.columns([2, 1] if projection_mode() else [3, 1])
with map_column:
    data, lookup = prepare_territory_map(dataset, dataset.cache_key, indicator_code,
                                         tuple(sorted(shown["code"])), show_epci, show_osm,
                                         chosen.narrows(all_years), projection_mode())
    opening_view = view_to_apply(chosen, (indicator_code, show_epci, show_osm), state.view)
    clicked, reported, visible = show_territory_map(data, lookup, opening_view,
                                           height=560 if projection_mode() else 600)
# Until the browser reports its view, the address keeps the one the map opened at.
selected = write_map_state(MapState(filter=chosen, indicator=indicator_code, epci=show_epci,
                                    view=reported or (state.view if opening_view else None)),
                           clicked, default_indicator, all_years)
with panel_column:
    draw_territory_panel(dataset, selected)
    if projection_mode():  # beside the map, whole on the first screen of a projector
        draw_innovation_legend(dataset, short=True)
        draw_choropleth_legend(indicator_code)

if not projection_mode():
    legend_left, legend_right = st.columns(2)
    with legend_left:
        draw_innovation_legend(dataset)
    with legend_right:
        draw_choropleth_legend(indicator_code)
draw_map_image_download(dataset, shown, indicator_code,
                        describe_filter(chosen, innovation_names, STAGES, region_names, all_years),
                        visible)

st.header("Territoires affichés")
if shown.empty:
    st.info("Aucun territoire ne correspond à ces filtres. Élargissez la sélection (innovation, "
            "étape, région ou années).")
else:
    show_table_with_download(territory_rows(dataset, shown), "territoires_affiches",
                             key="carte_table")
draw_departement_table(indicator_code)
