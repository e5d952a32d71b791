"""Difference-in-differences: a treated group and a comparison group, before and after.

The estimate is the coefficient of treated × after in y = a + b·treated + c·after + d·treated×after,
which equals (treated after − treated before) − (comparison after − comparison before) in group
means. Its standard error is clustered by territory (observations of one territory are not
independent), with a Student t quantile for the 95 % interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class DidResult:
    estimate: float
    standard_error: float
    ci_low: float
    ci_high: float
    treated_before: float
    treated_after: float
    control_before: float
    control_after: float
    n_treated: int
    n_control: int
    n_observations: int


def estimate_did(panel: pd.DataFrame) -> DidResult:
    """Estimate from a panel with columns unit, treated (bool), after (bool), y.

    Raises ValueError (French) when a group or a period is empty.
    """
    data = panel.dropna(subset=["y"])
    cells = data.groupby(["treated", "after"])["y"].mean()
    for treated in (True, False):
        for after in (True, False):
            if (treated, after) not in cells.index:
                group = "traité" if treated else "de comparaison"
                period = "après" if after else "avant"
                raise ValueError(f"Aucune observation pour le groupe {group}, période {period}.")
    treated = data["treated"].astype(float).to_numpy()
    after = data["after"].astype(float).to_numpy()
    y = data["y"].astype(float).to_numpy()
    design = np.column_stack([np.ones_like(y), treated, after, treated * after])
    bread = np.linalg.pinv(design.T @ design)
    coefficients = bread @ design.T @ y
    residuals = y - design @ coefficients
    units = data["unit"].to_numpy()
    meat = np.zeros((4, 4))
    clusters = pd.unique(units)
    for unit in clusters:
        mask = units == unit
        score = design[mask].T @ residuals[mask]
        meat += np.outer(score, score)
    n, k, g = len(y), design.shape[1], len(clusters)
    correction = (g / max(g - 1, 1)) * ((n - 1) / max(n - k, 1))
    covariance = correction * bread @ meat @ bread
    standard_error = float(np.sqrt(max(covariance[3, 3], 0.0)))
    quantile = stats.t.ppf(0.975, df=max(g - 1, 1))
    estimate = float(coefficients[3])
    return DidResult(
        estimate=estimate,
        standard_error=standard_error,
        ci_low=estimate - quantile * standard_error,
        ci_high=estimate + quantile * standard_error,
        treated_before=float(cells[(True, False)]),
        treated_after=float(cells[(True, True)]),
        control_before=float(cells[(False, False)]),
        control_after=float(cells[(False, True)]),
        n_treated=int(data.loc[data["treated"], "unit"].nunique()),
        n_control=int(data.loc[~data["treated"], "unit"].nunique()),
        n_observations=n,
    )


def build_did_panel(values: pd.DataFrame, treated_units: set[str], start_period: str) -> pd.DataFrame:
    """A panel from territory-level values (territory_code, period, value): treated when the
    territory is in `treated_units`, after from `start_period` on."""
    panel = values[["territory_code", "period", "value"]].rename(
        columns={"territory_code": "unit", "value": "y"})
    panel["treated"] = panel["unit"].isin(treated_units)
    panel["after"] = panel["period"] >= start_period
    return panel


def trend_by_group(panel: pd.DataFrame) -> pd.DataFrame:
    """Mean outcome per period for each group (the parallel-trends chart)."""
    trend = panel.groupby(["period", "treated"])["y"].mean().reset_index()
    trend["group"] = trend["treated"].map({True: "Territoires avec l'innovation",
                                           False: "Territoires de comparaison"})
    return trend
