"""Helpers shared by the benchmark scripts: a demo store, timing, a French-friendly table."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


POSTGRES_URL = os.environ.get("ESSAIM_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")

DATASETS = {"demo": "données fictives de démonstration",
            "second": "jeu d'essai différent de la démonstration (tests/second_dataset.py)"}


def add_dataset_option(parser) -> None:
    """--jeu demo|second: which dataset the bench runs on."""
    parser.add_argument("--jeu", choices=list(DATASETS), default="demo",
                        help="jeu de données : " + " ; ".join(f"{k} = {v}" for k, v in
                                                              DATASETS.items()))


def use_fresh_store(dataset: str = "demo") -> Path:
    """Point the app at a new SQLite store in a temporary folder holding `dataset`: the demo
    (seeded on first open) or the second dataset (imported like ANSA's files)."""
    folder = Path(tempfile.mkdtemp(prefix="essaim-bench-"))
    path = folder / "essaim.sqlite"
    os.environ.pop("DATABASE_URL", None)
    os.environ["ESSAIM_SQLITE_PATH"] = str(path)
    from essaim.data import store

    if dataset == "second":
        from tests.second_dataset import import_second_dataset

        import_second_dataset(f"sqlite:///{path}", folder / "fichiers")
    else:
        store.open_store(f"sqlite:///{path}").dispose()
    print(f"Jeu de données : {DATASETS[dataset]}")
    return path


def use_fresh_demo_store() -> Path:
    """A new store holding the demo dataset (see use_fresh_store)."""
    return use_fresh_store("demo")


def time_ms(action, repeat: int = 1) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def print_table(headers: list[str], rows: list[list]) -> None:
    """A plain-text table, columns aligned."""
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def new_postgres_schema_url() -> str | None:
    """A PostgreSQL schema of its own for a bench run (None when PostgreSQL is unreachable)."""
    import uuid

    import sqlalchemy as sa

    try:
        admin = sa.create_engine(POSTGRES_URL)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    except Exception:  # noqa: BLE001 - any failure means: no PostgreSQL for this run
        return None


def drop_postgres_schema(url: str) -> None:
    """Drop the schema made by new_postgres_schema_url."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {url.rsplit('%3D', 1)[1]} CASCADE"))
    admin.dispose()
