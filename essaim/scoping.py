"""The comparison scope: indicator values joined with innovations, names and partner types."""

from __future__ import annotations

import pandas as pd

from essaim.dataset import Dataset


def enrich_values(dataset: Dataset) -> pd.DataFrame:
    """Every indicator value with its innovation, territory name, partner name and type, and the
    indicator's label, unit, family, direction and standard flag.

    Territory-level values (no essaimage) get the innovation "" and are kept for every scope."""
    values = dataset.indicator_values.copy()
    essaimages = dataset.essaimages.set_index("code")
    values["innovation_code"] = values["essaimage_code"].map(essaimages["innovation_code"]).fillna("")
    values["territory"] = values["territory_code"].map(dataset.territories.set_index("code")["name"])
    partners = dataset.partners.set_index("code")
    values["partner"] = values["partner_code"].map(partners["name"])
    values["partner_type"] = values["partner_code"].map(partners["type"])
    definitions = dataset.indicators.set_index("code")
    for column in ("label", "unit", "family", "direction", "standard"):
        values[column] = values["indicator_code"].map(definitions[column])
    return values


def select_scope(values: pd.DataFrame, indicator_codes: list[str], innovation_codes: list[str],
                 periods: list[str]) -> pd.DataFrame:
    """Values of the chosen indicators and periods, for essaimages of the chosen innovations (and
    territory-level values of territories hosting one of them)."""
    chosen = values[values["indicator_code"].isin(indicator_codes) & values["period"].isin(periods)]
    hosting = set(values.loc[values["innovation_code"].isin(innovation_codes), "territory_code"])
    keep = chosen["innovation_code"].isin(innovation_codes) | (
        (chosen["innovation_code"] == "") & chosen["territory_code"].isin(hosting))
    return chosen[keep]


def scale_for_radar(table: pd.DataFrame, directions: dict[str, str]) -> pd.DataFrame:
    """Min–max scale each indicator column of `table` (entities × indicators) to 0–100 across the
    entities, 100 being the best (reversed for indicators where lower is better); NaN stays NaN."""
    scaled = table.astype(float).copy()
    for column in scaled.columns:
        low, high = scaled[column].min(), scaled[column].max()
        if pd.isna(low) or high == low:
            scaled[column] = scaled[column].where(scaled[column].isna(), 50.0)
            continue
        scaled[column] = 100 * (scaled[column] - low) / (high - low)
        if directions.get(column) == "down":
            scaled[column] = 100 - scaled[column]
    return scaled
