"""Time to produce the restitution documents (budget: 20 s for the whole accelerator).

Usage: python bench/bench_restitution.py [--jeu demo|second]
"""

from __future__ import annotations

import argparse
import time

from _common import add_dataset_option, print_table, use_fresh_store

from essaim import store
from essaim.chart_images import ChartExportUnavailable, render_pngs
from essaim.geo import load_geojson
from essaim.reference import load_departements
from essaim.report import build_report
from essaim.report_render import render_pdf, render_pptx

BUDGET_S = 20.0


def produce(dataset, kind: str, value: str | None) -> list:
    timings = {}
    start = time.perf_counter()
    content = build_report(dataset, load_departements(), load_geojson("departements-web.geojson"),
                           kind, value)
    timings["contenu"] = time.perf_counter() - start
    figures = content.figures()
    step = time.perf_counter()
    try:
        images = dict(zip((id(f) for f in figures), render_pngs([f.figure for f in figures])))
    except ChartExportUnavailable:
        images = {}
    timings["graphiques"] = time.perf_counter() - step
    step = time.perf_counter()
    deck = render_pptx(content, images)
    pdf = render_pdf(content, images)
    timings["mise en page"] = time.perf_counter() - step
    total = time.perf_counter() - start
    return [f"{kind}{' ' + value if value else ''}", f"{timings['contenu']:.1f}",
            f"{timings['graphiques']:.1f}", f"{timings['mise en page']:.1f}", f"{total:.1f}",
            f"{len(deck) // 1024} / {len(pdf) // 1024}", "oui" if total <= BUDGET_S else "NON"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_dataset_option(parser)
    args = parser.parse_args()
    path = use_fresh_store(args.jeu)
    dataset = store.read_dataset(store.open_store(f"sqlite:///{path}"))
    # The most spread innovation and the territory with the most values: the largest documents.
    innovation = dataset.essaimages["innovation_code"].value_counts().index[0]
    territory = dataset.indicator_values["territory_code"].value_counts().index[0]
    rows = [produce(dataset, "accelerateur", None), produce(dataset, "innovation", innovation),
            produce(dataset, "territoire", territory)]
    print(f"Documents de restitution, en secondes (budget {BUDGET_S:g} s)")
    print_table(["périmètre", "contenu", "graphiques", "mise en page", "total",
                 "Ko PPTX / PDF", "respecté"], rows)


if __name__ == "__main__":
    main()
