"""Avoided public costs with the SROI guide's conventions (essaim.methods.avoided_costs): net of
deadweight, attribution and displacement; each outcome over its own duration (one-off outcomes
once); discounted from the first year; investment and avoided costs over the same years; the
common reference year by default; the partners' declared amounts beside the computed ones."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from essaim.figures.counted import counted_values
from essaim.methods.avoided_costs import (
    RATIO_NAME,
    AssumptionError,
    Assumptions,
    UnitCost,
    compute_avoided_costs,
    discounted_investment,
    return_per_euro,
    unit_costs_from,
)
from essaim.methods.avoided_costs_summary import default_year, summarise_avoided_costs

NONE = {"deadweight": 0.0, "attribution": 0.0, "displacement": 0.0, "drop_off": 0.0,
        "discount_rate": 0.0}


def _outcome(value: float, period: str, code: str = "sorties") -> dict:
    return {"indicator_code": code, "territory_code": "t", "essaimage_code": "e",
            "period": period, "value": value}


def test_share_unit_cost_and_every_adjustment():
    values = pd.DataFrame([_outcome(10.0, "2022")])
    cost = UnitCost("sorties", "RSA", 1000.0, 0.5, "source")
    assumptions = Assumptions(deadweight=0.2, attribution=0.5, displacement=0.25, drop_off=0.5,
                              discount_rate=0.0)
    avoided = compute_avoided_costs(values, [cost], assumptions, "2022")
    assert avoided.loc[0, "gross"] == pytest.approx(5000.0)
    assert avoided.loc[0, "net_central"] == pytest.approx(5000.0 * 0.8 * 0.5 * 0.75)
    assert avoided.loc[0, "net_low"] < avoided.loc[0, "net_central"] < avoided.loc[0, "net_high"]
    invested = discounted_investment(pd.DataFrame([{**_outcome(1500.0, "2022", "budget")}]),
                                     assumptions, "2022")
    table = return_per_euro(avoided, invested, ["territory_code"])
    assert table.loc[0, "ratio_central"] == pytest.approx(1500.0 / 1500.0)


def test_discounting_starts_with_the_first_year():
    """The guide discounts the first year of benefit once; money invested counts at the start of
    its year (not discounted in the window's first year)."""
    values = pd.DataFrame([_outcome(10.0, "2022")])
    assumptions = Assumptions(**{**NONE, "discount_rate": 0.10})
    avoided = compute_avoided_costs(values, [UnitCost("sorties", "RSA", 100.0, 1.0, "s")],
                                    assumptions, "2022")
    assert avoided["net_central"].sum() == pytest.approx(1000.0 / 1.1)
    budgets = pd.DataFrame([_outcome(500.0, "2021", "budget"), _outcome(500.0, "2022", "budget")])
    invested = discounted_investment(budgets, assumptions, ("2021", "2022"))
    assert invested["invested"].tolist() == pytest.approx([500.0, 500.0 / 1.1])


def test_each_outcome_lasts_its_own_duration_and_a_one_off_counts_once():
    values = pd.DataFrame([_outcome(10.0, "2020"), _outcome(4.0, "2020", "hospital")])
    lasting = UnitCost("sorties", "RSA", 100.0, 1.0, "s", years=3)
    one_off = UnitCost("hospital", "Journée", 1000.0, 1.0, "s", years=1)
    assumptions = Assumptions(**{**NONE, "drop_off": 0.5, "discount_rate": 0.10})
    avoided = compute_avoided_costs(values, [lasting, one_off], assumptions, ("2020", "2022"))
    exits = avoided[avoided["indicator_code"] == "sorties"].sort_values("benefit_year")
    assert exits["benefit_year"].tolist() == [2020, 2021, 2022]
    assert exits["net_central"].tolist() == pytest.approx(
        [1000 / 1.1, 1000 * 0.5 / 1.1 ** 2, 1000 * 0.25 / 1.1 ** 3])
    days = avoided[avoided["indicator_code"] == "hospital"]
    assert len(days) == 1 and days["net_central"].iloc[0] == pytest.approx(4000 / 1.1)


def test_investment_and_avoided_costs_cover_the_same_years():
    """Window 2022: last year's lasting outcomes still count in 2022 (their second year); this
    year's second year falls after the window and is a projection, outside the ratio."""
    values = pd.DataFrame([_outcome(10.0, "2021"), _outcome(20.0, "2022")])
    cost = UnitCost("sorties", "RSA", 100.0, 1.0, "s", years=2)
    avoided = compute_avoided_costs(values, [cost], Assumptions(**NONE), "2022")
    inside = avoided[avoided["in_window"]]
    assert sorted(inside["period"]) == ["2021", "2022"] and inside["gross"].sum() == 3000.0
    after = avoided[~avoided["in_window"]]
    assert after["benefit_year"].tolist() == [2023] and after["gross"].sum() == 2000.0
    invested = discounted_investment(pd.DataFrame([_outcome(2000.0, "2021", "budget"),
                                                   _outcome(3000.0, "2022", "budget")]),
                                     Assumptions(**NONE), "2022")
    table = return_per_euro(avoided, invested, ["territory_code"])
    assert table.loc[0, "invested"] == 3000.0 and table.loc[0, "ratio_central"] == 1.0
    assert table.loc[0, "projected_central"] == 2000.0


@pytest.mark.parametrize("kwargs,word", [({"deadweight": 1.5}, "poids mort"),
                                         ({"attribution": -0.1}, "attribution"),
                                         ({"displacement": 2.0}, "déplacement"),
                                         ({"discount_rate": 0.5}, "actualisation")])
def test_assumptions_out_of_range_are_refused_with_a_message(kwargs, word):
    with pytest.raises(AssumptionError, match=word):
        Assumptions(**kwargs).kept_share()


@pytest.mark.parametrize("cost,word", [(UnitCost("sorties", "RSA", 1000.0, 1.5, "s"), "150 %"),
                                       (UnitCost("sorties", "RSA", 1000.0, 1.0, "s", years=0),
                                        "durée")])
def test_a_unit_cost_out_of_range_is_refused(cost, word):
    with pytest.raises(AssumptionError, match=word):
        compute_avoided_costs(pd.DataFrame([_outcome(10.0, "2022")]), [cost], Assumptions(),
                              "2022")


def test_the_demo_declares_durations_and_a_counterpart(dataset):
    costs = {c.indicator_code: c for c in unit_costs_from(dataset.indicators)}
    assert costs["hospitalisations_evitees"].years == 1 and costs["entrees_formation"].years == 1
    assert costs["sorties_emploi"].years == 2
    assert costs["sorties_emploi"].declared_counterpart == "rsa_evite"


def test_the_relay_report_is_valued_not_both(dataset):
    # Rennes 2019: the relay counts 14 exits to work, France Travail 10; only 14 is valued.
    exits = dataset.indicator_values.query(
        "essaimage_code == 'tapaj-rennes' and period == '2019' and indicator_code == 'sorties_emploi'")
    assert sorted(exits["value"]) == [10.0, 14.0]
    rows = compute_avoided_costs(
        counted_values(dataset).query("essaimage_code == 'tapaj-rennes' and period == '2019'"),
        unit_costs_from(dataset.indicators), Assumptions(**NONE), "2019")
    first_year = rows[(rows["indicator_code"] == "sorties_emploi") & rows["in_window"]]
    assert first_year["gross"].tolist() == [pytest.approx(14 * 0.4 * 7_600)]


def test_declared_amounts_stand_beside_the_computed_ones(dataset):
    summary = summarise_avoided_costs(dataset, counted_values(dataset),
                                      set(dataset.essaimages["code"]), Assumptions())
    declared = summary.declared.set_index("cost")
    row = declared.loc["RSA non versé après une sortie vers l'emploi (par an)"]
    assert row["declared_label"] == "Allocations RSA évitées"
    assert row["declared"] > 0 and row["computed_gross"] > row["computed_net"] > 0
    assert "poids mort" in row["why"] and "Sorties vers l'emploi" in row["why"]


def test_no_outcome_means_no_avoided_costs_not_zero(dataset):
    mamoudzou = set(dataset.essaimages.loc[dataset.essaimages["territory_code"] == "mamoudzou",
                                           "code"])
    summary = summarise_avoided_costs(dataset, counted_values(dataset), mamoudzou, Assumptions())
    assert summary.period is None and math.isnan(summary.gross)
    assert all(math.isnan(v) for v in summary.ratio.values())


def test_the_default_year_is_the_common_reference_year(second_dataset):
    """The second dataset has a territory reporting a year ahead (2025): the whole accelerator's
    avoided costs stay at the year everyone reported."""
    counted = counted_values(second_dataset)
    costs = unit_costs_from(second_dataset.indicators)
    summary = summarise_avoided_costs(second_dataset, counted,
                                      set(second_dataset.essaimages["code"]), Assumptions())
    assert summary.period == default_year(counted, costs) == "2024"
    assert str(counted[counted["value"].notna()]["period"].max()) == "2025"
    assert summary.outcomes > 1 and summary.window == "2024"
    assert RATIO_NAME == "Coûts publics évités par euro investi"
