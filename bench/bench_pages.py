"""Every page's AppTest first run and warm rerun, beside an empty Streamlit script's.

Usage: python -m bench.bench_pages [--repeat N] [--jeu demo|second]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench._common import ROOT, add_dataset_option, median, print_table, time_ms, use_fresh_store
from essaim.site_map import SITE_MAP, page_file

# Every page of the navigation, in its landing state (the workshop pages without a session code:
# bench_workshop.py measures the projection of a live session).
PAGES = [f"pages/{spec.file}" for spec in SITE_MAP]


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
