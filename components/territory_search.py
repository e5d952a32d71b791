"""The territory finder of *Mon territoire*: a search over every place name that leads to a
territory (essaim.explorer.search), built once per dataset."""

from __future__ import annotations

import streamlit as st

from components.data_access import communes, departements
from essaim.data.dataset import Dataset
from essaim.explorer.search import build_gazetteer, search_places


@st.cache_data(max_entries=4, show_spinner=False)
def _gazetteer(_dataset: Dataset, dataset_key: str):
    return build_gazetteer(_dataset.territories, communes(), departements())


def _forget_choice() -> None:
    # A new search offers new territories: the list starts again on the best match.
    st.session_state.pop("territoire_code", None)


def choose_territory(dataset: Dataset, requested: str | None) -> str | None:
    """A search field and the list of territories it leads to (each with the place that led
    there); the territory chosen, or None while none is chosen. `requested` (from the address)
    is preselected."""
    territories = dataset.territories.sort_values("name")
    names = dict(zip(territories["code"], territories["name"]))
    query = st.text_input("Rechercher un territoire par commune, intercommunalité, département "
                          "(nom ou numéro) ou nom du territoire — accents facultatifs",
                          key="territoire_query", on_change=_forget_choice,
                          placeholder="ex. Pessac, Métropole de Lyon, Isère, 38, Saint-Étienne")
    reasons: dict[str, str] = {}
    if query:
        matches = search_places(_gazetteer(dataset, dataset.cache_key), query, names)
        if not matches:
            st.info("Aucun territoire ne correspond à cette recherche. Essayez le nom d'une "
                    "commune, d'une intercommunalité ou d'un département, ou son numéro.",
                    icon=":material/search_off:")
            return None
        options = [m.territory_code for m in matches]
        reasons = {m.territory_code: m.reason() for m in matches}
        st.caption(f"{len(options)} territoire(s) trouvé(s) pour « {query} ».")
    else:
        options = list(names)
    if requested in options:
        index = options.index(requested)
    else:
        index = 0 if query else None
    return st.selectbox(
        "Territoire", options, index=index, key="territoire_code",
        format_func=lambda c: f"{names[c]} ({reasons[c]})" if reasons.get(c) else names[c],
        placeholder="Choisissez un territoire")
