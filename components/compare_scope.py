"""Comparer's scoped and normalised values, computed once per selection and dataset and shared
read-only: switching tabs or reopening a view reuses them (bench/bench_compare.py: normalising
took about an eighth of each run)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import comparison_inputs, departements
from essaim.data.dataset import Dataset
from essaim.data.roles import role_indicator
from essaim.figures.normalise import normalise_values
from essaim.figures.scoping import select_scope


@st.cache_resource(max_entries=32, show_spinner=False)
def _scoped(_dataset: Dataset, dataset_key: str, indicators: tuple, innovations: tuple,
            periods: tuple, territories: tuple, partners: tuple, method: str) -> pd.DataFrame:
    values, population = comparison_inputs(_dataset)
    beneficiaries = role_indicator(_dataset.indicators, "beneficiaries")
    scoped = select_scope(values, list(indicators), list(innovations), list(periods),
                          list(territories), list(partners))
    return normalise_values(scoped, method, indicators=_dataset.indicators,
                            beneficiaries=values[(values["indicator_code"] == beneficiaries)
                                                 & values["counts"]],
                            population=population, departements=departements(),
                            territories=_dataset.territories)


def scoped_values(dataset: Dataset, indicators, innovations, periods, territories, partners,
                  method: str) -> pd.DataFrame:
    """Every report of the selection with its `normalised` value (essaim.figures.normalise);
    shared between runs: do not mutate."""
    return _scoped(dataset, dataset.cache_key, tuple(indicators), tuple(innovations),
                   tuple(periods), tuple(territories), tuple(partners), method)
