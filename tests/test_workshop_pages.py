"""The three workshop views through AppTest: facilitator console, participant, projection."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim import store, workshops
from tests.conftest import demo_grid

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SPLIT = {"emploi": 40, "bien_etre": 20, "couts": 10, "territoire": 10, "ecosysteme": 10,
         "processus": 5, "methodes": 5}


@pytest.fixture
def engine(writable_app_env):
    return store.open_store(f"sqlite:///{writable_app_env}")


@pytest.fixture
def created(engine):
    return workshops.create_workshop(engine, title="Atelier <b>test</b>", kind="atelier",
                                     grid=demo_grid())


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def test_facilitator_creates_a_session(engine):
    at = open_page("pages/animer.py")
    assert not at.exception
    next(t for t in at.text_input if t.label == "Titre").input("Comptoir des enjeux n°2")
    next(b for b in at.button if b.label == "Créer la séance").click().run()
    assert not at.exception
    code = at.query_params["seance"]
    assert workshops.find_workshop(engine, code).title == "Comptoir des enjeux n°2"
    assert any(f"Code : `{code}`" in m.value for m in at.markdown)


def test_facilitator_console_needs_the_secret(created):
    at = open_page("pages/animer.py", seance=created.code)
    assert any("Accès réservé" in e.value for e in at.error)
    at = open_page("pages/animer.py", seance=created.code, cle="pas-la-bonne-cle")
    assert any("Accès réservé" in e.value for e in at.error)
    at = open_page("pages/animer.py", seance=created.code, cle=created.facilitator_token)
    assert not at.error and not at.exception
    assert any("Atelier" in s.value for s in at.subheader)


@pytest.mark.parametrize("tab", ["Grille", "La salle", "Versions et exports", "Séance"])
def test_every_console_tab_runs(engine, created, tab):
    token = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    workshops.add_proposal(engine, created.code, token, "target", "45 %", "taux_sortie_emploi", 45)
    at = open_page("pages/animer.py", seance=created.code, cle=created.facilitator_token)
    at.session_state["animer_tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_facilitator_adopts_the_room_weights(engine, created):
    token = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    at = open_page("pages/animer.py", seance=created.code, cle=created.facilitator_token)
    at.session_state["animer_tab"] = "La salle"
    at.run()
    next(b for b in at.button if b.label == "Adopter les poids de la salle").click().run()
    assert not at.exception
    grid, version = workshops.current_grid(engine, created.code)
    assert version == 2
    emploi = next(d for d in grid.dimensions if d.id == "emploi")
    assert emploi.weight == pytest.approx(40)


def test_participant_joins_and_saves(engine, created):
    at = open_page("pages/participer.py", seance=created.code)
    assert not at.exception
    next(b for b in at.button if b.label == "Rejoindre").click().run()  # anonymously
    token = at.query_params["p"]
    assert workshops.find_participant(engine, created.code, token) is not None
    inputs = [n for n in at.number_input if n.key and n.key.startswith("w_")]
    for number, value in zip(inputs, SPLIT.values()):
        number.set_value(value)
    next(b for b in at.button if b.label == "Enregistrer ma répartition").click().run()
    assert any("Enregistré" in s.value for s in at.success)
    saved = workshops.read_inputs(engine, created.code)
    assert (saved["kind"] == "weights").sum() == 1


def test_participant_sees_a_wrong_total_before_anything_is_saved(engine, created):
    token = workshops.join_workshop(engine, created.code)
    at = open_page("pages/participer.py", seance=created.code, p=token)
    next(b for b in at.button if b.label == "Enregistrer ma répartition").click().run()
    assert any("il en faut exactement 100" in e.value for e in at.error)
    assert workshops.read_inputs(engine, created.code).empty


def test_participant_in_a_closed_session_is_thanked(engine, created):
    token = workshops.join_workshop(engine, created.code)
    workshops.set_status(engine, created.code, created.facilitator_token, "closed")
    at = open_page("pages/participer.py", seance=created.code, p=token)
    assert any("close" in i.value for i in at.info)


def test_wrong_code_is_refused(engine):
    at = open_page("pages/participer.py", seance="ZZZZZZ")
    next(b for b in at.button if b.label == "Rejoindre").click().run()
    assert any("aucune séance" in e.value for e in at.error)


def test_projection_shows_the_room_and_escapes_names(engine, created):
    token = workshops.join_workshop(engine, created.code, pseudonym="<i>Léa</i>", role="Élu·e")
    workshops.save_weights(engine, created.code, token, SPLIT)
    workshops.add_proposal(engine, created.code, token, "comment", "[lien](javascript:alert(1))")
    workshops.save_rating(engine, created.code, token, "taux_sortie_emploi", 4)
    at = open_page("pages/projection.py", seance=created.code)
    assert any("Pertinence des critères" == s.value for s in at.subheader)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants"] == "1" and metrics["Répartitions reçues"] == "1"
    assert at.title[0].value == "Atelier \\<b\\>test\\</b\\>"
    assert any("\\[lien\\]\\(javascript" in m.value for m in at.markdown)


def test_projection_hides_results_when_asked(engine, created):
    workshops.set_results_hidden(engine, created.code, created.facilitator_token, True)
    at = open_page("pages/projection.py", seance=created.code)
    assert any("Résultats masqués" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_pin_in_the_address_is_not_accepted(engine, created):
    at = open_page("pages/animer.py", seance=created.code, cle=created.pin)
    assert any("Accès réservé" in e.value for e in at.error)
