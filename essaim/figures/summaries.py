"""How several values become one, in every view and document: the one rule.

- A group of territories (an innovation, a partner's reports, the accelerator): counts and
  amounts add up (« total »); rates, scores and averages — and any value once normalised (per
  100 beneficiaries, per 10 000 inhabitants, gap to a reference) — take the median.
- Within one territory running several innovations, its essaimages' counts add up; its rates are
  not averaged across innovations here: views that need one value per territory take the median
  and say so, views about a territory compare it innovation by innovation.
- « The latest value » of a series is the value of its latest period with a value.

Comparer, the key figures, the portrait, the scores and the documents call these functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from essaim.numbers.measures import ADDITIVE_MEASURES

SUM, MEDIAN = "sum", "median"
SUMMARY_WORDS = {SUM: "total", MEDIAN: "médiane"}


def summary_rule(measure: str, normalised: bool = False) -> str:
    """SUM for counts and amounts as declared, MEDIAN for everything else."""
    return SUM if measure in ADDITIVE_MEASURES and not normalised else MEDIAN


def summary_word(measure: str, normalised: bool = False) -> str:
    """« total » or « médiane », as the views and documents say it."""
    return SUMMARY_WORDS[summary_rule(measure, normalised)]


def summarise(values: pd.Series, measure: str, normalised: bool = False) -> float:
    """One value for a group: the total or the median of the known values; NaN when none is
    known (never 0)."""
    known = pd.Series(values, dtype=float).dropna()
    if known.empty:
        return np.nan
    return float(known.sum() if summary_rule(measure, normalised) == SUM else known.median())


def summarise_groups(frame: pd.DataFrame, keys: Sequence[str], measure: str,
                     value: str = "value", normalised: bool = False) -> pd.Series:
    """`summarise` per group of `keys` (groups with no known value are left out)."""
    known = frame.dropna(subset=[value])
    how = "sum" if summary_rule(measure, normalised) == SUM else "median"
    return known.groupby(list(keys))[value].agg(how)


def latest_per(frame: pd.DataFrame, keys: Sequence[str], value: str = "value") -> pd.DataFrame:
    """For each group of `keys`, the row of its latest period that has a value (periods are
    years written as text, ordered as such)."""
    known = frame.dropna(subset=[value])
    return known.sort_values("period", kind="stable").groupby(list(keys)).tail(1)
