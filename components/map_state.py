"""The map page's state in the address: filters, indicator, selected territory and view are read
from it when the page opens (a shared link reproduces the view) and written back as they change.
The rules are in essaim.explorer.filters; this module moves them in and out of Streamlit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.data.dataset import Dataset
from essaim.data.model import STAGES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.explorer.filters import (
    QUERY_KEYS,
    MapChoices,
    MapState,
    MapView,
    TerritoryFilter,
    ignored_parameters,
    map_accepted,
    map_state_from_query,
    map_state_to_query,
)

# Widget keys of pages/carte.py and what they hold.
WIDGETS = {"innovations": "carte_innovations", "stages": "carte_stages",
           "regions": "carte_regions", "start_years": "carte_years",
           "indicator": "carte_indicator", "epci": "carte_epci"}
_VIEW = "carte_view_to_apply"  # the view the map opens at (None: fitted to the territories)
_LAST = "carte_last_layers"  # filters and layers of the previous run
_CLICK = "carte_last_click"  # the last marker click seen, to tell a new click from a rerun
_SELECTED = "carte_selected"
_YEARS = "carte_years_opening"
_IGNORED = "carte_address_ignored"


def opening_years() -> tuple[int, int]:
    """The start-year range the year slider opens with (from the address)."""
    return st.session_state[_YEARS]


def _query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def read_map_state(dataset: Dataset, essaimages: pd.DataFrame, default_indicator: str) -> MapState:
    """The state the address describes (its view is the last one the browser reported), with
    the selected territory. On the page's first run (or a shared link), the filter widgets and
    the map's opening view start from it."""
    years = sorted(int(y) for y in essaimages["start_date"].map(lambda d: d.year).unique())
    choices = MapChoices(innovations=list(dataset.innovations["code"]), stages=list(STAGES),
                         regions=sorted(set(essaimages["code_region"])), years=years,
                         indicators=list(REFERENCE_INDICATORS),
                         territories=list(dataset.territories["code"]))
    state = map_state_from_query(_query(), choices)
    opening = WIDGETS["innovations"] not in st.session_state
    if opening:
        st.session_state[WIDGETS["innovations"]] = list(state.filter.innovations)
        st.session_state[WIDGETS["stages"]] = list(state.filter.stages)
        st.session_state[WIDGETS["regions"]] = list(state.filter.regions)
        # A range slider is one because its `value` is a pair: the page passes this one.
        st.session_state[_YEARS] = state.filter.start_years or (years[0], years[-1])
        st.session_state[WIDGETS["indicator"]] = state.indicator or default_indicator
        st.session_state[WIDGETS["epci"]] = state.epci
        st.session_state[_VIEW] = state.view
        st.session_state[_SELECTED] = state.territory
        st.session_state.pop(_LAST, None)
        st.session_state.pop(_CLICK, None)
        st.session_state[_IGNORED] = ignored_parameters(_query(), map_accepted(choices))
    return MapState(filter=state.filter, indicator=state.indicator,
                    territory=st.session_state.get(_SELECTED), view=state.view, epci=state.epci)


def ignored_in_address() -> list[str]:
    """What the address the page opened with asked that the map left out (« innovation=xyz »)."""
    return st.session_state.get(_IGNORED, [])


def view_to_apply(chosen: TerritoryFilter, layers: tuple, reported: MapView | None) -> MapView | None:
    """The view the map should open at this run: unchanged while the map stays the same; fitted
    to the territories again when the filters change; kept where it was when only the background
    or the layers change (the map is redrawn)."""
    previous = st.session_state.get(_LAST)
    st.session_state[_LAST] = (chosen, layers)
    if previous is not None and previous[0] != chosen:
        st.session_state[_VIEW] = None
    elif previous is not None and previous[1] != layers:
        st.session_state[_VIEW] = reported or st.session_state.get(_VIEW)
    return st.session_state.get(_VIEW)


def write_map_state(state: MapState, clicked: str | None, default_indicator: str,
                    all_years: tuple[int, int]) -> str | None:
    """Record a new marker click as the selection and write the state into the address (other
    parameters, such as projection, are kept). Returns the selected territory code."""
    if clicked is not None and clicked != st.session_state.get(_CLICK):
        st.session_state[_SELECTED] = clicked
    st.session_state[_CLICK] = clicked
    selected = st.session_state.get(_SELECTED)
    wanted = map_state_to_query(MapState(filter=state.filter, indicator=state.indicator,
                                         territory=selected, view=state.view, epci=state.epci),
                                default_indicator, all_years)
    ours = set(QUERY_KEYS.values())
    others = {key: values for key, values in _query().items() if key not in ours}
    target = {**others, **{k: v if isinstance(v, list) else [v] for k, v in wanted.items()}}
    if target != _query():
        st.query_params.from_dict(target)
    return selected


def clear_selection() -> None:
    """Forget the selected territory (the panel's close button)."""
    st.session_state[_SELECTED] = None
