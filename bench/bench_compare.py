"""Reruns after a widget change on *Comparer les indicateurs* and *Mon territoire* (server side,
AppTest), against the 300 ms budget.

Usage: python -m bench.bench_compare [--repeat N] [--jeu demo|second]
"""

from __future__ import annotations

import argparse
import time

from bench._common import ROOT, add_dataset_option, median, print_table, use_fresh_store
from essaim.site_map import page_file

BUDGET_MS = 300
VIEWS = ["Partenaires × indicateurs", "Barres groupées", "Radar", "Nuage de points",
         "Désaccords entre partenaires", "Doubles différences", "Coûts évités"]


def timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return (time.perf_counter() - start) * 1000


def main() -> None:
    from streamlit.testing.v1 import AppTest

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    add_dataset_option(parser)
    args = parser.parse_args()
    path = use_fresh_store(args.jeu)
    from essaim.data import store

    dataset = store.read_dataset(store.open_store(f"sqlite:///{path}"))
    rows = []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page_file("comparer")).run()
    for view in VIEWS:
        at.session_state["cmp_view"] = view
        timed_run(at)  # warm this view's caches
        times = []
        for i in range(args.repeat):
            method = ["pour_100_beneficiaires", "brut"][i % 2]
            at.selectbox(key="cmp_method").set_value(method)
            times.append(timed_run(at))
        rows.append([f"Comparer › {view} (normalisation changée)", f"{median(times):.0f}"])
    innovations = list(dataset.innovations["code"][:2])
    times = []
    for i in range(args.repeat):
        at.multiselect(key="cmp_innovations").set_value(innovations if i % 2 else innovations[:1])
        times.append(timed_run(at))
    rows.append(["Comparer › Coûts évités (innovations changées)", f"{median(times):.0f}"])
    portrait = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    portrait.switch_page(page_file("territoire")).run()
    territories = list(dataset.indicator_values["territory_code"].value_counts().index[:2])
    times = []
    for i in range(args.repeat):
        portrait.selectbox(key="territoire_code").set_value(territories[i % 2])
        times.append(timed_run(portrait))
    rows.append(["Mon territoire (territoire changé)", f"{median(times):.0f}"])
    print(f"Relance après un changement de widget, médiane de {args.repeat}, en ms "
          f"(budget {BUDGET_MS} ms)")
    print_table(["action", "ms", "respecté"],
                [[action, ms, "oui" if float(ms) <= BUDGET_MS else "NON"] for action, ms in rows])


if __name__ == "__main__":
    main()
