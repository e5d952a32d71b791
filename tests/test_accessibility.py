"""Accessibility and language in headless Chromium, on every page of the navigation and on both
datasets: axe-core (WCAG 2 A/AA) finds no serious or critical violation, inside the map too; no
English word is seen or heard (visible text, titles, aria-labels, placeholders), in menus and
dialogs that open too; the explorer's heading outline; a visible keyboard focus; projection mode
fit for a projector at 1920 × 1080.

The English rule is a dictionary rule, not a list of known strings: a word counts as English when
the English word list of pyspellchecker knows it well and the French one hardly (a hundred times
less), unless the data names it (a territory, a partner, a commune…).

axe-core comes from the npm registry (tests/axe/package.json, locked): `npm ci --prefix
tests/axe`, which the first test runs itself when npm is there. Without it, these tests are
skipped with a message saying so, like the other browser tests without Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from essaim.site_map import SITE_MAP

AXE_DIR = Path(__file__).parent / "axe"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [spec.url_path for spec in SITE_MAP]
MAP_FRAME = 'iframe[src*="streamlit_folium"]'

# English-only words (none is also French: "main", "option", "menu", "file", "interactive",
# "compare", "sort" are left out): Streamlit's, Leaflet's and plotly's own strings are made of
# these.
ENGLISH_WORDS = {"the", "to", "of", "and", "for", "with", "without", "skip", "help", "link", "heading", "download", "select", "all", "press", "enter", "apply", "in", "out", "plot", "library", "maps", "mi", "ft", "drag", "drop", "files", "here", "browse", "clear", "close", "expand", "collapse", "sidebar", "rerun", "settings", "print", "screencast", "about", "search", "fullscreen", "show", "hide", "choose", "reset", "autoscale", "pan", "toggle", "spike", "lines", "produced", "running", "deploy", "connection", "error", "please", "no", "results", "view", "ascending", "descending", "copy", "clicked", "selected", "next", "previous", "loading", "submit", "cancel", "limit", "per", "keyboard", "shortcut", "open", "remove", "values", "entry", "icon", "hover", "closest", "double-click", "back", "snapshot"}
ALLOWED = {"Leaflet", "Plotly.js", "OpenStreetMap"}  # names, not English
NAMES = {"leaflet", "plotly", "openstreetmap", "streamlit", "essaim",
         # French writes these too, though its word list hardly knows them.
         "import", "data", "mo", "powerpoint"}
# Pages whose heading outline the explorer owns (one h1 first, no level skipped).
OUTLINED = {"", "carte", "territoire", "comparer"}

COLLECT_TEXT = """() => {
  const found = [];
  // Icon ligatures ("bar_chart", "content_copy") are drawn as icons, never read as words.
  const icon = (element) => element.closest('[data-testid="stIconMaterial"]') !== null
    || /Material/.test(getComputedStyle(element).fontFamily);
  const hidden = (element) => !element || element.closest(
      '[aria-hidden="true"], [translate="no"], script, style, noscript, template') !== null
    || getComputedStyle(element).display === 'none' || getComputedStyle(element).visibility === 'hidden'
    || icon(element);
  const walk = (doc, where) => {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.nodeValue.trim();
      if (text && !hidden(node.parentElement)) found.push([where, 'texte', text]);
    }
    for (const element of doc.querySelectorAll('[title], [aria-label], [placeholder], [alt], [data-title]')) {
      if (element.closest('[aria-hidden="true"]')) continue;
      for (const name of ['title', 'aria-label', 'placeholder', 'alt', 'data-title']) {
        const value = element.getAttribute(name);
        if (value && value.trim()) found.push([where, name, value.trim()]);
      }
    }
    for (const frame of doc.querySelectorAll('iframe')) {
      try {
        const inner = frame.contentDocument;
        if (inner && inner.body) {
          walk(inner, 'iframe');
          // A frame's own document speaks French too (the map's was "en", « Streamlit Folium
          // Component »).
          found.push(['iframe', 'lang', inner.documentElement.lang]);
          found.push(['iframe', 'document title', inner.title]);
        }
      }
      catch (error) {}
    }
  };
  walk(document, 'page');
  found.push(['page', 'lang', document.documentElement.lang]);
  found.push(['page', 'document title', document.title]);
  return found;
}"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    rule: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').slice(0, 200))
  }));
}"""
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js, installed from the lock file with npm when it is not there yet."""
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core absent (npm introuvable) : `npm ci --prefix tests/axe` l'installe.")
        completed = subprocess.run([npm, "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund"],
                                   capture_output=True, text=True, timeout=300, check=False)
        if completed.returncode != 0 or not AXE_FILE.exists():
            pytest.skip(f"axe-core n'a pas pu être installé par npm : {completed.stderr[-300:]}")
    return AXE_FILE.read_text(encoding="utf-8")


def settle(watched_page, path: str) -> None:
    """Open a page and wait until its script has run (the phone page is plain HTML, not a
    Streamlit script) and, on the map page, until the map is drawn."""
    page = watched_page.page
    page.goto(path)
    page.locator("h1").first.wait_for(timeout=60_000)
    if page.locator('[data-testid="stApp"]').count() == 0:
        page.wait_for_load_state("load")
        return
    watched_page.wait_idle()
    # The French interface script runs once the sidebar is drawn; a page without it is reported
    # by the checks themselves.
    with contextlib.suppress(Exception):
        page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=5_000)
    if "/carte" in path:
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".essaim-marker").first.wait_for(timeout=60_000)
        frame.locator(".essaim-inset .leaflet-interactive, .essaim-inset path").first.wait_for(
            state="attached", timeout=30_000)
        # The roving keyboard group is set once the shapes are in.
        frame.locator('.leaflet-marker-icon[tabindex="0"]').first.wait_for(timeout=30_000)
    watched_page.wait_idle()


def axe_violations(page, axe_source: str, tags=WCAG_AA) -> list[dict]:
    """Serious and critical violations on the page and in each same-origin frame."""
    found = []
    for frame in page.frames:
        if frame.url.startswith("about:") or frame.is_detached():
            continue
        frame.evaluate(axe_source)
        found += [{**violation, "frame": frame.url.split("?")[0][-60:]}
                  for violation in frame.evaluate(RUN_AXE, tags)]
    return found


@functools.cache
def _dictionaries():
    from spellchecker import SpellChecker

    return (SpellChecker(language="en", distance=1).word_frequency,
            SpellChecker(language="fr", distance=1).word_frequency)


def is_english(word: str) -> bool:
    """A word English knows well and French hardly: « values », « start », « chart » — not
    « date », « format », « total », « page », which French writes too."""
    english, french = _dictionaries()
    word = word.lower()
    if word in ENGLISH_WORDS:
        return True
    return english[word] >= 100 and french[word] * 100 < english[word]


# Addresses, file names and codes are not words: « data.gouv.fr », « scripts/generate_demo.py »,
# « jeuness_creative ».
_NOT_WORDS = re.compile(r"\S*[./_@]\S*")


def english_in(texts: list[list[str]], names: frozenset[str] = frozenset()) -> list[str]:
    """The collected strings that hold an English word; `names` are words of the data (places,
    partners, innovations), never counted."""
    found = []
    for where, kind, text in texts:
        if kind == "lang":
            if text != "fr":
                found.append(f"langue ({where}) : {text!r}")
            continue
        if text in ALLOWED:
            continue
        words = {w for w in re.findall(r"[^\W\d_]+", _NOT_WORDS.sub(" ", text))
                 if w.isascii() and not (w.isupper() and len(w) <= 5)}
        hits = {w.lower() for w in words if w.lower() not in names and w.lower() not in NAMES
                and is_english(w)}
        if hits:
            found.append(f"{where} · {kind} : {text[:90]!r} ({', '.join(sorted(hits))})")
    return sorted(set(found))


@pytest.fixture(scope="session")
def data_names(dataset, second_dataset) -> frozenset[str]:
    """Every word the data writes (both datasets and the reference places): proper names such
    as « Saint-Denis » or « VITA Air » are not English interface words."""
    from essaim.data import reference

    texts = []
    for data in (dataset, second_dataset):
        for frame in (data.innovations, data.territories, data.essaimages, data.partners,
                      data.partner_roles, data.indicators, data.verbatims):
            for column in frame.columns:
                if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
                    texts += [str(v) for v in frame[column].dropna().unique()]
        texts.append(data.label)
    communes = reference.load_communes()
    texts += list(communes["nom"]) + list(communes["nom_epci"].dropna().unique())
    texts += list(reference.load_departements()["nom_departement"])
    return frozenset(w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", text))


@pytest.fixture
def wide_page(browser):
    """A page at 1440 × 900, French locale, watching for requests that leave the machine."""
    from tests.conftest import PageWatch

    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    yield PageWatch(context.new_page())
    context.close()


HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(h => h.getClientRects().length && !h.closest('[aria-hidden="true"]'))
  .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 50)])"""


def outline_problems(headings: list[list]) -> list[str]:
    """One h1, first; no level skipped going down (h2 → h4)."""
    problems = []
    levels = [level for level, _ in headings]
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"un seul h1, en premier : {headings[:3]}")
    for (before, _), (level, text) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(f"niveau sauté : h{before} puis h{level} « {text} »")
    return problems


def page_problems(page, axe_source: str, names: frozenset[str], external=()) -> list[str]:
    """axe-core's serious and critical violations, English words and requests leaving the
    machine, in the page as it stands (menus and dialogs open included)."""
    problems = [f"{v['frame']} · {v['rule']} ({v['impact']}) : {v['nodes']}"
                for v in axe_violations(page, axe_source)]
    problems += [f"anglais : {text}" for text in english_in(page.evaluate(COLLECT_TEXT), names)]
    problems += [f"requête vers l'extérieur : {url}" for url in external]
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_accessible_and_french(any_server, wide_page, axe_source, data_names, path):
    """No serious or critical axe-core violation (WCAG 2.1 A/AA), no English interface text and
    no request leaving the machine, on one load of the page (a page load is the costly part);
    on the explorer's pages, a heading outline without a skipped level."""
    settle(wide_page, f"{any_server}/{path}")
    problems = page_problems(wide_page.page, axe_source, data_names, wide_page.external)
    if path in OUTLINED:
        problems += outline_problems(wide_page.page.evaluate(HEADINGS))
    assert problems == [], "\n".join(problems)


CURSOR = "c => c.style.cursor"


# True once the element has kept its place for ten frames, whole in the viewport and below
# Streamlit's fixed header bar (which would take the mouse).
STEADY_IN_VIEW = """e => { const r = e.getBoundingClientRect(), place = `${r.top},${r.left}`;
    const bar = document.querySelector('[data-testid="stHeader"]');
    const top = bar ? bar.getBoundingClientRect().bottom : 0;
    e.steadyFrames = e.lastPlace === place ? (e.steadyFrames || 0) + 1 : 0; e.lastPlace = place;
    return e.steadyFrames >= 10 && r.top >= top && r.bottom <= innerHeight; }"""


def steady_box(page, element) -> dict:
    """The element's box once in view and no longer moved by the page's late layout (charts and
    tables drawn above it can push it after the script has finished)."""
    for _ in range(5):
        element.evaluate("e => e.scrollIntoView({block: 'center'})")
        with contextlib.suppress(Exception):
            page.wait_for_function(STEADY_IN_VIEW, arg=element.element_handle(), polling="raf",
                                   timeout=5_000)
            return element.bounding_box()
    raise AssertionError("Le tableau ne tient pas en place dans la fenêtre.")


def first_column_edge(page, canvas, box) -> float | None:
    """Where the first column of a table ends, read from the canvas: the mouse pointer turns
    into a column-resize cursor within a few pixels of a column's edge. The cursor is state
    redrawn after each move, so a reading may come late: the first resize reading is confirmed
    by polling, stepping back until the pointer stands on the edge's zone."""
    y = box["y"] + 17
    for x in range(int(box["x"]) + 30, int(box["x"] + min(box["width"], 600)), 3):
        page.mouse.move(x, y)
        if canvas.evaluate(CURSOR) != "col-resize":
            continue
        for back in range(x, x - 12, -1):
            page.mouse.move(back, y)
            with contextlib.suppress(Exception):
                page.wait_for_function(f"c => ({CURSOR})(c) === 'col-resize'",
                                       arg=canvas.element_handle(), timeout=2_000)
                return back
    return None


def open_column_menu(page) -> None:
    """Open the first table's column menu and its statistics. The menu button is drawn by
    Streamlit's canvas at the right end of the header cell, hovered: its place is found from the
    column's edge (the table first held still in view), then clicked until the menu shows."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    canvas = grid.locator('canvas[data-testid="data-grid-canvas"]')
    menu = page.locator("#portal, #stFloatingOverlayPortal").get_by_text("Tri croissant")
    for _ in range(3):
        box = steady_box(page, grid)
        edge = first_column_edge(page, canvas, box)
        if edge is None:
            continue
        button, y = edge - 12, box["y"] + 17
        page.mouse.move(button, y)
        with contextlib.suppress(Exception):
            page.wait_for_function(f"c => ({CURSOR})(c) === 'pointer'",
                                   arg=canvas.element_handle(), timeout=10_000)
            page.mouse.click(button, y)
            menu.wait_for(timeout=10_000)
            break
    menu.wait_for(timeout=5_000)
    portal = page.locator("#portal, #stFloatingOverlayPortal")
    portal.get_by_text("Statistiques").click()
    portal.get_by_text("Valeurs", exact=True).wait_for(timeout=10_000)


@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)])
def test_menus_and_dialogs_that_open_are_french_and_accessible(any_server, browser, axe_source,
                                                               data_names, viewport):
    """Every state a person opens: the map's filters (the year slider's two thumbs), a table's
    column menu with its statistics, the portrait's « D'où vient ce chiffre ? », and the dialog
    of an unknown address; each checked whole by axe-core and the English rule."""
    from tests.conftest import PageWatch

    context = browser.new_context(viewport=dict(zip(("width", "height"), viewport)),
                                  locale="fr-FR")
    watched = PageWatch(context.new_page())
    page = watched.page
    try:
        settle(watched, f"{any_server}/carte")
        page.locator('[data-testid="stExpander"] summary').first.click()
        thumbs = page.locator('[data-testid="stSlider"] input[type="range"]')
        thumbs.first.wait_for(state="attached", timeout=10_000)
        names = thumbs.evaluate_all("t => t.map(e => e.getAttribute('aria-label'))")
        assert names == ["Année de démarrage — début", "Année de démarrage — fin"], names
        problems = page_problems(page, axe_source, data_names)
        # A portrait (the territory with the most figures), its provenance picker open.
        settle(watched, f"{any_server}/territoire")
        page.get_by_role("combobox", name="Territoire", exact=True).click()
        page.get_by_role("option").first.click()
        watched.wait_idle()
        page.get_by_role("heading", level=2).first.wait_for(timeout=30_000)
        questions = page.get_by_text("D'où vient ce chiffre ?")
        if questions.count():
            questions.first.click()
            page.get_by_role("combobox", name="Chiffre").first.wait_for(timeout=10_000)
        problems += page_problems(page, axe_source, data_names)
        problems += outline_problems(page.evaluate(HEADINGS))
        settle(watched, f"{any_server}/sources")
        open_column_menu(page)
        problems += page_problems(page, axe_source, data_names)
        page.keyboard.press("Escape")
        page.goto(f"{any_server}/adresse-inconnue")
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=60_000)
        # Streamlit opens it before the page's script relabels it: wait for the French.
        expect(dialog).to_contain_text("Page introuvable", timeout=30_000)
        watched.wait_idle()
        problems += page_problems(page, axe_source, data_names, watched.external)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_the_english_check_would_catch_streamlit_leaflet_and_plotly_strings():
    texts = [["page", "texte", "Skip to main content"], ["page", "aria-label", "Help for Mode"],
             ["iframe", "title", "A JavaScript library for interactive maps"],
             ["iframe", "texte", "100 mi"], ["page", "data-title", "Download plot as a png"],
             ["page", "lang", "en"],
             # Strings no list named: the dictionary rule finds them.
             ["page", "texte", "Minimum length"], ["page", "aria-label", "Année — start"],
             ["page", "title", "Top values frequency chart"], ["page", "title", "text"],
             ["page", "texte", "Running the app's main page."],
             ["iframe", "document title", "Streamlit Folium Component"], ["iframe", "lang", "en"]]
    assert len(english_in(texts)) == len(texts)
    french = [["page", "texte", "Pôle ESS Besançon (données fictives)"],
              ["page", "texte", "INSEE Filosofi, via data.gouv.fr"], ["iframe", "texte", "200 km"],
              ["page", "lang", "fr"], ["iframe", "texte", "Leaflet"],
              ["page", "texte", "Format de la date : total, page, options, menu, code source"],
              ["page", "texte", "Valeurs, Statistiques, Longueur minimale — début, fin"]]
    assert english_in(french) == []
    # A name from the data is not an interface word.
    assert english_in([["page", "texte", "Saint-Denis — VITA Air"]],
                      frozenset({"saint", "denis", "vita", "air"})) == []


def test_keyboard_focus_is_visible(server, wide_page):
    settle(wide_page, f"{server}/carte")
    page = wide_page.page
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [parseFloat(s.outlineWidth) || 0, s.outlineStyle, document.activeElement.tagName]; }""")
    assert outline[0] >= 2 and outline[1] != "none", outline


# --- projection mode at 1920 × 1080 ------------------------------------------------------------

TRUNCATED = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] *')).filter(e => {
  const s = getComputedStyle(e);
  return s.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim();
}).map(e => e.textContent.trim().slice(0, 60))"""


@pytest.fixture
def projector_page(browser):
    from tests.conftest import PageWatch

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    yield PageWatch(context.new_page())
    context.close()


# Every visible text of a document, with its size and colour (SVG text of charts included).
TEXT_SIZES = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const element = node.parentElement;
    const text = node.nodeValue.trim();
    if (!text || !element || element.closest('script, style, [aria-hidden="true"], .hoverlayer')) continue;
    if (element.closest('[data-testid="stSidebar"], [data-testid="stIconMaterial"]')) continue;
    if (/Material/.test(getComputedStyle(element).fontFamily)) continue;
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === 'hidden') continue;
    if (element.closest('details:not([open]) > :not(summary)')) continue;
    const style = getComputedStyle(element);
    found.push([text.slice(0, 40), parseFloat(style.fontSize), style.fill !== 'none' &&
      element instanceof SVGElement ? style.fill : style.color, box.top, box.bottom]);
  }
  return found;
}"""


def _rgb(colour: str) -> str:
    parts = [int(float(p)) for p in re.findall(r"[\d.]+", colour)[:3]]
    return "#{:02x}{:02x}{:02x}".format(*parts)


@pytest.mark.parametrize("path", ["", "carte", "territoire?territoire=grenoble", "comparer"])
def test_projection_mode_suits_a_projector(server, projector_page, axe_source, path):
    """At 1920 × 1080: every text of 20 px at least, inside the map and the charts too; chart
    text at 4,5:1 at least; nothing cut; the map and its legends whole on the first screen; the
    portrait's key figures on it."""
    from essaim.explorer.geo import contrast_ratio

    separator = "&" if "?" in path else "?"
    settle(projector_page, f"{server}/{path}{separator}projection=1")
    page = projector_page.page
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    if "territoire" in path or path == "comparer":
        page.locator(".js-plotly-plot .main-svg, .essaim-card").first.wait_for(timeout=30_000)
    texts = page.evaluate(TEXT_SIZES)
    small = [(text, size) for text, size, *_ in texts if size < 20]
    assert small == [], small
    assert page.evaluate(TRUNCATED) == []
    enhanced = axe_violations(page, axe_source, ["wcag2aaa"])
    contrast = [v for v in enhanced if v["rule"] == "color-contrast-enhanced"]
    assert contrast == [], contrast
    charts = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
        .filter(t => t.textContent.trim() && !t.closest('.hoverlayer, .heatmaplayer, .textpoint'))
        .map(t => [t.textContent.trim().slice(0, 30), getComputedStyle(t).fill])""")
    faint = [(text, fill) for text, fill in charts if contrast_ratio(_rgb(fill), "#ffffff") < 4.5]
    assert faint == [], faint
    if path == "carte":
        frame = page.frame_locator(MAP_FRAME)
        inside = frame.locator("body").evaluate(TEXT_SIZES)
        assert inside and [(t, s) for t, s, *_ in inside if s < 20] == []
        top, bottom = page.evaluate(f"""() => {{ const r = document.querySelector('{MAP_FRAME}')
            .getBoundingClientRect(); return [r.top, r.bottom]; }}""")
        assert 0 <= top and bottom <= 1080, (top, bottom)  # the whole map above the fold
        legend = [bottom for text, _, _, _, bottom in texts if text.startswith("n.d. (non")]
        assert legend and legend[0] <= 1080  # the legends whole beside it
    if "territoire" in path:
        card = page.locator(".essaim-card").first.bounding_box()
        assert card["y"] + card["height"] <= 1080  # figures on the first screen


def test_the_connection_lost_dialog_is_in_french(demo_db_path, tmp_path, wide_page):
    from tests.conftest import start_streamlit, stop_streamlit

    process, url = start_streamlit(demo_db_path, tmp_path / "server.log")
    try:
        settle(wide_page, f"{url}/sources")
    finally:
        stop_streamlit(process)
    page = wide_page.page
    page.get_by_role("dialog").wait_for(timeout=60_000)
    dialog = page.get_by_role("dialog").inner_text()
    assert "Connexion perdue" in dialog
    assert english_in([["page", "texte", line] for line in dialog.splitlines() if line.strip()]) == []


def test_a_national_days_views_are_accessible_and_french(writable_server, wide_page,
                                                         axe_source):
    """The organisers' page (its comptoirs), the hall's screen and the grands témoins'
    synthesis of a day with a comptoir that received inputs."""
    import datetime as dt

    from essaim import workshops
    from essaim.data import store
    from essaim.workshops.day_people import enter_comptoir, join_day
    from essaim.workshops.days import add_comptoir, create_day, find_day, set_current_slot
    from tests.conftest import demo_grid

    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    made = create_day(engine, title="Réussir le passage à l'échelle !", day_date=dt.date.today(),
                      place="Paris", rooms=["Le Club", "Le Bureau"],
                      slots=[("Comptoirs 1 et 2", "09:30", "10:30")])
    day = find_day(engine, made.code)
    grid = demo_grid()
    for room in day.rooms:
        comptoir = add_comptoir(engine, made.code, made.organiser_token, room_id=room.id,
                                slot_id=day.slots[0].id, title=f"Comptoir {room.name}",
                                question="Comment rester fidèle au modèle ?", grid=grid,
                                grand_temoin="Hugues")
        token = enter_comptoir(engine, made.code, join_day(
            engine, made.code, token=f"jour-{room.id:04d}-0123456789"), comptoir.code)
        workshops.save_weights(engine, comptoir.code, token,
                               {d.id: (100 if i == 0 else 0) for i, d in
                                enumerate(grid.dimensions)})
    set_current_slot(engine, made.code, made.organiser_token, day.slots[0].id)
    problems = []
    for path in (f"journee?journee={made.code}&cle={made.organiser_token}",
                 f"projection?journee={made.code}",
                 f"projection?journee={made.code}&vue=synthese"):
        settle(wide_page, f"{writable_server.url}/{path}")
        if path.startswith("journee"):
            for tab in ("Comptoirs", "Synthèse des grands témoins"):
                wide_page.page.get_by_role("tab", name=tab).click()
                wide_page.wait_idle()
                problems += [f"{path} ({tab}) · {v['rule']} : {v['nodes']}"
                             for v in axe_violations(wide_page.page, axe_source)]
                problems += [f"{path} ({tab}) · anglais : {t}"
                             for t in english_in(wide_page.page.evaluate(COLLECT_TEXT))]
            continue
        problems += [f"{path} · {v['rule']} : {v['nodes']}"
                     for v in axe_violations(wide_page.page, axe_source)]
        problems += [f"{path} · anglais : {t}"
                     for t in english_in(wide_page.page.evaluate(COLLECT_TEXT))]
    assert problems == [] and wide_page.external == [], "\n".join(problems)
