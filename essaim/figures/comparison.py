"""Comparison points for a territory's indicators: previous period, peers, département, France."""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.figures.counted import STATUS_SHORT

PEER_COLUMNS = ["essaimage_code", "innovation_code", "indicator_code", "period", "value",
                "previous", "peer_median", "peer_min", "peer_max", "peer_count", "source",
                "status", "earlier_statuses"]
# Statuses of a cell partners discussed (essaim.figures.counted): disputed or settled.
DISCUSSED = ("retenu", "conteste", "remis_en_cause", "accord", "arbitrage")


def compare_with_peers(dataset: Dataset, counted: pd.DataFrame, territory_code: str) -> pd.DataFrame:
    """For each essaimage of the territory and each indicator, at the latest period: the counted
    value, the previous period's value, and the median/min/max over the other territories
    running the same innovation in that period, and the earlier periods partners discussed. NaN
    where unknown (a contested cell included). `counted` comes from
    essaim.figures.counted.counted_values."""
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
        earlier = group.iloc[:-1]
        earlier = earlier[earlier["status"].isin(DISCUSSED)]
        notes = "; ".join(f"{STATUS_SHORT[s]} en {p}" for s, p in
                          zip(earlier["status"], earlier["period"].astype(str)))
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
            "earlier_statuses": notes,  # « en désaccord en 2019; accordé en 2020 »
        })
    return pd.DataFrame(rows, columns=PEER_COLUMNS)


def france_reference(departements: pd.DataFrame, column: str) -> float:
    """France's value of a département rate, as the population-weighted mean of the départements
    that have one (an Essaim calculation, labelled as such where shown)."""
    known = departements[departements[column].notna()]
    if known.empty:
        return np.nan
    return float(np.average(known[column], weights=known["population_2022"]))


def region_reference(departements: pd.DataFrame, code_region: str, column: str) -> float:
    """A region's value of a département rate: the population-weighted mean of its départements
    that have one (an Essaim calculation, labelled as such where shown)."""
    return france_reference(departements[departements["code_region"] == code_region], column)


def reference_comparison(departements: pd.DataFrame, code_departement: str,
                         indicators) -> pd.DataFrame:
    """Each reference statistic (essaim.data.reference.ReferenceIndicator) for the département, its
    region and France: columns label, unit, departement, region, france, source, vintage. NaN
    where a statistic is not published."""
    frame = departements.reset_index() if "code_departement" not in departements else departements
    own = frame[frame["code_departement"] == code_departement]
    if own.empty:
        return pd.DataFrame(columns=["label", "unit", "departement", "region", "france", "source",
                                     "vintage"])
    row = own.iloc[0]
    return pd.DataFrame([{
        "label": indicator.label, "unit": indicator.unit,
        "departement": row[indicator.column],
        "region": region_reference(frame, row["code_region"], indicator.column),
        "france": france_reference(frame, indicator.column),
        "source": indicator.source, "vintage": indicator.vintage,
    } for indicator in indicators])


def key_indicator_series(dataset: Dataset, counted: pd.DataFrame, territory_code: str,
                         indicator_codes: list[str]) -> pd.DataFrame:
    """Per key indicator and essaimage of the territory, the value that counts in each period,
    beside the median of the other territories running the same innovation that period.
    Columns: indicator_code, innovation_code, period, value, peer_median (NaN where unknown)."""
    columns = ["indicator_code", "innovation_code", "period", "value", "peer_median"]
    reports = counted[counted["essaimage_code"].notna()
                      & counted["indicator_code"].isin(indicator_codes)]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    innovations = dataset.essaimages.set_index("code")["innovation_code"]
    reports = reports.assign(innovation_code=reports["essaimage_code"].map(innovations))
    own = reports[reports["territory_code"] == territory_code]
    if own.empty:
        return pd.DataFrame(columns=columns)
    others = reports[reports["territory_code"] != territory_code]
    peers = others.groupby(["indicator_code", "innovation_code", "period"])["value"].median()
    series = own.groupby(["indicator_code", "innovation_code", "period"])["value"].first()
    table = series.rename("value").reset_index()
    table["peer_median"] = [peers.get((i, n, p), np.nan) for i, n, p in
                            zip(table["indicator_code"], table["innovation_code"], table["period"])]
    return table.sort_values(["indicator_code", "innovation_code", "period"]).reset_index(drop=True)
