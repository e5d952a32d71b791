"""Composite scores of the essaimages under an evaluation grid.

Each criterion linked to an indicator gives every essaimage a 0–100 score from its latest value:
linear from the threshold (0) to the target (100) when both are set, otherwise min–max across the
essaimages scored; reversed where lower is better. The composite is the weighted mean of the
criteria scores an essaimage has data for; qualitative criteria (no indicator) are left out of the
composite and said so. A target is met when the value reaches it in the good direction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.grid import Grid


def latest_values(values: pd.DataFrame, essaimages: pd.DataFrame) -> pd.DataFrame:
    """Latest value per (essaimage, indicator): essaimage-level reports, and territory-level values
    (such as long-term job seekers) attached to every essaimage of the territory."""
    own = values.dropna(subset=["essaimage_code"])
    territorial = values[values["essaimage_code"].isna()].drop(columns=["essaimage_code"]).merge(
        essaimages[["code", "territory_code"]].rename(columns={"code": "essaimage_code"}),
        on="territory_code")
    merged = pd.concat([own, territorial], ignore_index=True)
    latest = merged.sort_values("period").groupby(["essaimage_code", "indicator_code"]).tail(1)
    return latest.pivot(index="essaimage_code", columns="indicator_code", values="value")


def criterion_score(values: pd.Series, target: float | None, threshold: float | None,
                    direction: str) -> pd.Series:
    """0–100 scores of one criterion's values (NaN stays NaN)."""
    if target is not None and threshold is not None and target != threshold:
        scores = 100 * (values - threshold) / (target - threshold)
    else:
        low, high = values.min(), values.max()
        if pd.isna(low) or high == low:
            return values.where(values.isna(), 50.0)
        scores = 100 * (values - low) / (high - low)
        if direction == "down":
            scores = 100 - scores
    return scores.clip(0, 100)


def target_met(values: pd.Series, target: float | None, direction: str) -> pd.Series:
    """True where the target is reached, False where not, NaN where no value or no target."""
    if target is None:
        return pd.Series(np.nan, index=values.index)
    met = values <= target if direction == "down" else values >= target
    return met.where(values.notna())


def score_grid(grid: Grid, latest: pd.DataFrame, directions: dict[str, str]) -> pd.DataFrame:
    """One row per essaimage: composite (0–100), rank (1 = best), targets met / with a target,
    criteria scored. Essaimages without any scored criterion get NaN and no rank."""
    weighted = pd.Series(0.0, index=latest.index)
    weights = pd.Series(0.0, index=latest.index)
    met = pd.Series(0, index=latest.index)
    with_target = pd.Series(0, index=latest.index)
    scored = pd.Series(0, index=latest.index)
    for _, criterion in grid.criteria():
        code = criterion.indicator_code
        if not code or code not in latest.columns or criterion.weight == 0:
            continue
        direction = directions.get(code, "up")
        column = latest[code]
        scores = criterion_score(column, criterion.target, criterion.threshold, direction)
        known = scores.notna()
        weighted += scores.fillna(0) * criterion.weight
        weights += known * criterion.weight
        scored += known
        reached = target_met(column, criterion.target, direction)
        met += reached.fillna(False).astype(bool).astype(int)
        with_target += reached.notna().astype(int)
    composite = (weighted / weights.replace(0, np.nan)).round(1)
    table = pd.DataFrame({"composite": composite, "targets_met": met, "targets": with_target,
                          "criteria_scored": scored})
    table["rank"] = table["composite"].rank(ascending=False, method="min")
    return table.sort_values(["rank", "composite"], na_position="last")


def compare_rankings(current: pd.DataFrame, proposed: pd.DataFrame) -> pd.DataFrame:
    """Side by side: composite and rank under each grid, and how many places each moved
    (positive = moved up under the proposal)."""
    table = current[["composite", "rank"]].join(
        proposed[["composite", "rank"]], lsuffix="_current", rsuffix="_proposed", how="outer")
    table["moved"] = table["rank_current"] - table["rank_proposed"]
    return table.sort_values("rank_proposed", na_position="last")
