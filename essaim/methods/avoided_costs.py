"""Avoided costs (coûts évités) as the social return on investment (SROI) guide computes them.

Each indicator with the role « coût évité » declares, in the data, what one unit of its outcome
avoids, for how much a year, for which share of the units, and from which source. The gross value
of a year's outcomes is outcome × share × unit cost; the net value removes deadweight (what would
have happened anyway), attribution (the share due to others) and displacement (what moved from
elsewhere), then counts the effect over its duration with a yearly drop-off, discounted to today.
A sensitivity range (low / central / high) shows how much the result hangs on these assumptions;
the ratio divides the net value by the money invested (the indicator with the role « montant investi »).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.data.roles import has_role
from essaim.figures.key_figures import reference_year

# France Stratégie's public discount rate (Quinet report, 2013).
DEFAULT_DISCOUNT_RATE = 0.045
SENSITIVITY_POINTS = 0.10  # each share moves by 10 points in the low and high cases
SENSITIVITY_UNIT_COST = 0.20  # unit costs move by 20 %


class AssumptionError(ValueError):
    """Assumptions out of range; the message (French) lists every problem."""


@dataclass(frozen=True)
class UnitCost:
    indicator_code: str
    label: str  # what one unit avoids
    euros: float  # per unit and per year
    share: float  # share of the units concerned, 0–1
    source: str


def unit_costs_from(indicators: pd.DataFrame) -> list[UnitCost]:
    """The unit costs declared by the indicators with the role « coût évité »."""
    rows = indicators[has_role(indicators, "avoided_cost")]
    costs = []
    for row in rows.itertuples():
        share = row.unit_cost_share_pct
        costs.append(UnitCost(
            indicator_code=row.code, label=row.avoided_cost_label or row.label,
            euros=float(row.unit_cost_euros) if pd.notna(row.unit_cost_euros) else 0.0,
            share=1.0 if pd.isna(share) else float(share) / 100,
            source=row.unit_cost_source or "source non renseignée"))
    return costs


@dataclass(frozen=True)
class Assumptions:
    deadweight: float = 0.20  # share that would have happened anyway
    attribution: float = 0.25  # share due to other actors
    displacement: float = 0.10  # share displaced from elsewhere
    drop_off: float = 0.30  # yearly decline of the effect after its first year
    duration_years: int = 2
    discount_rate: float = DEFAULT_DISCOUNT_RATE

    def problems(self) -> list[str]:
        """Every value out of range, in French (empty when all are valid)."""
        found = []
        for name, value in (("poids mort", self.deadweight), ("attribution", self.attribution),
                            ("déplacement", self.displacement), ("érosion", self.drop_off)):
            if not 0 <= value <= 1:
                found.append(f"Le taux de {name} doit être compris entre 0 et 100 % (reçu "
                             f"{_percent(value)}).")
        if not 1 <= self.duration_years <= 10 or int(self.duration_years) != self.duration_years:
            found.append("La durée de l'effet doit être un nombre entier d'années, de 1 à 10 "
                         f"(reçu {self.duration_years}).")
        if not 0 <= self.discount_rate <= 0.20:
            found.append("Le taux d'actualisation doit être compris entre 0 et 20 % (reçu "
                         f"{_percent(self.discount_rate)}).")
        return found

    def validate(self) -> None:
        """Raise AssumptionError listing every value out of range."""
        problems = self.problems()
        if problems:
            raise AssumptionError(" ".join(problems))

    def present_value_factor(self) -> float:
        """What one year of effect is worth over the duration: the first year in full, each
        following year eroded by the drop-off and discounted."""
        return sum(((1 - self.drop_off) ** year) / ((1 + self.discount_rate) ** year)
                   for year in range(int(self.duration_years)))

    def net_factor(self) -> float:
        """What one euro of gross avoided cost is worth after every adjustment."""
        self.validate()
        kept = (1 - self.deadweight) * (1 - self.attribution) * (1 - self.displacement)
        return kept * self.present_value_factor()

    def scenario(self, case: str) -> Assumptions:
        """The low or high case of the sensitivity range (the central case is self)."""
        if case == "central":
            return self
        step = SENSITIVITY_POINTS if case == "low" else -SENSITIVITY_POINTS
        return dataclasses.replace(
            self, **{name: float(np.clip(getattr(self, name) + step, 0, 1))
                     for name in ("deadweight", "attribution", "displacement", "drop_off")})


SCENARIOS = {"low": "basse", "central": "centrale", "high": "haute"}


def _percent(value: float) -> str:
    return f"{100 * value:g} %".replace(".", ",")


def validate_unit_costs(unit_costs: list[UnitCost]) -> None:
    """Raise AssumptionError (French) for a negative amount or a share outside 0–100 %."""
    problems = []
    for cost in unit_costs:
        if not cost.euros >= 0:
            problems.append(f"« {cost.label} » : le coût unitaire doit être positif ou nul.")
        if not 0 <= cost.share <= 1:
            problems.append(f"« {cost.label} » : la part concernée doit être comprise entre 0 et "
                            f"100 % (reçu {_percent(cost.share)}).")
    if problems:
        raise AssumptionError(" ".join(problems))


def compute_avoided_costs(values: pd.DataFrame, unit_costs: list[UnitCost],
                          assumptions: Assumptions) -> pd.DataFrame:
    """Per value row matching a unit cost: gross (one year) and net value in the low, central and
    high cases. `values` holds the counted values (essaim.figures.counted): indicator_code,
    territory_code, essaimage_code, period, value; contested cells (NaN) are left out."""
    assumptions.validate()
    validate_unit_costs(unit_costs)
    factors = {case: assumptions.scenario(case).net_factor() for case in SCENARIOS}
    euros_factor = {"low": 1 - SENSITIVITY_UNIT_COST, "central": 1.0,
                    "high": 1 + SENSITIVITY_UNIT_COST}
    frames = []
    for cost in unit_costs:
        matching = values[(values["indicator_code"] == cost.indicator_code)
                          & values["value"].notna()]
        if matching.empty:
            continue
        gross = matching["value"].astype(float) * cost.share * cost.euros
        frame = matching[["territory_code", "essaimage_code", "period"]].assign(
            indicator_code=cost.indicator_code, cost_label=cost.label,
            outcome=matching["value"].astype(float), gross=gross)
        for case in SCENARIOS:
            frame[f"net_{case}"] = gross * euros_factor[case] * factors[case]
        frames.append(frame)
    columns = ["territory_code", "essaimage_code", "period", "indicator_code", "cost_label",
               "outcome", "gross"] + [f"net_{case}" for case in SCENARIOS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def return_per_euro(avoided: pd.DataFrame, budgets: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of `by` columns: gross and net avoided costs (three cases), the money invested
    and the euros avoided per euro invested. `budgets` holds the counted values of the indicator
    with the role « montant investi ». A missing or zero amount gives a missing ratio ("n.d."), never a division by zero; a group with
    no valued outcome has missing avoided costs, not 0."""
    sums = {"gross": "sum", **{f"net_{case}": "sum" for case in SCENARIOS}}
    grouped = avoided.groupby(by).agg({k: lambda s: s.sum(min_count=1) for k in sums})
    invested = budgets.dropna(subset=["value"]).groupby(by)["value"].sum(min_count=1)
    table = grouped.join(invested.rename("invested"), how="outer").reset_index()
    for case in SCENARIOS:
        table[f"ratio_{case}"] = table[f"net_{case}"] / table["invested"].where(table["invested"] > 0)
    return table


def investment_values(dataset, counted: pd.DataFrame) -> pd.DataFrame:
    """The counted values of the indicator with the role « montant investi » (empty if none)."""
    from essaim.data.roles import role_indicator

    code = role_indicator(dataset.indicators, "investment")
    return counted[counted["indicator_code"] == code] if code else counted.iloc[0:0]


@dataclass(frozen=True)
class AvoidedCostSummary:
    """A scope's avoided costs for one year: gross, net in each case, money invested, ratios."""

    period: str | None
    gross: float
    net: dict[str, float]
    invested: float
    ratio: dict[str, float]
    outcomes: int  # value rows that were valued


def summarise_avoided_costs(dataset, counted: pd.DataFrame, essaimage_codes: set[str],
                            assumptions: Assumptions, unit_costs: list[UnitCost] | None = None,
                            period: str | None = None) -> AvoidedCostSummary:
    """The avoided costs of the essaimages in `essaimage_codes` for `period` (by default the
    common reference year of the valued outcomes: a territory reporting a year ahead of the
    others does not move it). Missing stays missing: no outcome gives NaN, not 0 €; no money
    invested gives no ratio."""
    unit_costs = unit_costs if unit_costs is not None else unit_costs_from(dataset.indicators)
    mine = counted[counted["essaimage_code"].isin(essaimage_codes)]
    valued = mine[mine["indicator_code"].isin([c.indicator_code for c in unit_costs])
                  & mine["value"].notna()]
    period = period or reference_year(valued, set(valued["territory_code"]))
    avoided = compute_avoided_costs(mine[mine["period"] == period], unit_costs, assumptions)
    invested = investment_values(dataset, mine)
    invested = invested[invested["period"] == period]["value"].sum(min_count=1)
    net = {case: avoided[f"net_{case}"].sum(min_count=1) for case in SCENARIOS}
    ratio = {case: net[case] / invested if invested and invested > 0 else np.nan
             for case in SCENARIOS}
    return AvoidedCostSummary(period=period, gross=avoided["gross"].sum(min_count=1), net=net,
                              invested=invested, ratio=ratio, outcomes=len(avoided))


def avoided_costs_by(dataset, counted: pd.DataFrame, essaimages: pd.DataFrame, period: str,
                     assumptions: Assumptions, unit_costs: list[UnitCost], by: list[str]
                     ) -> pd.DataFrame:
    """`return_per_euro` for the given essaimages (a frame with code, innovation_code,
    territory_code) and period, grouped `by` innovation and/or territory."""
    mine = counted[counted["essaimage_code"].isin(essaimages["code"])
                   & (counted["period"] == period)]
    innovation_of = essaimages.set_index("code")["innovation_code"]
    avoided = compute_avoided_costs(mine, unit_costs, assumptions)
    avoided["innovation_code"] = avoided["essaimage_code"].map(innovation_of)
    invested = investment_values(dataset, mine)
    invested = invested.assign(innovation_code=invested["essaimage_code"].map(innovation_of))
    return return_per_euro(avoided, invested, by)
