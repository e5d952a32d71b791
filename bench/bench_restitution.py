"""Time to produce the restitution documents per scope (budget: 20 s for the whole accelerator),
with the size of each document: the accelerator, the most spread innovation, the territory with
the most values, and a workshop session of 300 participants (points, ratings, proposals, three
grid versions). The first scope pays the process's one-off start (the difference-in-differences
library compiles on first use), as the app's first restitution does.

Usage: python -m bench.bench_restitution [--jeu demo|second] [--participants 300]
"""

from __future__ import annotations

import argparse
import io
import random
import time

from bench._common import add_dataset_option, print_table, use_fresh_store
from essaim import workshops
from essaim.data import store
from essaim.data.reference import load_departements
from essaim.explorer.geo import load_geojson
from essaim.figures.counted import counted_values
from essaim.reports.content import build_report
from essaim.reports.pdf import render_pdf
from essaim.reports.pptx import render_pptx
from essaim.workshops.grid import default_grid

BUDGET_S = 20.0


def busy_session(engine, dataset, participants: int) -> str:
    """A session as a full room leaves it; returns its code."""
    grid = default_grid(dataset.indicators)
    innovation = dataset.essaimages["innovation_code"].value_counts().index[0]
    created = workshops.create_workshop(engine, title="Comptoir des enjeux (banc d'essai)",
                                        kind="comptoir", grid=grid, scope_innovation=innovation)
    rng = random.Random(11)
    dimensions = [d.id for d in grid.dimensions]
    criteria = [c.id for _, c in grid.criteria()]
    for index in range(participants):
        token = workshops.join_workshop(engine, created.code, pseudonym=f"P{index}"
                                        if index % 3 else "", role=rng.choice(workshops.ROLES))
        points = [rng.randint(1, 20) for _ in dimensions]
        points[0] += 100 - sum(points)
        if points[0] < 0:
            points = [100] + [0] * (len(dimensions) - 1)
        workshops.save_weights(engine, created.code, token, dict(zip(dimensions, points)))
        workshops.save_ratings(engine, created.code, token,
                               {c: rng.randint(1, 5) for c in criteria})
        if index % 4 == 0:
            workshops.add_proposal(engine, created.code, token, "comment",
                                   f"Remarque n°{index} : suivre aussi les sorties en formation.")
    version = 1
    for author in ("Animation", "Animation (2)"):
        grid = grid.with_criterion_weights({criteria[version]: 7 + version})
        version = workshops.save_grid_version(engine, created.code, created.facilitator_token,
                                              grid, expected_version=version, author=author,
                                              summary="Poids de la salle")
    return created.code


def produce(dataset, counted, engine, kind: str, value: str | None) -> list:
    from pptx import Presentation
    from pypdf import PdfReader

    start = time.perf_counter()
    content = build_report(dataset, load_departements(), load_geojson("departements-web.geojson"),
                           kind, value, engine, counted=counted)
    built = time.perf_counter()
    deck = render_pptx(content)
    decked = time.perf_counter()
    pdf = render_pdf(content)
    done = time.perf_counter()
    total = done - start
    slides = len(Presentation(io.BytesIO(deck)).slides)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return [f"{kind}{' ' + value if value else ''}", f"{built - start:.1f}",
            f"{decked - built:.1f}", f"{done - decked:.1f}", f"{total:.1f}",
            f"{slides} / {pages}", f"{len(deck) // 1024} / {len(pdf) // 1024}",
            "oui" if total <= BUDGET_S else "NON"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_dataset_option(parser)
    parser.add_argument("--participants", type=int, default=300)
    args = parser.parse_args()
    path = use_fresh_store(args.jeu)
    engine = store.open_store(f"sqlite:///{path}")
    dataset = store.read_dataset(engine)
    code = busy_session(engine, dataset, args.participants)
    step = time.perf_counter()
    counted = counted_values(dataset)  # cached once per dataset by the app
    print(f"Valeurs qui font foi (une fois par jeu de données) : "
          f"{time.perf_counter() - step:.1f} s")
    innovation = dataset.essaimages["innovation_code"].value_counts().index[0]
    territory = dataset.indicator_values["territory_code"].value_counts().index[0]
    rows = [produce(dataset, counted, engine, "accelerateur", None),
            produce(dataset, counted, engine, "innovation", innovation),
            produce(dataset, counted, engine, "territoire", territory),
            produce(dataset, counted, engine, "atelier", code)]
    print(f"Documents de restitution, en secondes (budget {BUDGET_S:g} s ; séance de "
          f"{args.participants} participants)")
    print_table(["périmètre", "contenu", "diaporama", "PDF", "total", "diapos / pages",
                 "Ko PPTX / PDF", "respecté"], rows)


if __name__ == "__main__":
    main()
