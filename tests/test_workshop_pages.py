"""The three workshop views through AppTest: facilitator console, participant, projection."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim import workshops
from essaim.data import store
from essaim.workshops import room_reads
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


def console(created, **query) -> AppTest:
    """The console opened with the private link (the key then leaves the address)."""
    return open_page("pages/animer.py", seance=created.code, cle=created.facilitator_token,
                     **query)


def test_facilitator_creates_a_session_and_the_key_stays_out_of_the_address(engine):
    at = open_page("pages/animer.py")
    assert not at.exception
    next(t for t in at.text_input if t.label == "Titre").input("Comptoir des enjeux n°2")
    next(b for b in at.button if b.label == "Créer la séance").click().run()
    assert not at.exception
    code = at.query_params["seance"]
    assert "cle" not in at.query_params
    assert workshops.find_workshop(engine, code).title == "Comptoir des enjeux n°2"
    assert any(f"Code : `{code}`" in m.value for m in at.markdown)


def test_facilitator_console_needs_the_secret_and_drops_the_key_from_the_address(created):
    at = open_page("pages/animer.py", seance=created.code)
    assert any("Accès réservé" in e.value for e in at.error)
    at = open_page("pages/animer.py", seance=created.code, cle="pas-la-bonne-cle")
    assert any("Accès réservé" in e.value for e in at.error)
    at = console(created)
    assert not at.error and not at.exception
    assert any("Atelier" in s.value for s in at.subheader)
    assert dict(at.query_params) == {"seance": [created.code]} or \
        dict(at.query_params) == {"seance": created.code}
    at.run()  # still the facilitator: the key is kept in the session, not in the address
    assert not at.error and any("Atelier" in s.value for s in at.subheader)


def _page_texts(at: AppTest) -> str:
    """Every text an anonymous visitor can read on the page, options of every list included."""
    texts = [e.value for kind in ("markdown", "caption", "title", "subheader", "text", "code",
                                  "info", "error", "warning", "success")
             for e in at.get(kind)]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in at.get(kind):
            texts += [str(o) for o in widget.options]
    return "\n".join(texts)


def test_session_codes_are_never_listed_to_anonymous_visitors(engine, created):
    for page in ("pages/animer.py", "pages/projection.py", "pages/participer.py"):
        at = open_page(page)
        assert not at.exception
        assert created.code not in _page_texts(at), page


def test_a_previous_sessions_grid_is_taken_by_its_code(engine, created):
    at = open_page("pages/animer.py")
    next(t for t in at.text_input if t.label == "Titre").input("Suite")
    at.radio[0].set_value("copy")
    next(t for t in at.text_input if t.label.startswith("Code de la séance précédente")).input(
        created.code.lower())
    next(b for b in at.button if b.label == "Créer la séance").click().run()
    assert not at.exception and not at.error
    new_code = at.query_params["seance"]
    assert workshops.current_grid(engine, new_code)[0] == workshops.current_grid(
        engine, created.code)[0]


@pytest.mark.parametrize("tab", ["Grille", "La salle", "Propositions", "Versions et exports",
                                 "Séance"])
def test_every_console_tab_runs(engine, created, tab):
    token = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    workshops.add_proposal(engine, created.code, token, "target", "45 %", "taux_sortie_emploi", 45)
    at = console(created)
    at.session_state["animer_tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_facilitator_adopts_the_room_weights(engine, created):
    token = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    at = console(created)
    at.session_state["animer_tab"] = "La salle"
    at.run()
    next(b for b in at.button if b.label == "Adopter les poids de la salle").click().run()
    assert not at.exception
    grid, version = workshops.current_grid(engine, created.code)
    assert version == 2
    emploi = next(d for d in grid.dimensions if d.id == "emploi")
    assert emploi.weight == pytest.approx(40)


def test_facilitator_hides_then_deletes_a_proposal_from_the_console(engine, created):
    token = workshops.join_workshop(engine, created.code, pseudonym="Léa")
    proposal = workshops.add_proposal(engine, created.code, token, "comment", "Hors sujet")
    at = console(created)
    at.session_state["animer_tab"] = "Propositions"
    at.run()
    at.button(key=f"hide_{proposal}").click().run()
    assert not at.exception
    assert room_reads.room_proposals(engine, created.code) == []
    assert any("masquée par l'animation" in m.value for m in at.markdown)
    at.button(key=f"delete_{proposal}").click().run()
    assert workshops.read_inputs(engine, created.code).empty


def test_facilitator_asks_to_approve_proposals_first(engine, created):
    at = console(created)
    at.session_state["animer_tab"] = "Propositions"
    at.run()
    at.toggle(key=f"premoderation_{created.code}").set_value(True).run()
    assert workshops.find_workshop(engine, created.code).premoderation
    token = workshops.join_workshop(engine, created.code)
    waiting = workshops.add_proposal(engine, created.code, token, "comment", "À valider")
    at.run()
    assert any("attend votre validation" in w.value for w in at.warning)
    at.button(key=f"show_{waiting}").click().run()
    assert [p["text"] for p in room_reads.room_proposals(engine, created.code)] == ["À valider"]


def test_resuming_with_the_pin_is_paced_not_locked(engine, created):
    at = open_page("pages/animer.py")
    field = lambda label: next(t for t in at.text_input if t.label == label)
    resume = lambda pin: (field("Code de la séance").input(created.code),
                          field("Code PIN animateur").input(pin),
                          next(b for b in at.button if b.label == "Reprendre").click().run())
    for _ in range(3):
        resume("000000")
        assert any("incorrect" in e.value for e in at.error)
    resume(created.pin)
    assert any("réessayez dans" in e.value for e in at.error)  # this device waits a little
    assert "cle" not in at.query_params


def test_the_participer_page_points_to_the_phone_page(created):
    at = open_page("pages/participer.py", seance=created.code)
    assert not at.exception
    button = at.get("link_button")[0]
    assert button.proto.url.endswith(f"/participer?seance={created.code}")


def test_projection_shows_the_room_by_votes_and_escapes_names(engine, created):
    token = workshops.join_workshop(engine, created.code, pseudonym="<i>Léa</i>", role="Élu·e")
    other = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    workshops.add_proposal(engine, created.code, token, "comment", "[lien](javascript:alert(1))")
    popular = workshops.add_proposal(engine, created.code, other, "comment", "La plus soutenue")
    hidden = workshops.add_proposal(engine, created.code, other, "comment", "Masquée")
    workshops.set_vote(engine, created.code, token, popular, True)
    workshops.moderate_proposal(engine, created.code, created.facilitator_token, hidden, "hide")
    workshops.save_rating(engine, created.code, token, "taux_sortie_emploi", 4)
    at = open_page("pages/projection.py", seance=created.code)
    assert any("Pertinence des critères" == s.value for s in at.subheader)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants"] == "2" and metrics["Répartitions reçues"] == "1"
    assert metrics["Propositions"] == "2"
    assert at.title[0].value == "Atelier \\<b\\>test\\</b\\>"
    texts = [m.value for m in at.markdown]
    assert any("\\[lien\\]\\(javascript" in t for t in texts)
    order = [t for t in texts if "La plus soutenue" in t or "javascript" in t]
    assert "La plus soutenue" in order[0] and "1 soutien" in order[0]
    assert not any("Masquée" in t for t in texts)


def test_projection_has_no_sidebar_and_a_discreet_demo_notice(created):
    at = open_page("pages/projection.py", seance=created.code)
    styles = "\n".join(h.proto.body for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in styles and "display: none" in styles
    assert not any("Données fictives" in w.value for w in at.warning)  # no banner…
    assert any("Données fictives de démonstration" in c.value for c in at.caption)  # …a line


def test_projection_hides_results_when_asked(engine, created):
    workshops.set_results_hidden(engine, created.code, created.facilitator_token, True)
    at = open_page("pages/projection.py", seance=created.code)
    assert any("Résultats masqués" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_pin_in_the_address_is_not_accepted(engine, created):
    at = open_page("pages/animer.py", seance=created.code, cle=created.pin)
    assert any("Accès réservé" in e.value for e in at.error)


def test_the_administration_password_is_paced(monkeypatch, writable_app_env):
    monkeypatch.setenv("ESSAIM_ADMIN_PASSWORD", "sésame")
    at = open_page("pages/donnees.py")
    for _ in range(3):
        at.text_input[0].input("mauvais")
        at.button[0].click().run()
        assert any("incorrect" in e.value for e in at.error)
    at.text_input[0].input("sésame")
    at.button[0].click().run()
    assert any("réessayez dans" in e.value for e in at.error)
