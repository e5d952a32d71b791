"""The values a figure can take, one set of rules for every entry path (import, partner form and
template, thread proposal, arbitration, grid editor, phone).

- A rate lies in its unit's range: 0 to 100 for « % », 0 to 1 000 for « ‰ ».
- A count is a whole number, never negative; an amount or an average is never negative.
- A score lies within the scale the indicator declares (its minimum and maximum), and any
  indicator may declare a minimum or a maximum that tightens these.
- A year is not after the current one, nor before 1990, nor before the innovation existed.
- A value far outside what the other territories report for the indicator is not refused: it asks
  for a confirmation and is marked as such (`is_unusual`).

Every refusal is a French sentence that states the rule.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.numbers.formatting import format_number, format_plain

FIRST_YEAR = 1990
# « Far outside »: further from the other territories' median than UNUSUAL_MADS times their
# scaled median absolute deviation (1,4826 × MAD, a robust standard deviation), with at least
# UNUSUAL_MIN_PEERS other values to compare with.
UNUSUAL_MADS = 5.0
UNUSUAL_MIN_PEERS = 5
UNUSUAL_RULE = ("une valeur est dite inhabituelle quand elle s'écarte de la médiane des autres "
                f"territoires de plus de {format_number(UNUSUAL_MADS, 0)} fois leur écart absolu "
                "médian (multiplié par 1,4826, un écart-type robuste), s'il y a au moins "
                f"{UNUSUAL_MIN_PEERS} autres valeurs ; elle n'est pas refusée mais demande une "
                "confirmation et reste marquée")


@dataclass(frozen=True)
class ValueRule:
    """What one indicator's values may be."""

    measure: str = "count"
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def of(cls, definition) -> ValueRule:
        """The rule of an indicator definition (a mapping or a row with measure, unit, minimum,
        maximum)."""
        def get(name):
            value = definition.get(name) if hasattr(definition, "get") else None
            return None if value is None or (isinstance(value, float) and math.isnan(value)) \
                else value
        minimum, maximum = get("minimum"), get("maximum")
        return cls(measure=str(get("measure") or "count"), unit=str(get("unit") or ""),
                   minimum=None if minimum is None else float(minimum),
                   maximum=None if maximum is None else float(maximum))

    def bounds(self) -> tuple[float | None, float | None]:
        """The lowest and highest values allowed (None: no bound)."""
        low, high = None, None
        if self.measure == "rate":
            low, high = 0.0, 1000.0 if self.unit.strip() == "‰" else 100.0
        elif self.measure in ("count", "amount", "average"):
            low = 0.0
        if self.minimum is not None:
            low = self.minimum if low is None else max(low, self.minimum)
        if self.maximum is not None:
            high = self.maximum if high is None else min(high, self.maximum)
        return low, high

    def describe(self) -> str:
        """The rule in French: « un taux en % va de 0 à 100 »."""
        low, high = self.bounds()
        what = {"rate": f"un taux en {self.unit.strip() or '%'}", "count": "un effectif",
                "amount": "un montant", "average": "une moyenne",
                "score": "un score"}.get(self.measure, "cette valeur")
        whole = " est un nombre entier" if self.measure == "count" else ""
        if low is not None and high is not None:
            span = f" va de {format_plain(low)} à {format_plain(high)}"
        elif low is not None:
            negative = "négative" if self.measure == "average" else "négatif"
            span = f" vaut au moins {format_plain(low)}" if low else f" n'est jamais {negative}"
        elif high is not None:
            span = f" vaut au plus {format_plain(high)}"
        else:
            span = ""
        if not whole and not span:
            return ""
        joined = f"{whole}{' et' if whole and span else ''}{span}"
        return f"{what}{joined}".replace("  ", " ")

    def check(self, value: float) -> str | None:
        """None when `value` is possible, else the French reason (the rule stated)."""
        if value is None or not math.isfinite(value):
            return "nombre attendu"
        low, high = self.bounds()
        shown = format_plain(value)
        if self.measure == "count" and value != int(value):
            return f"{shown} n'est pas possible : {self.describe()}"
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{shown} n'est pas possible : {self.describe()}"
        return None


def rules_of(indicators) -> dict[str, ValueRule]:
    """Each indicator's rule, from the indicators table (a frame or a list of rows)."""
    rows = indicators.to_dict("records") if hasattr(indicators, "to_dict") else indicators
    return {row["code"]: ValueRule.of(row) for row in rows if row.get("code")}


def current_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year


def check_year(period, *, founded_year: int | None = None, today: dt.date | None = None,
               what: str = "l'innovation") -> str | None:
    """None when `period` is a possible year, else the French reason."""
    text = str(period).strip()
    if not text.isdigit() or len(text) != 4:
        return f"année attendue sur quatre chiffres (ex. {current_year(today) - 1}), reçu « {text} »"
    year = int(text)
    this_year = current_year(today)
    if year > this_year:
        return (f"l'année {year} n'est pas encore arrivée : on déclare une année écoulée ou "
                f"l'année en cours ({this_year} au plus)")
    if year < FIRST_YEAR:
        return f"l'année {year} est antérieure à {FIRST_YEAR} : vérifiez la saisie"
    if founded_year is not None and year < int(founded_year):
        return f"l'année {year} précède la création de {what} ({int(founded_year)})"
    return None


def robust_spread(values: pd.Series) -> tuple[float, float]:
    """Median and scaled median absolute deviation (a robust standard deviation) of `values`."""
    known = pd.Series(values, dtype=float).dropna()
    median = float(known.median())
    mad = float((known - median).abs().median()) * 1.4826
    if mad == 0:
        # Many identical values: the mean absolute deviation keeps a scale (0 only when all equal).
        mad = float((known - median).abs().mean()) * 1.2533
    return median, mad


def is_unusual(value: float, others: pd.Series) -> bool:
    """True when `value` lies far outside the other territories' values (see UNUSUAL_RULE)."""
    others = pd.Series(others, dtype=float).dropna()
    if len(others) < UNUSUAL_MIN_PEERS or not math.isfinite(value):
        return False
    median, spread = robust_spread(others)
    if spread == 0:
        return bool(value != median and abs(value - median) > max(abs(median), 1.0))
    return bool(abs(value - median) > UNUSUAL_MADS * spread)


def unusual_reason(value: float, others: pd.Series, unit_text: str = "") -> str:
    """« 250 est loin de ce que déclarent les autres territoires (médiane 6, de 0 à 12) »."""
    others = pd.Series(others, dtype=float).dropna()
    median = float(np.median(others))
    return (f"{format_plain(value)}{unit_text} est loin de ce que "
            f"déclarent les autres territoires (médiane {format_number(median, 1)}, de "
            f"{format_number(others.min(), 1)} à {format_number(others.max(), 1)}, "
            f"{len(others)} valeurs) : confirmez-la si elle est juste")
