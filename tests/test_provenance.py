"""« D'où vient ce chiffre ? »: every report behind a figure, the rule that chose the one that
counts, its thread and the dataset version — on the second dataset, unlike the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim.data import store
from essaim.figures.counted import counted_values
from essaim.partners.declarations import check_form_row, declare_values
from essaim.partners.provenance import cell_provenance, read_provenance_inputs
from essaim.partners.scope import scope_of
from essaim.partners.threads import agree, ensure_threads, list_threads, post_message
from tests.conftest import _read_only_copy

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CELL = {"indicator_code": "satisfaction_5", "territory_code": "ajaccio",
        "essaimage_code": "cj-ajaccio", "period": "2022"}


@pytest.fixture
def second_engine(second_db_path, tmp_path):
    return store.open_store(f"sqlite:///{_read_only_copy(second_db_path, tmp_path)}")


def _agree_on_ajaccio(engine) -> int:
    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    thread = next(t for t in list_threads(engine).to_dict("records")
                  if t["territory_code"] == "ajaccio")
    porteur, observatoire = (scope_of(dataset, "porteur-coop_jeunesse"),
                             scope_of(dataset, "observatoire-emploi"))
    proposal = post_message(engine, dataset, thread["id"], kind="proposal", author="Porteur",
                            scope=porteur, value=3.8, text="Moyenne des deux enquêtes.")
    assert agree(engine, dataset, thread["id"], proposal, scope=observatoire,
                 author="Observatoire").resolved
    return thread["id"]


def test_two_disagreeing_reports_and_their_agreement_are_told(second_engine):
    before = store.read_dataset(second_engine)
    contested = cell_provenance(before, counted_values(before),
                                read_provenance_inputs(second_engine), CELL)
    assert contested.value == "n.d." and contested.status_short == "en désaccord"
    thread_id = _agree_on_ajaccio(second_engine)
    dataset = store.read_dataset(second_engine)
    told = cell_provenance(dataset, counted_values(dataset), read_provenance_inputs(second_engine),
                           CELL)
    names = dict(zip(dataset.partners["code"], dataset.partners["name"]))
    assert {r.partner for r in told.reports} == {names["porteur-coop_jeunesse"],
                                                 names["observatoire-emploi"]}
    assert {r.source for r in told.reports} == {"Enquête du porteur 2022",
                                                "Enquête de l'observatoire 2022"}
    assert all(r.way.startswith(f"import : jeu de données n°{dataset.id}") for r in told.reports)
    assert (told.status_short, told.rule) == ("accordé", "valeur convenue entre partenaires")
    assert told.value == "3,8" and f"fil de désaccord n°{thread_id}" in told.thread
    assert "Moyenne des deux enquêtes" in told.thread or "valeur convenue" in told.thread
    assert told.dataset_version.startswith(f"jeu de données n°{dataset.id} « Jeu d'essai")


def test_a_declaration_says_who_declared_it_when_and_how(second_engine):
    dataset = store.read_dataset(second_engine)
    scope = scope_of(dataset, "observatoire-emploi")
    check = check_form_row({**CELL, "value": "3,3", "source": "Enquête corrigée"}, dataset, scope)
    assert check.ok, [str(e) for e in check.errors]
    declare_values(second_engine, check, None, declared_by="Chargée d'études")
    dataset = store.read_dataset(second_engine)
    told = cell_provenance(dataset, counted_values(dataset), read_provenance_inputs(second_engine),
                           CELL)
    mine = next(r for r in told.reports if r.source == "Enquête corrigée")
    assert mine.value == "3,3"
    assert mine.way.startswith("déclaration n°1 (formulaire de l'espace partenaire) par Chargée "
                               "d'études, le ")


def test_the_portrait_opens_the_provenance_of_a_figure(second_engine, monkeypatch):
    _agree_on_ajaccio(second_engine)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", second_engine.url.database)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["territoire"] = "ajaccio"
    at.switch_page("pages/territoire.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button_group(key="portrait_family").set_value("bien_etre").run()
    table = next(d.value for d in at.dataframe if "Statut" in d.value.columns)
    assert list(table.columns[:5]) == ["Indicateur", "Valeur", "Statut", "Période", "Innovation"]
    row = table[table["Indicateur"].str.startswith("Satisfaction")].iloc[0]
    assert (row["Statut"], row["Périodes précédentes discutées"]) == ("source unique",
                                                                       "accordé en 2022")
    at.session_state["portrait_provenance_open"] = True  # the picker is drawn once opened
    at.run()
    picker = at.selectbox(key="portrait_provenance")
    option = next(i for i, o in enumerate(picker.options) if o.startswith("Satisfaction"))
    picker.set_value(option).run()
    periods = next(r for r in at.radio if r.key.startswith("portrait_provenance_period"))
    assert any("2022 : 3,8 — accordé" in o for o in periods.options)
    periods.set_value("2022").run()
    told = " ".join(m.value for m in at.markdown)
    assert "Enquête du porteur 2022" in told and "Enquête de l'observatoire 2022" in told
    assert "valeur convenue entre partenaires" in told and "fil de désaccord n°" in told
    assert "jeu de données n°" in told
