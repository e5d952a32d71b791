"""Joins and comparison points computed from the shared demo dataset."""

import math

from essaim.comparison import compare_with_peers, france_reference
from essaim.reference import load_departements
from essaim.territory_figures import latest_key_figures, relay_reports


def test_territory_table_lists_every_innovation_of_a_territory(dataset):
    table = dataset.territory_table().set_index("code")
    assert table.loc["villeurbanne", "essaimage_count"] == 2
    assert "Parcours Gardien" in table.loc["villeurbanne", "innovations"]
    assert "Lieu Ressource" in table.loc["villeurbanne", "innovations"]


def test_relay_reports_keep_one_report_per_cell(dataset):
    reports = relay_reports(dataset)
    keys = ["indicator_code", "essaimage_code", "territory_code", "period"]
    assert not reports.duplicated(subset=keys).any()
    assert not reports["partner_code"].str.startswith("france-travail").any() or \
        (reports[reports["partner_code"].str.startswith("france-travail")]["essaimage_code"].isna().all())


def test_key_figures_are_formatted_with_sources(dataset):
    figures = latest_key_figures(dataset, "bordeaux")
    assert set(figures["indicator"]) >= {"beneficiaires", "sorties_emploi"}
    assert figures["source"].str.len().gt(0).all()
    assert figures["period"].max() == "2022"


def test_key_figures_are_empty_before_stage_three(dataset):
    early = dataset.essaimages[dataset.essaimages["stage"].isin(["0", "I"])]["territory_code"]
    assert latest_key_figures(dataset, early.iloc[0]).empty


def test_peer_comparison_excludes_the_territory_itself(dataset):
    compared = compare_with_peers(dataset, "bordeaux").set_index("indicator_code")
    row = compared.loc["beneficiaires"]
    assert row["peer_count"] >= 5
    assert row["peer_min"] <= row["peer_median"] <= row["peer_max"]
    assert not math.isnan(row["previous"])


def test_france_reference_is_population_weighted():
    departements = load_departements()
    value = france_reference(departements, "taux_chomage_t4_2024_pct")
    assert 6 < value < 9
    assert math.isnan(france_reference(departements.iloc[0:0], "taux_pauvrete_pct"))
