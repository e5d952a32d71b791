"""Comparison methods: normalisation, disagreements, difference-in-differences, avoided costs."""

import math

import numpy as np
import pandas as pd
import pytest

from essaim.avoided_costs import Adjustments, UnitCost, compute_avoided_costs, return_per_euro
from essaim.did import build_did_panel, estimate_did, trend_by_group
from essaim.disagreements import find_disagreements
from essaim.normalise import normalise_values
from essaim.population import territory_population
from essaim.reference import load_communes, load_departements
from essaim.scoping import enrich_values, scale_for_radar, select_scope


# --- normalisation ---------------------------------------------------------------------------

@pytest.fixture
def small():
    indicators = pd.DataFrame([
        {"code": "sorties", "unit": "personnes"}, {"code": "taux", "unit": "%"},
        {"code": "part_moins_26", "unit": "%"},
    ])
    values = pd.DataFrame([
        {"indicator_code": "sorties", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 20.0},
        {"indicator_code": "taux", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 40.0},
        {"indicator_code": "part_moins_26", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 30.0},
        {"indicator_code": "sorties", "territory_code": "t2", "essaimage_code": "e2", "period": "2022", "value": 5.0},
    ])
    beneficiaries = pd.DataFrame([{"essaimage_code": "e1", "period": "2022", "value": 50.0}])
    population = pd.Series({"t1": 200_000.0, "t2": np.nan})
    departements = pd.DataFrame([{"code_departement": "33", "part_15_24_ans_pct_2022": 12.5}])
    territories = pd.DataFrame([{"code": "t1", "code_departement": "33"},
                                {"code": "t2", "code_departement": "33"}])
    return dict(values=values, indicators=indicators, beneficiaries=beneficiaries,
                population=population, departements=departements, territories=territories)


def _normalised(small, method):
    args = {k: v for k, v in small.items() if k != "values"}
    return list(normalise_values(small["values"], method, **args)["normalised"])


def test_raw_keeps_values(small):
    assert _normalised(small, "brut") == [20.0, 40.0, 30.0, 5.0]


def test_per_100_beneficiaries_applies_to_counts_only(small):
    result = _normalised(small, "pour_100_beneficiaires")
    assert result[0] == pytest.approx(40.0)  # 20 exits for 50 beneficiaries
    assert math.isnan(result[1])  # a rate is not divided
    assert math.isnan(result[3])  # unknown denominator: n.d., never 0


def test_per_10000_inhabitants(small):
    result = _normalised(small, "pour_10000_habitants")
    assert result[0] == pytest.approx(1.0)
    assert math.isnan(result[3])


def test_gap_to_reference_only_where_an_analogue_exists(small):
    result = _normalised(small, "ecart_reference")
    assert result[2] == pytest.approx(17.5)
    assert math.isnan(result[0])


def test_unknown_normalisation_is_refused(small):
    with pytest.raises(ValueError):
        _normalised(small, "au_doigt_mouille")


def test_territory_population_sums_epci_members(dataset):
    population = territory_population(dataset.territories, load_communes())
    assert population["bordeaux-metropole"] > population["bordeaux"] > 200_000
    assert math.isnan(population["mamoudzou"])  # INSEE publishes none: n.d.


# --- disagreements --------------------------------------------------------------------------

def test_disagreements_keep_both_reports_and_the_gap():
    values = pd.DataFrame([
        {"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e", "period": "2022",
         "value": 20.0, "partner_code": "relais", "source": "rapport"},
        {"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e", "period": "2022",
         "value": 15.0, "partner_code": "ft", "source": "fichier"},
        {"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e", "period": "2021",
         "value": 10.0, "partner_code": "relais", "source": "rapport"},
        {"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e", "period": "2021",
         "value": 10.0, "partner_code": "ft", "source": "fichier"},
    ])
    found = find_disagreements(values)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["low_partner"], row["high_partner"], row["gap"]) == ("ft", "relais", 5.0)
    assert row["relative_gap"] == pytest.approx(0.25)


def test_demo_disagreements_are_found(dataset):
    assert len(find_disagreements(dataset.indicator_values)) == 8


# --- difference-in-differences ------------------------------------------------------------------

def test_did_matches_the_hand_computed_case():
    # Treated means: 11 → 7 (−4); comparison means: 12 → 11 (−1); DiD = −3.
    rows = [("A", True, False, 10), ("A", True, True, 6), ("B", True, False, 12), ("B", True, True, 8),
            ("C", False, False, 10), ("C", False, True, 9), ("D", False, False, 14), ("D", False, True, 13)]
    panel = pd.DataFrame(rows, columns=["unit", "treated", "after", "y"])
    result = estimate_did(panel)
    assert result.estimate == pytest.approx(-3.0)
    assert (result.treated_before, result.treated_after) == (11, 7)
    assert (result.control_before, result.control_after) == (12, 11)
    assert result.standard_error == pytest.approx(0.0, abs=1e-9)  # no noise: exact


def test_did_interval_widens_with_noise():
    rng = np.random.default_rng(1)
    rows = []
    for unit in range(20):
        treated = unit < 10
        for period in range(4):
            after = period >= 2
            y = 50 - period + (-2 if treated and after else 0) + rng.normal(0, 1)
            rows.append((f"u{unit}", treated, after, y))
    result = estimate_did(pd.DataFrame(rows, columns=["unit", "treated", "after", "y"]))
    assert result.ci_low < -2 < result.ci_high
    assert result.ci_low < result.estimate < result.ci_high
    assert result.n_treated == 10 and result.n_control == 10


def test_did_refuses_an_empty_group_in_french():
    panel = pd.DataFrame([("A", True, False, 1.0), ("A", True, True, 2.0)],
                         columns=["unit", "treated", "after", "y"])
    with pytest.raises(ValueError, match="groupe de comparaison"):
        estimate_did(panel)


def test_did_on_the_demo_detects_the_built_in_effect(dataset):
    values = dataset.indicator_values
    deld = values[(values["indicator_code"] == "deld_1000") & values["essaimage_code"].isna()]
    tapaj = set(dataset.essaimages.loc[dataset.essaimages["innovation_code"] == "tapaj", "territory_code"])
    panel = build_did_panel(deld, tapaj, "2020")
    result = estimate_did(panel)
    assert result.estimate < 0  # fewer long-term job seekers where TAPAJ runs (by construction)
    assert set(trend_by_group(panel)["group"]) == {"Territoires avec l'innovation",
                                                   "Territoires de comparaison"}


# --- avoided costs ---------------------------------------------------------------------------

def test_avoided_costs_apply_share_unit_cost_and_adjustments():
    values = pd.DataFrame([{"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e",
                            "period": "2022", "value": 10.0}])
    cost = UnitCost("rsa", "RSA", "sorties", 0.5, 1000.0, "source")
    adjustments = Adjustments(deadweight=0.2, attribution=0.5, drop_off=0.5, duration_years=2)
    assert adjustments.net_factor() == pytest.approx(0.8 * 0.5 * 1.5)
    avoided = compute_avoided_costs(values, [cost], adjustments)
    assert avoided.loc[0, "gross"] == pytest.approx(5000.0)
    assert avoided.loc[0, "net"] == pytest.approx(3000.0)
    budgets = pd.DataFrame([{"territory_code": "t", "value": 1500.0}])
    assert return_per_euro(avoided, budgets, ["territory_code"]).loc[0, "per_euro"] == pytest.approx(2.0)


@pytest.mark.parametrize("kwargs", [{"deadweight": 1.5}, {"attribution": -0.1}, {"duration_years": 0}])
def test_adjustments_out_of_range_are_refused(kwargs):
    with pytest.raises(ValueError):
        Adjustments(**kwargs).net_factor()


# --- scope and radar ---------------------------------------------------------------------------

def test_scope_keeps_territory_level_values_of_hosting_territories(dataset):
    values = enrich_values(dataset)
    scoped = select_scope(values, ["deld_1000", "beneficiaires"], ["tapaj"], ["2022"])
    assert set(scoped.loc[scoped["indicator_code"] == "deld_1000", "territory_code"]) == set(
        dataset.essaimages.loc[dataset.essaimages["innovation_code"] == "tapaj", "territory_code"])
    assert set(scoped.loc[scoped["indicator_code"] == "beneficiaires", "innovation_code"]) == {"tapaj"}


def test_radar_scaling_reverses_lower_is_better():
    table = pd.DataFrame({"good": [1.0, 3.0], "cost": [100.0, 300.0], "flat": [2.0, 2.0]},
                         index=["a", "b"])
    scaled = scale_for_radar(table, {"good": "up", "cost": "down"})
    assert list(scaled["good"]) == [0.0, 100.0]
    assert list(scaled["cost"]) == [100.0, 0.0]
    assert list(scaled["flat"]) == [50.0, 50.0]
