"""Avoided public costs (coûts publics évités) with the conventions of the SROI guide.

Each indicator with the role « coût évité » declares, in the data, what one unit of its outcome
avoids, for how much a year, for which share of the units, for how many years (1: a one-off
outcome, counted once — an avoided hospital day) and from which source. Following *A guide to
Social Return on Investment* (The SROI Network, revised edition, January 2012, stages 4 and 5):
- the net value removes deadweight (what would have happened anyway), attribution (the share due
  to others) and displacement (what moved from elsewhere);
- an outcome lasting several years loses the drop-off each year after its first;
- values are discounted from the first year: money invested counts at the start of its year
  (year 0), an avoided cost at the end of the year it falls in, so the first year of avoided
  costs is discounted once, (1 + r)¹, the second twice…;
- investment and avoided costs are counted over the same years (a window): the costs avoided
  during those years — by outcomes of those years and of earlier ones still running — against
  the money invested during them. What the window's outcomes will still avoid after it is a
  projection, shown apart, never in the ratio.
Only public costs avoided are counted, not the value for every stakeholder: the ratio is named
« coûts publics évités par euro investi », not SROI. A sensitivity range (low / central / high)
shows how much the result hangs on the assumptions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.data.roles import has_role

# France Stratégie's public discount rate (Quinet report, 2013).
DEFAULT_DISCOUNT_RATE = 0.045
SENSITIVITY_POINTS = 0.10  # each share moves by 10 points in the low and high cases
SENSITIVITY_UNIT_COST = 0.20  # unit costs move by 20 %
MAX_BENEFIT_YEARS = 10
SROI_GUIDE = ("The SROI Network, « A guide to Social Return on Investment », édition révisée de "
              "janvier 2012")
RATIO_NAME = "Coûts publics évités par euro investi"


class AssumptionError(ValueError):
    """Assumptions out of range; the message (French) lists every problem."""


@dataclass(frozen=True)
class UnitCost:
    indicator_code: str
    label: str  # what one unit avoids
    euros: float  # per unit and per year
    share: float  # share of the units concerned, 0–1
    source: str
    years: int = 1  # years one unit avoids the cost (1: once)
    declared_counterpart: str | None = None  # indicator of the partners' declared amounts


def unit_costs_from(indicators: pd.DataFrame) -> list[UnitCost]:
    """The unit costs declared by the indicators with the role « coût évité »."""
    rows = indicators[has_role(indicators, "avoided_cost")]
    costs = []
    for row in rows.itertuples():
        share = row.unit_cost_share_pct
        years = getattr(row, "benefit_years", None)
        counterpart = getattr(row, "declared_counterpart", None)
        costs.append(UnitCost(
            indicator_code=row.code, label=row.avoided_cost_label or row.label,
            euros=float(row.unit_cost_euros) if pd.notna(row.unit_cost_euros) else 0.0,
            share=1.0 if pd.isna(share) else float(share) / 100,
            source=row.unit_cost_source or "source non renseignée",
            years=int(years) if pd.notna(years) else 1,
            declared_counterpart=counterpart if isinstance(counterpart, str) and counterpart
            else None))
    return costs


@dataclass(frozen=True)
class Assumptions:
    deadweight: float = 0.20  # share that would have happened anyway
    attribution: float = 0.25  # share due to other actors
    displacement: float = 0.10  # share displaced from elsewhere
    drop_off: float = 0.30  # yearly decline of a lasting outcome after its first year
    discount_rate: float = DEFAULT_DISCOUNT_RATE

    def problems(self) -> list[str]:
        """Every value out of range, in French (empty when all are valid)."""
        found = []
        for name, value in (("poids mort", self.deadweight), ("attribution", self.attribution),
                            ("déplacement", self.displacement), ("érosion", self.drop_off)):
            if not 0 <= value <= 1:
                found.append(f"Le taux de {name} doit être compris entre 0 et 100 % (reçu "
                             f"{_percent(value)}).")
        if not 0 <= self.discount_rate <= 0.20:
            found.append("Le taux d'actualisation doit être compris entre 0 et 20 % (reçu "
                         f"{_percent(self.discount_rate)}).")
        return found

    def validate(self) -> None:
        """Raise AssumptionError listing every value out of range."""
        problems = self.problems()
        if problems:
            raise AssumptionError(" ".join(problems))

    def kept_share(self) -> float:
        """What one euro of gross avoided cost is worth after deadweight, attribution and
        displacement."""
        self.validate()
        return (1 - self.deadweight) * (1 - self.attribution) * (1 - self.displacement)

    def remaining(self, year_of_effect: int) -> float:
        """The share of a lasting outcome left in its year `year_of_effect` (0 = its first)."""
        return (1 - self.drop_off) ** year_of_effect

    def benefit_discount(self, years_after_start: int) -> float:
        """Discount of an avoided cost falling `years_after_start` years after the window's
        first year: the first year's is discounted once (the SROI guide's convention)."""
        return 1 / (1 + self.discount_rate) ** (years_after_start + 1)

    def investment_discount(self, years_after_start: int) -> float:
        """Discount of money invested at the start of a year of the window (the first: none)."""
        return 1 / (1 + self.discount_rate) ** years_after_start

    def scenario(self, case: str) -> Assumptions:
        """The low or high case of the sensitivity range (the central case is self)."""
        if case == "central":
            return self
        step = SENSITIVITY_POINTS if case == "low" else -SENSITIVITY_POINTS
        return dataclasses.replace(
            self, **{name: float(np.clip(getattr(self, name) + step, 0, 1))
                     for name in ("deadweight", "attribution", "displacement", "drop_off")})


SCENARIOS = {"low": "basse", "central": "centrale", "high": "haute"}
UNIT_COST_FACTORS = {"low": 1 - SENSITIVITY_UNIT_COST, "central": 1.0,
                     "high": 1 + SENSITIVITY_UNIT_COST}


def _percent(value: float) -> str:
    return f"{100 * value:g} %".replace(".", ",")


def validate_unit_costs(unit_costs: list[UnitCost]) -> None:
    """Raise AssumptionError (French) for a negative amount, a share outside 0–100 % or a
    duration outside 1–10 years."""
    problems = []
    for cost in unit_costs:
        if not cost.euros >= 0:
            problems.append(f"« {cost.label} » : le coût unitaire doit être positif ou nul.")
        if not 0 <= cost.share <= 1:
            problems.append(f"« {cost.label} » : la part concernée doit être comprise entre 0 et "
                            f"100 % (reçu {_percent(cost.share)}).")
        if not 1 <= cost.years <= MAX_BENEFIT_YEARS or int(cost.years) != cost.years:
            problems.append(f"« {cost.label} » : la durée de l'effet doit être un nombre entier "
                            f"d'années, de 1 à {MAX_BENEFIT_YEARS} (reçu {cost.years}).")
    if problems:
        raise AssumptionError(" ".join(problems))


def _years(period) -> tuple[int, int]:
    """A window of years from "2022" or ("2020", "2022")."""
    start, end = (period, period) if isinstance(period, str) else period
    return int(start), int(end)


def compute_avoided_costs(values: pd.DataFrame, unit_costs: list[UnitCost],
                          assumptions: Assumptions, period) -> pd.DataFrame:
    """Per value row matching a unit cost and per year its cost is avoided, in the window
    `period` ("2022" or ("2020", "2022")) or after it: gross (undiscounted, before adjustments)
    and net (adjusted, discounted) in the low, central and high cases, and `in_window`.
    `values` holds the counted values (essaim.figures.counted): indicator_code, territory_code,
    essaimage_code, period, value; contested cells (NaN) are left out."""
    assumptions.validate()
    validate_unit_costs(unit_costs)
    start, end = _years(period)
    kept = {case: assumptions.scenario(case).kept_share() for case in SCENARIOS}
    frames = []
    for cost in unit_costs:
        matching = values[(values["indicator_code"] == cost.indicator_code)
                          & values["value"].notna()]
        outcome_year = pd.to_numeric(matching["period"], errors="coerce")
        matching = matching[(outcome_year <= end) & (outcome_year + cost.years - 1 >= start)]
        for year_of_effect in range(cost.years):
            year = pd.to_numeric(matching["period"]) + year_of_effect
            gross = matching["value"].astype(float) * cost.share * cost.euros
            frame = matching[["territory_code", "essaimage_code", "period"]].assign(
                indicator_code=cost.indicator_code, cost_label=cost.label,
                outcome=matching["value"].astype(float), benefit_year=year,
                in_window=(year >= start) & (year <= end),
                gross=gross * assumptions.remaining(year_of_effect))
            for case in SCENARIOS:
                scenario = assumptions.scenario(case)
                frame[f"net_{case}"] = (gross * UNIT_COST_FACTORS[case] * kept[case]
                                        * scenario.remaining(year_of_effect)
                                        * [scenario.benefit_discount(y - start) for y in year])
            frames.append(frame[year >= start])
    columns = ["territory_code", "essaimage_code", "period", "indicator_code", "cost_label",
               "outcome", "benefit_year", "in_window", "gross"] + [f"net_{c}" for c in SCENARIOS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def discounted_investment(budgets: pd.DataFrame, assumptions: Assumptions,
                          period) -> pd.DataFrame:
    """The investment rows of the window with `invested` discounted to its first year."""
    start, end = _years(period)
    years = pd.to_numeric(budgets["period"], errors="coerce")
    inside = budgets[(years >= start) & (years <= end) & budgets["value"].notna()]
    factors = [assumptions.investment_discount(int(y) - start) for y in inside["period"]]
    return inside.assign(invested=inside["value"].astype(float) * factors)


def return_per_euro(avoided: pd.DataFrame, invested: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of `by` columns: gross and net avoided costs in the window (three cases), the
    projection after it, the money invested and the euros avoided per euro invested. A missing
    or zero amount gives a missing ratio ("n.d."), never a division by zero; a group with no
    valued outcome has missing avoided costs, not 0."""
    inside = avoided[avoided["in_window"].astype(bool)]
    after = avoided[~avoided["in_window"].astype(bool)]
    sums = {k: lambda s: s.sum(min_count=1)
            for k in ["gross", *(f"net_{case}" for case in SCENARIOS)]}
    grouped = inside.groupby(by).agg(sums)
    projected = after.groupby(by)["net_central"].sum(min_count=1).rename("projected_central")
    money = invested.groupby(by)["invested"].sum(min_count=1)
    table = grouped.join(projected, how="outer").join(money, how="outer").reset_index()
    for case in SCENARIOS:
        table[f"ratio_{case}"] = table[f"net_{case}"] / table["invested"].where(
            table["invested"] > 0)
    return table
