"""Ranking a workshop's essaimages under its grid and under the room's proposal."""

from __future__ import annotations

import pandas as pd

from essaim.dataset import Dataset
from essaim.grid import Grid
from essaim.scoring import compare_rankings, latest_values, score_grid


def session_essaimages(dataset: Dataset, innovation: str | None,
                       territories: tuple[str, ...]) -> pd.DataFrame:
    """The essaimages in a session's scope (an innovation and/or territories; all when empty)."""
    essaimages = dataset.essaimage_table()
    if innovation:
        essaimages = essaimages[essaimages["innovation_code"] == innovation]
    if territories:
        essaimages = essaimages[essaimages["territory_code"].isin(territories)]
    return essaimages


def rank_essaimages(dataset: Dataset, counted: pd.DataFrame, grid: Grid, proposed: Grid,
                    innovation: str | None, territories: tuple[str, ...]) -> pd.DataFrame:
    """Composite scores, coverage and ranks of the session's essaimages under both grids, with a
    readable name ("Bordeaux — TAPAJ"). `counted` comes from essaim.counted.counted_values."""
    essaimages = session_essaimages(dataset, innovation, territories)
    scoped = counted[counted["territory_code"].isin(essaimages["territory_code"])]
    scoped = scoped[scoped["essaimage_code"].isna()
                    | scoped["essaimage_code"].isin(essaimages["code"])]
    latest = latest_values(scoped, essaimages).reindex(essaimages["code"]).dropna(how="all")
    directions = dict(zip(dataset.indicators["code"], dataset.indicators["direction"]))
    table = compare_rankings(score_grid(grid, latest, directions),
                             score_grid(proposed, latest, directions))
    names = essaimages.set_index("code")
    table.insert(0, "essaimage", [f"{names.at[c, 'territory']} — {names.at[c, 'innovation']}"
                                  for c in table.index])
    return table
