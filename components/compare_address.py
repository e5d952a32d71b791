"""Comparer's selection in the address: read once when the page opens (a shared link reproduces
the view; what the page cannot use is said, in French, value by value) and written back as it
changes. French parameter names: people read and share links."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from essaim.explorer.filters import FRAME_KEYS, ignored_parameters

# Widget key → address parameter.
PARAMETERS = {"cmp_indicators": "indicateur", "cmp_innovations": "innovation",
              "cmp_periods": "periode", "cmp_territories": "territoire",
              "cmp_partners": "partenaire", "cmp_method": "normalisation", "cmp_view": "vue"}
SINGLE = ("cmp_method", "cmp_view")
_OPENING = "cmp_address_opening"
_IGNORED = "cmp_address_ignored"


def opening_choices(allowed: dict[str, Sequence[str]], defaults: dict[str, object]) -> dict:
    """The value each widget opens with: from the address where it names known values, else the
    default; computed on the page's first run and kept (the widgets then hold the state)."""
    if _OPENING not in st.session_state:
        query = {key: st.query_params.get_all(key) for key in st.query_params}
        accepted = {PARAMETERS[key]: list(values) for key, values in allowed.items()}
        st.session_state[_IGNORED] = ignored_parameters(query, accepted)
        opening = {}
        for key, default in defaults.items():
            wanted = [v for v in query.get(PARAMETERS[key], []) if v in set(allowed[key])]
            if not wanted:
                opening[key] = default
            else:
                opening[key] = wanted[0] if key in SINGLE else wanted
        st.session_state[_OPENING] = opening
    return st.session_state[_OPENING]


def ignored_in_address() -> list[str]:
    """What the opening address asked that Comparer left out (« indicateur=xyz »)."""
    return st.session_state.get(_IGNORED, [])


def write_choices(defaults: dict[str, object]) -> None:
    """The widgets' values into the address, leaving out those at their default (other
    parameters, such as projection, are kept)."""
    target = {key: st.query_params.get_all(key) for key in st.query_params
              if key in FRAME_KEYS}
    for key, parameter in PARAMETERS.items():
        value = st.session_state.get(key)
        if value is None or value == defaults.get(key):
            continue
        target[parameter] = [str(value)] if key in SINGLE else [str(v) for v in value]
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if target != current:
        st.query_params.from_dict(target)
