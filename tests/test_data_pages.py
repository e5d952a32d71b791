"""AppTest of *Préparer une restitution* and *Gérer les données*."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim import store
from essaim.importer import list_datasets

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium absent : pas de graphiques")
def test_restitution_builds_both_documents(app_env):
    at = open_page("pages/restitution.py")
    assert not at.exception
    click(at, "Préparer les documents")
    assert not at.exception
    assert any("documents prêts" in s.value for s in at.success)
    assert {"Diaporama (PowerPoint)", "Rapport (PDF)"} <= {b.label for b in at.get("download_button")}


def test_restitution_scopes_offer_their_choices(app_env):
    at = open_page("pages/restitution.py")
    for scope, key in (("innovation", "restitution_innovation"),
                       ("territoire", "restitution_territory")):
        at.segmented_control(key="restitution_kind").set_value(scope).run()
        assert not at.exception, scope
        assert len(at.selectbox(key=key).options) == (7 if scope == "innovation" else 42)
    at.segmented_control(key="restitution_kind").set_value("atelier").run()
    assert not at.exception


def test_data_page_is_closed_without_a_configured_password(writable_app_env, monkeypatch):
    monkeypatch.delenv("ESSAIM_ADMIN_PASSWORD", raising=False)
    at = open_page("pages/donnees.py")
    assert any("Aucun mot de passe" in e.value for e in at.error)
    assert not at.get("file_uploader")


def test_data_page_refuses_a_wrong_password(writable_app_env, monkeypatch):
    monkeypatch.setenv("ESSAIM_ADMIN_PASSWORD", "sésame")
    at = open_page("pages/donnees.py")
    at.text_input[0].input("devine")
    click(at, "Entrer")
    assert any("incorrect" in e.value for e in at.error)
    assert not at.get("file_uploader")


def test_data_page_opens_with_the_password(writable_app_env, monkeypatch):
    monkeypatch.setenv("ESSAIM_ADMIN_PASSWORD", "sésame")
    at = open_page("pages/donnees.py")
    at.text_input[0].input("sésame")
    click(at, "Entrer")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Jeux de données", "Modèles de fichiers",
                                                "Importer des données", "Exporter les données"]
    engine = store.open_store(f"sqlite:///{writable_app_env}")
    versions = list_datasets(engine)
    assert len(versions) == 1 and versions["active"].all()
    table = at.dataframe[0].value
    assert list(table["N°"]) == list(versions["id"]) and list(table["Actif"]) == ["oui"]
