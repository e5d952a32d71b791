"""Where a new session's grid starts from — the default grid, a previous session's final grid or
an exported file — asked the same way for a workshop and for a national day's comptoir."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from components.workshop_ui import current_client
from essaim import workshops
from essaim.numbers.ranges import rules_of
from essaim.workshops.grid import Grid, GridError, default_grid
from essaim.workshops.grid_io import import_grid_file

STARTS = {"default": "Grille par défaut (issue des journées nationales)",
          "copy": "Grille finale d'une séance précédente", "file": "Fichier importé"}


@dataclass(frozen=True)
class GridStart:
    start: str
    previous: str
    uploaded: Any


def grid_start_fields(default_label: str | None = None, key: str = "grid_start") -> GridStart:
    """The three widgets, drawn inside the caller's form."""
    labels = STARTS | ({"default": default_label} if default_label else {})
    start = st.radio("Grille de départ", list(labels), format_func=labels.get, key=f"{key}_from")
    previous = st.text_input("Code de la séance précédente (pour reprendre sa grille)",
                             max_chars=12, key=f"{key}_previous")
    uploaded = st.file_uploader("Fichier de grille (.json ou .xlsx exporté par Essaim)",
                                type=["json", "xlsx"], key=f"{key}_file")
    return GridStart(start, previous, uploaded)


def resolve_grid(engine, indicators, chosen: GridStart) -> Grid:
    """The grid the fields ask for; GridError or WorkshopError in French otherwise."""
    if chosen.start == "copy":
        if not chosen.previous.strip():
            raise GridError("Tapez le code de la séance précédente dont partir.")
        earlier = workshops.check_join_code(engine, chosen.previous, current_client())
        return workshops.current_grid(engine, earlier.code)[0]
    if chosen.start == "file":
        if chosen.uploaded is None:
            raise GridError("Choisissez un fichier de grille.")
        return import_grid_file(chosen.uploaded.name, chosen.uploaded.getvalue(),
                                set(indicators["code"]), rules_of(indicators))
    return default_grid(indicators)
