"""Key figures of a scope (the accelerator, an innovation, a territory) at a common reference
year, with their coverage and a comparison with the year before on the same territories.

The reference year is the latest year in which at least half of the territories that report key
figures have reported: a territory a year ahead of the others does not move the totals to its
year. Counts and amounts add up over the territories that reported; rates and scores take the
median. A figure nobody reported is missing ("n.d."), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.roles import indicators_with_role
from essaim.figures.summaries import summarise, summarise_groups, summary_word
from essaim.numbers.formatting import (
    NOT_AVAILABLE,
    format_change,
    format_relative_change,
    format_value,
    plural,
)
from essaim.numbers.measures import ADDITIVE_MEASURES

MIN_REPORTING_SHARE = 0.5


@dataclass(frozen=True)
class KeyFigure:
    indicator_code: str
    label: str
    unit: str
    measure: str
    year: str
    value: float  # NaN when nobody reported
    aggregation: str  # "total" or "médiane"
    reporting: int  # territories with a value this year
    in_scope: int  # territories in the scope
    previous_value: float  # same aggregation, previous year, same territories
    comparable: int  # territories that reported both years
    value_on_same_base: float = np.nan  # this year's aggregate over the comparable territories

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit, self.measure)

    @property
    def coverage(self) -> str:
        """"38 territoires sur 42 ont déclaré" (French plural and agreement)."""
        verb = "a" if self.reporting < 2 else "ont"
        return (f"{plural(self.reporting, 'territoire')} sur {self.in_scope} {verb} déclaré "
                f"en {self.year}")

    @property
    def change(self) -> str:
        """The change since the previous year on the same territories, in points for a rate."""
        if np.isnan(self.previous_value) or np.isnan(self.value) or self.comparable == 0:
            return NOT_AVAILABLE
        same_base = self.value_on_same_base
        text = format_change(same_base - self.previous_value, self.unit, self.measure)
        if self.measure in ADDITIVE_MEASURES:
            text += f" ({format_relative_change(same_base, self.previous_value)})"
        return text


def reference_year(values: pd.DataFrame, territory_codes: set[str],
                   min_share: float = MIN_REPORTING_SHARE) -> str | None:
    """The latest period in which at least `min_share` of the territories that ever reported
    (among `values`, already limited to the key indicators) reported something."""
    values = values[values["territory_code"].isin(territory_codes) & values["value"].notna()]
    if values.empty:
        return None
    reporters = values["territory_code"].nunique()
    per_period = values.groupby("period")["territory_code"].nunique()
    enough = per_period[per_period >= min_share * reporters]
    return str(enough.index.max()) if len(enough) else str(per_period.idxmax())


def key_figures(dataset: Dataset, counted: pd.DataFrame, essaimage_codes: set[str],
                territory_codes: set[str], indicator_codes: list[str] | None = None,
                year: str | None = None) -> list[KeyFigure]:
    """The key figures (indicators with the role « chiffre clé », or `indicator_codes`) of the
    scope's essaimages at the common reference year (or `year`). `counted` comes from
    essaim.figures.counted.counted_values."""
    codes = indicator_codes or indicators_with_role(dataset.indicators, "key_figure")
    definitions = dataset.indicators.set_index("code")
    scoped = counted[counted["indicator_code"].isin(codes)
                     & counted["essaimage_code"].isin(essaimage_codes)]
    year = year or reference_year(scoped, territory_codes)
    figures = []
    for code in codes:
        definition = definitions.loc[code]
        measure, unit = definition["measure"], definition["unit"]
        mine = scoped[(scoped["indicator_code"] == code) & scoped["value"].notna()]
        # Per territory, a territory with several essaimages adds them (counts) or is one point.
        per_territory = _per_territory(mine, measure)
        now = per_territory.get(year, pd.Series(dtype=float)) if year else pd.Series(dtype=float)
        before = per_territory.get(_previous(year), pd.Series(dtype=float)) if year else \
            pd.Series(dtype=float)
        both = now.index.intersection(before.index)
        figures.append(KeyFigure(
            indicator_code=code, label=definition["label"], unit=unit, measure=measure,
            year=year or NOT_AVAILABLE, value=summarise(now, measure),
            aggregation=summary_word(measure),
            reporting=len(now), in_scope=len(territory_codes),
            previous_value=summarise(before[both], measure), comparable=len(both),
            value_on_same_base=summarise(now[both], measure)))
    return figures


def _per_territory(values: pd.DataFrame, measure: str) -> dict[str, pd.Series]:
    """Period → value per territory (sum of its essaimages for counts, median otherwise)."""
    grouped = summarise_groups(values, ["period", "territory_code"], measure)
    return {period: series.droplevel(0) for period, series in grouped.groupby(level=0)}


def _previous(year: str | None) -> str | None:
    return str(int(year) - 1) if year and year.isdigit() else None


def key_figures_table(figures: list[KeyFigure]) -> pd.DataFrame:
    """The key figures as a French table: figure, value, evolution, coverage."""
    return pd.DataFrame({
        "Chiffre clé": [f.label + (" (médiane)" if f.aggregation == "médiane" else "")
                        for f in figures],
        "Année": [f.year for f in figures],
        "Valeur": [f.text for f in figures],
        "Évolution sur un an (mêmes territoires)": [f.change for f in figures],
        "Couverture": [f.coverage for f in figures],
    })
