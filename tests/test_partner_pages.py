"""Espace partenaire and the partner administration, through AppTest (each test its own store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim.data import store
from essaim.partners.declarations import read_declarations
from essaim.partners.links import create_link

APP = str(Path(__file__).resolve().parent.parent / "app.py")
RELAY = "association-rennes-prevention-jeunes"


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


@pytest.fixture
def engine(writable_app_env):
    return store.open_store(f"sqlite:///{writable_app_env}")


def test_without_a_link_the_page_explains_how_to_get_in(engine):
    at = open_page("pages/partenaire.py")
    assert not at.exception
    assert any("lien privé" in i.value for i in at.info)
    assert not at.tabs


def test_a_wrong_link_is_refused_in_french(engine):
    at = open_page("pages/partenaire.py", jeton="faux-jeton")
    assert any("n'est pas valable" in e.value for e in at.error)
    assert not any("Rennes" in m.value for m in at.markdown)


def test_a_partner_sees_its_figures_and_declares_a_value(engine):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Association Rennes" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert set(table["Essaimage"]) == {"tapaj-rennes", "tout le territoire"}
    at.session_state["partner_tab"] = "Déclarer des valeurs"
    at.run()
    at.selectbox(key="declare_indicator").set_value("beneficiaires")
    at.text_input(key="declare_period").input("2023")
    at.text_input(key="declare_value").input("1 234")  # French thousands separator
    at.text_input(key="declare_source").input("Bilan 2023").run()
    # The value read is shown back before anything is saved.
    assert any("Vous saisissez **1\u00a0234**" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Déclarer").click().run()
    assert not at.exception
    # Far above what the other territories report: a confirmation is asked, nothing written.
    assert any("loin de ce que déclarent les autres territoires" in w.value for w in at.warning)
    assert read_declarations(engine, RELAY).empty
    at.checkbox(key="declare_confirmed").check()
    next(b for b in at.button if b.label == "Déclarer").click().run()
    assert any("1 valeur enregistrée" in s.value for s in at.success)
    declared = read_declarations(engine, RELAY)
    assert list(declared["value"]) == [1234.0] and declared.loc[0, "period"] == "2023"
    assert bool(declared.loc[0, "unusual_confirmed"])


def test_a_declaration_error_writes_nothing_and_says_why(engine):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    at.session_state["partner_tab"] = "Déclarer des valeurs"
    at.run()
    at.text_input(key="declare_period").input("22")
    at.text_input(key="declare_value").input("1.234")
    next(b for b in at.button if b.label == "Déclarer").click().run()
    message = " ".join(e.value for e in at.error)
    assert "Rien n'a été enregistré" in message and "année attendue" in message
    assert "ambigu" in message and "Source" in message
    assert read_declarations(engine, RELAY).empty


def test_the_partner_sees_and_joins_its_disagreement_threads(engine):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    at.session_state["partner_tab"] = "Désaccords"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = [e.label for e in at.expander]
    assert len(titles) == 2 and all("Rennes" in t for t in titles)  # 2018 and 2019, not others


def test_ansa_creates_a_link_shown_once(engine, monkeypatch):
    monkeypatch.setenv("ESSAIM_ADMIN_PASSWORD", "sésame")
    at = open_page("pages/donnees.py")
    at.text_input[0].input("sésame")
    next(b for b in at.button if b.label == "Entrer").click().run()
    at.session_state["donnees_tab"] = "Liens partenaires"
    at.run()
    at.text_input(key="link_label").input("Mme Durand, directrice")
    next(b for b in at.button if b.label == "Créer le lien").click().run()
    assert not at.exception
    assert any("ne sera plus affiché" in s.value for s in at.success)
    url = at.code[0].value
    assert "/partenaire?jeton=" in url
    token = url.split("jeton=")[1]
    from essaim.partners.links import resolve_link

    assert resolve_link(engine, token).label == "Mme Durand, directrice"


def test_the_partner_page_on_the_second_dataset(tmp_path, monkeypatch, second_db_path):
    import shutil

    path = tmp_path / "second.sqlite"
    shutil.copy(second_db_path, path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", str(path))
    engine = store.open_store(f"sqlite:///{path}")
    token = create_link(engine, "relais-cj-ajaccio", label="Relais", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Coopératives jeunesse à Ajaccio" in c.value for c in at.caption)
    at.session_state["partner_tab"] = "Désaccords"
    at.run()
    assert not at.exception
    # The porteur and the observatory disagree on satisfaction at Ajaccio in 2022 (nobody is
    # designated to settle it): the relay sees the thread, may comment, may not propose.
    assert [e.label for e in at.expander] == [
        "Satisfaction des participants · Ajaccio · 2022 — ouvert"]


def test_messages_are_shown_as_text_not_markdown_or_html(engine):
    from essaim.partners.scope import scope_of
    from essaim.partners.threads import ensure_threads, list_threads, post_message

    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    thread = next(t for t in list_threads(engine).to_dict("records")
                  if t["territory_code"] == "rennes")
    post_message(engine, dataset, thread["id"], kind="comment", author="x",
                 scope=scope_of(dataset, RELAY),
                 text="[cliquez](javascript:alert(1)) <img src=x onerror=alert(1)>")
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    at.session_state["partner_tab"] = "Désaccords"
    at.run()
    shown = [m.value for m in at.markdown if "cliquez" in m.value]
    assert shown and all("\\[cliquez\\]\\(javascript" in m and "\\<img" in m for m in shown)


def test_the_partner_key_leaves_the_address_and_stays_in_the_session(engine):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    at = open_page("pages/partenaire.py", jeton=token)
    assert "jeton" not in at.query_params
    assert at.session_state["partner_token"] == token
    at.run()  # a rerun (a click, a tab) keeps the space open without the key in the address
    assert any("Association Rennes" in m.value for m in at.markdown)
