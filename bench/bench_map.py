"""The map's budgets: component payload, warm rerun server-side, drawing time in Chromium.

Usage: python bench/bench_map.py [--repeat N] [--jeu demo|second]   (the browser part needs the system Chromium)
"""

from __future__ import annotations

import argparse
import shutil
import time

from _common import ROOT, median, print_table, time_ms, add_dataset_option, use_fresh_store

BUDGETS = {"payload_kb": 400, "rerun_ms": 300, "draw_s": 2.0}


def measure_server(repeat: int) -> tuple[float, float]:
    """Payload of the st_folium call (KB) and median warm rerun of the map page (ms)."""
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    calls = []
    original = streamlit_folium._component_func

    def capture(**kwargs):
        calls.append(kwargs)
        return kwargs.get("default")

    streamlit_folium._component_func = capture
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page("pages/carte.py").run()
        warm = median(time_ms(at.run, repeat))
    finally:
        streamlit_folium._component_func = original
    call = calls[-1]
    payload = sum(len(str(call[key]).encode()) for key in ("script", "html", "header"))
    return payload / 1024, warm


def measure_browser(repeat: int) -> float | None:
    """Median seconds from navigation to the map's 96th département shape and its markers."""
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    import sys

    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, start_streamlit, stop_streamlit
    import os
    from pathlib import Path

    process, url = start_streamlit(Path(os.environ["ESSAIM_SQLITE_PATH"]), Path("/tmp/bench-map.log"))
    durations = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/carte")  # warm the server caches once
            page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
                ".essaim-marker").first.wait_for(timeout=60_000)
            for _ in range(repeat):
                start = time.perf_counter()
                page.goto(f"{url}/carte")
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                frame.locator("path.leaflet-interactive").nth(95).wait_for(state="attached",
                                                                           timeout=60_000)
                frame.locator(".essaim-marker").first.wait_for(timeout=60_000)
                durations.append(time.perf_counter() - start)
            browser.close()
    finally:
        stop_streamlit(process)
    return median(durations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    add_dataset_option(parser)
    args = parser.parse_args()
    use_fresh_store(args.jeu)
    payload_kb, rerun_ms = measure_server(args.repeat)
    draw_s = measure_browser(args.repeat)
    rows = [
        ["charge utile du composant carte", f"{payload_kb:.0f} Ko", f"≤ {BUDGETS['payload_kb']} Ko",
         "oui" if payload_kb <= BUDGETS["payload_kb"] else "NON"],
        ["relance à chaud de la page (serveur)", f"{rerun_ms:.0f} ms", f"≤ {BUDGETS['rerun_ms']} ms",
         "oui" if rerun_ms <= BUDGETS["rerun_ms"] else "NON"],
    ]
    if draw_s is None:
        rows.append(["carte dessinée dans Chromium", "n.d. (pas de Chromium)", "≤ 2 s", "—"])
    else:
        rows.append(["carte dessinée dans Chromium (navigation → formes et marqueurs)",
                     f"{draw_s:.2f} s", "≤ 2 s", "oui" if draw_s <= BUDGETS["draw_s"] else "NON"])
    print(f"Carte des territoires, médianes sur {args.repeat} mesures")
    print_table(["mesure", "valeur", "budget", "respecté"], rows)


if __name__ == "__main__":
    main()
