"""The map of the essaimage territories: département choropleth, EPCI contours, innovation markers.

`prepare_territory_map` builds and renders the map once per (dataset, indicator, shown
essaimages, layers) and caches the result; `show_territory_map` draws it and returns the territory
whose marker was clicked. Pan and zoom do not rerun the page.
"""

from __future__ import annotations

import html

import folium
import folium.plugins
import pandas as pd
import streamlit as st

from components.data_access import departements, show_error_and_stop
from components.map_payload import draw_map_payload, render_map_payload
from components.offline_assets import (
    LEAFLET_CSS,
    LEAFLET_JS,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_JS,
)
from essaim.classify import legend_entries, quantile_breaks
from essaim.dataset import Dataset
from essaim.errors import EssaimError
from essaim.geo import (
    colour_departements,
    innovation_colours,
    load_geojson,
    select_epci,
    spread_colocated,
    text_colour_on,
)
from essaim.model import SCALES
from essaim.reference import REFERENCE_INDICATORS
from essaim.territory_filters import OVERSEAS_VIEWS

@st.cache_data(show_spinner=False)
def _load_contours(filename: str) -> dict:
    return load_geojson(filename)


def contours(filename: str) -> dict:
    """A contour file from data/geo (cached); stops the page with a French message if missing."""
    try:
        return _load_contours(filename)
    except EssaimError as error:
        show_error_and_stop(error)


def _marker_html(code: str, entries: list[tuple[str, str]]) -> str:
    """A pill with one coloured segment per innovation, each showing its roadmap stage."""
    segments = "".join(
        f'<span style="background:{colour};color:{text_colour_on(colour)};padding:0 5px;'
        f'display:inline-block;min-width:14px;text-align:center">{html.escape(stage)}</span>'
        for colour, stage in entries
    )
    badge = (f'<span style="background:#000;color:#fff;padding:0 4px">{len(entries)}</span>'
             if len(entries) > 1 else "")
    return (
        f'<div class="essaim-marker" data-territory="{html.escape(code)}" '
        'style="display:inline-flex;border:2px solid #111;border-radius:9px;overflow:hidden;'
        'font:bold 12px/18px sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.5);cursor:pointer;'
        f'white-space:nowrap">{segments}{badge}</div>'
    )


def _tooltip_html(name: str, lines: list[str]) -> str:
    body = "<br>".join(html.escape(line) for line in lines)
    return f"<b>{html.escape(name)}</b><br>{body}"


def choropleth_breaks(indicator_code: str) -> tuple[list[float], dict[str, float]]:
    """Quantile bounds and the value per département code for a reference indicator."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    frame = departements()
    values = dict(zip(frame["code_departement"], frame[indicator.column]))
    return quantile_breaks(list(values.values())), values


@st.cache_data(max_entries=8, show_spinner=False)
def _coloured_departements(indicator_code: str) -> dict:
    indicator = REFERENCE_INDICATORS[indicator_code]
    breaks, values = choropleth_breaks(indicator_code)
    return colour_departements(contours("departements-web.geojson"), values, breaks, indicator.unit)


@st.cache_data(max_entries=8, show_spinner=False)
def _epci_contours(sirens: tuple[str, ...]) -> dict:
    return select_epci(contours("epci.geojson"), set(sirens))


def build_territory_map(
    dataset: Dataset,
    indicator_code: str,
    essaimage_codes: tuple[str, ...],
    show_epci: bool,
    show_osm: bool,
) -> tuple[folium.Map, dict[tuple[float, float], str]]:
    """The folium map of the territories running `essaimage_codes` and, for click lookup, each
    marker's display position → territory code."""
    fmap = folium.Map(location=OVERSEAS_VIEWS["Métropole"][0], zoom_start=6, tiles=None,
                      control_scale=True, minZoom=3, maxZoom=18,
                      # Leaflet focuses the map on mousedown for keyboard panning; when the map
                      # is partly below the fold the page then scrolls under the pointer and the
                      # click on a marker is lost. The table under the map is the keyboard path.
                      keyboard=False)
    fmap.default_js = LEAFLET_JS
    fmap.default_css = LEAFLET_CSS
    fmap.get_root().header.add_child(
        folium.Element("<style>.leaflet-container{background:#eef3f7}</style>")
    )
    if show_osm:
        folium.TileLayer("OpenStreetMap", name="Fond OpenStreetMap").add_to(fmap)

    indicator = REFERENCE_INDICATORS[indicator_code]
    folium.GeoJson(
        _coloured_departements(indicator_code),
        name="Départements",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555555",
                                  "weight": 0.7, "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(fields=["nom", "valeur"],
                                      aliases=["Département", indicator.label]),
    ).add_to(fmap)

    essaimages = dataset.essaimage_table()
    essaimages = essaimages[essaimages["code"].isin(essaimage_codes)]
    territories = dataset.territories.set_index("code")
    shown = territories.loc[sorted(essaimages["territory_code"].unique())]

    if show_epci and not shown.empty:
        sirens = set(shown["siren_epci"].dropna())
        folium.GeoJson(
            _epci_contours(tuple(sorted(sirens))),
            name="EPCI",
            style_function=lambda f: {"fill": False, "color": "#b35c00", "weight": 2,
                                      "dashArray": "6 4"},
            tooltip=folium.GeoJsonTooltip(fields=["nom"], aliases=["EPCI"]),
        ).add_to(fmap)

    colours = innovation_colours(list(dataset.innovations["code"]))
    positions = spread_colocated(
        [(code, row.latitude, row.longitude) for code, row in shown.iterrows()]
    )
    cluster = folium.plugins.MarkerCluster(
        name="Territoires",
        options={"maxClusterRadius": 35, "disableClusteringAtZoom": 9, "spiderfyOnMaxZoom": True,
                 "showCoverageOnHover": False, "removeOutsideVisibleBounds": False},
    )
    cluster.default_js = MARKERCLUSTER_JS
    cluster.default_css = MARKERCLUSTER_CSS
    lookup: dict[tuple[float, float], str] = {}
    by_territory = {code: group for code, group in
                    essaimages.sort_values("innovation").groupby("territory_code")}
    for code, row in shown.iterrows():
        mine = by_territory[code]
        entries = [(colours[e.innovation_code], e.stage) for e in mine.itertuples()]
        width = 8 + sum(10 + 8 * len(stage) for _, stage in entries) + (18 if len(entries) > 1 else 0)
        lat, lon = positions[code]
        lookup[(round(lat, 5), round(lon, 5))] = code
        folium.Marker(
            location=(lat, lon),
            icon=folium.DivIcon(html=_marker_html(code, entries), icon_size=(width, 22),
                                icon_anchor=(width // 2, 11), class_name="essaim-divicon"),
            # Not sticky: a tooltip following the pointer would sit under it and take the click.
            tooltip=folium.Tooltip(_tooltip_html(
                row["name"], [f"{e.innovation} – {e.stage_label}" for e in mine.itertuples()]
            ), sticky=False, direction="top", offset=(0, -12)),
        ).add_to(cluster)
    cluster.add_to(fmap)
    return fmap, lookup


@st.cache_data(max_entries=16, show_spinner="Préparation de la carte…")
def prepare_territory_map(_dataset: Dataset, dataset_key: str, indicator_code: str,
                          essaimage_codes: tuple[str, ...], show_epci: bool,
                          show_osm: bool) -> tuple[dict, dict]:
    """The rendered map (cached per dataset, indicator, shown essaimages and layers) and the
    marker position → territory lookup."""
    fmap, lookup = build_territory_map(_dataset, indicator_code, essaimage_codes, show_epci,
                                       show_osm)
    return render_map_payload(fmap), lookup


def show_territory_map(payload: dict, lookup: dict, view: str, height: int = 600) -> str | None:
    """Draw the map centred on `view` (Métropole or an overseas département); return the code of
    the territory whose marker was clicked, or None. Only clicks rerun the page."""
    center, zoom = OVERSEAS_VIEWS[view]
    state = draw_map_payload(payload, key="territory_map", height=height, center=center,
                             zoom=zoom, returned_objects=["last_object_clicked"])
    clicked = (state or {}).get("last_object_clicked")
    if not clicked:
        return None
    return lookup.get((round(clicked["lat"], 5), round(clicked["lng"], 5)))


def draw_innovation_legend(dataset: Dataset) -> None:
    """Colour swatches of the innovations and the meaning of the stage label on markers."""
    colours = innovation_colours(list(dataset.innovations["code"]))
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span style="width:14px;height:14px;background:{colours[code]};border:1px solid #111;'
        f'display:inline-block;margin-right:5px"></span>{html.escape(name)}</span>'
        for code, name in zip(dataset.innovations["code"], dataset.innovations["name"])
    )
    st.html(f'<div style="font-size:0.9rem;line-height:1.6">{items}</div>')
    st.caption("Sur chaque marqueur : l'étape atteinte de la feuille de route (0 identification, "
               "I faisabilité, II mobilisation, III essaimage, IV évaluation) ; le chiffre noir "
               "indique plusieurs innovations dans le même territoire. Les marqueurs proches se "
               "regroupent en cercles numérotés : cliquez pour zoomer.")


def draw_choropleth_legend(indicator_code: str) -> None:
    """The classes of the département layer with units, and its source and vintage."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    breaks, _ = choropleth_breaks(indicator_code)
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span style="width:22px;height:14px;background:{colour};border:1px solid #555;'
        f'display:inline-block;margin-right:5px"></span>{html.escape(label)}</span>'
        for colour, label in legend_entries(breaks, indicator.unit)
    )
    st.html(f'<div style="font-size:0.9rem"><b>{html.escape(indicator.label)}</b> '
            f'(classes par quantiles)<br>{items}</div>')
    st.caption(f"Source : {indicator.source} — millésime {indicator.vintage}.")


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
