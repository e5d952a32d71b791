"""The map as an image to download (PNG): built only when the button is pressed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import departements
from components.territory_map import LEGEND_DECIMALS, contours
from essaim.data.dataset import Dataset
from essaim.data.demo import DEMO_NOTICE
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.explorer.classify import quantile_breaks
from essaim.explorer.map_data import innovation_legend, territory_points
from essaim.explorer.map_figure import MapImageText, map_image_figure, produced_on
from essaim.numbers.formatting import plural
from essaim.reports.images import figure_png, find_chromium


def map_image_text(dataset: Dataset, shown: pd.DataFrame, indicator_code: str,
                   filter_text: str) -> MapImageText:
    """Title, filters, legend title and footer (source, vintage, data notice) of the image."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    count = shown["territory_code"].nunique()
    data_line = (f"Territoires et innovations : {DEMO_NOTICE.lower()}." if dataset.holds_demo_data
                 else f"Territoires et innovations : {dataset.label} ({dataset.created_at:%d/%m/%Y}).")
    return MapImageText(
        title=f"Territoires de l'AIS#Emploi — {indicator.label} par département",
        subtitle=f"{plural(count, 'territoire affiché', 'territoires affichés')} sur "
                 f"{len(dataset.territories)} ; filtres : {filter_text}",
        indicator=f"{indicator.label}<br>(classes par quantiles, par département)",
        footer=[(f"Source : {indicator.source} — millésime {indicator.vintage}. "
                "Contours : IGN Admin Express (Licence Ouverte)."),
                data_line + " " + produced_on()],
    )


def draw_map_image_download(dataset: Dataset, shown: pd.DataFrame, indicator_code: str,
                            filter_text: str, view: list[list[float]] | None = None) -> None:
    """A "Télécharger la carte (PNG)" button: the map of the shown territories as the browser
    shows it (`view`: its bounds, else mainland France), territories named when few are in
    view, with its legends, source and vintage, drawn by kaleido with the system Chromium when
    pressed."""
    indicator = REFERENCE_INDICATORS[indicator_code]
    if find_chromium() is None:
        st.caption("Export de la carte en image indisponible : Chromium est absent de ce serveur "
                   "(paquet « chromium »).")
        return
    frame = departements()
    geojson = contours("departements-web.geojson")

    def png() -> bytes:
        # Prepared only when the button is pressed (a separate thread, no Streamlit call).
        values = dict(zip(frame["code_departement"], frame[indicator.column]))
        breaks = quantile_breaks(list(values.values()), decimals=LEGEND_DECIMALS)
        figure = map_image_figure(geojson, values, breaks, indicator.unit,
                                  territory_points(dataset, shown), innovation_legend(dataset),
                                  map_image_text(dataset, shown, indicator_code, filter_text),
                                  view)
        return figure_png(figure)

    st.download_button("Télécharger la carte (PNG)", png, file_name=f"carte_{indicator_code}.png",
                       mime="image/png", icon=":material/image:", on_click="ignore",
                       key="carte_image",
                       help="La carte des territoires affichés, avec ses légendes, sa source et "
                            "son millésime, en image (1600 × 1250 px).")
