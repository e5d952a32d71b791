"""Accent- and case-insensitive search over territory names, communes and EPCI."""

from __future__ import annotations

import unicodedata

import pandas as pd


def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: "Saint-Étienne" → "saint etienne"."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").split())


def search_territories(territories: pd.DataFrame, query: str) -> list[str]:
    """Codes of the territories whose name, code or INSEE/EPCI code contains every word of `query`."""
    words = normalise(query).split()
    matches = []
    for row in territories.itertuples():
        haystack = normalise(" ".join(
            str(v) for v in (row.name, row.code, row.insee_commune, row.siren_epci) if pd.notna(v)
        ))
        if all(word in haystack for word in words):
            matches.append(row.code)
    return matches
