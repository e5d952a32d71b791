"""The territory finder of *Mon territoire*: a search over every place name of France that leads to
a territory (essaim.explorer.search). The place index is built once per process, in the
background as soon as the server draws its first page (warm_search_index), so that the first
search answers at once."""

from __future__ import annotations

import logging
import threading

import streamlit as st

from components.data_access import communes, departements
from essaim.data import reference
from essaim.data.dataset import Dataset
from essaim.explorer.search import (
    KINDS,
    PlaceIndex,
    SearchAnswer,
    build_place_index,
    read_epci_names,
    search_places,
    territory_places,
)
from essaim.numbers.formatting import format_number

log = logging.getLogger(__name__)
_WARMING = threading.Lock()
_warmed = False


@st.cache_resource(show_spinner=False)
def _place_index() -> PlaceIndex:
    return build_place_index(reference.load_communes(), reference.load_departements(),
                             read_epci_names())


def warm_search_index() -> None:
    """Build the place index in a background thread, once per process (the frame calls this on
    every page, so the index is ready before anyone types a search)."""
    global _warmed
    with _WARMING:
        if _warmed:
            return
        _warmed = True

    def build() -> None:
        try:
            _place_index()
        except Exception:  # the search builds it again and says what is wrong
            log.exception("search index not built in the background")

    threading.Thread(target=build, name="essaim-search-index", daemon=True).start()


@st.cache_data(max_entries=4, show_spinner=False)
def _territories(_dataset: Dataset, dataset_key: str):
    communes(), departements()  # a missing reference file stops the page with a French message
    return territory_places(_dataset.territories, _place_index())


def _forget_choice() -> None:
    # A new search offers new territories: the list starts again on the best match.
    st.session_state.pop("territoire_code", None)


def _answer(dataset: Dataset, query: str) -> SearchAnswer:
    return search_places(_place_index(), _territories(dataset, dataset.cache_key), query)


def choose_territory(dataset: Dataset, requested: str | None) -> str | None:
    """A search field and the list of territories it leads to (each with the place that led
    there; around a place no territory covers, the nearest ones with their distance); the
    territory chosen, or None while none is chosen. `requested` (from the address) is
    preselected."""
    territories = dataset.territories.sort_values("name")
    names = dict(zip(territories["code"], territories["name"]))
    query = st.text_input("Rechercher un territoire par commune, intercommunalité, département "
                          "(nom ou numéro) ou nom du territoire — accents facultatifs",
                          key="territoire_query", on_change=_forget_choice,
                          placeholder="ex. Pessac, Grand Lyon, Isère, 38, Saint-Étienne")
    reasons: dict[str, str] = {}
    options = list(names)
    if query:
        answer = _answer(dataset, query)
        if answer.uncovered is not None:
            place = answer.uncovered
            nearest = " ; ".join(f"{names[c]} à {format_number(km, 0)} km" for c, km in place.nearest)
            st.info(f"Aucun territoire de l'accélérateur ne couvre **{place.name}** "
                    f"({KINDS[place.kind].split()[0]}, {place.departement}). Les plus proches : "
                    f"{nearest}.", icon=":material/near_me:")
            options = [c for c, _ in place.nearest]
            reasons = {c: f"à {format_number(km, 0)} km de {place.name}" for c, km in place.nearest}
        elif not answer.matches:
            st.info("Aucun lieu ne correspond à cette recherche. Essayez le nom d'une commune, "
                    "d'une intercommunalité ou d'un département, ou son numéro.",
                    icon=":material/search_off:")
            return None
        else:
            options = [m.territory_code for m in answer.matches]
            reasons = {m.territory_code: m.reason() for m in answer.matches}
            st.caption(f"{len(options)} territoire(s) trouvé(s) pour « {query} ».")
    if requested in options:
        index = options.index(requested)
    else:
        index = 0 if query else None
    return st.selectbox(
        "Territoire", options, index=index, key="territoire_code",
        format_func=lambda c: f"{names[c]} ({reasons[c]})" if reasons.get(c) else names[c],
        placeholder="Choisissez un territoire")
