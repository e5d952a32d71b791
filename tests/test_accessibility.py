"""Accessibility and language in headless Chromium, on every page of the navigation and on both
datasets: axe-core (WCAG 2 A/AA) finds no serious or critical violation, inside the map too; no
English word is seen or heard (visible text, titles, aria-labels, placeholders); a visible
keyboard focus; projection mode fit for a projector at 1920 × 1080.

axe-core comes from the npm registry (tests/axe/package.json, locked): `npm ci --prefix
tests/axe`, which the first test runs itself when npm is there. Without it, these tests are
skipped with a message saying so, like the other browser tests without Chromium.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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

COLLECT_TEXT = """() => {
  const found = [];
  const hidden = (element) => !element || element.closest(
      '[aria-hidden="true"], [translate="no"], script, style, noscript, template') !== null
    || getComputedStyle(element).display === 'none' || getComputedStyle(element).visibility === 'hidden';
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
      try { if (frame.contentDocument && frame.contentDocument.body) walk(frame.contentDocument, 'iframe'); }
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


def english_in(texts: list[list[str]]) -> list[str]:
    """The collected strings that hold an English interface word."""
    found = []
    for where, kind, text in texts:
        if kind == "lang":
            if text != "fr":
                found.append(f"langue de la page : {text!r}")
            continue
        if text in ALLOWED:
            continue
        words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", text)}
        hits = words & ENGLISH_WORDS
        if hits:
            found.append(f"{where} · {kind} : {text[:90]!r} ({', '.join(sorted(hits))})")
    return sorted(set(found))


@pytest.fixture
def wide_page(browser):
    """A page at 1440 × 900, French locale, watching for requests that leave the machine."""
    from tests.conftest import PageWatch

    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    yield PageWatch(context.new_page())
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_accessible_and_french(any_server, wide_page, axe_source, path):
    """No serious or critical axe-core violation (WCAG 2.1 A/AA), no English interface text and
    no request leaving the machine, on one load of the page (a page load is the costly part)."""
    settle(wide_page, f"{any_server}/{path}")
    violations = axe_violations(wide_page.page, axe_source)
    english = english_in(wide_page.page.evaluate(COLLECT_TEXT))
    problems = [f"{v['frame']} · {v['rule']} ({v['impact']}) : {v['nodes']}" for v in violations]
    problems += [f"anglais : {text}" for text in english]
    problems += [f"requête vers l'extérieur : {url}" for url in wide_page.external]
    assert problems == [], "\n".join(problems)


def test_the_english_check_would_catch_streamlit_leaflet_and_plotly_strings():
    texts = [["page", "texte", "Skip to main content"], ["page", "aria-label", "Help for Mode"],
             ["iframe", "title", "A JavaScript library for interactive maps"],
             ["iframe", "texte", "100 mi"], ["page", "data-title", "Download plot as a png"],
             ["page", "lang", "en"]]
    assert len(english_in(texts)) == len(texts)
    french = [["page", "texte", "Pôle ESS Besançon (données fictives)"],
              ["page", "texte", "INSEE Filosofi, via data.gouv.fr"], ["iframe", "texte", "200 km"],
              ["page", "lang", "fr"], ["iframe", "texte", "Leaflet"]]
    assert english_in(french) == []


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


@pytest.mark.parametrize("path", ["", "carte", "territoire?territoire=brest", "comparer"])
def test_projection_mode_suits_a_projector(server, projector_page, axe_source, path):
    separator = "&" if "?" in path else "?"
    settle(projector_page, f"{server}/{path}{separator}projection=1")
    page = projector_page.page
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    body = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p')).filter(p => p.offsetParent)
        .map(p => parseFloat(getComputedStyle(p).fontSize)))""")
    assert body >= 24
    assert page.evaluate(TRUNCATED) == []
    enhanced = axe_violations(page, axe_source, ["wcag2aaa"])
    contrast = [v for v in enhanced if v["rule"] == "color-contrast-enhanced"]
    assert contrast == [], contrast
    if path == "carte":
        top, bottom = page.evaluate(f"""() => {{ const r = document.querySelector('{MAP_FRAME}')
            .getBoundingClientRect(); return [r.top, r.bottom]; }}""")
        assert 0 <= top and bottom <= 1080, (top, bottom)  # the whole map above the fold
    if path == "comparer":
        ticks = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll(
            '.js-plotly-plot .xtick text, .js-plotly-plot .ytick text'))
            .map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize)))""")
        assert ticks >= 20


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
