"""Where partners report different values for the same indicator, territory and period."""

from __future__ import annotations

import pandas as pd

KEYS = ["indicator_code", "territory_code", "essaimage_code", "period"]


def find_disagreements(values: pd.DataFrame, tolerance: float = 0.005) -> pd.DataFrame:
    """One row per (indicator, territory, essaimage, period) reported by two or more partners with
    values differing by more than `tolerance` (relative): the lowest and highest reports, who made
    them, the gap and the gap as a share of the highest. Sorted by relative gap, largest first."""
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
        if gap / scale <= tolerance:
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
