"""The map of the essaimage territories: département choropleth, EPCI contours, innovation markers,
overseas insets beside mainland France.

The map is drawn in the browser by components/assets/territory_map.js from plain data
(essaim.explorer.map_data), prepared once per (dataset, indicator, shown essaimages, layers) and cached.
It reaches the browser through streamlit-folium's public `st_folium`: the folium map only
carries that prepared JSON, so rebuilding it on each run costs little (bench/bench_map.py).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from streamlit_folium import st_folium

from components.data_access import departements, show_error_and_stop
from components.french_interface import MAP_STRINGS
from components.offline_assets import (
    LEAFLET_CSS,
    LEAFLET_JS,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_JS,
)
from essaim.data.dataset import Dataset
from essaim.data.model import SCALES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.errors import EssaimError
from essaim.explorer.classify import assign_class, class_label, legend_entries, quantile_breaks
from essaim.explorer.filters import MapView
from essaim.explorer.geo import (
    colour_departements,
    load_geojson,
    mainland_bounds,
    overseas_insets,
    select_epci,
)
from essaim.explorer.map_data import click_lookup, fit_bounds, innovation_legend, territory_points
from essaim.numbers.formatting import format_number

MAP_SCRIPT = Path(__file__).parent / "assets" / "territory_map.js"
MAP_KEY = "territory_map"
# What the browser reports back: a click on a marker (to select it) and the view (for the
# address). Pans and zooms rerun the page, which keeps the address in step with the map.
RETURNED = ["last_object_clicked", "zoom", "center", "bounds"]
LEGEND_DECIMALS = 1
DEPARTEMENT_TABLE_ANCHOR = "valeurs-par-departement"


@st.cache_data(show_spinner=False)
def _load_contours(filename: str) -> dict:
    return load_geojson(filename)


def contours(filename: str) -> dict:
    """A contour file from data/geo (cached); stops the page with a French message if missing."""
    try:
        return _load_contours(filename)
    except EssaimError as error:
        show_error_and_stop(error)


def choropleth_breaks(indicator_code: str) -> tuple[list[float], dict[str, float]]:
    """Quantile bounds (at the precision shown) and the value per département code for a
    reference indicator."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    frame = departements()
    values = dict(zip(frame["code_departement"], frame[indicator.column]))
    return quantile_breaks(list(values.values()), decimals=LEGEND_DECIMALS), values


@st.cache_data(max_entries=8, show_spinner=False)
def _coloured_departements(indicator_code: str) -> dict:
    indicator = REFERENCE_INDICATORS[indicator_code]
    breaks, values = choropleth_breaks(indicator_code)
    return colour_departements(contours("departements-web.geojson"), values, breaks, indicator.unit,
                               LEGEND_DECIMALS)


@st.cache_data(max_entries=8, show_spinner=False)
def _epci_contours(sirens: tuple[str, ...]) -> dict:
    return select_epci(contours("epci.geojson"), set(sirens))


@st.cache_data(show_spinner=False)
def _map_script() -> str:
    return MAP_SCRIPT.read_text(encoding="utf-8")


@st.cache_data(max_entries=16, show_spinner="Préparation de la carte…")
def prepare_territory_map(_dataset: Dataset, dataset_key: str, indicator_code: str,
                          essaimage_codes: tuple[str, ...], show_epci: bool, show_osm: bool,
                          fit_to_territories: bool, large: bool = False) -> tuple[str, dict]:
    """The map's data as JSON for the browser script (cached per dataset, indicator, shown
    essaimages and layers; `large` text for a projector) and the marker position → territory
    lookup for clicks."""
    essaimages = _dataset.essaimage_table()
    essaimages = essaimages[essaimages["code"].isin(essaimage_codes)]
    points = territory_points(_dataset, essaimages)
    shapes = contours("departements-web.geojson")
    epci = None
    if show_epci and points:
        sirens = _dataset.territories.set_index("code").loc[[p["code"] for p in points], "siren_epci"]
        epci = _epci_contours(tuple(sorted(str(s) for s in sirens.dropna())))
    data = {
        "strings": MAP_STRINGS,
        "departements": _coloured_departements(indicator_code),
        "indicatorLabel": REFERENCE_INDICATORS[indicator_code].label,
        "epci": epci,
        "territories": points,
        "innovations": innovation_legend(_dataset),
        "insets": overseas_insets(shapes),
        "mainland": mainland_bounds(shapes),
        "fit": fit_bounds(points) if fit_to_territories else None,
        "osm": show_osm,
        "large": large,
        "tableAnchor": DEPARTEMENT_TABLE_ANCHOR,
    }
    # "</" cannot end the inline <script> that carries the JSON.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/"), click_lookup(points)


class _TerritoryLayers(JSCSSMixin, MacroElement):
    """Everything on the map but the map itself: the browser script and its data."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        essaimDrawMap({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
    """)
    default_js = MARKERCLUSTER_JS
    default_css = MARKERCLUSTER_CSS

    def __init__(self, library: str, data: str):
        super().__init__()
        self._name = "EssaimTerritoryLayers"
        self.library = library
        self.data = data


def _folium_map(data: str) -> folium.Map:
    fmap = folium.Map(location=(46.6, 2.4), zoom_start=6, tiles=None, zoom_control=False,
                      attribution_control=False, zoomSnap=0.25, zoomDelta=0.5, minZoom=2,
                      maxZoom=18,
                      # Leaflet focuses the map on mousedown for keyboard panning; when the map
                      # is partly below the fold the page then scrolls under the pointer and the
                      # click on a marker is lost. Keyboard users move between markers instead.
                      keyboard=False)
    fmap.default_js = LEAFLET_JS
    fmap.default_css = LEAFLET_CSS
    _TerritoryLayers(_map_script(), data).add_to(fmap)
    return fmap


def show_territory_map(data: str, lookup: dict, view: MapView | None, height: int = 600
                       ) -> tuple[str | None, MapView | None, list[list[float]] | None]:
    """Draw the map (at `view` when given, else fitted to the territories); return the code of
    the territory whose marker was last clicked (or None), the view the browser reports and
    the bounds it shows ([[south, west], [north, east]], for the image export)."""
    center = (view.latitude, view.longitude) if view else None
    state = st_folium(_folium_map(data), key=MAP_KEY, height=height, use_container_width=True,
                      returned_objects=RETURNED, center=center, zoom=view.zoom if view else None)
    state = state or {}
    clicked = state.get("last_object_clicked")
    code = lookup.get((round(clicked["lat"], 5), round(clicked["lng"], 5))) if clicked else None
    reported = state.get("center")
    shown = (MapView(round(reported["lat"], 4), round(reported["lng"], 4), state["zoom"])
             if reported and state.get("zoom") is not None else None)
    corners = state.get("bounds") or {}
    south_west, north_east = corners.get("_southWest"), corners.get("_northEast")
    bounds = ([[south_west["lat"], south_west["lng"]], [north_east["lat"], north_east["lng"]]]
              if south_west and north_east and south_west.get("lat") is not None else None)
    return code, shown, bounds


def draw_innovation_legend(dataset: Dataset, short: bool = False) -> None:
    """Colour swatches of the innovations and the meaning of the stage label on markers (`short`:
    without the keyboard and cluster help, for a projector)."""
    items = "".join(
        f'<li style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span aria-hidden="true" style="width:14px;height:14px;background:{entry["colour"]};'
        f'border:1px solid #111;display:inline-block;margin-right:5px"></span>'
        f'{html.escape(entry["name"])}</li>'
        for entry in innovation_legend(dataset)
    )
    st.html(f'<div style="font-size:0.9rem;line-height:1.6"><b>Innovations</b>'
            f'<ul style="list-style:none;padding:0;margin:0">{items}</ul></div>')
    if short:
        st.caption("Sur chaque marqueur : l'étape atteinte (0 à IV) ; le chiffre noir : plusieurs "
                   "innovations dans le territoire.")
        return
    st.caption("Sur chaque marqueur : l'étape atteinte de la feuille de route (0 identification, "
               "I faisabilité, II mobilisation, III essaimage, IV évaluation) ; le chiffre noir "
               "indique plusieurs innovations dans le même territoire. Les marqueurs proches se "
               "regroupent : les pastilles disent quelles innovations le groupe contient ; "
               "cliquez pour zoomer. Au clavier : touche Tabulation jusqu'à la carte, flèches pour passer "
               "d'un territoire à l'autre, Entrée pour l'ouvrir.")


def draw_choropleth_legend(indicator_code: str) -> None:
    """The classes of the département layer with units, and its source and vintage."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    breaks, _ = choropleth_breaks(indicator_code)
    items = "".join(
        f'<li style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span aria-hidden="true" style="width:22px;height:14px;background:{colour};'
        f'border:1px solid #555;display:inline-block;margin-right:5px"></span>'
        f'{html.escape(label)}</li>'
        for colour, label in legend_entries(breaks, indicator.unit, LEGEND_DECIMALS)
    )
    st.html(f'<div style="font-size:0.9rem"><b>{html.escape(indicator.label)}</b> '
            f'(classes par quantiles)<ul style="list-style:none;padding:0;margin:0">{items}</ul></div>')
    st.caption(f"Source : {indicator.source} — millésime {indicator.vintage}.")


_PHONE_MAP_CSS = """
<style>
/* Phones: the map fits the first screen under the title and the folded filters. */
@media (max-width: 640px) {
  iframe[src*="streamlit_folium"] { height: min(500px, 62vh) !important; }
}
</style>
"""


def fit_map_to_phones() -> None:
    """On a phone, a map a little shorter than the screen (the page then shows it whole)."""
    st.html(_PHONE_MAP_CSS)


def draw_departement_table(indicator_code: str) -> None:
    """The choropleth as a table (its text alternative, reached from the map's « Valeurs en
    tableau » link): each département's value and class, folded under its heading."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    breaks, values = choropleth_breaks(indicator_code)
    frame = departements().sort_values("code_departement")
    rows = []
    for code, name in zip(frame["code_departement"], frame["nom_departement"]):
        value = values.get(code)
        known = value is not None and not pd.isna(value)
        index = assign_class(round(float(value), LEGEND_DECIMALS), breaks) if known else None
        rows.append({"Département": f"{name} ({code})",
                     indicator.label: format_number(value, LEGEND_DECIMALS, indicator.unit)
                     if known else "n.d.",
                     "Classe sur la carte": class_label(breaks, index, indicator.unit,
                                                        LEGEND_DECIMALS)
                     if index is not None else "n.d. (non disponible)"})
    st.header("Valeurs par département", anchor=DEPARTEMENT_TABLE_ANCHOR)
    st.caption(f"Le fond de carte en tableau : {indicator.label}, source {indicator.source} "
               f"({indicator.vintage}).")
    with st.expander(f"Voir les {len(rows)} départements"):
        st.table(pd.DataFrame(rows).set_index("Département"))


def territory_rows(dataset: Dataset, essaimages: pd.DataFrame) -> pd.DataFrame:
    """The table under the map: one row per shown territory, French column names."""
    if essaimages.empty:
        return pd.DataFrame(columns=["Territoire", "Échelle", "Département", "Innovations",
                                     "Étapes", "Structures relais", "Début"])
    names = departements().set_index("code_departement")["nom_departement"]
    table = dataset.territory_table(essaimages)
    return pd.DataFrame({
        "Territoire": table["name"],
        "Échelle": table["scale"].map(SCALES),
        "Département": table["code_departement"].map(names),
        "Innovations": table["innovations"],
        "Étapes": table["stages"],
        "Structures relais": table["relays"],
        "Début": pd.to_datetime(table["first_start"]).dt.strftime("%d/%m/%Y"),
    }).sort_values("Territoire").reset_index(drop=True)
