"""Imports: French file habits, every validation rule, atomic commits, rollback, round trip,
and random or malformed files that must never break the importer nor write anything."""

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essaim.data import schema, store
from essaim.data.reference import load_communes, load_departements
from essaim.imports.importer import activate_dataset, commit_import, list_datasets, validate_files
from essaim.imports.templates import dataset_csv_files, template_csv, template_xlsx
from essaim.numbers.reading import parse_french_date, parse_french_number

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


@pytest.fixture(scope="module")
def references():
    return load_communes(), load_departements()


def validate(dataset, references, *names, extra: dict | None = None):
    files = {name: (FIXTURES / name).read_bytes() for name in names}
    files.update(extra or {})
    return validate_files(files, dataset, *references)


# --- French file habits -----------------------------------------------------------------------

def test_utf8_bom_semicolons_and_decimal_commas(dataset, references):
    result = validate(dataset, references, "territoires_bom_pointvirgule.csv")
    assert result.errors == []
    bordeaux, arras = result.tables["territories"]
    assert bordeaux["longitude"] == pytest.approx(-0.56065)
    assert arras["code_departement"] == "62" and arras["code_region"] == "32"  # derived
    assert arras["latitude"] > 50 and arras["qpv"] is False


def test_windows_1252_commas_and_labels_instead_of_codes(dataset, references):
    result = validate(dataset, references, "territoires_windows1252_virgule.csv")
    assert result.errors == []
    etienne, orleans = result.tables["territories"]
    assert etienne["name"] == "Saint-Étienne" and etienne["scale"] == "commune"
    assert orleans["scale"] == "epci" and orleans["code_departement"] == "45"


def test_thousands_separators_percent_signs_and_empty_essaimage(dataset, references):
    result = validate(dataset, references, "valeurs_milliers_virgule.csv")
    assert result.errors == []
    budget, rate, hours, deld = result.tables["indicator_values"]
    assert budget["value"] == 123456.5 and rate["value"] == 23.5 and hours["value"] == 1234567
    assert deld["value"] == 27.5 and deld["essaimage_code"] is None


def test_a_number_that_reads_two_ways_is_an_error_naming_the_cell(dataset, references):
    content = ("Indicateur;Territoire;Essaimage;Période;Valeur;Partenaire;Source\n"
               "deld_1000;bordeaux;;2022;1.234;dgefp;France Travail\n"
               "deld_1000;bordeaux;;2021;0.125;dgefp;France Travail\n").encode()
    result = validate_files({"v.csv": content}, dataset, *references)
    assert [(i.row, i.column) for i in result.errors] == [(2, "Valeur")]
    assert "ambigu" in result.errors[0].message
    assert not result.ok


def test_excel_dates_french_dates_and_stage_labels(dataset, references):
    result = validate(dataset, references, "essaimages_dates_excel.xlsx")
    assert result.errors == []
    row = result.tables["essaimages"][0]
    assert str(row["start_date"]) == "2016-09-05"
    assert str(row["date_etape_ii"]) == "2017-06-22"
    assert str(row["date_etape_iii"]) == "2018-02-27"  # an Excel serial number
    assert row["stage"] == "III"


@pytest.mark.parametrize("text,number", [("1 234,5", 1234.5), ("1\u202f234", 1234),
                                         ("12,3 %", 12.3), ("-0,5", -0.5), ("1.234,5", 1234.5)])
def test_french_numbers(text, number):
    assert parse_french_number(text) == number


def test_french_dates():
    assert str(parse_french_date("15/03/2020")) == "2020-03-15"
    assert str(parse_french_date("43905")) == "2020-03-15"
    with pytest.raises(ValueError):
        parse_french_date("31/02/2020")


# --- one rule, one file -----------------------------------------------------------------------

@pytest.mark.parametrize("name,row,column,message", [
    ("territoires_colonne_manquante.csv", None, "Échelle", "colonne obligatoire absente"),
    ("territoires_insee_inconnu.csv", 2, "Code INSEE commune", "vouliez-vous dire « 33063 »"),
    ("territoires_doublon.csv", 3, "Code territoire", "doublon"),
    ("territoires_booleen_invalide.csv", 2, "QPV (oui/non)", "oui ou non attendu"),
    ("essaimages_etape_inconnue.csv", 2, "Étape", "étape inconnue"),
    ("essaimages_innovation_inconnue.csv", 2, "Innovation", "vouliez-vous dire « tapaj »"),
    ("essaimages_date_invalide.csv", 2, "Date de début", "date attendue"),
    ("valeurs_nombre_invalide.csv", 2, "Valeur", "nombre attendu"),
    ("valeurs_references_inconnues.csv", 2, "Indicateur", "indicateur inconnu « beneficiaire »"),
    ("valeurs_references_inconnues.csv", 2, "Partenaire", "vouliez-vous dire « dgefp »"),
    ("valeurs_source_manquante.csv", 2, "Source", "valeur obligatoire manquante"),
    ("partenaires_type_inconnu.csv", 2, "Type", "type de partenaire inconnu"),
    ("inconnu.csv", None, "", "colonnes non reconnues"),
    ("illisible.xlsx", None, "", "illisible"),
])
def test_each_rule_names_file_row_and_column(dataset, references, name, row, column, message):
    result = validate(dataset, references, name)
    matching = [i for i in result.errors if i.file == name and i.row == row
                and i.column == column and message in i.message]
    assert matching, [str(i) for i in result.errors]
    assert not result.ok


def test_too_big_and_too_long_files_are_refused(dataset, references, monkeypatch):
    from essaim.imports import limits

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    big = validate(dataset, references, extra={"gros.csv": b"x" * 200})
    assert "trop volumineux" in big.errors[0].message
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    long = validate(dataset, references, "valeurs_milliers_virgule.csv")
    assert "lignes" in long.errors[0].message


# --- commit, rollback, round trip --------------------------------------------------------------

def _count_rows(engine) -> int:
    with engine.connect() as conn:
        return sum(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                   for t in schema.DATASET_TABLES.values())


def test_nothing_is_written_while_errors_remain(demo_store_url, references):
    engine = store.open_store(demo_store_url)
    current = store.read_dataset(engine)
    before = _count_rows(engine)
    result = validate_files({"t.csv": (FIXTURES / "territoires_insee_inconnu.csv").read_bytes()},
                            current, *references)
    with pytest.raises(ValueError, match="erreurs"):
        commit_import(engine, result, current, who="x", label="x")
    assert _count_rows(engine) == before and len(list_datasets(engine)) == 1


def test_export_then_import_gives_the_same_data_and_rollback_restores(demo_store_url, references):
    engine = store.open_store(demo_store_url)
    current = store.read_dataset(engine)
    files = dataset_csv_files(current)
    result = validate_files(files, current, *references)
    assert result.errors == [] and set(result.tables) == set(schema.DATASET_TABLES)
    # The same content as the active dataset: nothing to create (a second click does nothing).
    assert commit_import(engine, result, current, who="Anaïs", label="x") == current.id
    assert len(list_datasets(engine)) == 1
    renamed = files["territoires.csv"].decode("utf-8-sig").replace("Brest", "Brest (29)")
    result = validate_files({**files, "territoires.csv": renamed.encode("utf-8-sig")}, current,
                            *references)
    new_id = commit_import(engine, result, current, who="Anaïs", label="Données réelles 2024")
    imported = store.read_dataset(engine)
    assert imported.id == new_id
    # Every table but the renamed one still holds exactly the demo's rows: still demo data.
    assert set(imported.demo_tables) == set(current.demo_tables) - {"territories"}
    for table in schema.DATASET_TABLES:
        expected = getattr(current, table).reset_index(drop=True)
        if table == "territories":
            expected.loc[expected["code"] == "brest", "name"] = "Brest (29)"
        pd.testing.assert_frame_equal(expected, getattr(imported, table).reset_index(drop=True),
                                      check_dtype=False, obj=table)
    versions = list_datasets(engine)
    assert list(versions["created_by"])[:1] == ["Anaïs"]
    activate_dataset(engine, current.id)
    assert store.read_dataset(engine).id == current.id


def test_the_apps_own_xlsx_export_imports_back_whole(dataset, references):
    from essaim.imports.templates import dataset_xlsx

    result = validate_files({"export.xlsx": dataset_xlsx(dataset)}, dataset, *references)
    assert result.errors == []
    assert set(result.tables) == set(schema.DATASET_TABLES)
    assert len(result.tables["indicator_values"]) == len(dataset.indicator_values)
    roles = {r["code"]: r["roles"] for r in result.tables["indicators"]}
    assert roles == dict(zip(dataset.indicators["code"], dataset.indicators["roles"]))


def test_templates_have_an_example_and_explanations():
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("indicator_values")))
    assert book.sheetnames[-1] == "Explications"
    assert book.worksheets[0].max_row == 2
    assert template_csv("territories").decode("utf-8-sig").startswith("Code territoire;Nom;Échelle")


# --- whatever the file, the importer answers and writes nothing on error ------------------------

malformed = st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(st.text(max_size=12), max_size=7), max_size=6).map(
        lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8")),
    st.lists(st.text(alphabet="0123456789,;. -/aé", max_size=20), min_size=1, max_size=5).map(
        lambda cells: ("Indicateur;Territoire;Essaimage;Période;Valeur;Partenaire;Source\n"
                       + ";".join(cells)).encode("cp1252", errors="replace")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=malformed, name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f.pdf"]))
def test_random_files_never_break_the_importer(dataset, references, content, name):
    result = validate_files({name: content}, dataset, *references)
    assert isinstance(result.errors, list)
    if result.errors:
        assert not result.ok


def test_data_exports_neutralise_formulas(dataset):
    import dataclasses
    import io

    import openpyxl

    from essaim.imports.exports import to_safe_csv
    from essaim.imports.templates import dataset_xlsx

    partners = dataset.partners.copy()
    partners.loc[0, "name"] = "=HYPERLINK(\"http://x\",\"clic\")"
    poisoned = dataclasses.replace(dataset, partners=partners)
    book = openpyxl.load_workbook(io.BytesIO(dataset_xlsx(poisoned)))
    names = [row[1].value for row in book["Partenaires"].iter_rows(min_row=2)]
    assert names[0].startswith("'=HYPERLINK")
    assert "'=HYPERLINK" in to_safe_csv(partners).decode("utf-8-sig")
    files = dataset_csv_files(poisoned)
    assert "'=HYPERLINK" in files["partenaires.csv"].decode("utf-8-sig")


# --- the checks an import passes before anything is written -------------------------------------

TERRITORY_HEAD = ("Code territoire;Nom;Échelle;Code INSEE commune;SIREN EPCI;Code département;"
                  "Code région;Latitude;Longitude;QPV (oui/non)\n")
ESSAIMAGE_HEAD = ("Code essaimage;Innovation;Territoire;Structure relais;Date de début;Étape;"
                  "Date étape 0;Date étape I;Date étape II;Date étape III;Date étape IV\n")
VALUE_HEAD = "Indicateur;Territoire;Essaimage;Période;Valeur;Partenaire;Source\n"
INDICATOR_HEAD = ("Code indicateur;Libellé;Unité;Sens;Famille;Standard (oui/non);Définition;"
                  "Rôles;Coût unitaire (€);Coût évité;Poids dans la grille;Objectif;Seuil;"
                  "Statistique de référence\n")
INDICATOR_ROW = "x{n};Indicateur {n};{unit};{sens};emploi;oui;déf;{roles};{cost};{label};{w};{t};{s};{ref}\n"


def _indicator(n, unit="personnes", sens="hausse", roles="", cost="", label="", w="", t="", s="",
               ref=""):
    return INDICATOR_ROW.format(n=n, unit=unit, sens=sens, roles=f'"{roles}"', cost=cost,
                                label=label, w=w, t=t, s=s, ref=ref)


@pytest.mark.parametrize("name,content,row,column,message", [
    ("t.csv", TERRITORY_HEAD + "lyon;Lyon;commune;69123;;38;;;;oui\n", 2, "Code département",
     "ne correspond pas à la commune 69123 (département 69)"),
    ("t.csv", TERRITORY_HEAD + "lyon;Lyon;commune;69123;;;99;;;oui\n", 2, "Code région",
     "code région inconnu"),
    ("t.csv", TERRITORY_HEAD + "lyon;Lyon;commune;69123;;;93;;;oui\n", 2, "Code région",
     "ne correspond pas au département"),
    ("t.csv", TERRITORY_HEAD + "lyon;Lyon;commune;69123;;;;4,83;45,76;oui\n", 2, "Latitude",
     "n'est pas dans le département 69"),
    ("t.csv", TERRITORY_HEAD + "bourg;Bourg;commune;1053;;;;;;non\n", 2, "Code INSEE commune",
     "vouliez-vous dire « 01053 »"),
    ("t.csv", TERRITORY_HEAD + "bdx;Bordeaux;commune;33063;200067213;;;;;oui\n", 2, "SIREN EPCI",
     "n'appartient pas à l'EPCI"),
    ("e.csv", ESSAIMAGE_HEAD + "e1;tapaj;bordeaux;R;01/01/2016;III;01/01/2016;01/06/2017;"
     "01/01/2017;01/01/2018;\n", 2, "Date étape II", "précède l'étape I"),
    ("e.csv", ESSAIMAGE_HEAD + "e1;tapaj;bordeaux;R;01/01/2099;0;01/01/2099;;;;\n", 2,
     "Date de début", "date dans le futur"),
    ("e.csv", ESSAIMAGE_HEAD + "e1;tapaj;bordeaux;R;01/01/2016;II;01/01/2016;;;;01/01/2020\n", 2,
     "Date étape IV", "alors que l'étape atteinte est II"),
    ("v.csv", VALUE_HEAD + "beneficiaires;bordeaux;tapaj-bordeaux;2022;-4;dgefp;R\n", 2, "Valeur",
     "n'est jamais négatif"),
    ("v.csv", VALUE_HEAD + "beneficiaires;bordeaux;tapaj-bordeaux;22;4;dgefp;R\n", 2, "Période",
     "année attendue"),
    ("v.csv", VALUE_HEAD + "beneficiaires;rennes;tapaj-bordeaux;2022;4;dgefp;R\n", 2, "Territoire",
     "est dans le territoire « bordeaux »"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, roles="coût évité"), 2, "Coût unitaire (€)",
     "demande un coût unitaire positif"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, roles="critère de grille", w="5", t="10", s="20"), 2,
     "Objectif", "doit être au-dessus du seuil"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, roles="bénéficiaires") + _indicator(2, roles="bénéficiaires"),
     3, "Rôles", "déjà tenu par l'indicateur de la ligne 2"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, roles="chiffre clé ; vedette"), 2, "Rôles",
     "rôle inconnu « vedette »"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, ref="jeunes"), 2, "Statistique de référence",
     "seul un taux se compare"),
    ("i.csv", INDICATOR_HEAD + _indicator(1, unit="personnes", roles="montant investi"), 2,
     "Rôles", "demande un montant en euros"),
])
def test_each_new_check_names_the_line_and_column(dataset, references, name, content, row,
                                                  column, message):
    from essaim.explorer.geo import load_geojson

    result = validate_files({name: content.encode("utf-8")}, dataset, *references,
                            contours=load_geojson("departements-web.geojson"))
    assert any(i.row == row and i.column == column and message in i.message
               for i in result.errors), [str(i) for i in result.errors]


def test_roles_and_unit_costs_are_read_from_labels_and_the_measure_from_the_unit(dataset,
                                                                                 references):
    content = INDICATOR_HEAD + _indicator(1, unit="%", roles="Chiffre clé; critère de grille",
                                          w="10", t="50", s="20", ref="Part des 15–24 ans") \
        + _indicator(2, roles="coût évité", cost="1 200", label="Nuitée évitée")
    result = validate_files({"i.csv": content.encode()}, dataset, *references)
    assert result.errors == []
    first, second = result.tables["indicators"]
    assert first["roles"] == "key_figure;grid_criterion" and first["measure"] == "rate"
    assert first["reference_statistic"] == "jeunes"
    assert second["unit_cost_euros"] == 1200 and second["unit_cost_share_pct"] == 100
    assert second["measure"] == "count"


def test_utf16_files_from_excel_are_read(dataset, references):
    text = VALUE_HEAD.replace(";", "\t") + "beneficiaires\tbordeaux\ttapaj-bordeaux\t2022\t53\tdgefp\tRapport\n"
    result = validate_files({"v.txt": text.encode("utf-16")}, dataset, *references)
    assert result.errors == [] and result.tables["indicator_values"][0]["value"] == 53


def test_a_header_without_data_is_refused(dataset, references):
    result = validate_files({"v.csv": VALUE_HEAD.encode()}, dataset, *references)
    assert not result.ok and "en-tête" in result.errors[0].message


def test_an_import_that_loses_rows_needs_an_explicit_confirmation(demo_store_url, references):
    from essaim.imports.importer import ImportRefused, compare_with_current, merge_with_current

    engine = store.open_store(demo_store_url)
    current = store.read_dataset(engine)
    files = dataset_csv_files(current)
    fewer = "\n".join(files["partenaires.csv"].decode("utf-8-sig").splitlines()[:-3]) + "\n"
    result = validate_files({"partenaires.csv": fewer.encode("utf-8-sig")}, current, *references)
    assert result.errors == []
    tables, _ = merge_with_current(result, current)
    changes = {c.table: c for c in compare_with_current(tables, current)}
    assert changes["partners"].removed == 3 and changes["partners"].added == 0
    assert changes["territories"] == changes["territories"].__class__(
        "territories", 42, 42, 0, 0, 0)
    with pytest.raises(ImportRefused, match="confirmez"):
        commit_import(engine, result, current, who="x", label="x")
    assert len(list_datasets(engine)) == 1
    commit_import(engine, result, current, who="x", label="x", accept_losses=True)
    assert len(store.read_dataset(engine).partners) == len(current.partners) - 3


# --- property-based: whatever the rows, accepted rows satisfy every rule ----------------------

def _essaimage_rows(draw_tidy: bool):
    """Rows that are mostly valid (ordered dates up to the stage), sometimes shuffled or beyond."""
    import datetime as dt

    @st.composite
    def row(draw):
        stage = draw(STAGE_CODES)
        reached = ["0", "I", "II", "III", "IV"].index(stage)
        start = draw(st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 6, 1)))
        steps = draw(st.lists(st.integers(min_value=-200, max_value=400), min_size=5, max_size=5))
        dates, day = [], start
        for index, step in enumerate(steps):
            dates.append(day if index <= reached or draw(st.booleans()) and not draw_tidy else "")
            day = day + dt.timedelta(days=step if not draw_tidy else abs(step))
        if draw(st.booleans()):
            dates = [d if draw(st.booleans()) else "" for d in dates]
        return stage, start, *dates
    return row()


STAGE_CODES = st.sampled_from(["0", "I", "II", "III", "IV"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.booleans().flatmap(lambda tidy: st.lists(_essaimage_rows(tidy), min_size=1,
                                                        max_size=4)))
def test_accepted_essaimages_have_ordered_dates_up_to_their_stage(dataset, references, rows):
    import datetime as dt

    lines = [f"e{i};tapaj;bordeaux;Relais;{start};{stage};" + ";".join(str(d) for d in dates)
             for i, (stage, start, *dates) in enumerate(rows)]
    result = validate_files({"e.csv": (ESSAIMAGE_HEAD + "\n".join(lines) + "\n").encode()},
                            dataset, *references)
    if result.errors:
        return
    order = ["0", "i", "ii", "iii", "iv"]
    for row in result.tables["essaimages"]:
        assert row["start_date"] <= dt.date.today()
        dates = [(k, row[f"date_etape_{k}"]) for k in order if row[f"date_etape_{k}"]]
        assert [d for _, d in dates] == sorted(d for _, d in dates)
        assert all(d <= dt.date.today() for _, d in dates)
        reached = order.index(row["stage"].lower())
        assert all(order.index(k) <= reached for k, _ in dates)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(
    st.sampled_from(["beneficiaires", "taux_sortie_emploi", "deld_1000", "bien_etre",
                     "appropriation", "budget"]),
    st.sampled_from([("bordeaux", "tapaj-bordeaux"), ("rennes", "tapaj-rennes"), ("rennes", ""),
                     ("bordeaux", "tapaj-rennes")]),
    st.one_of(st.integers(min_value=2005, max_value=2030), st.integers(min_value=1900,
                                                                       max_value=2200)),
    st.one_of(st.floats(min_value=0, max_value=1e5, allow_nan=False),
              st.floats(min_value=-1e3, max_value=0, allow_nan=False),
              st.floats(min_value=0, max_value=12, allow_nan=False)).map(
        lambda v: f"{v:.2f}".replace(".", ","))),
    min_size=1, max_size=4, unique_by=lambda r: (r[0], r[1], r[2])))
def test_accepted_values_are_possible_values_in_their_essaimages_territory(dataset, references,
                                                                            rows):
    """Whatever a file holds, what the import accepts is possible: a year from the innovation's
    founding to the current year, counts whole and not negative, rates within their unit's range,
    scores within their declared scale, an essaimage's value in its territory."""
    from essaim.numbers.ranges import current_year, rules_of

    lines = [f"{i};{t};{e};{p};{v};dgefp;Rapport" for i, (t, e), p, v in rows]
    result = validate_files({"v.csv": (VALUE_HEAD + "\n".join(lines) + "\n").encode()},
                            dataset, *references)
    if result.errors:
        return
    rules = rules_of(dataset.indicators)
    places = dict(zip(dataset.essaimages["code"], dataset.essaimages["territory_code"]))
    founded = dict(zip(dataset.essaimages["code"], dataset.essaimages["innovation_code"].map(
        dataset.innovations.set_index("code")["founded_year"])))
    for row in result.tables["indicator_values"]:
        assert 1990 <= int(row["period"]) <= current_year()
        assert rules[row["indicator_code"]].check(row["value"]) is None
        low, high = rules[row["indicator_code"]].bounds()
        assert (low is None or row["value"] >= low) and (high is None or row["value"] <= high)
        if rules[row["indicator_code"]].measure == "count":
            assert row["value"] == int(row["value"])
        if row["essaimage_code"]:
            assert places[row["essaimage_code"]] == row["territory_code"]
            if founded.get(row["essaimage_code"]) == founded.get(row["essaimage_code"]):  # not NaN
                assert int(row["period"]) >= founded[row["essaimage_code"]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.sampled_from([("33063", "33", "75"), ("35238", "35", "53"),
                                      ("2A004", "2A", "94"), ("97411", "974", "04"),
                                      ("69123", "69", "84")]).flatmap(
    lambda good: st.tuples(st.just(good[0]), st.sampled_from(["", good[1], "33", "75"]),
                           st.sampled_from(["", good[2], "11", "99"]))),
    min_size=1, max_size=4))
def test_accepted_territories_agree_with_their_commune(dataset, references, rows):
    communes, departements = references
    lines = [f"t{i};T{i};commune;{insee};;{dep};{region};;;non"
             for i, (insee, dep, region) in enumerate(rows)]
    result = validate_files({"t.csv": (TERRITORY_HEAD + "\n".join(lines) + "\n").encode()},
                            dataset, *references)
    if result.errors:
        return
    by_insee = communes.set_index("code_insee")["code_departement"]
    regions = departements.set_index("code_departement")["code_region"]
    for row in result.tables["territories"]:
        assert row["code_departement"] == by_insee[row["insee_commune"]]
        assert row["code_region"] == regions[row["code_departement"]]
