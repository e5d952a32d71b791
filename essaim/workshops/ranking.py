"""Ranking a workshop's essaimages under its grid and under the room's proposal."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.workshops.grid import Grid
from essaim.workshops.scoring import (
    compare_rankings,
    latest_values,
    score_grid,
    scoring_year,
)


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
    readable name ("Bordeaux — TAPAJ"). `counted` comes from essaim.figures.counted.counted_values."""
    essaimages = session_essaimages(dataset, innovation, territories)
    scoped = counted[counted["territory_code"].isin(essaimages["territory_code"])]
    scoped = scoped[scoped["essaimage_code"].isna()
                    | scoped["essaimage_code"].isin(essaimages["code"])]
    year = scoring_year(scoped, essaimages)
    latest = latest_values(scoped, essaimages, year).reindex(essaimages["code"]).dropna(how="all")
    directions = dict(zip(dataset.indicators["code"], dataset.indicators["direction"]))
    table = compare_rankings(score_grid(grid, latest, directions),
                             score_grid(proposed, latest, directions))
    names = essaimages.set_index("code")
    table.insert(0, "essaimage", [f"{names.at[c, 'territory']} — {names.at[c, 'innovation']}"
                                  for c in table.index])
    table.attrs["year"] = year  # the common reference year every essaimage is scored on
    return table


RANKING_REFRESH_SECONDS = 6


class RankingPace:
    """Which room weights to rank a session with: the current ones, unless the ranking was redone
    less than `refresh_seconds` ago — while a room votes, the medians move with nearly every split
    and scoring two grids is most of a redraw's CPU (the counts and the chart stay live). One per
    process, shared by every screen's thread: its memory changes under a lock."""

    def __init__(self, refresh_seconds: float = RANKING_REFRESH_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self._refresh = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[tuple[str, int], tuple[float, tuple]] = {}

    def weights_to_rank(self, code: str, grid_version: int, room_weights: tuple) -> tuple:
        """The weights to rank with now, remembering when the ranking last changed."""
        key = (code, grid_version)
        with self._lock:
            last = self._last.get(key)
            now = self._clock()
            if last and last[1] != room_weights and now - last[0] < self._refresh:
                return last[1]
            if not last or last[1] != room_weights:
                self._last[key] = (now, room_weights)
            return room_weights
