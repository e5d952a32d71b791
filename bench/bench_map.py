"""The map's budgets: component payload, warm rerun server-side, the cost of streamlit-folium's
public `st_folium` on each run, and, through the real server in Chromium, drawing time (budget
1 s, issue 22) and the time from a click on a marker to its side panel.

Where the time went (py-spy on the server while Chromium reloaded /carte six times, machine under
load): 58 % of the event loop's time was Streamlit's source watcher, which walks the real path of
every loaded module after every script run (LocalSourcesWatcher.update_watched_modules); with
`fileWatcherType = "none"` (.streamlit/config.toml) the event loop's busy time over the same six
loads fell from 9,2 s to 3,4 s. The script run itself read the dataset through st.cache_data,
which unpickles a copy on every read: the shared caches are now st.cache_resource
(components/data_access.py). In the browser, the map's own drawing (Leaflet, 101 shapes, five
insets) takes a small share; the rest is Streamlit's page start and the component's frame.

Usage: python -m bench.bench_map [--repeat N] [--jeu demo|second]   (the browser part needs the system Chromium)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from bench._common import ROOT, add_dataset_option, median, print_table, time_ms, use_fresh_store
from bench._explorer_browser import load_average
from essaim.site_map import page_file

BUDGETS = {"payload_kb": 400, "rerun_ms": 300, "draw_s": 1.0, "click_s": 1.5}
MAP_FRAME = 'iframe[src*="streamlit_folium"]'


def measure_server(repeat: int) -> tuple[float, float]:
    """Payload of the map component (KB, read from the page's element tree) and median warm
    rerun of the map page (ms)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page_file("carte")).run()
    warm = median(time_ms(at.run, repeat))
    [component] = [c for c in at.get("component_instance")
                   if c.proto.component_name.startswith("streamlit_folium")]
    call = json.loads(component.proto.json_args)
    payload = sum(len(str(call[key]).encode()) for key in ("script", "html", "header"))
    return payload / 1024, warm


def measure_st_folium(repeat: int) -> float:
    """Median ms that st_folium's own preparation of the (cached) map data takes on each run:
    building the folium map, rendering it and hashing the script, as `st_folium` does."""
    from streamlit_folium import _get_header, _get_html, _get_map_string, generate_js_hash

    from components import territory_map
    from essaim.data import store

    dataset = store.read_dataset(store.open_store(f"sqlite:///{os.environ['ESSAIM_SQLITE_PATH']}"))
    codes = tuple(sorted(dataset.essaimages["code"]))
    data, _ = territory_map.prepare_territory_map(dataset, dataset.cache_key, "chomage_2025",
                                                  codes, False, False, False)

    def prepare() -> None:
        fmap = territory_map._folium_map(data)
        fmap.get_root().render()
        fmap.render()
        _get_html(fmap), _get_header(fmap)
        generate_js_hash(_get_map_string(fmap), territory_map.MAP_KEY, False)

    return median(time_ms(prepare, repeat))


def measure_browser(repeat: int) -> tuple[float, float] | None:
    """Median seconds from navigation to the map's shapes, markers and keyboard group, and from
    a click on a marker to its side panel, through the real server."""
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, start_streamlit, stop_streamlit

    process, url = start_streamlit(Path(os.environ["ESSAIM_SQLITE_PATH"]), Path("/tmp/bench-map.log"))
    draws, clicks = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})

            def drawn():
                frame = page.frame_locator(MAP_FRAME)
                frame.locator("#map_div > .leaflet-map-pane path.leaflet-interactive").nth(95).wait_for(
                    state="attached", timeout=60_000)
                frame.locator('.leaflet-marker-icon[tabindex="0"]').first.wait_for(timeout=60_000)
                return frame

            page.goto(f"{url}/carte")  # warm the server caches once
            drawn()
            for _ in range(repeat):
                start = time.perf_counter()
                page.goto(f"{url}/carte")
                frame = drawn()
                draws.append(time.perf_counter() - start)
                marker = frame.locator('#map_div .leaflet-marker-icon[aria-label]'
                                       ':not([aria-label^="Groupe"])').first
                name = marker.get_attribute("aria-label").split(" — ")[0]
                start = time.perf_counter()
                marker.click()
                page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30_000)
                clicks.append(time.perf_counter() - start)
            browser.close()
    finally:
        stop_streamlit(process)
    return median(draws), median(clicks)


def _row(label: str, value: float, unit: str, budget: float) -> list[str]:
    shown = f"{value:.0f} {unit}" if unit in ("Ko", "ms") else f"{value:.2f} {unit}"
    return [label, shown, f"≤ {budget:g} {unit}", "oui" if value <= budget else "NON"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    add_dataset_option(parser)
    args = parser.parse_args()
    use_fresh_store(args.jeu)
    print(load_average())
    payload_kb, rerun_ms = measure_server(args.repeat)
    folium_ms = measure_st_folium(args.repeat)
    browser = measure_browser(args.repeat)
    rows = [
        _row("charge utile du composant carte", payload_kb, "Ko", BUDGETS["payload_kb"]),
        _row("relance à chaud de la page (serveur)", rerun_ms, "ms", BUDGETS["rerun_ms"]),
        ["dont préparation par st_folium (API publique), par relance", f"{folium_ms:.0f} ms", "—", "—"],
    ]
    if browser is None:
        rows.append(["carte dessinée dans Chromium", "n.d. (pas de Chromium)", "≤ 1 s", "—"])
    else:
        draw_s, click_s = browser
        rows.append(_row("carte dessinée dans Chromium (navigation → formes, marqueurs, clavier)",
                         draw_s, "s", BUDGETS["draw_s"]))
        rows.append(_row("clic sur un marqueur → panneau du territoire", click_s, "s",
                         BUDGETS["click_s"]))
    print(f"Carte des territoires, médianes sur {args.repeat} mesures")
    print_table(["mesure", "valeur", "budget", "respecté"], rows)
    print(load_average())


if __name__ == "__main__":
    main()
