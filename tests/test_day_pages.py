"""The national day's pages through AppTest: created from Animer un atelier, comptoirs added
with the day's common grid or their own, organisers only."""

from __future__ import annotations

import datetime as dt

import pytest

from essaim import workshops
from essaim.data import store
from essaim.workshops.days import add_comptoir, create_day, find_day
from tests.conftest import demo_grid
from tests.test_workshop_pages import open_page


@pytest.fixture
def engine(writable_app_env):
    return store.open_store(f"sqlite:///{writable_app_env}")

@pytest.fixture
def day(engine):
    return create_day(engine, title="Réussir le passage à l'échelle !", day_date=dt.date.today(),
                      place="Paris", rooms=["Le Club", "Le Bureau"],
                      slots=[("Comptoirs 1 et 2", "09:30", "10:30")])

def organiser_page(day, tab: str | None = None):
    at = open_page("pages/journee.py", journee=day.code, cle=day.organiser_token)
    if tab:
        at.session_state["journee_tab"] = tab
        at.run()
    return at

def test_a_day_is_created_on_animer_un_atelier(engine):
    at = open_page("pages/animer.py")
    next(t for t in at.text_input if t.label == "Titre de la journée").input("Journée <b>2026</b>")
    next(a for a in at.text_area if a.label == "Salles (une par ligne)").input("Salle A\nSalle B")
    next(b for b in at.button if b.label == "Créer la journée").click().run()
    assert not at.exception
    code = at.query_params["journee"]
    made = find_day(engine, code)
    assert made.title == "Journée <b>2026</b>" and [r.name for r in made.rooms] == ["Salle A",
                                                                                    "Salle B"]
    at.switch_page("pages/journee.py").run()  # where switch_page led, with the code kept
    assert not at.exception
    assert any(f"Code de la journée : `{code}`" in m.value for m in at.markdown)
    assert any("Journée \\<b\\>2026\\</b\\>" in t.value for t in at.title)

def test_slots_that_do_not_parse_are_refused_in_french(engine):
    at = open_page("pages/animer.py")
    next(t for t in at.text_input if t.label == "Titre de la journée").input("Journée")
    next(a for a in at.text_area if a.label.startswith("Créneaux")).input("Matin ; 09:30")
    next(b for b in at.button if b.label == "Créer la journée").click().run()
    assert any("nom ; début ; fin" in e.value for e in at.error)
    assert "journee" not in at.query_params

def test_the_organisers_page_needs_the_key_and_drops_it_from_the_address(day):
    at = open_page("pages/journee.py", journee=day.code)
    assert any("Réservé aux organisateurs" in w.value for w in at.warning)
    at = organiser_page(day)
    assert "cle" not in at.query_params
    assert not any("Réservé" in w.value for w in at.warning)
    assert [t.label for t in at.tabs] == ["Code et QR code", "Comptoirs", "Écran du hall",
                                          "Synthèse des grands témoins"]

def add(at, title: str, start: str, previous: str = ""):
    next(t for t in at.text_input if t.label == "Titre du comptoir").input(title)
    next(a for a in at.text_area if a.label == "Question du comptoir").input(
        "Comment rester fidèle au modèle en essaimant ?")
    next(r for r in at.radio if r.label == "Grille de départ").set_value(start)
    if previous:
        next(t for t in at.text_input if t.label.startswith("Code de la séance précédente")
             ).input(previous)
    return next(b for b in at.button if b.label == "Ajouter le comptoir").click().run()

def test_a_comptoir_takes_the_common_grid_or_its_own(engine, day):
    earlier = workshops.create_workshop(engine, title="Atelier de juin", kind="atelier",
                                        grid=demo_grid())
    own, _ = workshops.current_grid(engine, earlier.code)
    at = organiser_page(day, "Comptoirs")
    at = add(at, "Propriété intellectuelle", "default")
    assert not at.exception and not at.error, [e.value for e in at.error]
    at = add(at, "Fidélité au modèle", "copy", previous=earlier.code)
    assert not at.exception and not at.error
    comptoirs = {c.title: c for c in find_day(engine, day.code).comptoirs}
    assert set(comptoirs) == {"Propriété intellectuelle", "Fidélité au modèle"}
    copied, _ = workshops.current_grid(engine, comptoirs["Fidélité au modèle"].code)
    assert copied == own
    assert any("Chaque salle a son comptoir" in c.value for c in at.caption)
    team = [c.value for c in at.caption if c.value.startswith("Équipe du comptoir")]
    assert len(team) == 2 and all("PIN" in line for line in team)

def test_a_comptoir_without_a_previous_code_is_not_added(engine, day):
    at = add(organiser_page(day, "Comptoirs"), "Sans grille", "copy")
    assert any("Tapez le code de la séance précédente" in e.value for e in at.error)
    assert find_day(engine, day.code).comptoirs == ()


def test_a_question_too_long_is_refused_and_kept_whole(engine, day):
    at = organiser_page(day, "Comptoirs")
    long_question = "Comment rester fidèle au modèle ?" * 40  # 1 320 characters
    next(t for t in at.text_input if t.label == "Titre du comptoir").input("Trop long")
    next(a for a in at.text_area if a.label == "Question du comptoir").input(long_question)
    at = next(b for b in at.button if b.label == "Ajouter le comptoir").click().run()
    assert any("Question du comptoir : trop long, 1\u00a0320 caractères pour 1\u00a0000 au plus"
               in e.value for e in at.error), [e.value for e in at.error]
    assert next(a for a in at.text_area if a.label == "Question du comptoir").value == \
        long_question
    assert find_day(engine, day.code).comptoirs == ()


def test_the_days_date_is_read_the_french_way(engine):
    at = open_page("pages/animer.py")
    next(t for t in at.text_input if t.label == "Titre de la journée").input("Journée de mars")
    date = next(t for t in at.text_input if t.label == "Date (JJ/MM/AAAA)")
    date.input("31/02/2027")
    next(b for b in at.button if b.label == "Créer la journée").click().run()
    assert any(e.value.startswith("Journée non créée : Date :") for e in at.error)
    date = next(t for t in at.text_input if t.label == "Date (JJ/MM/AAAA)")
    date.input("12/03/2027")
    next(b for b in at.button if b.label == "Créer la journée").click().run()
    assert find_day(engine, at.query_params["journee"]).day_date.isoformat() == "2027-03-12"


def _documents_named(at, code: str) -> str:
    assert not at.exception
    assert {"Diaporama (PowerPoint)", "Rapport (PDF)"} <= {b.label for b in at.get("download_button")}
    names = next(c.value for c in at.caption if c.value.startswith("Fichiers :"))
    assert f"essaim_restitution_journee_{code}_{dt.date.today().isoformat()}.pdf" in names
    return names


def _prepare(at):
    next(b for b in at.button if b.label == "Préparer la restitution (diaporama et PDF)").click()
    return at.run()


def test_the_organisers_prepare_the_days_restitution_from_the_synthesis(engine, day):
    at = _prepare(organiser_page(day, "Synthèse des grands témoins"))
    assert not at.exception
    assert any("pas encore de comptoir" in e.value for e in at.error)  # said, nothing made
    assert not at.get("download_button")
    add_first_comptoir(engine, day)
    _documents_named(_prepare(organiser_page(day, "Synthèse des grands témoins")), day.code)


def add_first_comptoir(engine, day):
    found = find_day(engine, day.code)
    add_comptoir(engine, day.code, day.organiser_token, room_id=found.rooms[0].id,
                 slot_id=found.slots[0].id, title="Fidélité au modèle", question="Comment ?",
                 grid=demo_grid())


def test_a_day_is_never_listed_on_the_restitution_page_without_its_pin(engine, day):
    at = open_page("pages/restitution.py")
    at.segmented_control(key="restitution_kind").set_value("journee").run()
    assert not at.exception and not [b for b in at.selectbox if b.key == "restitution_day"]
    assert not [b for b in at.button if b.label == "Préparer les documents"]
    assert day.code not in "\n".join(m.value for m in at.markdown)
    add_first_comptoir(engine, day)
    fields = {box.label: box for box in at.text_input}
    fields["Code de la journée"].input(day.code.lower())
    fields["Code PIN des organisateurs, ou clé privée de leur lien"].input(
        "000000" if day.pin != "000000" else "111111")
    next(b for b in at.button if b.label == "Ouvrir la journée").click().run()
    assert any("incorrect" in e.value for e in at.error)
    fields = {box.label: box for box in at.text_input}
    fields["Code de la journée"].input(day.code)
    fields["Code PIN des organisateurs, ou clé privée de leur lien"].input(day.pin)
    next(b for b in at.button if b.label == "Ouvrir la journée").click().run()
    assert at.selectbox(key="restitution_day").value == day.code
    next(b for b in at.button if b.label == "Préparer les documents").click()
    _documents_named(at.run(), day.code)


def test_the_hall_screen_of_a_day_without_comptoirs_says_so(engine, day):
    at = organiser_page(day, "Écran du hall")
    assert not at.exception
    assert any(m.value == "**0 personne** a rejoint la journée." for m in at.markdown)
    assert any("Aucun comptoir n'est encore programmé" in i.value for i in at.info)
