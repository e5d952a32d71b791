"""Avoided public costs of a scope over a window of years (essaim.methods.avoided_costs): the
summary, the table by innovation or territory, and the partners' own declared amounts beside the
computed ones. Every default year is the common reference year (essaim.figures.key_figures)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from essaim.data.roles import role_indicator
from essaim.figures.key_figures import reference_year
from essaim.methods.avoided_costs import (
    SCENARIOS,
    Assumptions,
    UnitCost,
    compute_avoided_costs,
    discounted_investment,
    return_per_euro,
    unit_costs_from,
)
from essaim.numbers.formatting import format_number, format_percent, plural


def investment_values(dataset, counted: pd.DataFrame) -> pd.DataFrame:
    """The counted values of the indicator with the role « montant investi » (empty if none)."""
    code = role_indicator(dataset.indicators, "investment")
    return counted[counted["indicator_code"] == code] if code else counted.iloc[0:0]


def default_year(counted: pd.DataFrame, unit_costs: list[UnitCost],
                 essaimage_codes: set[str] | None = None) -> str | None:
    """The common reference year of the valued outcomes (a territory reporting a year ahead of
    the others does not move it)."""
    valued = counted[counted["indicator_code"].isin([c.indicator_code for c in unit_costs])
                     & counted["value"].notna()]
    if essaimage_codes is not None:
        valued = valued[valued["essaimage_code"].isin(essaimage_codes)]
    return reference_year(valued, set(valued["territory_code"]))


@dataclass(frozen=True)
class AvoidedCostSummary:
    """A scope's avoided public costs over a window: gross, net in each case, money invested,
    ratios, what the window's outcomes still avoid after it, and the declared amounts."""

    period: str | None              # the window's last year (the common reference year)
    gross: float
    net: dict[str, float]
    invested: float
    ratio: dict[str, float]
    outcomes: int                   # value rows that were valued
    start: str | None = None        # the window's first year
    projected: float = np.nan       # central net value after the window
    declared: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def window(self) -> str:
        """"2022" or "2020–2022"."""
        if self.start is None or self.start == self.period:
            return str(self.period)
        return f"{self.start}–{self.period}"


def summarise_avoided_costs(dataset, counted: pd.DataFrame, essaimage_codes: set[str],
                            assumptions: Assumptions, unit_costs: list[UnitCost] | None = None,
                            period: str | None = None, start: str | None = None
                            ) -> AvoidedCostSummary:
    """The avoided costs of the essaimages in `essaimage_codes` from `start` to `period` (by
    default both the common reference year of the valued outcomes). Missing stays missing: no
    outcome gives NaN, not 0 €; no money invested gives no ratio."""
    unit_costs = unit_costs if unit_costs is not None else unit_costs_from(dataset.indicators)
    mine = counted[counted["essaimage_code"].isin(essaimage_codes)]
    period = period or default_year(mine, unit_costs)
    if period is None:
        return AvoidedCostSummary(None, np.nan, dict.fromkeys(SCENARIOS, np.nan), np.nan,
                                  dict.fromkeys(SCENARIOS, np.nan), 0)
    start = start or period
    avoided = compute_avoided_costs(mine, unit_costs, assumptions, (start, period))
    inside = avoided[avoided["in_window"].astype(bool)]
    invested = discounted_investment(investment_values(dataset, mine), assumptions,
                                     (start, period))["invested"].sum(min_count=1)
    net = {case: inside[f"net_{case}"].sum(min_count=1) for case in SCENARIOS}
    ratio = {case: net[case] / invested if invested and invested > 0 else np.nan
             for case in SCENARIOS}
    after = avoided.loc[~avoided["in_window"].astype(bool), "net_central"]
    return AvoidedCostSummary(
        period=period, gross=inside["gross"].sum(min_count=1), net=net, invested=invested,
        ratio=ratio, outcomes=int(inside[["essaimage_code", "indicator_code", "period"]]
                                  .drop_duplicates().shape[0]),
        start=start, projected=after.sum(min_count=1),
        declared=declared_beside_computed(dataset, mine, inside, unit_costs, (start, period)))


def avoided_costs_by(dataset, counted: pd.DataFrame, essaimages: pd.DataFrame, period,
                     assumptions: Assumptions, unit_costs: list[UnitCost], by: list[str]
                     ) -> pd.DataFrame:
    """`return_per_euro` for the given essaimages (a frame with code, innovation_code,
    territory_code) over `period` ("2022" or ("2020", "2022")), grouped `by` innovation and/or
    territory."""
    mine = counted[counted["essaimage_code"].isin(essaimages["code"])]
    innovation_of = essaimages.set_index("code")["innovation_code"]
    avoided = compute_avoided_costs(mine, unit_costs, assumptions, period)
    avoided["innovation_code"] = avoided["essaimage_code"].map(innovation_of)
    invested = discounted_investment(investment_values(dataset, mine), assumptions, period)
    invested = invested.assign(innovation_code=invested["essaimage_code"].map(innovation_of))
    return return_per_euro(avoided, invested, by)


def declared_beside_computed(dataset, counted: pd.DataFrame, avoided: pd.DataFrame,
                             unit_costs: list[UnitCost], period) -> pd.DataFrame:
    """Per avoided cost with a declared counterpart: the amount computed (gross, and net central)
    and the amount partners declared over the same years, with why they differ (French)."""
    start, end = (period, period) if isinstance(period, str) else period
    definitions = dataset.indicators.set_index("code")
    rows = []
    for cost in unit_costs:
        code = cost.declared_counterpart
        if not code or code not in definitions.index:
            continue
        years = pd.to_numeric(counted["period"], errors="coerce")
        declared = counted[(counted["indicator_code"] == code) & (years >= int(start))
                           & (years <= int(end))]["value"].sum(min_count=1)
        mine = avoided[avoided["indicator_code"] == cost.indicator_code]
        gross, net = mine["gross"].sum(min_count=1), mine["net_central"].sum(min_count=1)
        rows.append({
            "cost": cost.label, "declared_label": definitions.at[code, "label"],
            "computed_gross": gross, "computed_net": net, "declared": declared,
            "why": (f"Le calcul part de « {definitions.at[cost.indicator_code, 'label']} » × "
                    f"{format_percent(100 * cost.share, 0)} × "
                    f"{format_number(cost.euros, 0, '€')} par an, sur "
                    f"{plural(cost.years, 'an')}, puis retire poids mort, attribution et "
                    "déplacement et actualise (montant net) ; le montant déclaré suit la "
                    f"définition du partenaire : « {definitions.at[code, 'definition']} », sans "
                    "ces ajustements.")})
    return pd.DataFrame(rows, columns=["cost", "declared_label", "computed_gross",
                                       "computed_net", "declared", "why"])
