"""Comparison methods: normalisation, disagreements, avoided costs, scope and radar.
(Difference-in-differences: tests/test_did.py.)"""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from essaim.data.population import territory_population
from essaim.data.reference import load_communes
from essaim.figures.counted import counted_values
from essaim.figures.disagreements import find_disagreements
from essaim.figures.normalise import normalise_values
from essaim.figures.scoping import enrich_values, scale_for_radar, select_scope
from essaim.methods.avoided_costs import (
    AssumptionError,
    Assumptions,
    UnitCost,
    compute_avoided_costs,
    return_per_euro,
    summarise_avoided_costs,
    unit_costs_from,
)

# --- normalisation ---------------------------------------------------------------------------

@pytest.fixture
def small():
    indicators = pd.DataFrame([
        {"code": "sorties", "unit": "personnes", "measure": "count", "reference_statistic": None},
        {"code": "taux", "unit": "%", "measure": "rate", "reference_statistic": None},
        {"code": "jeunes_accueillis", "unit": "%", "measure": "rate",
         "reference_statistic": "jeunes"},
    ])
    values = pd.DataFrame([
        {"indicator_code": "sorties", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 20.0},
        {"indicator_code": "taux", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 40.0},
        {"indicator_code": "jeunes_accueillis", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 30.0},
        {"indicator_code": "sorties", "territory_code": "t2", "essaimage_code": "e2", "period": "2022", "value": 5.0},
    ])
    beneficiaries = pd.DataFrame([{"essaimage_code": "e1", "period": "2022", "value": 50.0}])
    population = pd.Series({"t1": 200_000.0, "t2": np.nan})
    departements = pd.DataFrame([{"code_departement": "33", "part_15_24_ans_pct_2022": 12.5}])
    territories = pd.DataFrame([{"code": "t1", "code_departement": "33"},
                                {"code": "t2", "code_departement": "33"}])
    return {"values": values, "indicators": indicators, "beneficiaries": beneficiaries,
                "population": population, "departements": departements, "territories": territories}


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


def test_gap_to_reference_only_where_the_data_declares_a_statistic(small):
    result = _normalised(small, "ecart_reference")
    assert result[2] == pytest.approx(17.5)  # 30 % against the département's 12,5 %: 17,5 points
    assert math.isnan(result[0]) and math.isnan(result[1])


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


# --- avoided costs ---------------------------------------------------------------------------

NO_ADJUSTMENT = {"deadweight": 0.0, "attribution": 0.0, "displacement": 0.0, "drop_off": 0.0,
                     "duration_years": 1, "discount_rate": 0.0}


def test_avoided_costs_apply_share_unit_cost_and_every_adjustment():
    values = pd.DataFrame([{"indicator_code": "sorties", "territory_code": "t", "essaimage_code": "e",
                            "period": "2022", "value": 10.0}])
    cost = UnitCost("sorties", "RSA", 1000.0, 0.5, "source")
    assumptions = Assumptions(deadweight=0.2, attribution=0.5, displacement=0.25, drop_off=0.5,
                              duration_years=2, discount_rate=0.0)
    # kept share 0.8 × 0.5 × 0.75 = 0.3; over two years 1 + 0.5 = 1.5
    assert assumptions.net_factor() == pytest.approx(0.3 * 1.5)
    avoided = compute_avoided_costs(values, [cost], assumptions)
    assert avoided.loc[0, "gross"] == pytest.approx(5000.0)
    assert avoided.loc[0, "net_central"] == pytest.approx(2250.0)
    assert avoided.loc[0, "net_low"] < avoided.loc[0, "net_central"] < avoided.loc[0, "net_high"]
    budgets = pd.DataFrame([{"territory_code": "t", "value": 1500.0}])
    table = return_per_euro(avoided, budgets, ["territory_code"])
    assert table.loc[0, "ratio_central"] == pytest.approx(1.5)


def test_discounting_lowers_later_years():
    plain = Assumptions(**{**NO_ADJUSTMENT, "duration_years": 3})
    discounted = Assumptions(**{**NO_ADJUSTMENT, "duration_years": 3, "discount_rate": 0.10})
    assert plain.present_value_factor() == pytest.approx(3.0)
    assert discounted.present_value_factor() == pytest.approx(1 + 1 / 1.1 + 1 / 1.21)


@pytest.mark.parametrize("kwargs,word", [({"deadweight": 1.5}, "poids mort"),
                                         ({"attribution": -0.1}, "attribution"),
                                         ({"displacement": 2.0}, "déplacement"),
                                         ({"duration_years": 0}, "durée"),
                                         ({"discount_rate": 0.5}, "actualisation")])
def test_assumptions_out_of_range_are_refused_with_a_message(kwargs, word):
    with pytest.raises(AssumptionError, match=word):
        Assumptions(**kwargs).net_factor()


def test_a_unit_cost_share_of_150_percent_is_refused():
    values = pd.DataFrame([{"indicator_code": "sorties", "territory_code": "t",
                            "essaimage_code": "e", "period": "2022", "value": 10.0}])
    with pytest.raises(AssumptionError, match="150 %"):
        compute_avoided_costs(values, [UnitCost("sorties", "RSA", 1000.0, 1.5, "s")],
                              Assumptions())


def test_avoided_costs_value_the_relay_report_not_both(dataset):
    # Rennes 2019: the relay counts 14 exits to work, France Travail 10; only 14 is valued.
    exits = dataset.indicator_values.query(
        "essaimage_code == 'tapaj-rennes' and period == '2019' and indicator_code == 'sorties_emploi'")
    assert sorted(exits["value"]) == [10.0, 14.0]
    rows = compute_avoided_costs(
        counted_values(dataset).query("essaimage_code == 'tapaj-rennes' and period == '2019'"),
        unit_costs_from(dataset.indicators), Assumptions(**NO_ADJUSTMENT))
    assert rows.loc[rows["indicator_code"] == "sorties_emploi", "gross"].tolist() == [
        pytest.approx(42_560)]
    summary = summarise_avoided_costs(dataset, counted_values(dataset), {"tapaj-rennes"},
                                      Assumptions(**NO_ADJUSTMENT), period="2019")
    assert summary.gross == pytest.approx(rows["gross"].sum())


def test_a_territory_without_outcomes_has_no_avoided_costs_not_zero(dataset):
    mamoudzou = set(dataset.essaimages.loc[dataset.essaimages["territory_code"] == "mamoudzou",
                                           "code"])
    summary = summarise_avoided_costs(dataset, counted_values(dataset), mamoudzou, Assumptions())
    assert summary.period is None and math.isnan(summary.gross)
    assert all(math.isnan(v) for v in summary.ratio.values())


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


# --- what adds up across territories -------------------------------------------------------------

def test_an_average_is_summarised_by_its_median_a_count_by_its_total(dataset):
    """A cost per beneficiary or a delay does not add up across territories; a count does."""
    from essaim.figures.key_figures import key_figures

    essaimages = dataset.essaimages.head(3)
    codes = set(essaimages["code"])
    counted = pd.DataFrame({
        "indicator_code": ["unit_cost"] * 3 + ["people"] * 3,
        "territory_code": list(essaimages["territory_code"]) * 2,
        "essaimage_code": list(essaimages["code"]) * 2,
        "period": ["2022"] * 6, "value": [1000.0, 2000.0, 9000.0, 10.0, 20.0, 90.0],
        "partner_code": ["p"] * 6, "source": ["s"] * 6, "reports": [1] * 6,
        "status": ["unique"] * 6})
    indicators = pd.DataFrame({
        "code": ["unit_cost", "people"], "label": ["Coût par personne", "Personnes"],
        "unit": ["€", "personnes"], "measure": ["average", "count"], "direction": ["down", "up"],
        "roles": ["key_figure", "key_figure"]})
    data = dataclasses.replace(dataset, indicators=indicators)
    figures = {f.indicator_code: f for f in key_figures(data, counted, codes,
                                                         set(essaimages["territory_code"]))}
    assert figures["unit_cost"].value == 2000.0
    assert figures["people"].value == 120.0


def test_infer_measure_reads_averages_from_their_unit():
    from essaim.numbers.measures import infer_measure

    assert [infer_measure(u) for u in ("€", "€/mois", "heures par personne", "note /5",
                                       "jours", "%")] == [
        "amount", "average", "average", "score", "count", "rate"]


def test_avoided_costs_use_the_common_reference_year(second_dataset):
    """The second dataset has a territory reporting a year ahead of the others: the SROI of the
    whole accelerator stays at the year everyone reported."""
    from essaim.figures.key_figures import reference_year

    counted = counted_values(second_dataset)
    summary = summarise_avoided_costs(second_dataset, counted,
                                      set(second_dataset.essaimages["code"]), Assumptions())
    latest = str(counted[counted["value"].notna()]["period"].max())
    valued = counted[counted["indicator_code"].isin(
        [c.indicator_code for c in unit_costs_from(second_dataset.indicators)])]
    assert summary.period == reference_year(valued[valued["value"].notna()],
                                            set(valued["territory_code"]))
    assert summary.period < latest
    assert summary.outcomes > 1
