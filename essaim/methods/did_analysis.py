"""One difference-in-differences from a dataset: the comparison design, the estimate, and the
effect in people beside the beneficiaries — what the page and the documents show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.roles import role_indicator
from essaim.figures.key_figures import reference_year
from essaim.methods.did import StaggeredDidResult, estimate_staggered_did
from essaim.methods.did_design import DEFAULT_RULE, ComparisonDesign, build_comparison
from essaim.methods.did_plausibility import Plausibility, effect_in_people


@dataclass(frozen=True)
class DidAnalysis:
    design: ComparisonDesign
    result: StaggeredDidResult
    plausibility: Plausibility | None
    outcome_label: str
    unit: str


def territory_outcomes(dataset: Dataset, counted: pd.DataFrame) -> list[str]:
    """Indicators observed on whole territories (no essaimage): the outcomes it can use."""
    territorial = set(counted.loc[counted["essaimage_code"].isna(), "indicator_code"])
    return [code for code in dataset.indicators["code"] if code in territorial]


def analyse_did(dataset: Dataset, counted: pd.DataFrame, outcome: str, innovation: str,
                stage: str = "III", rule: str = DEFAULT_RULE,
                population: pd.Series | None = None) -> DidAnalysis:
    """The estimate of `innovation`'s effect on `outcome` (counted values measured on whole
    territories). Raises essaim.methods.did_stages.DidError (French) when there is none."""
    values = counted[(counted["indicator_code"] == outcome) & counted["essaimage_code"].isna()
                     & counted["value"].notna()]
    design = build_comparison(values, dataset.essaimages, innovation, stage, rule)
    result = estimate_staggered_did(design.panel)
    definition = dataset.indicators.set_index("code").loc[outcome]
    plausibility = None
    if population is not None and definition.get("counted_population") == "habitants":
        plausibility = _plausibility(dataset, counted, innovation, design, result,
                                     str(definition["unit"]), population)
    return DidAnalysis(design, result, plausibility, str(definition["label"]),
                       str(definition["unit"]))


def _plausibility(dataset: Dataset, counted: pd.DataFrame, innovation: str,
                  design: ComparisonDesign, result: StaggeredDidResult, unit: str,
                  population: pd.Series) -> Plausibility | None:
    code = role_indicator(dataset.indicators, "beneficiaries")
    essaimages = dataset.essaimages[dataset.essaimages["innovation_code"] == innovation]
    mine = counted[(counted["indicator_code"] == code)
                   & counted["essaimage_code"].isin(essaimages["code"])] if code else \
        counted.iloc[0:0]
    year = reference_year(mine, set(mine["territory_code"])) if len(mine) else None
    starts = design.panel.dropna(subset=["first_treated"]).groupby("unit")["first_treated"].min()
    scales = dataset.territories.set_index("code")["scale"]
    return effect_in_people(result.att, unit, design.treated, starts.astype(int).to_dict(),
                            population, scales, mine, year)
