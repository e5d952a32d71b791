"""The app's way to the store and the data: cached engine, cached dataset, cached reference files.

Pages call `current_dataset()`; the store is opened once per process, the dataset is re-read only
when the active dataset changes (one cheap query per run tells), and what is derived from a
dataset (the values that count, enriched values, populations) is computed once per dataset.

These are kept as shared, read-only objects (st.cache_resource), not copied on every read: on
Comparer, unpickling the dataset and the enriched values took about a fifth of each run
(bench/bench_compare.py). Nothing may mutate them; every function that changes a frame copies
it first.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from essaim.data import reference, store
from essaim.data.dataset import Dataset
from essaim.errors import EssaimError
from essaim.settings import resolve_database_url


@st.cache_resource(show_spinner="Ouverture de la base de données…")
def _open_engine(url: str) -> Engine:
    return store.open_store(url)


@st.cache_resource(max_entries=4, show_spinner=False)
def _read_dataset(url: str, version: str) -> Dataset:
    return store.read_dataset(_open_engine(url))


def show_error_and_stop(error: EssaimError) -> None:
    """Show an EssaimError's French message and advice, then stop the script run."""
    st.error(f"**{error.message}**\n\n{error.advice}", icon=":material/error:")
    st.stop()


def current_engine() -> Engine:
    """The store's engine (cached per process); stops the page with a French message on failure."""
    try:
        return _open_engine(resolve_database_url())
    except EssaimError as error:
        show_error_and_stop(error)


def current_dataset() -> Dataset:
    """The active dataset (cached; re-read only when another dataset becomes active)."""
    url = resolve_database_url()
    try:
        engine = _open_engine(url)
        return _read_dataset(url, store.read_data_version(engine))
    except EssaimError as error:
        show_error_and_stop(error)
    except Exception as error:  # noqa: BLE001 - a lost database must not show a traceback
        show_error_and_stop(
            EssaimError(
                "La base de données ne répond plus.",
                f"Vérifiez qu'elle est démarrée et joignable, puis rechargez la page. (Détail : {error})",
            )
        )


def workshop_count() -> int:
    """How many workshop sessions the store holds (one count query)."""
    return store.count_workshops(current_engine())


@st.cache_resource(show_spinner=False)
def departements() -> reference.pd.DataFrame:
    """Département reference statistics (cached for the process)."""
    try:
        return reference.load_departements()
    except EssaimError as error:
        show_error_and_stop(error)


@st.cache_resource(show_spinner=False)
def _communes() -> reference.pd.DataFrame:
    return reference.load_communes()


def communes() -> reference.pd.DataFrame:
    """The communes reference (cached for the process)."""
    try:
        return _communes()
    except EssaimError as error:
        show_error_and_stop(error)


def clear_data_caches() -> None:
    """Forget cached datasets after the active dataset changed (imports, rollbacks)."""
    _read_dataset.clear()
    _counted.clear()
    _comparison_inputs.clear()


@st.cache_resource(max_entries=4, show_spinner=False)
def _counted(_dataset: Dataset, dataset_key: str):
    from essaim.figures.counted import counted_values

    return counted_values(_dataset)


def counted(dataset: Dataset) -> reference.pd.DataFrame:
    """The value that counts for each reported cell (essaim.figures.counted), cached per dataset. Do not
    mutate the returned frame."""
    return _counted(dataset, dataset.cache_key)


@st.cache_resource(max_entries=4, show_spinner=False)
def _comparison_inputs(_dataset: Dataset, dataset_key: str):
    from essaim.data.population import territory_population
    from essaim.figures.scoping import enrich_values

    return (enrich_values(_dataset, counted(_dataset)),
            territory_population(_dataset.territories, _communes()))


def comparison_inputs(dataset: Dataset):
    """Every report enriched (with whether it is the one that counts) and the population of each
    territory, cached per dataset."""
    try:
        return _comparison_inputs(dataset, dataset.cache_key)
    except EssaimError as error:
        show_error_and_stop(error)


@st.cache_resource(max_entries=4, show_spinner=False)
def _provenance_inputs(dataset_key: str):
    from essaim.partners.provenance import read_provenance_inputs

    return read_provenance_inputs(current_engine())


def provenance_inputs(dataset: Dataset):
    """The partners' declarations, threads and local definitions behind the figures
    (essaim.partners.provenance), re-read whenever the partners' data changes (the dataset's key
    changes with it). Do not mutate."""
    return _provenance_inputs(dataset.cache_key)
