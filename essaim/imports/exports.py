"""Exports that are safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula is prefixed with a quote; others unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_neutralised_text(text: str) -> str:
    """The text before `neutralise_formula` ("'=SOMME(A1)" → "=SOMME(A1)"): what an export wrote
    reads back as what was typed."""
    if isinstance(text, str) and text[:1] == "'" and text[1:2] and text[1:].startswith(
            _FORMULA_PREFIXES):
        return text[1:]
    return text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell a spreadsheet would run as a formula is neutralised (and
    column headings too: imported labels can become headings)."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe.rename(columns=lambda c: neutralise_formula(c) if isinstance(c, str) else c)


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes for a French spreadsheet: `;` separated, decimal comma, UTF-8 BOM, no formulas.
    Numbers keep the precision they were given (round them for reading before, see
    essaim.numbers.formatting.round_meaningfully)."""
    return neutralise_frame(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
