"""AppTest of *Préparer une restitution* and *Gérer les données*."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from essaim import workshops
from essaim.data import store
from essaim.imports.importer import list_datasets

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _restitution_texts(at: AppTest) -> str:
    """Everything the restitution page shows as text (markdown, captions, messages, options)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.value for kind in ("info", "success", "error", "warning") for m in at.get(kind)]
    parts += [str(o) for box in at.selectbox for o in box.options]
    return "\n".join(parts)


def test_restitution_builds_both_documents_named_after_their_scope(any_app_env):
    at = open_page("pages/restitution.py")
    assert not at.exception
    click(at, "Préparer les documents")
    assert not at.exception
    assert any("documents prêts" in s.value for s in at.success)
    assert {"Diaporama (PowerPoint)", "Rapport (PDF)"} <= {b.label for b in at.get("download_button")}
    names = next(c.value for c in at.caption if c.value.startswith("Fichiers :"))
    assert re.search(r"essaim_restitution_accelerateur_\d{4}-\d{2}-\d{2}\.pptx", names)
    assert re.search(r"essaim_restitution_accelerateur_\d{4}-\d{2}-\d{2}\.pdf", names)


def test_restitution_scopes_offer_their_choices(any_app_env, dataset, second_dataset):
    data = dataset if any_app_env == "demo" else second_dataset
    at = open_page("pages/restitution.py")
    for scope, key, count in (("innovation", "restitution_innovation", len(data.innovations)),
                              ("territoire", "restitution_territory", len(data.territories))):
        at.segmented_control(key="restitution_kind").set_value(scope).run()
        assert not at.exception, scope
        assert len(at.selectbox(key=key).options) == count


def _session(path: Path) -> tuple[str, str, str]:
    from tests.conftest import demo_grid

    engine = store.open_store(f"sqlite:///{path}")
    created = workshops.create_workshop(engine, title="Séance confidentielle", kind="atelier",
                                        grid=demo_grid())
    engine.dispose()
    return created.code, created.pin, created.facilitator_token


def _open_workshop_scope() -> AppTest:
    at = open_page("pages/restitution.py")
    at.segmented_control(key="restitution_kind").set_value("atelier").run()
    assert not at.exception
    return at


def test_workshop_sessions_are_never_listed_without_access(writable_app_env):
    code, _, _ = _session(writable_app_env)
    at = _open_workshop_scope()
    assert not [box for box in at.selectbox if box.key == "restitution_workshop"]
    texts = _restitution_texts(at)
    assert code not in texts and "Séance confidentielle" not in texts
    assert "code PIN d'animation" in texts and "mot de passe d'administration" in texts
    assert not [b for b in at.button if b.label == "Préparer les documents"]


def _unlock(at: AppTest, code: str, secret: str) -> AppTest:
    inputs = {box.label: box for box in at.text_input}
    inputs["Code de la séance"].input(code)
    inputs["Code PIN d'animation, ou clé privée du lien d'animation"].input(secret)
    return click(at, "Ouvrir la séance")


def test_a_session_opens_with_its_pin_or_private_key_only(writable_app_env):
    code, pin, token = _session(writable_app_env)
    wrong = "000000" if pin != "000000" else "111111"
    at = _unlock(_open_workshop_scope(), code, wrong)
    assert any("incorrect" in e.value for e in at.error)
    assert not [box for box in at.selectbox if box.key == "restitution_workshop"]
    at = _unlock(at, code.lower(), pin)
    assert not at.exception
    assert at.selectbox(key="restitution_workshop").options == [f"Séance confidentielle ({code})"]
    assert [b for b in at.button if b.label == "Préparer les documents"]
    fresh = _unlock(_open_workshop_scope(), code, f"https://essaim.exemple.fr/animer?seance={code}&cle={token}")
    assert fresh.selectbox(key="restitution_workshop").value == code


def test_an_unlocked_session_prepares_its_documents(writable_app_env):
    code, pin, _ = _session(writable_app_env)
    at = click(_unlock(_open_workshop_scope(), code, pin), "Préparer les documents")
    assert not at.exception
    names = next(c.value for c in at.caption if c.value.startswith("Fichiers :"))
    assert f"essaim_restitution_atelier_{code}_" in names


def test_the_administration_password_lists_every_session(writable_app_env, monkeypatch):
    monkeypatch.setenv("ESSAIM_ADMIN_PASSWORD", "sésame")
    code, _, _ = _session(writable_app_env)
    at = _open_workshop_scope()
    at.radio(key="restitution_access_atelier").set_value("admin").run()
    assert not [box for box in at.selectbox if box.key == "restitution_workshop"]
    next(box for box in at.text_input if box.label == "Mot de passe d'administration").input("sésame")
    click(at, "Entrer")
    assert not at.exception
    assert f"Séance confidentielle ({code})" in at.selectbox(key="restitution_workshop").options


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
    assert [s.value for s in at.subheader] == ["Jeux de données", "Exporter les données"]
    engine = store.open_store(f"sqlite:///{writable_app_env}")
    versions = list_datasets(engine)
    assert len(versions) == 1 and versions["active"].all()
    table = at.dataframe[0].value
    assert list(table["N°"]) == list(versions["id"]) and list(table["Actif"]) == ["oui"]
    expected = {"Importer": ["Modèles de fichiers", "Importer des données"],
                "Liens partenaires": ["Liens partenaires"]}
    for tab, subheaders in expected.items():
        at.session_state["donnees_tab"] = tab
        at.run()
        assert not at.exception, tab
        assert [s.value for s in at.subheader] == subheaders
