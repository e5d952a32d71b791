"""The side panel shown when a territory is chosen on the map."""

from __future__ import annotations

import streamlit as st

from components.data_access import counted, departements
from components.map_state import clear_selection
from components.provenance_view import draw_provenance_picker
from essaim.data.dataset import Dataset
from essaim.data.model import SCALES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.counted import STATUS_SHORT
from essaim.figures.territory_figures import latest_key_figures
from essaim.numbers.formatting import escape_markdown, format_percent
from essaim.site_map import page_file

PORTRAIT_PAGE = page_file("territoire")


def draw_territory_panel(dataset: Dataset, territory_code: str | None) -> None:
    """Name, innovations and stages, key figures with sources, a link to the portrait and a
    button that closes the panel."""
    if territory_code is None:
        st.info("Cliquez sur un marqueur (ou, au clavier, choisissez-le avec les flèches puis "
                "Entrée) pour afficher les chiffres clés du territoire.")
        return
    territory = dataset.territories.set_index("code").loc[territory_code]
    reference = departements().set_index("code_departement").loc[territory["code_departement"]]
    st.markdown(f"## {escape_markdown(territory['name'])}")
    st.caption(
        f"{SCALES[territory['scale']]} · {escape_markdown(reference['nom_departement'])} "
        f"({territory['code_departement']}) · "
        + ("quartier(s) prioritaire(s) présent(s)" if territory["qpv"] else "sans QPV")
    )
    essaimages = dataset.essaimage_table()
    for e in essaimages[essaimages["territory_code"] == territory_code].itertuples():
        st.markdown(f"**{escape_markdown(e.innovation)}** — {e.stage_label}  \n"
                    f"{escape_markdown(e.relay)}")
    values = counted(dataset)
    figures = latest_key_figures(dataset, values, territory_code)
    if figures.empty:
        st.caption("Pas encore d'indicateur de résultat : l'essaimage n'a pas atteint l'étape III.")
    for row in figures.itertuples():
        st.markdown(f"{escape_markdown(row.label)} ({row.innovation}, {row.period}) : **{row.text}**"
                    f" — *{STATUS_SHORT.get(row.status, '')}*", help=f"Source : {row.source}")
    draw_provenance_picker(dataset, values, figures.assign(
        indicator_code=figures["indicator"], territory_code=territory_code,
        text=[f"{r.label} · {r.innovation} · {r.period} : {r.text}" for r in figures.itertuples()]),
        key="carte_provenance")
    unemployment = REFERENCE_INDICATORS["chomage_2025"]
    st.markdown(
        f"Chômage du département : **{format_percent(reference[unemployment.column])}**",
        help=f"Source : {unemployment.source}, {unemployment.vintage}.",
    )
    st.page_link(PORTRAIT_PAGE, label="Voir le portrait du territoire", icon=":material/arrow_forward:",
                 query_params={"territoire": territory_code})
    st.button("Fermer", key="carte_close_panel", on_click=clear_selection, icon=":material/close:",
              help="Fermer le panneau de ce territoire.")
