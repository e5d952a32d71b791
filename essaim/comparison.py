"""Comparison points for a territory's indicators: previous period, peers, département, France."""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.dataset import Dataset


def compare_with_peers(dataset: Dataset, counted: pd.DataFrame, territory_code: str) -> pd.DataFrame:
    """For each essaimage of the territory and each indicator, at the latest period: the counted
    value, the previous period's value, and the median/min/max over the other territories
    running the same innovation in that period. NaN where unknown (a contested cell included).
    `counted` comes from essaim.counted.counted_values."""
    reports = counted[counted["essaimage_code"].notna()]
    essaimages = dataset.essaimages.set_index("code")
    reports = reports.assign(innovation_code=reports["essaimage_code"].map(essaimages["innovation_code"]))
    own = reports[reports["territory_code"] == territory_code]
    rows = []
    for (essaimage_code, indicator_code), group in own.groupby(["essaimage_code", "indicator_code"]):
        group = group.sort_values("period")
        latest = group.iloc[-1]
        previous = group.iloc[-2]["value"] if len(group) > 1 else np.nan
        peers = reports[(reports["innovation_code"] == latest["innovation_code"])
                        & (reports["indicator_code"] == indicator_code)
                        & (reports["period"] == latest["period"])
                        & (reports["territory_code"] != territory_code)]["value"]
        rows.append({
            "essaimage_code": essaimage_code,
            "innovation_code": latest["innovation_code"],
            "indicator_code": indicator_code,
            "period": latest["period"],
            "value": latest["value"],
            "previous": previous,
            "peer_median": peers.median() if len(peers) else np.nan,
            "peer_min": peers.min() if len(peers) else np.nan,
            "peer_max": peers.max() if len(peers) else np.nan,
            "peer_count": len(peers),
            "source": latest["source"],
            "status": latest["status"],
        })
    return pd.DataFrame(rows)


def france_reference(departements: pd.DataFrame, column: str) -> float:
    """France's value of a département rate, as the population-weighted mean of the départements
    that have one (an Essaim calculation, labelled as such where shown)."""
    known = departements[departements[column].notna()]
    if known.empty:
        return np.nan
    return float(np.average(known[column], weights=known["population_2022"]))
