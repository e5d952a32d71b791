"""French formatting of numbers and safe rendering of imported text."""

from __future__ import annotations

import math
import re

import numpy as np

NOT_AVAILABLE = "n.d."
NBSP = "\u00a0"  # non-breaking space: French thousands separator and before % and units

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def is_missing(value) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, decimals: int = 0, unit: str = "") -> str:
    """1234.5 → "1 234,5" (with `decimals`), missing → "n.d."; an optional unit follows."""
    if is_missing(value):
        return NOT_AVAILABLE
    text = f"{float(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if text.startswith("-") and not any(ch not in "-0,\u00a0" for ch in text):
        text = text[1:]  # no "-0"
    return f"{text}{NBSP}{unit}" if unit else text


def format_percent(value, decimals: int = 1) -> str:
    """12.34 (already a percentage) → "12,3 %", missing → "n.d."."""
    return format_number(value, decimals, "%")


def format_value(value, unit: str) -> str:
    """A value with its indicator unit: percentages and scores with one decimal, counts without."""
    if unit in ("%", "‰") or unit.startswith("score") or unit.startswith("niveau"):
        suffix = unit if unit in ("%", "‰") else ""
        return format_number(value, 1, suffix)
    if unit == "€":
        return format_number(value, 0, "€")
    return format_number(value, 0)


def escape_markdown(text) -> str:
    """Text that Streamlit's markdown shows literally (no links, emphasis or HTML from data)."""
    if is_missing(text):
        return NOT_AVAILABLE
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def format_cell_fr(value) -> str:
    """Any table cell as French text: numbers with French separators (up to 5 decimals, no
    trailing zeros), booleans as oui/non, dates as dd/mm/yyyy, missing as "n.d."."""
    if isinstance(value, (bool, np.bool_)):
        return "oui" if value else "non"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if is_missing(value):
        return NOT_AVAILABLE
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        text = format_number(number, 5)
        if "," in text:
            text = text.rstrip("0").rstrip(",")
        return text
    return str(value)
