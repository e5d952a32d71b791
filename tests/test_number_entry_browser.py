"""Every numeric field of the app, typed in Chromium the way people type numbers: « 12,5 »,
« 1 234 », « 1 234,5 », « 49,8 % », « 0,5 », « 12.5 », « 1.234 » (ambiguous), « 2035 », « -3 »,
« 150 ». Each field shows the value it read (« Vous saisissez 49,8 % ») or why it cannot be, and
what is saved is the value read — never 498 for « 49,8 »."""

from __future__ import annotations

import re

import pytest

from essaim.data import store
from essaim.partners.declarations import read_declarations
from essaim.partners.links import create_link, list_links
from essaim.workshops import current_grid
from essaim.workshops.grid import diff_grids
from tests.conftest import PageWatch, _read_only_copy, start_streamlit, stop_streamlit

RELAY = "association-rennes-prevention-jeunes"
ENTRIES = ["12,5", "1 234", "1 234,5", "49,8 %", "0,5", "12.5", "1.234", "2035", "-3", "150"]
NBSP = "\u00a0"

# What each kind of field reads, entry by entry: the value shown back, or words of the refusal.
RATE = {"12,5": "12,5 %", "1 234": "va de 0 à 100", "1 234,5": "va de 0 à 100",
        "49,8 %": "49,8 %", "0,5": "0,5 %", "12.5": "12,5 %", "1.234": "ambigu",
        "2035": "va de 0 à 100", "-3": "va de 0 à 100", "150": "va de 0 à 100"}
COUNT = {"12,5": "nombre entier", "1 234": "1 234", "1 234,5": "nombre entier",
         "49,8 %": "nombre entier", "0,5": "nombre entier", "12.5": "nombre entier",
         "1.234": "ambigu", "2035": "2 035", "-3": "jamais négatif", "150": "150"}
DAYS = {"12,5": "nombre entier", "1 234": "va de 1 à 730", "1 234,5": "nombre entier",
        "49,8 %": "nombre entier", "0,5": "nombre entier", "12.5": "nombre entier",
        "1.234": "ambigu", "2035": "va de 1 à 730", "-3": "va de 1 à 730", "150": "150"}
REFUSALS = ("va de", "nombre entier", "ambigu", "jamais négatif")


@pytest.fixture
def admin_server(demo_db_path, tmp_path, chromium_path):
    path = _read_only_copy(demo_db_path, tmp_path)
    process, url = start_streamlit(path, tmp_path / "server.log",
                                   extra_env={"ESSAIM_ADMIN_PASSWORD": "sésame"})
    yield url, path
    stop_streamlit(process)


def _expected_text(typed: str, expected: str) -> str:
    """The feedback line a field shows: the refusal quotes what was typed, the value read is
    shown back."""
    if any(word in expected for word in REFUSALS):
        return f"« {typed} »"
    return f"Vous saisissez {expected.replace(' ', NBSP)}"


def check_field(scope, page, label: str, expected: dict[str, str]) -> None:
    """Type every entry into the field `label` (within `scope`) and wait for its feedback."""
    field = scope.get_by_role("textbox", name=label, exact=True)
    for typed in ENTRIES:
        field.fill("x")  # a reset, so that the same feedback twice is still a new answer
        field.press("Enter")
        scope.get_by_text("« x »").first.wait_for(timeout=30_000)
        field.fill(typed)
        field.press("Enter")
        feedback = scope.get_by_text(_expected_text(typed, expected[typed])).first
        feedback.wait_for(timeout=30_000)
        if any(word in expected[typed] for word in REFUSALS):
            assert expected[typed] in feedback.inner_text(), (label, typed)


def open_partner_space(browser, url: str, token: str) -> PageWatch:
    watch = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1100},
                                          locale="fr-FR").new_page())
    watch.open(f"{url}/partenaire?jeton={token}")
    watch.page.get_by_text("Vos essaimages").first.wait_for(timeout=30_000)
    return watch


def test_a_partners_value_and_proposal_fields_read_french_numbers(admin_server, browser):
    url, path = admin_server
    engine = store.open_store(f"sqlite:///{path}")
    watch = open_partner_space(browser, url, create_link(engine, RELAY, label="Directrice",
                                                         created_by="ANSA"))
    page = watch.page
    assert "jeton" not in page.url  # the key left the address bar at once
    page.get_by_role("tab", name="Déclarer des valeurs").click()
    page.get_by_label("Indicateur").first.click()
    page.get_by_role("option", name=re.compile("^Taux de sortie vers l'emploi")).click()
    watch.wait_idle()
    check_field(page, page, "Valeur", RATE)
    page.get_by_role("textbox", name="Année", exact=True).fill("2035")
    page.get_by_role("textbox", name="Source", exact=True).fill("Bilan 2035")
    field = page.get_by_role("textbox", name="Valeur", exact=True)
    field.fill("49,8")
    field.press("Enter")
    page.get_by_text(f"Vous saisissez 49,8{NBSP}%").wait_for(timeout=30_000)
    page.get_by_role("button", name="Déclarer", exact=True).click()
    page.get_by_text("n'est pas encore arrivée").first.wait_for(timeout=30_000)
    assert read_declarations(engine, RELAY).empty
    page.get_by_role("textbox", name="Année", exact=True).fill("2024")
    page.get_by_role("button", name="Déclarer", exact=True).click()
    page.get_by_text("1 valeur enregistrée").wait_for(timeout=30_000)
    assert list(read_declarations(engine, RELAY)["value"]) == [49.8]  # not 498

    page.get_by_role("tab", name="Désaccords").click()
    thread = page.locator('[data-testid="stExpander"]', has_text="Sorties vers l'emploi").first
    thread.get_by_label("Votre message").click()
    page.get_by_role("option", name="Proposition de valeur").click()
    watch.wait_idle()
    check_field(thread, page, "Valeur proposée", COUNT)
    assert watch.errors == [] and watch.external == []


def test_ansa_arbitration_and_link_validity_read_french_numbers(admin_server, browser):
    url, path = admin_server
    engine = store.open_store(f"sqlite:///{path}")
    watch = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1200},
                                          locale="fr-FR").new_page())
    page = watch.page
    watch.open(f"{url}/donnees")
    page.get_by_role("textbox", name="Mot de passe d'administration").fill("sésame")
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("tab", name="Liens partenaires").click()
    page.get_by_role("textbox", name="Valable (jours)").wait_for(timeout=30_000)
    check_field(page, page, "Valable (jours)", DAYS)
    page.get_by_role("textbox", name="Pour qui (nom, fonction)", exact=True).fill("Directrice")
    field = page.get_by_role("textbox", name="Valable (jours)", exact=True)
    field.fill("1 50")  # spaces are thousands only in groups of three: refused
    field.press("Enter")
    page.get_by_text("« 1 50 »").wait_for(timeout=30_000)
    field.fill("150")
    field.press("Enter")
    page.get_by_text("Vous saisissez 150").wait_for(timeout=30_000)
    page.get_by_role("button", name="Créer le lien").click()
    page.get_by_text("Lien créé").wait_for(timeout=30_000)
    link = list_links(engine).iloc[0]
    days = (link["expires_at"] - link["created_at"]).days
    assert days == 150

    page.get_by_role("tab", name="Désaccords entre partenaires").click()
    thread = page.locator('[data-testid="stExpander"]', has_text="Sorties vers l'emploi").first
    thread.locator("summary").click()
    thread.get_by_role("textbox", name="Valeur retenue").wait_for(timeout=30_000)
    check_field(thread, page, "Valeur retenue", COUNT)
    assert watch.errors == [] and watch.external == []


def _edit_cell(page, grid, row: int, column: int, text: str) -> None:
    """Type `text` into a cell of a data editor (row 0 is the first data row)."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 80, box["y"] + 52 + 35 * row)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea, #portal input").first
    editor.wait_for(timeout=10_000)
    editor.fill(text)
    page.keyboard.press("Enter")


def test_the_grid_editor_reads_weights_and_targets_the_french_way(writable_server, browser):
    from essaim import workshops
    from essaim.workshops.grid import default_grid

    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    dataset = store.read_dataset(engine)
    created = workshops.create_workshop(engine, title="Saisie", kind="atelier",
                                        grid=default_grid(dataset.indicators))
    watch = PageWatch(browser.new_context(viewport={"width": 1440, "height": 1000},
                                          locale="fr-FR").new_page())
    page = watch.page
    watch.open(f"{writable_server.url}/animer?seance={created.code}&cle={created.facilitator_token}")
    page.get_by_role("tab", name="Grille").first.click()
    page.get_by_text("Modifiez les cellules").wait_for(timeout=30_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    first = created_grid_first_criterion(engine, created.code)
    start, _ = current_grid(engine, created.code)
    # Each entry as read: its weight, or the refusal's key word. The editor states the change in
    # points out of 100 of the grid (diff_grids), so the expected line comes from the value read.
    weights = {"12,5": 12.5, "1 234": 1234, "1 234,5": 1234.5, "49,8 %": 49.8, "0,5": 0.5,
               "12.5": 12.5, "1.234": "ambigu", "2035": 2035, "-3": "jamais négatif", "150": 150}
    for typed, expected in weights.items():
        _edit_cell(page, grid, 0, 3, typed)
        if isinstance(expected, str):
            page.get_by_text(re.compile(f"« poids » : .*{expected}")).first.wait_for(
                timeout=30_000)
        else:
            line = diff_grids(start, start.with_criterion_weights({first: expected}))[0]
            assert " points sur 100" in line, line
            page.get_by_text(line).first.wait_for(timeout=30_000)
    # The first criterion's indicator is a rate in %: a target of 150 cannot be.
    _edit_cell(page, grid, 0, 3, "12,5")
    _edit_cell(page, grid, 0, 4, "150")
    page.get_by_text(re.compile("« objectif » : 150 n'est pas possible")).first.wait_for(
        timeout=30_000)
    _edit_cell(page, grid, 0, 4, "49,8 %")
    page.get_by_text("objectif 50 → 49,8").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    page.get_by_text("Nouvelle version enregistrée").first.wait_for(timeout=30_000)
    grid_now, version = current_grid(engine, created.code)
    criterion = next(c for _, c in grid_now.criteria() if c.id == first)
    assert (version, criterion.weight, criterion.target) == (2, 12.5, 49.8)
    assert watch.errors == [] and watch.external == []


def created_grid_first_criterion(engine, code: str) -> str:
    grid, _ = current_grid(engine, code)
    return grid.criteria()[0][1].id


def test_avoided_cost_assumptions_read_french_numbers(server, browser):
    watch = PageWatch(browser.new_context(viewport={"width": 1440, "height": 1100},
                                          locale="fr-FR").new_page())
    page = watch.page
    watch.open(f"{server}/comparer")
    page.get_by_role("tab", name="Coûts évités").click()
    page.get_by_role("textbox", name="Poids mort (%)").wait_for(timeout=30_000)
    check_field(page, page, "Poids mort (%)", RATE)
    assert watch.errors == [] and watch.external == []
