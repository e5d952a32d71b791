"""Helpers shared by the benchmark scripts: a demo store, timing, a French-friendly table."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def use_fresh_demo_store() -> Path:
    """Point the app at a new SQLite store in a temporary folder (seeded on first open)."""
    path = Path(tempfile.mkdtemp(prefix="essaim-bench-")) / "essaim.sqlite"
    os.environ.pop("DATABASE_URL", None)
    os.environ["ESSAIM_SQLITE_PATH"] = str(path)
    from essaim import store

    store.open_store(f"sqlite:///{path}").dispose()
    return path


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
