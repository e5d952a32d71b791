"""Filtering territories for the map and its table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

OVERSEAS_VIEWS: dict[str, tuple[tuple[float, float], int]] = {
    "Métropole": ((46.6, 2.4), 6),
    "Guadeloupe": ((16.2, -61.55), 9),
    "Martinique": ((14.65, -61.0), 10),
    "Guyane": ((4.0, -53.1), 7),
    "La Réunion": ((-21.11, 55.53), 9),
    "Mayotte": ((-12.82, 45.15), 10),
}


@dataclass(frozen=True)
class TerritoryFilter:
    """What the person chose; an empty tuple means "all"."""

    innovations: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    start_years: tuple[int, int] | None = None


def filter_essaimages(essaimages: pd.DataFrame, chosen: TerritoryFilter) -> pd.DataFrame:
    """The essaimages (from Dataset.essaimage_table) matching every chosen criterion."""
    mask = pd.Series(True, index=essaimages.index)
    if chosen.innovations:
        mask &= essaimages["innovation_code"].isin(chosen.innovations)
    if chosen.stages:
        mask &= essaimages["stage"].isin(chosen.stages)
    if chosen.regions:
        mask &= essaimages["code_region"].isin(chosen.regions)
    if chosen.start_years:
        years = pd.to_datetime(essaimages["start_date"]).dt.year
        mask &= years.between(*chosen.start_years)
    return essaimages[mask]
