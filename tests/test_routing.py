"""Streamlit's `pages/` quirk, pinned: a first visit straight to a page URL must still be routed
through app.py (frame, sidebar, banner). If a Streamlit upgrade changes the internal flag
components/routing.py relies on, these tests fail."""

from __future__ import annotations

from playwright.sync_api import expect
from streamlit.runtime.pages_manager import PagesManager


def test_the_internal_flag_the_workaround_relies_on_still_exists():
    assert hasattr(PagesManager, "uses_pages_directory")


def test_a_first_visit_to_a_page_url_gets_the_frame(writable_server, watched_page):
    # A server that has served nothing yet: its first request goes straight to a page.
    watched_page.open(f"{writable_server.url}/territoire?territoire=brest")
    page = watched_page.page
    page.get_by_role("heading", name="Brest").first.wait_for(timeout=30_000)
    # The frame drawn by app.py: the sidebar toggle and the navigation with every group (the
    # page's heading may arrive before the frame on a first visit: waited for, by polling).
    expect(page.get_by_text("Mode projection")).to_have_count(1, timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_role("link", name="Gérer les données")).to_have_count(1, timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The address kept what the person asked for.
    assert "territoire=brest" in page.url
