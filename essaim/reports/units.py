"""Values as a reader of a document reads them: always with their unit (« 128 personnes »,
« 7,0 sur 10 », « 36,5 % »), with the decimals of their measure only, and changes in points for a
rate or a score. The on-screen tables read « 53 » under a column named after its unit; a document
quotes values in sentences and cards, where a bare « 3,7 » means nothing.

The same units give the deck's number formats, so that its chart labels stay bound to the chart's
data (PowerPoint formats the number) and still read « 36,5 % »."""

from __future__ import annotations

import re

from essaim.numbers.formatting import (
    MEASURE_DECIMALS,
    NBSP,
    NOT_AVAILABLE,
    format_change,
    format_number,
    is_missing,
    measure_of,
)

SYMBOLS = ("%", "‰", "€")
_OUT_OF = re.compile(r"/\s*(\d+)\s*$")  # « score /10 », « note /5 »
_SCALE = re.compile(r"(\d+)\s*[–-]\s*(\d+)\s*$")  # « niveau 1–5 »


def decimals_of(unit: str, measure: str | None = None) -> int:
    """Decimals a value of this unit and measure is written with (euros: none)."""
    measure = measure_of(unit, measure)
    return 0 if unit == "€" else MEASURE_DECIMALS.get(measure, 1)


def unit_words(unit: str, value: float | None = None) -> str:
    """What follows the number: « % », « sur 10 », « personnes » (« personne » under 2)."""
    unit = (unit or "").strip()
    if not unit or unit in SYMBOLS:
        return unit
    out_of = _OUT_OF.search(unit)
    if out_of:
        return f"sur{NBSP}{out_of.group(1)}"
    scale = _SCALE.search(unit)
    if scale:
        return f"sur{NBSP}{scale.group(2)}"
    singular = value is not None and not is_missing(value) and abs(float(value)) < 2
    if singular and unit.isalpha() and len(unit) > 2 and unit.endswith("s"):
        return unit[:-1]
    return unit


def value_text(value, unit: str, measure: str | None = None) -> str:
    """« 128 personnes », « 36,5 % », « 7,0 sur 10 », « 1 200 € »; « n.d. » when missing."""
    if is_missing(value):
        return NOT_AVAILABLE
    words = unit_words(unit, value)
    return format_number(value, decimals_of(unit, measure), words.replace(" ", NBSP))


def change_text(delta, unit: str, measure: str | None = None) -> str:
    """A change: « +2,1 pts » for a rate, « +0,4 point » for a score, « +12 personnes »."""
    measure = measure_of(unit, measure)
    if is_missing(delta):
        return NOT_AVAILABLE
    if measure == "rate":
        return format_change(delta, unit, measure)
    decimals = decimals_of(unit, measure)
    if measure == "score":
        points = "point" if abs(round(float(delta), decimals)) < 2 else "points"
        return format_number(delta, decimals, points, signed=True)
    return format_number(delta, decimals, unit_words(unit, delta).replace(" ", NBSP),
                         signed=True)


def axis_title(unit: str, measure: str | None = None) -> str:
    """A value axis named by its unit: « en % », « en personnes », « score sur 10 »."""
    unit = (unit or "").strip()
    if not unit:
        return "valeur"
    if measure_of(unit, measure) == "score":
        return f"{unit.split(' ')[0]} {unit_words(unit)}".replace(NBSP, " ")
    return f"en {unit}"


def number_format(unit: str, measure: str | None = None, decimals: int | None = None) -> str:
    """An Excel number format writing the value with its unit, grouped thousands and the minus
    sign "−" (a French PowerPoint shows the group and decimal separators of its locale)."""
    places = decimals_of(unit, measure) if decimals is None else decimals
    number = "#,##0" + ("." + "0" * places if places else "")
    words = unit_words(unit).replace(NBSP, " ")
    suffix = f'" {words}"' if words else ""
    return f'{number}{suffix};"−"{number}{suffix};0{("." + "0" * places) if places else ""}' \
           f"{suffix}"
