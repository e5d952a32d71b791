"""Joins, the rule for which report counts, key figures and comparison points, on the demo."""

import math

import pandas as pd
import pytest

from essaim.data.dataset import Dataset
from essaim.data.reference import load_departements
from essaim.figures.comparison import compare_with_peers, france_reference
from essaim.figures.counted import counted_values
from essaim.figures.key_figures import key_figures, reference_year
from essaim.figures.territory_figures import latest_key_figures


def test_territory_table_lists_every_innovation_of_a_territory(dataset):
    table = dataset.territory_table().set_index("code")
    assert table.loc["villeurbanne", "essaimage_count"] == 2
    assert "Parcours Gardien" in table.loc["villeurbanne", "innovations"]
    assert "Lieu Ressource" in table.loc["villeurbanne", "innovations"]


def test_one_value_counts_per_cell_and_the_relay_report_wins(dataset):
    counted = counted_values(dataset)
    keys = ["indicator_code", "territory_code", "essaimage_code", "period"]
    assert not counted.duplicated(subset=keys).any()
    cells = dataset.indicator_values.assign(e=dataset.indicator_values["essaimage_code"].fillna(""))
    assert len(counted) == len(cells.drop_duplicates(["indicator_code", "territory_code", "e",
                                                      "period"]))
    kept = counted.set_index(keys).loc[("sorties_emploi", "rennes", "tapaj-rennes", "2019")]
    assert kept["value"] == 14 and kept["status"] == "retenu" and kept["reports"] == 2
    partner_type = dataset.partners.set_index("code").at[kept["partner_code"], "type"]
    assert partner_type == "relais"
    assert (counted["status"] == "retenu").sum() == 8


def _cell(indicator, partner, value, essaimage="e1"):
    return {"indicator_code": indicator, "territory_code": "t1", "essaimage_code": essaimage,
            "period": "2022", "value": value, "partner_code": partner, "source": partner}


def _tiny(values, counted_type=None, tolerance=None) -> Dataset:
    empty = Dataset.empty()
    indicators = pd.DataFrame([{"code": "x", "label": "X", "unit": "personnes", "direction": "up",
                                "family": "emploi", "standard": True, "definition": "",
                                "measure": "count", "roles": "key_figure",
                                "counted_partner_type": counted_type,
                                "tolerance_pct": tolerance}])
    partners = pd.DataFrame([{"code": "relay", "name": "Relais", "type": "relais"},
                             {"code": "dep", "name": "Département", "type": "departement"},
                             {"code": "ft", "name": "France Travail", "type": "france_travail"}])
    return Dataset(**{**empty.__dict__, "indicators": indicators, "partners": partners,
                      "indicator_values": pd.DataFrame(values)})


def test_the_counted_partner_type_declared_for_an_indicator_overrides_the_relay():
    values = [_cell("x", "relay", 10.0), _cell("x", "dep", 14.0)]
    assert counted_values(_tiny(values)).loc[0, "value"] == 10.0
    chosen = counted_values(_tiny(values, counted_type="departement")).iloc[0]
    assert chosen["value"] == 14.0 and chosen["status"] == "retenu"


def test_a_disagreement_nobody_is_designated_to_settle_counts_as_missing():
    counted = counted_values(_tiny([_cell("x", "dep", 10.0), _cell("x", "ft", 14.0)]))
    assert counted.loc[0, "status"] == "conteste" and math.isnan(counted.loc[0, "value"])


def test_reports_within_the_indicator_tolerance_are_the_same_figure():
    values = [_cell("x", "dep", 100.0), _cell("x", "ft", 103.0)]
    assert counted_values(_tiny(values)).loc[0, "status"] == "conteste"
    relaxed = counted_values(_tiny(values, tolerance=5.0)).iloc[0]
    assert relaxed["status"] == "concordant" and relaxed["value"] in (100.0, 103.0)


def test_key_figures_use_a_common_reference_year_with_coverage(dataset):
    counted = counted_values(dataset)
    figures = key_figures(dataset, counted, set(dataset.essaimages["code"]),
                          set(dataset.territories["code"]))
    exits = next(f for f in figures if f.indicator_code == "sorties_emploi")
    assert exits.year == "2022"
    reported = counted[(counted["indicator_code"] == "sorties_emploi") & (counted["period"] == "2022")]
    assert exits.value == reported["value"].sum()
    assert exits.reporting == reported["territory_code"].nunique()
    assert exits.coverage == f"{exits.reporting} territoires sur 42 ont déclaré en 2022"


def test_a_territory_a_year_ahead_does_not_move_the_totals_to_its_year(dataset):
    counted = counted_values(dataset)
    ahead = counted[(counted["territory_code"] == "bordeaux") & (counted["period"] == "2022")]
    shifted = pd.concat([counted, ahead.assign(period="2023")], ignore_index=True)
    everyone = set(dataset.territories["code"])
    assert reference_year(shifted, everyone) == "2022"
    figures = key_figures(dataset, shifted, set(dataset.essaimages["code"]), everyone)
    assert {f.year for f in figures} == {"2022"}


def test_a_key_figure_nobody_reported_is_missing_not_zero(dataset):
    counted = counted_values(dataset)
    figures = key_figures(dataset, counted, set(dataset.essaimages["code"]),
                          set(dataset.territories["code"]), year="2031")
    assert all(math.isnan(f.value) and f.text == "n.d." for f in figures)
    assert all(f.coverage.startswith("0 territoire sur 42 a déclaré") for f in figures)


def test_a_rate_changes_in_points_on_the_same_territories(dataset):
    counted = counted_values(dataset)
    figures = key_figures(dataset, counted, set(dataset.essaimages["code"]),
                          set(dataset.territories["code"]))
    rate = next(f for f in figures if f.indicator_code == "taux_sortie_emploi")
    assert rate.change.endswith("pts") or rate.change.endswith("pt")
    assert "%" not in rate.change
    count = next(f for f in figures if f.indicator_code == "beneficiaires")
    assert count.change.endswith("%)")  # a count also gives its relative change


def test_territory_key_figures_are_formatted_with_sources(dataset):
    figures = latest_key_figures(dataset, counted_values(dataset), "bordeaux")
    assert set(figures["indicator"]) >= {"beneficiaires", "sorties_emploi"}
    assert figures["source"].str.len().gt(0).all()
    assert figures["period"].max() == "2022"


def test_key_figures_are_empty_before_stage_three(dataset):
    early = dataset.essaimages[dataset.essaimages["stage"].isin(["0", "I"])]["territory_code"]
    assert latest_key_figures(dataset, counted_values(dataset), early.iloc[0]).empty


def test_peer_comparison_excludes_the_territory_itself(dataset):
    counted = counted_values(dataset)
    compared = compare_with_peers(dataset, counted, "bordeaux").set_index("indicator_code")
    row = compared.loc["beneficiaires"]
    peers = counted[(counted["indicator_code"] == "beneficiaires")
                    & (counted["period"] == row["period"])
                    & counted["essaimage_code"].str.startswith("tapaj-", na=False)
                    & (counted["territory_code"] != "bordeaux")]["value"]
    assert row["peer_count"] == len(peers) > 0
    assert row["peer_median"] == pytest.approx(peers.median())
    assert (row["peer_min"], row["peer_max"]) == (peers.min(), peers.max())


def test_france_reference_is_population_weighted():
    two = pd.DataFrame({"rate": [10.0, 20.0, float("nan")], "population_2022": [1_000, 3_000, 9_000]})
    assert france_reference(two, "rate") == pytest.approx(17.5)  # unweighted: 15; NaN skipped
    departements = load_departements()
    column = "taux_chomage_t4_2024_pct"
    known = departements.dropna(subset=[column])
    weighted = (known[column] * known["population_2022"]).sum() / known["population_2022"].sum()
    assert france_reference(departements, column) == pytest.approx(weighted)
    assert math.isnan(france_reference(departements.iloc[0:0], "taux_pauvrete_pct"))
