"""Comparison methods: normalisation, disagreements, scope and radar.
(Difference-in-differences: tests/test_did.py, tests/test_did_design.py; avoided costs:
tests/test_sroi.py.)"""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from essaim.data.population import territory_population
from essaim.data.reference import load_communes
from essaim.figures.disagreements import find_disagreements
from essaim.figures.normalise import normalise_values
from essaim.figures.scoping import enrich_values, scale_for_radar, select_scope

# --- normalisation ---------------------------------------------------------------------------

@pytest.fixture
def small():
    indicators = pd.DataFrame([
        {"code": "sorties", "unit": "personnes", "measure": "count", "reference_statistic": None},
        {"code": "taux", "unit": "%", "measure": "rate", "reference_statistic": None},
        {"code": "jeunes_accueillis", "unit": "%", "measure": "rate",
         "reference_statistic": "jeunes", "counted_population": "beneficiaires"},
        {"code": "jeunes_habitants", "unit": "%", "measure": "rate",
         "reference_statistic": "jeunes", "counted_population": "habitants"},
    ])
    values = pd.DataFrame([
        {"indicator_code": "sorties", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 20.0},
        {"indicator_code": "taux", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 40.0},
        {"indicator_code": "jeunes_accueillis", "territory_code": "t1", "essaimage_code": "e1", "period": "2022", "value": 30.0},
        {"indicator_code": "sorties", "territory_code": "t2", "essaimage_code": "e2", "period": "2022", "value": 5.0},
        {"indicator_code": "jeunes_habitants", "territory_code": "t1", "essaimage_code": None, "period": "2022", "value": 14.0},
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
    assert _normalised(small, "brut") == [20.0, 40.0, 30.0, 5.0, 14.0]


def test_per_100_beneficiaries_applies_to_counts_only(small):
    result = _normalised(small, "pour_100_beneficiaires")
    assert result[0] == pytest.approx(40.0)  # 20 exits for 50 beneficiaries
    assert math.isnan(result[1])  # a rate is not divided
    assert math.isnan(result[3])  # unknown denominator: n.d., never 0


def test_per_10000_inhabitants(small):
    result = _normalised(small, "pour_10000_habitants")
    assert result[0] == pytest.approx(1.0)
    assert math.isnan(result[3])


def test_gap_to_reference_only_for_the_same_population(small):
    result = _normalised(small, "ecart_reference")
    assert result[4] == pytest.approx(1.5)  # residents: 14 % against the département's 12,5 %
    # Beneficiaries against residents measures targeting: no gap, it is a « cible ».
    assert math.isnan(result[2]) and math.isnan(result[0]) and math.isnan(result[1])
    target = _normalised(small, "cible_reference")
    assert target[2] == pytest.approx(17.5) and math.isnan(target[4]) and math.isnan(target[0])


def test_a_priority_neighbourhood_says_it_uses_its_whole_commune(second_dataset):
    from essaim.figures.normalise import WHOLE_COMMUNE, population_basis

    basis = population_basis(second_dataset.territories)
    assert basis["mirail"] == WHOLE_COMMUNE and basis["lens"] == ""


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
