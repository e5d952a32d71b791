"""Composite scores of the essaimages under an evaluation grid.

Each criterion linked to an indicator gives every essaimage a 0–100 score from its counted value
at the common reference year (essaim.figures.key_figures.reference_year: a territory reporting a
year ahead of the others is scored on the same year as them): linear from the threshold (0) to the target (100) when both are set and agree with the
indicator's direction, otherwise min–max across the essaimages scored, reversed where lower is
better. The composite is the weighted mean of the criteria an essaimage has data for, shown with
its coverage (criteria with data / criteria linked to an indicator); qualitative criteria (no
indicator) are rated by the room and left out of the composite. An essaimage with data for fewer
than half of the grid's weight is not ranked: its score would rest on too little.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.figures.key_figures import reference_year
from essaim.figures.scaling import min_max_scale
from essaim.figures.summaries import latest_per
from essaim.workshops.grid import Grid

MIN_WEIGHT_COVERAGE = 0.5

RANKING_RULE = ("Score sur 100, à l'année de référence commune (la même pour tous les "
                "essaimages) : moyenne pondérée des critères chiffrés pour lesquels "
                "l'essaimage a une valeur ; un critère sans valeur est laissé de côté (il ne "
                "compte pas pour 0) et la couverture indique combien de critères ont servi. Un "
                "essaimage renseigné sur moins de la moitié du poids de la grille n'est pas "
                "classé. Les critères qualitatifs sont appréciés par la salle, pas par le score.")


def scoring_year(values: pd.DataFrame, essaimages: pd.DataFrame) -> str | None:
    """The common reference year of the essaimages' own values (None without any)."""
    own = values[values["essaimage_code"].isin(essaimages["code"]) & values["value"].notna()]
    return reference_year(own, set(own["territory_code"])) if len(own) else None


def latest_values(values: pd.DataFrame, essaimages: pd.DataFrame,
                  year: str | None = None) -> pd.DataFrame:
    """Counted value per (essaimage, indicator) at `year` (by default the common reference year
    of the essaimages' values, scoring_year): essaimage-level values, and territory-level values
    (such as long-term job seekers) attached to every essaimage of the territory. A cell without
    a value that year is missing, not an older or newer year's; contested cells are left out."""
    values = values[values["value"].notna()]
    year = year or scoring_year(values, essaimages)
    values = values[values["period"] == year] if year else values.iloc[0:0]
    own = values.dropna(subset=["essaimage_code"])
    territorial = values[values["essaimage_code"].isna()].drop(columns=["essaimage_code"]).merge(
        essaimages[["code", "territory_code"]].rename(columns={"code": "essaimage_code"}),
        on="territory_code")
    merged = pd.concat([own, territorial], ignore_index=True)
    if merged.empty:
        return pd.DataFrame(index=pd.Index([], name="essaimage_code"))
    latest = latest_per(merged, ["essaimage_code", "indicator_code"])
    return latest.pivot(index="essaimage_code", columns="indicator_code", values="value")


def targets_agree_with_direction(target: float | None, threshold: float | None,
                                 direction: str) -> bool:
    """True when the target lies on the good side of the threshold for the indicator."""
    if target is None or threshold is None:
        return False
    return target < threshold if direction == "down" else target > threshold


def criterion_score(values: pd.Series, target: float | None, threshold: float | None,
                    direction: str) -> pd.Series:
    """0–100 scores of one criterion's values (NaN stays NaN)."""
    if targets_agree_with_direction(target, threshold, direction):
        return (100 * (values - threshold) / (target - threshold)).clip(0, 100)
    return min_max_scale(values, reverse=direction == "down")


def target_met(values: pd.Series, target: float | None, direction: str) -> pd.Series:
    """True where the target is reached, False where not, NaN where no value or no target."""
    if target is None:
        return pd.Series(np.nan, index=values.index)
    met = values <= target if direction == "down" else values >= target
    return met.where(values.notna())


def score_grid(grid: Grid, latest: pd.DataFrame, directions: dict[str, str]) -> pd.DataFrame:
    """One row per essaimage: composite (0–100), rank (1 = best; none when coverage is too low),
    targets met / with a target, criteria scored / criteria linked to an indicator, and the
    share of the quantitative weight covered."""
    quantitative = [c for _, c in grid.criteria() if c.indicator_code and c.weight > 0]
    total_weight = sum(c.weight for c in quantitative)
    weighted = pd.Series(0.0, index=latest.index)
    weights = pd.Series(0.0, index=latest.index)
    met = pd.Series(0, index=latest.index)
    with_target = pd.Series(0, index=latest.index)
    scored = pd.Series(0, index=latest.index)
    for criterion in quantitative:
        code = criterion.indicator_code
        if code not in latest.columns:
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
    coverage = weights / total_weight if total_weight else pd.Series(np.nan, index=latest.index)
    table = pd.DataFrame({"composite": composite, "targets_met": met, "targets": with_target,
                          "criteria_scored": scored, "criteria_quantitative": len(quantitative),
                          "weight_coverage": coverage})
    rankable = table["composite"].where(table["weight_coverage"] >= MIN_WEIGHT_COVERAGE)
    table["rank"] = rankable.rank(ascending=False, method="min")
    return table.sort_values(["rank", "composite"], na_position="last")


def compare_rankings(current: pd.DataFrame, proposed: pd.DataFrame) -> pd.DataFrame:
    """Side by side: composite, rank and coverage under each grid, and how many places each
    moved (positive = moved up under the proposal)."""
    table = current[["composite", "rank", "criteria_scored", "criteria_quantitative"]].join(
        proposed[["composite", "rank", "criteria_scored", "criteria_quantitative"]],
        lsuffix="_current", rsuffix="_proposed", how="outer")
    table["moved"] = table["rank_current"] - table["rank_proposed"]
    return table.sort_values("rank_proposed", na_position="last")
