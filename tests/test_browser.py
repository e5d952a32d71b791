"""End to end in headless Chromium (Playwright, system browser): pages, offline map, clicks, XSS."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from essaim import store
from essaim.demo import read_demo_tables
from tests.conftest import start_streamlit, stop_streamlit

PAGES = {
    "": "Essaim",
    "carte": "Carte des territoires",
    "territoire": "Mon territoire",
    "comparer": "Comparer les indicateurs",
    "animer": "Animer un atelier",
    "projection": "Projection de l'atelier",
    "participer": "Participer à l'atelier",
    "restitution": "Préparer une restitution",
    "donnees": "Gérer les données",
    "sources": "Sources des données",
}
XSS_NAME = "<img src=x onerror=alert(1)>"


def map_frame(page):
    """The map component's iframe once Leaflet has drawn the département shapes."""
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    # Overseas shapes are outside the view (hidden), so wait for presence, not visibility.
    frame.locator("path.leaflet-interactive").nth(95).wait_for(state="attached", timeout=30_000)
    frame.locator(".essaim-marker, .marker-cluster").first.wait_for(timeout=30_000)
    return frame


def count_territory_markers(frame) -> int:
    """Markers drawn one by one plus those gathered in numbered clusters."""
    singles = frame.locator(".essaim-marker").count()
    clusters = frame.locator(".marker-cluster").all_inner_texts()
    return singles + sum(int(text.strip()) for text in clusters if text.strip().isdigit())


@pytest.mark.parametrize("path,title", PAGES.items())
def test_every_page_renders_offline_without_exception(any_server, watched_page, path, title):
    watched_page.open(f"{any_server}/{path}")
    page = watched_page.page
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    if path == "carte":
        map_frame(page)
    assert watched_page.external == []
    assert watched_page.errors == []


def test_the_map_draws_departements_and_42_territories(server, watched_page):
    watched_page.open(f"{server}/carte")
    frame = map_frame(watched_page.page)
    assert frame.locator("path.leaflet-interactive").count() >= 96
    assert count_territory_markers(frame) == 42
    assert watched_page.external == []


def test_clicking_a_marker_opens_the_side_panel(server, watched_page):
    watched_page.open(f"{server}/carte")
    page = watched_page.page
    page.locator("[data-testid=\"stButtonGroup\"]").get_by_text("La Réunion", exact=True).click()
    frame = map_frame(page)
    marker = frame.locator('.essaim-marker[data-territory="le-port"]')
    expect(marker).to_be_in_viewport(timeout=30_000)  # the map has moved to La Réunion
    marker.click()
    page.get_by_role("heading", name="Le Port").wait_for(timeout=30_000)
    link = page.get_by_role("link", name="Voir le portrait du territoire")
    assert "territoire=le-port" in link.get_attribute("href")


def test_a_portrait_opens_by_url(server, watched_page):
    watched_page.open(f"{server}/territoire?territoire=mamoudzou")
    page = watched_page.page
    page.get_by_role("heading", name="Mamoudzou").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory, chromium_path):
    """A server whose data names a territory (Brest, alone on its part of the map) with an HTML
    payload."""
    path = tmp_path_factory.mktemp("xss") / "essaim.sqlite"
    engine = store.open_store(f"sqlite:///{path}", seed=False)
    tables = read_demo_tables()
    tables["territories"] = [
        {**row, "name": XSS_NAME} if row["code"] == "brest" else row for row in tables["territories"]
    ]
    with store.write_transaction(engine) as conn:
        store.write_dataset(conn, tables, kind="import", label=XSS_NAME, source="test",
                            created_by="test")
    engine.dispose()
    process, url = start_streamlit(path, path.with_suffix(".log"))
    yield url
    stop_streamlit(process)


def test_an_html_name_shows_as_text_and_runs_nothing(xss_server, watched_page):
    watched_page.open(f"{xss_server}/carte")
    page = watched_page.page
    frame = map_frame(page)
    marker = frame.locator('.essaim-marker[data-territory="brest"]')
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert XSS_NAME in tooltip.inner_text()
    marker.click()
    page.get_by_role("heading", name=XSS_NAME).wait_for(timeout=30_000)
    watched_page.open(f"{xss_server}/territoire?territoire=brest")
    page.get_by_role("heading", name=XSS_NAME).wait_for(timeout=30_000)
    assert frame.locator("img[src='x']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert watched_page.dialogs == []
