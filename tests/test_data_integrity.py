"""The shipped data: the demo dataset is consistent, realistic, reproducible and traceable."""

import pandas as pd
import pytest

from essaim.data.demo import read_demo_tables
from essaim.data.demo_generator import generate_demo_tables
from essaim.data.model import FAMILIES, PARTNER_TYPES, SCALES, STAGES
from essaim.data.reference import load_communes, load_departement_series, load_departements
from essaim.explorer.geo import departement_of_point, load_geojson
from essaim.paths import DEMO_DIR


@pytest.fixture(scope="module")
def communes():
    return load_communes()


def test_exactly_42_territories(dataset):
    assert len(dataset.territories) == 42
    assert dataset.territories["code"].is_unique


def test_territories_are_metropolitan_and_overseas(dataset):
    departements = set(dataset.territories["code_departement"])
    assert {"971", "972", "973", "974", "976"} <= departements
    assert len(departements - {"971", "972", "973", "974", "976"}) >= 20


def test_every_insee_and_epci_code_exists(dataset, communes):
    insee = set(communes["code_insee"])
    sirens = set(communes["code_epci"].dropna())
    for row in dataset.territories.itertuples():
        assert row.insee_commune is None or pd.isna(row.insee_commune) or row.insee_commune in insee, row.name
        assert row.siren_epci is None or pd.isna(row.siren_epci) or row.siren_epci in sirens, row.name
        assert pd.notna(row.insee_commune) or pd.notna(row.siren_epci), row.name
        assert row.scale in SCALES


def test_every_point_lies_inside_its_departement():
    contours = load_geojson("departements.geojson")
    dataset_rows = read_demo_tables()["territories"]
    for row in dataset_rows:
        found = departement_of_point(contours, row["latitude"], row["longitude"])
        assert found == row["code_departement"], f"{row['name']}: {found}"


def test_every_essaimage_is_consistent(dataset):
    territories = set(dataset.territories["code"])
    innovations = set(dataset.innovations["code"])
    for e in dataset.essaimages.itertuples():
        assert e.stage in STAGES
        assert e.territory_code in territories and e.innovation_code in innovations
        reached = [code for code, column in zip(STAGES, ["date_etape_0", "date_etape_i",
                   "date_etape_ii", "date_etape_iii", "date_etape_iv"]) if pd.notna(getattr(e, column))]
        assert reached == list(STAGES)[: list(STAGES).index(e.stage) + 1], e.code
    assert set(dataset.essaimages["territory_code"]) == territories


def test_every_indicator_value_has_a_source_and_known_references(dataset):
    values = dataset.indicator_values
    assert values["source"].str.strip().str.len().gt(0).all()
    assert set(values["partner_code"]) <= set(dataset.partners["code"])
    assert set(values["indicator_code"]) <= set(dataset.indicators["code"])
    assert set(values["essaimage_code"].dropna()) <= set(dataset.essaimages["code"])


def test_the_demo_has_the_breadth_the_views_need(dataset):
    assert 7 <= len(dataset.innovations) <= 8
    assert len(dataset.partners) >= 30
    assert len(dataset.indicators) >= 20
    assert set(dataset.indicators["family"]) == set(FAMILIES)
    assert set(dataset.partners["type"]) <= set(PARTNER_TYPES)
    assert dataset.indicator_values["period"].nunique() >= 3
    assert dataset.indicators["standard"].any() and (~dataset.indicators["standard"]).any()
    assert len(dataset.verbatims) >= 40


def test_partners_disagree_in_a_few_places(dataset):
    keys = ["indicator_code", "essaimage_code", "period"]
    values = dataset.indicator_values.dropna(subset=["essaimage_code"])
    reported_twice = values.groupby(keys)["partner_code"].nunique()
    assert 3 <= (reported_twice > 1).sum() <= 20


def test_magnitudes_are_realistic(dataset):
    values = dataset.indicator_values.merge(
        dataset.essaimages[["code", "innovation_code"]], left_on="essaimage_code", right_on="code")
    beneficiaries = values[values["indicator_code"] == "beneficiaires"]
    tapaj = beneficiaries[beneficiaries["innovation_code"] == "tapaj"]["value"]
    assert tapaj.between(10, 99).all()  # tens of young people a year
    rallyes = beneficiaries[beneficiaries["innovation_code"] == "rallyes"]["value"]
    assert rallyes.between(35, 250).all()
    companies = values[(values["indicator_code"] == "entreprises_mobilisees")
                       & (values["innovation_code"] == "rallyes")]["value"]
    assert companies.between(12, 80).all()  # dozens of companies
    rates = values[values["indicator_code"] == "taux_sortie_emploi"]["value"]
    assert rates.between(0, 100).all()


def test_demo_files_are_exactly_what_the_seeded_generator_produces():
    for name, frame in generate_demo_tables().items():
        committed = pd.read_csv(DEMO_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(committed, frame.astype(str), check_dtype=False, obj=name)


def test_the_demo_is_labelled_fictional(dataset):
    assert dataset.holds_demo_data
    assert dataset.essaimages["relay"].str.contains("données fictives").all()


def test_reference_files_keep_missing_values_missing():
    departements = load_departements()
    assert len(departements) == 101
    mayotte = departements.set_index("code_departement").loc["976"]
    assert pd.isna(mayotte["taux_chomage_t4_2025_pct"]) and pd.isna(mayotte["taux_pauvrete_pct"])
    assert pd.isna(mayotte["part_rsa_15_69_ans_pct_2019"])  # not comparable: n.d., never shown
    assert len(load_departement_series()) == 500


def test_web_contours_are_light_and_complete():
    contours = load_geojson("departements-web.geojson")
    assert len(contours["features"]) == 101
    from essaim.paths import GEO_DIR

    assert (GEO_DIR / "departements-web.geojson").stat().st_size < 300_000
