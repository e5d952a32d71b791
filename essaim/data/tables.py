"""Converting dataset tables between files (text cells) and typed values for the store."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa

from essaim.data.schema import dataset_columns

_TRUE = {"1", "true", "vrai", "oui", "o", "x", "yes"}
_FALSE = {"0", "false", "faux", "non", "n", "no"}


def parse_bool(text: str) -> bool:
    """oui/non as French offices write it (oui, o, x, vrai, 1; non, n, faux, 0), or the
    true/false of the shipped files; ValueError (French) otherwise."""
    lowered = str(text).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"valeur booléenne attendue (oui/non), reçu « {text} »")


def _convert_cell(column: sa.Column, text):
    if text is None or (isinstance(text, float) and pd.isna(text)) or str(text).strip() == "":
        # A required text column (roles, perverse effects) stores an empty text, not NULL.
        if isinstance(column.type, sa.String) and not column.nullable:
            return ""
        # A required flag left blank is not raised (unusual_confirmed).
        if isinstance(column.type, sa.Boolean) and not column.nullable:
            return False
        return None
    text = str(text).strip()
    if isinstance(column.type, sa.Boolean):
        return parse_bool(text)
    if isinstance(column.type, sa.Float):
        return float(text)
    if isinstance(column.type, sa.Integer):
        return int(text)
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat(text)
    return text


def parse_text_table(table: sa.Table, frame: pd.DataFrame) -> list[dict]:
    """Rows of typed values for `table` from a frame of text cells (as read from a CSV file)."""
    columns = {c.name: c for c in table.columns}
    names = dataset_columns(table)
    return [
        {name: _convert_cell(columns[name], record.get(name)) for name in names}
        for record in frame.to_dict("records")
    ]


def format_cell(value) -> str:
    """The text a typed value is written as in a dataset file."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (np.integer, int)):
        return str(int(value))
    if isinstance(value, (np.floating, float)):
        text = repr(round(float(value), 6))
        return text.removesuffix(".0")
    return str(value)
