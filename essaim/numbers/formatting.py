"""French formatting of numbers and safe rendering of imported text.

One owner for how a figure reads: thousands with a non-breaking space, a decimal comma, the true
minus sign "−", "n.d." for a missing value (never 0), changes in a rate in points, and French
plurals (0 and 1 take the singular).
"""

from __future__ import annotations

import math
import re

import numpy as np

from essaim.numbers.measures import infer_measure

NOT_AVAILABLE = "n.d."
NBSP = "\u00a0"  # non-breaking space: French thousands separator and before % and units
MINUS = "\u2212"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")

# Decimals shown per measure (essaim.data.roles.MEASURES).
MEASURE_DECIMALS = {"rate": 1, "score": 1, "count": 0, "amount": 0, "average": 1}


def is_missing(value) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def format_number(value, decimals: int = 0, unit: str = "", signed: bool = False) -> str:
    """1234.5 → "1 234,5" (with `decimals`), −3 → "−3", missing → "n.d."; an optional unit
    follows; `signed` writes "+" before positive numbers (for changes)."""
    if is_missing(value):
        return NOT_AVAILABLE
    number = round(float(value), decimals)
    text = f"{abs(number):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if number < 0 and any(ch not in "0,\u00a0" for ch in text):
        text = MINUS + text
    elif signed and number > 0:
        text = "+" + text
    return f"{text}{NBSP}{unit}" if unit else text


def format_plain(value, max_decimals: int = 4, unit: str = "") -> str:
    """A number as typed back to the person who typed it: French separators, no trailing zeros
    ("49,8", "1 234,5", "100", "−3"), missing → "n.d."."""
    text = format_number(value, max_decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    if text in (MINUS + "0", "-0"):
        text = "0"
    return f"{text}{NBSP}{unit}" if unit and text != NOT_AVAILABLE else text


def format_percent(value, decimals: int = 1) -> str:
    """12.34 (already a percentage) → "12,3 %", missing → "n.d."."""
    return format_number(value, decimals, "%")


def measure_of(unit: str, measure: str | None = None) -> str:
    """The measure of an indicator: the declared one, else what its unit implies."""
    if measure:
        return measure
    return infer_measure(unit)


def _unit_suffix(unit: str, measure: str) -> str:
    if unit in ("%", "‰", "€"):
        return unit
    return ""  # counts and scores read without their unit in a cell ("53", "6,4")


def _decimals(unit: str, measure: str) -> int:
    """Meaningful decimals: euros are shown whole, whatever the measure."""
    return 0 if unit == "€" else MEASURE_DECIMALS.get(measure, 1)


def format_value(value, unit: str, measure: str | None = None) -> str:
    """A value with its indicator unit: rates and scores with one decimal, counts and amounts
    without; "%", "‰" and "€" written after the number."""
    measure = measure_of(unit, measure)
    return format_number(value, _decimals(unit, measure), _unit_suffix(unit, measure))


def format_change(delta, unit: str, measure: str | None = None) -> str:
    """A change between two values, signed: a rate changes in points ("−17,9 pts"), a count in
    units ("+12"), an amount in euros ("+1 200 €")."""
    measure = measure_of(unit, measure)
    if is_missing(delta):
        return NOT_AVAILABLE
    decimals = _decimals(unit, measure)
    if measure == "rate":
        points = "pt" if abs(round(float(delta), decimals)) < 2 else "pts"
        if unit == "‰":
            points += " ‰"
        return format_number(delta, decimals, points, signed=True)
    return format_number(delta, decimals, _unit_suffix(unit, measure), signed=True)


def format_relative_change(new, old) -> str:
    """The relative change of a count or amount, signed ("+12,5 %"); "n.d." without a base."""
    if is_missing(new) or is_missing(old) or float(old) == 0:
        return NOT_AVAILABLE
    return format_number(100 * (float(new) - float(old)) / abs(float(old)), 1, "%", signed=True)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 territoire", "0 territoire", "3 territoires" (French: 0 and 1 take the singular)."""
    word = singular if abs(int(count)) < 2 else (plural_form or singular + "s")
    return f"{format_number(count)} {word}"


def format_decimal_text(value: float) -> str:
    """A number as a file cell: shortest exact form, decimal comma, no thousands separator
    ("0,125", "7600", "44,86257")."""
    text = repr(round(float(value), 6))
    text = text.removesuffix(".0")
    return text.replace(".", ",")


def escape_markdown(text) -> str:
    """Text that Streamlit's markdown shows literally (no links, emphasis or HTML from data)."""
    if is_missing(text):
        return NOT_AVAILABLE
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def round_meaningfully(value, decimals: int = 1):
    """A float rounded for reading: `decimals` places below 1 000 in magnitude, none above.
    Integers and missing values are returned as they are."""
    if is_missing(value) or isinstance(value, (bool, np.bool_)):
        return value
    if isinstance(value, (int, np.integer)):
        return value
    number = float(value)
    if number.is_integer():
        return number
    return round(number, 0 if abs(number) >= 1000 else decimals)


def format_cell_fr(value, decimals: int = 1) -> str:
    """Any table cell as French text: numbers with French separators and meaningful precision
    (`decimals` places, no trailing zeros, none at or above 1 000), booleans as oui/non, dates
    as dd/mm/yyyy, missing as "n.d."."""
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
        places = 0 if number.is_integer() or abs(number) >= 1000 else decimals
        text = format_number(number, places)
        if "," in text:
            text = text.rstrip("0").rstrip(",")
        return text
    return str(value)
