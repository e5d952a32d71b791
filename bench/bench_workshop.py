"""Live workshop storage under load: concurrent writers on SQLite and PostgreSQL (through the
domain functions), propagation from a participant's input to the projected screen, and the
projection view's rerun time. The phones themselves, as they talk to the server (the phone page
and its JSON API), are measured by bench_room.py.

Usage: python -m bench.bench_workshop [--writers 50] [--inputs 20] [--participants 30]
PostgreSQL: ESSAIM_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

from bench._common import (
    ROOT,
    drop_postgres_schema,
    new_postgres_schema_url,
    print_table,
    use_fresh_demo_store,
)
from essaim import workshops
from essaim.data import store
from essaim.data.demo import read_demo_tables
from essaim.site_map import page_file
from essaim.workshops.grid import default_grid


def demo_grid():
    """The default grid of the demo dataset."""
    return default_grid(pd.DataFrame(read_demo_tables()["indicators"]))


def _split(i: int) -> dict[str, float]:
    ids = [d.id for d in demo_grid().dimensions]
    points = [10] * len(ids)
    points[i % len(ids)] += 100 - sum(points)
    return dict(zip(ids, points))


def measure_writers(url: str, writers: int, inputs: int) -> list:
    """Concurrent participants each sending `inputs` proposals: lost, errors, writes per second."""
    engine = store.open_store(url, seed=False)
    created = workshops.create_workshop(engine, title="Charge", kind="atelier", grid=demo_grid())
    tokens = [workshops.join_workshop(engine, created.code, client_key=f"w{i}") for i in range(writers)]
    errors: list[Exception] = []
    barrier = threading.Barrier(writers)

    def write(token: str) -> None:
        barrier.wait()
        for i in range(inputs):
            try:
                workshops.add_proposal(engine, created.code, token, "comment", f"idée {i}")
            except Exception as error:  # noqa: BLE001
                errors.append(error)

    threads = [threading.Thread(target=write, args=(t,)) for t in tokens]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    stored = int((workshops.read_inputs(engine, created.code)["kind"] == "comment").sum())
    expected = writers * inputs
    engine.dispose()
    return [url.split(":")[0].split("+")[0], f"{writers} × {inputs}", expected - stored - len(errors),
            len(errors), f"{stored / elapsed:.0f}"]


def measure_propagation(participants: int) -> tuple[list[float], str]:
    """Seconds from each participant's saved input to the projected count showing it."""
    chromium = shutil.which("chromium")
    if not chromium:
        return [], "pas de Chromium"
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, start_streamlit, stop_streamlit

    path = Path(os.environ["ESSAIM_SQLITE_PATH"])
    engine = store.open_store(f"sqlite:///{path}")
    created = workshops.create_workshop(engine, title="Propagation", kind="atelier",
                                        grid=demo_grid())
    tokens = [workshops.join_workshop(engine, created.code, client_key=f"p{i}")
              for i in range(participants)]
    process, url = start_streamlit(path, Path(tempfile.mkdtemp()) / "server.log")
    latencies = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/projection?seance={created.code}")
            value = page.locator('[data-testid="stMetric"]', has_text="Répartitions reçues").locator(
                '[data-testid="stMetricValue"]')
            value.wait_for(timeout=60_000)
            for index, token in enumerate(tokens, start=1):
                started = time.perf_counter()
                workshops.save_weights(engine, created.code, token, _split(index))
                page.wait_for_function(
                    "([expected]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
                    ".some(m => m.innerText.includes('Répartitions reçues') && "
                    "m.querySelector('[data-testid=stMetricValue]').innerText.trim() === expected)",
                    arg=[str(index)], timeout=30_000, polling=20)
                latencies.append(time.perf_counter() - started)
            browser.close()
    finally:
        stop_streamlit(process)
    return latencies, ""


def measure_projection_rerun(repeat: int = 10) -> tuple[float, float]:
    """AppTest reruns of the projection: right after an input, and with nothing new."""
    from streamlit.testing.v1 import AppTest

    engine = store.open_store(f"sqlite:///{os.environ['ESSAIM_SQLITE_PATH']}")
    created = workshops.create_workshop(engine, title="Relance", kind="atelier", grid=demo_grid())
    token = workshops.join_workshop(engine, created.code)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.query_params["seance"] = created.code
    at.switch_page(page_file("projection")).run()
    after_input, unchanged = [], []
    for i in range(repeat):
        workshops.save_weights(engine, created.code, token, _split(i))
        start = time.perf_counter()
        at.run()
        after_input.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        at.run()
        unchanged.append((time.perf_counter() - start) * 1000)
    return statistics.median(after_input), statistics.median(unchanged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--inputs", type=int, default=20)
    parser.add_argument("--participants", type=int, default=30)
    args = parser.parse_args()
    use_fresh_demo_store()

    rows = [measure_writers(f"sqlite:///{Path(tempfile.mkdtemp()) / 'load.sqlite'}", args.writers,
                            args.inputs)]
    pg_url = new_postgres_schema_url()
    if pg_url:
        try:
            rows.append(measure_writers(pg_url, args.writers, args.inputs))
        finally:
            drop_postgres_schema(pg_url)
    else:
        rows.append(["postgresql", "—", "n.d.", "n.d.", "injoignable"])
    print("Écrivains simultanés (chaque entrée = une écriture en base)")
    print_table(["base", "écrivains × entrées", "entrées perdues", "erreurs", "écritures/s"], rows)

    latencies, reason = measure_propagation(args.participants)
    print(f"\nPropagation d'une entrée jusqu'à l'écran projeté ({args.participants} participants)")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print_table(["médiane", "p95", "max", "budget"],
                    [[f"{statistics.median(latencies):.2f} s", f"{p95:.2f} s", f"{max(latencies):.2f} s",
                      "≤ 2 s médiane, ≤ 3 s p95"]])
    else:
        print(f"n.d. ({reason})")

    after_input, unchanged = measure_projection_rerun()
    print("\nRelance de la vue projection (AppTest, serveur)")
    print_table(["situation", "médiane"], [["après une entrée", f"{after_input:.0f} ms"],
                                           ["sans changement", f"{unchanged:.0f} ms"]])


if __name__ == "__main__":
    main()
