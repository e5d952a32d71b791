"""Quantile classes for choropleths, with a colour-blind-safe sequential palette."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from essaim.numbers.formatting import format_number

# ColorBrewer YlGnBu (sequential, colour-blind safe), light to dark.
SEQUENTIAL_PALETTE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
MISSING_COLOUR = "#bdbdbd"


def quantile_breaks(values: Sequence[float], classes: int = 5, decimals: int = 6) -> list[float]:
    """Class bounds (classes + 1 values, min to max) by quantiles, ignoring missing values, at
    `decimals` places: give the precision values are shown at, so that a value shown as 5,0 is
    never in a class labelled "à moins de 5,0".

    Equal bounds collapse, so a variable with few distinct values yields fewer classes.
    """
    known = np.asarray([round(float(v), decimals) for v in values
                        if v is not None and not np.isnan(v)], dtype=float)
    if known.size == 0:
        return []
    bounds = np.quantile(known, np.linspace(0, 1, classes + 1))
    return sorted({round(float(b), decimals) for b in bounds})


def assign_class(value: float | None, breaks: list[float]) -> int | None:
    """The class index (0 = lowest) of `value`, or None when it is missing."""
    if value is None or np.isnan(value) or len(breaks) < 2:
        return None
    index = int(np.searchsorted(breaks, value, side="right")) - 1
    return min(max(index, 0), len(breaks) - 2)


def class_colour(index: int | None, class_count: int) -> str:
    """The palette colour of a class, spread over the palette when there are fewer classes."""
    if index is None:
        return MISSING_COLOUR
    if class_count <= 1:
        return SEQUENTIAL_PALETTE[-1]
    position = round(index * (len(SEQUENTIAL_PALETTE) - 1) / (class_count - 1))
    return SEQUENTIAL_PALETTE[position]


def class_label(breaks: list[float], index: int, unit: str = "", decimals: int = 1) -> str:
    """The French label of class `index`: "de 4,6 à moins de 6,4 %" (a value equal to the upper
    bound belongs to the next class), the last class "de 6,4 à 9,1 %" (its maximum included)."""
    suffix = f"\u00a0{unit}" if unit else ""
    low, high = format_number(breaks[index], decimals), format_number(breaks[index + 1], decimals)
    if index == len(breaks) - 2:
        return f"de {low} à {high}{suffix}"
    return f"de {low} à moins de {high}{suffix}"


def legend_entries(breaks: list[float], unit: str, decimals: int = 1) -> list[tuple[str, str]]:
    """(colour, French label) per class, then the "n.d." entry."""
    count = len(breaks) - 1
    entries = [(class_colour(i, count), class_label(breaks, i, unit, decimals)) for i in range(count)]
    entries.append((MISSING_COLOUR, "n.d. (non disponible)"))
    return entries
