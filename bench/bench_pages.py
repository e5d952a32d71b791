"""The first search of *Mon territoire* after the server starts, in Chromium (budget 1 s), then
every page's AppTest first run and warm rerun, beside an empty Streamlit script's.

The first search is timed on a new server each time: from pressing Enter in the search field,
as soon as the page has drawn, to the list of territories found (the run over).

Where the first search's time went: the gazetteer was built on the first search (reading the
34 920 communes, then expanding the communes of every EPCI and département territory) inside the
search's own run, and the communes were copied out of st.cache_data on every read. Now the place
index (every commune, EPCI with its common and former names, département, region: 36 000 names)
is built once per process in 0,2 s, in a background thread started by the first page drawn
(components/territory_search.py), and a search is a vectorised word match (about 10 ms).

Usage: python -m bench.bench_pages [--repeat N] [--jeu demo|second]
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from bench._common import ROOT, add_dataset_option, median, print_table, time_ms, use_fresh_store
from bench._explorer_browser import (
    chromium_page,
    chromium_path,
    load_average,
    served,
    timed,
    wait_idle,
)
from essaim.site_map import SITE_MAP, page_file

# Every page of the navigation, in its landing state (the workshop pages without a session code:
# bench_workshop.py measures the projection of a live session).
PAGES = [f"pages/{spec.file}" for spec in SITE_MAP]
SEARCH_BUDGET_S = 1.0
SEARCH_FIELD = "Rechercher un territoire"
# A commune every dataset's search answers (covered or not: then with the nearest territories).
FIRST_QUERY = "Pessac"
ANSWERED = re.compile("trouvé|Aucun territoire|Aucun lieu")


def first_search(runs: int) -> list[list[str]]:
    """Per run, on a new server: seconds to start, to draw *Mon territoire*, and the first search."""
    rows = []
    for run in range(runs):
        with served(f"bench-search-{run}") as (url, started), chromium_page(390, 844) as page:
            opened = timed(lambda: page.goto(f"{url}/territoire"),
                           lambda: page.get_by_label(SEARCH_FIELD).wait_for(timeout=60_000))
            wait_idle(page)
            field = page.get_by_label(SEARCH_FIELD)
            field.fill(FIRST_QUERY)

            def answered() -> None:
                page.get_by_text(ANSWERED).first.wait_for(timeout=60_000)
                wait_idle(page)

            search = timed(lambda field=field: field.press("Enter"), answered)
            rows.append([str(run + 1), f"{started:.1f}", f"{opened:.2f}", f"{search:.2f}",
                         "oui" if search <= SEARCH_BUDGET_S else "NON"])
    return rows


def measure_empty(repeat: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    script = Path(tempfile.mkdtemp()) / "empty.py"
    script.write_text("import streamlit as st\n")
    at = AppTest.from_file(str(script), default_timeout=120)
    first = time_ms(at.run)[0]
    warm = median(time_ms(at.run, repeat))
    return first, warm


def measure_page(page: str, repeat: int) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    first = time_ms(at.run)[0]  # app.py routes to the home page
    if page != page_file(""):
        at.switch_page(page)
        first = time_ms(at.run)[0]
    warm = median(time_ms(at.run, repeat))
    assert not at.exception, [e.value for e in at.exception]
    return first, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    add_dataset_option(parser)
    args = parser.parse_args()
    use_fresh_store(args.jeu)
    if chromium_path():
        print(load_average())
        print(f"Première recherche après le démarrage (« {FIRST_QUERY} », budget {SEARCH_BUDGET_S:g} s)")
        print_table(["serveur", "démarrage (s)", "page affichée (s)", "recherche (s)", "respecté"],
                    first_search(3))
        print(load_average())
    rows = []
    empty_first, empty_warm = measure_empty(args.repeat)
    rows.append(["(script vide)", f"{empty_first:.0f}", f"{empty_warm:.0f}"])
    for page in PAGES:
        first, warm = measure_page(page, args.repeat)
        rows.append([page, f"{first:.0f}", f"{warm:.0f}"])
    print(f"AppTest, médiane de {args.repeat} relances à chaud, en millisecondes")
    print_table(["page", "premier affichage", "relance à chaud"], rows)


if __name__ == "__main__":
    main()
