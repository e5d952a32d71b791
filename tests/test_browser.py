"""End to end in headless Chromium (Playwright, system browser): every page offline, the map
(insets, clusters, clicks, keyboard, the address, phones), the portrait by URL, XSS, the map
image download."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from essaim.data import store
from essaim.data.demo import read_demo_tables
from essaim.explorer.geo import CATEGORICAL_PALETTE
from essaim.site_map import SITE_MAP
from tests.conftest import start_streamlit, stop_streamlit

PAGES = [spec.url_path for spec in SITE_MAP]
XSS_NAME = "<img src=x onerror=alert(1)>"
MAP_FRAME = 'iframe[src*="streamlit_folium"]'
ACTIVE_LABEL = f"""() => {{ const f = document.querySelector('{MAP_FRAME}');
    const a = f.contentDocument.activeElement;
    return a ? (a.getAttribute('aria-label') || a.getAttribute('title') || a.tagName) : null; }}"""


def map_frame(page):
    """The map component's iframe once Leaflet has drawn the shapes, markers and insets, and
    the keyboard group is ready."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    # Overseas shapes are outside the main view (hidden), so wait for presence, not visibility.
    frame.locator("#map_div > .leaflet-map-pane path.leaflet-interactive").nth(95).wait_for(
        state="attached", timeout=30_000)
    frame.locator('.leaflet-marker-icon[tabindex="0"]').first.wait_for(timeout=30_000)
    return frame


def main_markers(frame) -> int:
    """Territories on the main map: markers drawn one by one plus those gathered in clusters."""
    singles = frame.locator("#map_div > .leaflet-map-pane .essaim-marker").count()
    clusters = frame.locator("#map_div > .leaflet-map-pane .essaim-cluster > span").evaluate_all(
        "spans => spans.map(s => Number(s.getAttribute('data-text')))")
    return singles + sum(clusters)


def address(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_offline_without_exception(any_server, watched_page, path):
    page = watched_page.page
    page.goto(f"{any_server}/{path}")
    page.locator("h1").first.wait_for(timeout=60_000)
    if page.locator('[data-testid="stApp"]').count():
        watched_page.wait_idle()
        assert page.locator('[data-testid="stException"]').count() == 0
    if path == "carte":
        map_frame(page)
    assert watched_page.external == []
    assert watched_page.errors == []


def test_the_map_draws_departements_territories_and_overseas_insets(server, watched_page):
    watched_page.open(f"{server}/carte")
    frame = map_frame(watched_page.page)
    assert frame.locator("#map_div > .leaflet-map-pane path.leaflet-interactive").count() >= 96
    assert main_markers(frame) == 42
    insets = frame.locator(".essaim-inset")
    assert insets.count() == 5
    watched_page.page.locator(MAP_FRAME).scroll_into_view_if_needed()
    for index in range(5):
        expect(insets.nth(index)).to_be_in_viewport()  # always visible beside mainland France
    # The five overseas territories of the demo are in their insets, visible.
    assert frame.locator(".essaim-inset .essaim-marker").count() == 6
    assert frame.locator('[class*="marker-cluster-"]').count() == 0  # no green default clusters
    # The map's own document: French, titled in French, and pinch-zoom allowed (WCAG 1.4.4).
    lang, title, viewport = frame.locator("body").evaluate("""() => [document.documentElement.lang,
        document.title, document.querySelector('meta[name="viewport"]').content]""")
    assert lang == "fr" and title == "Carte interactive des territoires de l'accélérateur"
    assert "user-scalable=no" not in viewport and "maximum-scale=1" not in viewport
    assert watched_page.external == []


def test_clusters_show_the_innovations_they_hold(server, watched_page):
    watched_page.open(f"{server}/carte")
    frame = map_frame(watched_page.page)
    clusters = frame.locator('.leaflet-marker-icon[aria-label^="Groupe de"]')
    assert clusters.count() >= 1
    label = clusters.first.get_attribute("aria-label")
    assert re.match(r"Groupe de \d+ territoires : .+\. Entrée pour zoomer", label)
    colours = clusters.first.locator("i").evaluate_all(
        "dots => dots.map(d => getComputedStyle(d).backgroundColor)")
    palette = {"rgb({}, {}, {})".format(*(int(c[i:i + 2], 16) for i in (1, 3, 5)))
               for c in CATEGORICAL_PALETTE}
    assert colours and set(colours) <= palette  # one dot per innovation inside, in its colour


def test_clicking_a_marker_opens_the_side_panel_and_writes_the_address(server, watched_page):
    watched_page.open(f"{server}/carte")
    page = watched_page.page
    frame = map_frame(page)
    frame.locator('.essaim-inset .essaim-marker[data-territory="le-port"]').click()
    page.get_by_role("heading", name="Le Port").wait_for(timeout=30_000)
    link = page.get_by_role("link", name="Voir le portrait du territoire")
    assert "territoire=le-port" in link.get_attribute("href")
    expect(page).to_have_url(re.compile(r"territoire=le-port"))
    frame.locator('#map_div .essaim-marker[data-territory="brest"]').click()
    page.get_by_role("heading", name="Brest").wait_for(timeout=30_000)
    expect(page).to_have_url(re.compile(r"territoire=brest"))


def test_the_map_is_one_tab_stop_and_markers_open_from_the_keyboard(server, watched_page):
    watched_page.open(f"{server}/carte")
    page = watched_page.page
    frame = map_frame(page)
    tabbable = frame.locator('[tabindex="0"], a[href], button').evaluate_all(
        "elements => elements.filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length")
    assert tabbable <= 6  # markers (one roving stop), zoom in/out, back to France, attribution
    frame.locator('.leaflet-marker-icon[tabindex="0"]').focus()
    first = page.evaluate(ACTIVE_LABEL)
    assert re.match(r".+ — .+, étape (0|I|II|III|IV)", first)  # "Brest — TAPAJ, étape IV"
    page.keyboard.press("ArrowRight")
    second = page.evaluate(ACTIVE_LABEL)
    assert second != first
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(ACTIVE_LABEL) == first
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    name = second.split(" — ")[0]
    page.get_by_role("heading", name=name).wait_for(timeout=30_000)


def test_a_cluster_opens_from_the_keyboard(server, watched_page):
    watched_page.open(f"{server}/carte")
    page = watched_page.page
    frame = map_frame(page)
    cluster = frame.locator('.leaflet-marker-icon[aria-label^="Groupe de"]').first
    names = cluster.get_attribute("aria-label").split(" : ", 1)[1].rsplit(". ", 1)[0]
    # The group names each territory with its innovations: « Lyon 8e (TAPAJ) ; Villeurbanne
    # (SOLENI, TAPAJ) ».
    members = names.split(" ; ")
    assert len(members) >= 2 and all(re.fullmatch(r".+ \(.+\)", m) for m in members), names
    first = members[0].rsplit(" (", 1)[0]
    cluster.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"vue=[-\d.]+%2C[-\d.]+%2C(?:[89]|1\d)"), timeout=30_000)
    page.wait_for_function(f"""() => {{ const a = document.querySelector('{MAP_FRAME}')
        .contentDocument.activeElement; return a && (a.getAttribute('aria-label') || '')
        .startsWith({first!r}); }}""", timeout=30_000)


def test_a_link_reproduces_the_view(server, watched_page):
    watched_page.open(f"{server}/carte?innovation=tapaj&territoire=brest&vue=48.1,-2.9,8&"
                      "indicateur=pauvrete")
    page = watched_page.page
    frame = map_frame(page)
    page.get_by_role("heading", name="Brest").wait_for(timeout=30_000)
    assert page.get_by_text("11 territoires affichés sur 42").count() == 1
    center = frame.locator("#map_div").evaluate("""() => [window.map.getCenter().lat,
        window.map.getCenter().lng, window.map.getZoom()]""")
    assert center[0] == pytest.approx(48.1, abs=0.01) and center[1] == pytest.approx(-2.9, abs=0.01)
    assert center[2] == 8
    assert address(page)["indicateur"] == ["pauvrete"]


def test_an_innovation_present_overseas_frames_the_mainland_and_its_insets(server, watched_page):
    watched_page.open(f"{server}/carte?innovation=tapaj")
    page = watched_page.page
    frame = map_frame(page)
    west, east, south, north, zoom = frame.locator("#map_div").evaluate("""() => {
        const b = window.map.getBounds();
        return [b.getWest(), b.getEast(), b.getSouth(), b.getNorth(), window.map.getZoom()]; }""")
    # Metropolitan France, not the Atlantic between it and La Réunion.
    assert -8 < west and east < 12 and 40 < south and north < 53 and zoom >= 5, (west, east, zoom)
    shown = frame.locator('#map_div > .leaflet-map-pane .leaflet-marker-icon[aria-label]')
    labels = shown.evaluate_all("m => m.map(e => e.getAttribute('aria-label'))")
    assert labels and all("TAPAJ" in label for label in labels if not label.startswith("Groupe"))
    overseas = frame.locator(".essaim-inset .essaim-marker")
    assert overseas.count() >= 1  # the overseas TAPAJ territories, in their insets
    # Every marker of the main map is clear of the attribution and the controls.
    overlaps = frame.locator("#map_div").evaluate("""() => {
        const boxes = s => Array.from(document.querySelectorAll(s)).map(e => e.getBoundingClientRect());
        const controls = boxes('.leaflet-control');
        return boxes('#map_div > .leaflet-map-pane .leaflet-marker-icon').filter(m => controls.some(c =>
            m.left < c.right && c.left < m.right && m.top < c.bottom && c.top < m.bottom)).length; }""")
    assert overlaps == 0
    expect(page).to_have_url(re.compile(r"vue=4[2-9]\."), timeout=30_000)  # a link keeps France


def test_the_map_links_to_its_table_of_departements(server, watched_page):
    watched_page.open(f"{server}/carte")
    page = watched_page.page
    frame = map_frame(page)
    frame.get_by_role("button", name="Valeurs en tableau").click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === "
                           "'valeurs-par-departement'", timeout=10_000)
    table = page.locator("table").filter(has_text="Classe sur la carte")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 101
    assert table.get_by_text("Finistère (29)").count() == 1


def test_filtering_zooms_to_the_filtered_territories(server, watched_page):
    watched_page.open(f"{server}/carte?region=53")  # Bretagne
    frame = map_frame(watched_page.page)
    bounds = frame.locator("#map_div").evaluate("""() => { const b = window.map.getBounds();
        return [b.getWest(), b.getEast(), window.map.getZoom()]; }""")
    assert bounds[0] > -7 and bounds[1] < 2 and bounds[2] >= 7  # Brittany, not France


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_france_and_corsica_fit_the_map(second_server, browser, width, height):
    from tests.conftest import PageWatch

    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    try:
        watched = PageWatch(context.new_page())
        watched.open(f"{second_server}/carte")
        frame = map_frame(watched.page)
        inside = frame.locator("#map_div").evaluate("""() => {
            const b = window.map.getBounds();
            const places = {Ajaccio: [41.93, 8.74], Brest: [48.39, -4.49], Strasbourg: [48.57, 7.75],
                            Lille: [50.63, 3.06], Nice: [43.70, 7.27], Biarritz: [43.48, -1.56]};
            return Object.fromEntries(Object.entries(places).map(([n, p]) => [n, b.contains(p)])); }""")
        assert all(inside.values()), inside  # Corsica included, on a phone too
        watched.page.locator(MAP_FRAME).scroll_into_view_if_needed()
        expect(frame.locator('#map_div .essaim-marker[data-territory="ajaccio"]')).to_be_in_viewport()
        assert frame.locator(".essaim-inset").count() == 5
    finally:
        context.close()


def test_a_portrait_opens_by_url(server, watched_page):
    watched_page.open(f"{server}/territoire?territoire=mamoudzou")
    page = watched_page.page
    page.get_by_role("heading", name="Mamoudzou").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


MAP_IMAGE_REFUSED = "Le fichier n'a pas pu être préparé : réessayez."


def click_map_image_until(watched_page, done) -> None:
    """Click « Télécharger la carte (PNG) » until `done()` (at most three times). The map reports
    its view once drawn and the page runs again: a click sent just before that run holds the
    button's previous file and is refused, in French, as it would be for a person, who clicks
    again. Each click waits for its answer: `done()`, or the refusal shown."""
    page = watched_page.page
    map_frame(page)
    watched_page.wait_idle()
    error = page.get_by_test_id("stDownloadButtonError")
    for _ in range(3):
        expect(error).to_have_count(0, timeout=10_000)  # a refusal shows for 5 s
        page.get_by_role("button", name="Télécharger la carte (PNG)").click()
        deadline = time.monotonic() + 120
        while not done() and not error.count() and time.monotonic() < deadline:
            page.wait_for_timeout(200)  # polls the page's events
        if done():
            return
        expect(error).to_have_text(MAP_IMAGE_REFUSED)
        watched_page.wait_idle()


def test_the_map_image_downloads_with_its_legend(server, watched_page, tmp_path):
    watched_page.open(f"{server}/carte")
    downloads = []
    watched_page.page.on("download", lambda download: downloads.append(download))
    click_map_image_until(watched_page, lambda: bool(downloads))
    assert downloads, "Aucun téléchargement après trois clics."
    path = tmp_path / "carte.png"
    downloads[0].save_as(path)
    content = path.read_bytes()
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) > 50_000


def test_a_map_image_that_cannot_be_drawn_says_so_in_french(demo_db_path, watched_page, tmp_path):
    """A server whose Chromium does not start (BROWSER_PATH names a program that exits at once):
    the click is answered within seconds, in French, and the page goes on; the server's log says
    the drawing failed (a click refused during the page's rerun never tried it)."""
    log = tmp_path / "server.log"
    process, url = start_streamlit(demo_db_path, log, extra_env={"BROWSER_PATH": "/bin/false"})
    try:
        watched_page.open(f"{url}/carte")
        click_map_image_until(watched_page, lambda: "Image drawing failed" in log.read_text())
        expect(watched_page.page.get_by_test_id("stDownloadButtonError")).to_have_text(
            MAP_IMAGE_REFUSED)
    finally:
        stop_streamlit(process)
    assert "Image drawing failed" in log.read_text()


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
    marker = frame.locator('#map_div .essaim-marker[data-territory="brest"]')
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert XSS_NAME in tooltip.inner_text()
    assert frame.locator(f'[aria-label^="{XSS_NAME} — "]').count() == 1
    marker.click()
    page.get_by_role("heading", name=XSS_NAME).wait_for(timeout=30_000)
    watched_page.open(f"{xss_server}/territoire?territoire=brest")
    page.get_by_role("heading", name=XSS_NAME).wait_for(timeout=30_000)
    assert frame.locator("img[src='x']").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert watched_page.dialogs == []


# --- the explorer on a phone ---------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}
OVERLAPS = """boxes => boxes.flatMap((a, i) => boxes.slice(i + 1).filter(b => a.left < b.right - 1 &&
    b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1).map(b => [a.text, b.text]))"""
TICK_TEXT = ".js-plotly-plot .xtick text, .js-plotly-plot .g-xtitle text, .js-plotly-plot .ytick text"
TICKS = f"""() => Array.from(document.querySelectorAll('{TICK_TEXT}')).filter(t => t.textContent.trim()).map(t => {{
    const r = t.getBoundingClientRect();
    return {{text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}}; }})"""


@pytest.mark.parametrize("which,territory", [("server", "grenoble"), ("second_server", "coeur-lozere")])
def test_the_explorer_on_a_phone(request, browser, which, territory):
    """At 390 × 844: the map on the first screen under folded filters, insets legible (titles
    whole and clear of markers, markers whole inside); the portrait's key figures first and
    « Voir le détail » within four screens; charts with whole years and no overlap."""
    from tests.conftest import PageWatch

    url = request.getfixturevalue(which)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    try:
        watched = PageWatch(context.new_page())
        page = watched.page
        watched.open(f"{url}/carte")
        frame = map_frame(page)
        assert page.locator('[data-testid="stExpander"] details[open]').count() == 0  # folded
        top, bottom = page.evaluate(f"""() => {{ const r = document.querySelector('{MAP_FRAME}')
            .getBoundingClientRect(); return [r.top, r.bottom]; }}""")
        assert top < 844 / 2 and bottom <= 844, (top, bottom)
        insets = frame.locator(".essaim-inset").evaluate_all("""frames => frames.map(f => {
            const title = f.querySelector('.essaim-inset-title'), r = f.getBoundingClientRect(),
                  t = title.getBoundingClientRect();
            return {name: title.textContent, cut: title.scrollWidth > title.clientWidth + 1,
                    width: r.width, markers: Array.from(f.querySelectorAll('.essaim-marker')).map(m => {
                        const b = m.getBoundingClientRect();
                        return {inside: b.left >= r.left - 1 && b.right <= r.right + 1 && b.top >= t.bottom - 1
                                && b.bottom <= r.bottom + 1}; })}; })""")
        assert len(insets) == 5
        for inset in insets:
            assert not inset["cut"] and inset["width"] >= 55, inset
            assert all(m["inside"] for m in inset["markers"]), inset
        controls = frame.locator(".leaflet-control, .essaim-insets").evaluate_all(
            "c => c.map(e => { const r = e.getBoundingClientRect(); return {text: e.className, "
            "left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })")
        assert page.evaluate(OVERLAPS, controls) == []

        watched.open(f"{url}/territoire?territoire={territory}")
        page.locator(".essaim-card").first.wait_for(timeout=30_000)
        main = page.locator('[data-testid="stMain"]')
        card = page.locator(".essaim-card").first.bounding_box()
        assert card["y"] < 844, card  # the key figures start on the first screen
        detail = page.get_by_role("heading", name="Voir le détail").bounding_box()
        scrolled = main.evaluate("m => m.scrollTop")
        assert detail["y"] + scrolled <= 4 * 844, detail
        assert main.evaluate("m => m.scrollWidth <= m.clientWidth + 1")  # nothing wider
        page.get_by_role("tab", name="Évolution").click()
        page.locator(".js-plotly-plot .xtick text").first.wait_for(timeout=30_000)
        watched.wait_idle()
        ticks = page.evaluate(TICKS)
        years = page.locator(".js-plotly-plot .xtick text").evaluate_all("t => t.map(e => e.textContent)")
        assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years  # never « 201 »
        charts = page.locator(".js-plotly-plot").evaluate_all(
            "c => c.map(e => e.getBoundingClientRect().width)")
        assert min(charts) >= 300  # one small chart per line on a phone
        assert page.evaluate(OVERLAPS, ticks) == []

        watched.open(f"{url}/comparer")
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot .colorbar").count() == 1  # the grid's colour scale
        title = page.locator(".essaim-chart-title").first
        assert title.evaluate("t => t.scrollWidth <= t.clientWidth + 1")  # wrapped, not cut
        assert page.evaluate(OVERLAPS, page.evaluate(TICKS)) == []
        # The scatter: its points named in a list, its long axis title whole.
        watched.open(f"{url}/comparer?vue=Nuage+de+points")
        page.locator(".js-plotly-plot .g-xtitle text").first.wait_for(timeout=30_000)
        cut = page.locator(".js-plotly-plot").evaluate_all("""plots => plots.flatMap(p => {
            const box = p.getBoundingClientRect();
            return Array.from(p.querySelectorAll('.g-xtitle text, .g-ytitle text')).filter(t => {
                const r = t.getBoundingClientRect();
                return r.left < box.left - 1 || r.right > box.right + 1; }).map(t => t.textContent); })""")
        assert cut == []
        assert page.locator(".essaim-points li").count() >= 2
        assert watched.errors == []
    finally:
        context.close()
