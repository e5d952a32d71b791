"""Avoided costs (coûts évités): outcomes × unit costs, with SROI-style adjustments.

Every unit cost is a stated, editable assumption with its source. The adjustments follow the
social return on investment guide: deadweight (what would have happened anyway), attribution
(the share due to others), drop-off (yearly decline of the effect over its duration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class UnitCost:
    code: str
    label: str
    indicator_code: str  # the outcome counted
    share: float  # the share of that outcome concerned (e.g. exits of RSA recipients), 0–1
    euros: float  # per unit of outcome and per year
    source: str


DEFAULT_UNIT_COSTS = [
    UnitCost("rsa", "RSA non versé après une sortie vers l'emploi (par an)", "sorties_emploi",
             0.40, 7_600.0,
             "Montant forfaitaire du RSA pour une personne seule (≈ 635 €/mois, barème 2024, CAF) ; "
             "part d'allocataires parmi les sorties : hypothèse à ajuster localement"),
    UnitCost("hospitalisation", "Journée d'hospitalisation évitée", "hospitalisations_evitees",
             1.0, 1_300.0,
             "Ordre de grandeur du coût d'une journée en médecine (ATIH, échelle nationale des "
             "coûts) ; hypothèse à ajuster"),
    UnitCost("formation", "Entrée en formation plutôt qu'en indemnisation prolongée (par an)",
             "entrees_formation", 0.25, 3_000.0,
             "Hypothèse de travail : quatre mois d'allocation évités pour une personne sur quatre"),
]


@dataclass(frozen=True)
class Adjustments:
    deadweight: float = 0.20  # share that would have happened anyway
    attribution: float = 0.25  # share due to other actors
    drop_off: float = 0.30  # yearly decline of the effect
    duration_years: int = 2

    def validate(self) -> None:
        """Raise ValueError (French) for a percentage outside 0–100 % or a duration below 1."""
        for name, value in (("poids mort", self.deadweight), ("attribution", self.attribution),
                            ("érosion", self.drop_off)):
            if not 0 <= value <= 1:
                raise ValueError(f"Le taux de {name} doit être compris entre 0 et 100 %.")
        if self.duration_years < 1:
            raise ValueError("La durée de l'effet doit être d'au moins un an.")

    def net_factor(self) -> float:
        """What one euro of gross avoided cost is worth after all adjustments, over the duration."""
        self.validate()
        yearly = (1 - self.deadweight) * (1 - self.attribution)
        return yearly * sum((1 - self.drop_off) ** year for year in range(self.duration_years))


def compute_avoided_costs(values: pd.DataFrame, unit_costs: list[UnitCost],
                          adjustments: Adjustments) -> pd.DataFrame:
    """Per value row matching a unit cost: gross = outcome × share × euros; net = gross adjusted.

    `values` needs indicator_code, territory_code, essaimage_code, period, value.
    """
    factor = adjustments.net_factor()
    rows = []
    for cost in unit_costs:
        if cost.euros < 0 or not 0 <= cost.share <= 1:
            raise ValueError(f"Coût unitaire « {cost.label} » : montant positif et part entre 0 et "
                             "100 % attendus.")
        matching = values[values["indicator_code"] == cost.indicator_code]
        for record in matching.itertuples():
            gross = record.value * cost.share * cost.euros
            rows.append({
                "territory_code": record.territory_code,
                "essaimage_code": record.essaimage_code,
                "period": record.period,
                "cost_code": cost.code,
                "cost_label": cost.label,
                "outcome": record.value,
                "gross": gross,
                "net": gross * factor,
            })
    return pd.DataFrame(rows, columns=["territory_code", "essaimage_code", "period", "cost_code",
                                       "cost_label", "outcome", "gross", "net"])


def return_per_euro(avoided: pd.DataFrame, budgets: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Net avoided costs, budget and euros avoided per euro invested, grouped `by` columns present
    in both frames (budgets: the budget indicator's rows). NaN ratio when the budget is unknown."""
    net = avoided.groupby(by)["net"].sum()
    budget = budgets.groupby(by)["value"].sum()
    table = pd.concat([net.rename("net"), budget.rename("budget")], axis=1).reset_index()
    table["per_euro"] = table["net"] / table["budget"].replace(0, np.nan)
    return table
