"""Gérer les données in Chromium: a bad file is explained and nothing changes; a good file is
shown with what it changes, needs a confirmation when rows go, is imported once, and the demo
notice then names only the tables still fictional."""

from pathlib import Path

from essaim.data import store
from tests.conftest import PageWatch, start_streamlit, stop_streamlit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def test_upload_a_bad_file_then_a_good_one(tmp_path, browser, chromium_path):
    path = tmp_path / "essaim.sqlite"
    store.open_store(f"sqlite:///{path}").dispose()
    process, url = start_streamlit(path, tmp_path / "server.log",
                                   extra_env={"ESSAIM_ADMIN_PASSWORD": "sésame"})
    watch = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1200},
                                          locale="fr-FR").new_page())
    page = watch.page
    try:
        watch.open(f"{url}/donnees")
        page.get_by_text("Données fictives de démonstration").first.wait_for()
        page.get_by_role("textbox", name="Mot de passe d'administration").fill("sésame")
        page.get_by_role("button", name="Entrer").click()
        page.get_by_role("tab", name="Importer").click()
        page.get_by_role("heading", name="Importer des données").wait_for(timeout=30_000)

        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        upload.set_input_files(str(FIXTURES / "territoires_insee_inconnu.csv"))
        page.get_by_text("1 erreur : rien n'a été importé").wait_for(timeout=30_000)
        page.get_by_text("vouliez-vous dire « 33063 » ?").first.wait_for(timeout=30_000)
        assert page.get_by_role("button", name="Importer et activer").count() == 0

        page.locator('[data-testid="stFileChipDeleteBtn"] button').first.click()
        page.get_by_text("rien n'a été importé").wait_for(state="detached", timeout=30_000)
        upload.set_input_files(str(FIXTURES / "territoires_bom_pointvirgule.csv"))
        page.get_by_text("Fichiers valides.").wait_for(timeout=30_000)
        # 2 territories replace 42: the import says so and waits for a confirmation.
        page.get_by_text("Attention, cet import retire des lignes").wait_for(timeout=30_000)
        page.get_by_role("button", name="Importer et activer").click()
        page.get_by_text("Cochez la confirmation").wait_for(timeout=30_000)
        assert len(store.list_dataset_ids(store.open_store(f"sqlite:///{path}"))) == 1
        page.get_by_text("Je confirme").click()
        page.get_by_role("button", name="Importer et activer").click()
        page.get_by_text("Import enregistré et activé").wait_for(timeout=30_000)
        imported = store.read_dataset(store.open_store(f"sqlite:///{path}"))
        assert imported.label == "Données réelles" and len(imported.territories) == 2
        notice = page.get_by_text("Données fictives de démonstration encore présentes")
        notice.first.wait_for(timeout=30_000)
        assert "territoires" not in notice.first.inner_text()
        assert watch.external == [] and watch.errors == []
    finally:
        stop_streamlit(process)
