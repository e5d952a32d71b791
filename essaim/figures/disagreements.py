"""Where partners report different values for the same indicator, territory and period."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from essaim.data.roles import DEFAULT_TOLERANCE_PCT, tolerance_share

KEYS = ["indicator_code", "territory_code", "essaimage_code", "period"]


def find_disagreements(values: pd.DataFrame, tolerances: Mapping[str, float] | None = None,
                       default_tolerance: float = DEFAULT_TOLERANCE_PCT / 100) -> pd.DataFrame:
    """One row per (indicator, territory, essaimage, period) reported by two or more partners with
    values differing by more than the indicator's tolerance (relative, from `tolerances`: code →
    share, else `default_tolerance`): the lowest and highest reports, who made them, the gap and
    the gap as a share of the largest. Sorted by relative gap, largest first."""
    tolerances = tolerances or {}
    frame = values.copy()
    frame["essaimage_code"] = frame["essaimage_code"].fillna("")
    # Only cells reported by several partners can disagree: find them vectorised first.
    reporters = frame.groupby(KEYS)["partner_code"].transform("nunique")
    frame = frame[reporters > 1]
    rows = []
    for key, group in frame.groupby(KEYS, sort=True):
        if group["partner_code"].nunique() < 2:
            continue
        low = group.loc[group["value"].idxmin()]
        high = group.loc[group["value"].idxmax()]
        gap = high["value"] - low["value"]
        scale = max(abs(high["value"]), abs(low["value"]), 1e-9)
        if gap / scale <= tolerances.get(key[0], default_tolerance):
            continue
        rows.append({
            **dict(zip(KEYS, key)),
            "reports": len(group),
            "low_partner": low["partner_code"], "low_value": low["value"], "low_source": low["source"],
            "high_partner": high["partner_code"], "high_value": high["value"],
            "high_source": high["source"],
            "gap": gap, "relative_gap": gap / scale,
        })
    columns = KEYS + ["reports", "low_partner", "low_value", "low_source", "high_partner",
                      "high_value", "high_source", "gap", "relative_gap"]
    result = pd.DataFrame(rows, columns=columns)
    result["essaimage_code"] = result["essaimage_code"].replace("", None)
    return result.sort_values("relative_gap", ascending=False).reset_index(drop=True)


def indicator_tolerances(indicators: pd.DataFrame) -> dict[str, float]:
    """Indicator code → its disagreement tolerance as a share (declared, else the default)."""
    return {row["code"]: tolerance_share(row) for row in indicators.to_dict("records")}
