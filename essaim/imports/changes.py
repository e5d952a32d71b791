"""What an import changes, table by table, compared with the active dataset: rows added, changed
(same identity, other values) and removed — shown before the import is confirmed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from essaim.data import schema
from essaim.data.dataset import Dataset
from essaim.imports.specs import SPECS, FileSpec


@dataclass(frozen=True)
class TableChange:
    """What an import does to one table: rows added, changed (same identity, other values) and
    removed, compared with the active dataset."""

    table: str
    before: int
    after: int
    added: int
    changed: int
    removed: int

    @property
    def loses_rows(self) -> bool:
        return self.removed > 0


def current_rows(current: Dataset, table: str) -> list[dict]:
    """The active dataset's rows of `table`, as plain Python values (the import's shape: whole
    numbers where the column holds integers, although pandas reads them as floats)."""
    store_table = schema.DATASET_TABLES[table]
    columns = schema.dataset_columns(store_table)
    integers = {c for c in columns if isinstance(store_table.c[c].type, sa.Integer)}
    frame = getattr(current, table)
    return [{c: (int(v) if c in integers and v is not None else v)
             for c, v in ((c, plain_value(v)) for c, v in zip(columns, row))}
            for row in frame[columns].itertuples(index=False)]


def _identity(spec: FileSpec, row: dict) -> tuple:
    return tuple(row.get(k) for k in spec.key)


def row_content(row: dict) -> tuple:
    return tuple(sorted((k, comparable_value(v)) for k, v in row.items()))


def comparable_value(value):
    if isinstance(value, float):
        return round(value, 9)
    return value


def compare_with_current(tables: dict[str, list[dict]], current: Dataset) -> list[TableChange]:
    """Per table, rows added, changed and removed by the new dataset `tables`."""
    changes = []
    for name, spec in SPECS.items():
        before, after = current_rows(current, name), tables.get(name, [])
        if spec.key:
            old = {_identity(spec, r): row_content(r) for r in before}
            new = {_identity(spec, r): row_content(r) for r in after}
            added = len(new.keys() - old.keys())
            removed = len(old.keys() - new.keys())
            changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
        else:  # rows without identity (verbatims): compare as multisets
            old_counts = pd.Series([row_content(r) for r in before], dtype=object).value_counts()
            new_counts = pd.Series([row_content(r) for r in after], dtype=object).value_counts()
            delta = new_counts.subtract(old_counts, fill_value=0)
            added, removed, changed = int(delta[delta > 0].sum()), int(-delta[delta < 0].sum()), 0
        changes.append(TableChange(name, len(before), len(after), added, changed, removed))
    return changes


def plain_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()
    return value


