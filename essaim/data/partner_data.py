"""The partners' own data joined to the active dataset when it is read: their declarations
(newer than the dataset) replace their own earlier reports of the same cells, settled
disagreements say which value counts, and agreed definitions replace the imported ones.

An import carries the values it does not replace (declarations included), so a declaration older
than the active dataset is already in it.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from essaim.data.dataset import Dataset
from essaim.data.schema_partners import (
    declarations,
    definition_versions,
    disagreement_threads,
)

CELL = ["indicator_code", "territory_code", "essaimage_code", "period"]
# Settled cells, and cells whose settlement is called into question (status « reopened »): the
# settled value counts meanwhile (essaim.partners.settlements).
RESOLUTION_COLUMNS = CELL + ["id", "status", "resolved_value", "resolution_kind", "resolved_by",
                             "resolved_at", "reason", "reopened_at", "reopened_by"]


def _aware(series: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(series)
    return stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps


def _declarations_since(conn: Connection, created_at) -> pd.DataFrame:
    """The partners' current declarations made after the dataset, and those withdrawn after it
    (whenever they were made: an import made since may carry them)."""
    rows = conn.execute(sa.select(declarations).where(
        declarations.c.replaced_at.is_(None),
        sa.or_(declarations.c.declared_at > created_at,
               declarations.c.withdrawn_at > created_at))
    ).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in declarations.columns])


def _with_declarations(values: pd.DataFrame, declared: pd.DataFrame, dataset: Dataset
                       ) -> pd.DataFrame:
    if declared.empty:
        return values
    known = (declared["indicator_code"].isin(dataset.indicators["code"])
             & declared["territory_code"].isin(dataset.territories["code"])
             & (declared["essaimage_code"].isna()
                | declared["essaimage_code"].isin(dataset.essaimages["code"]))
             & declared["partner_code"].isin(dataset.partners["code"]))
    declared = declared[known]
    keys = CELL + ["partner_code"]

    def key(frame: pd.DataFrame) -> pd.Series:
        return frame[keys].fillna("").astype(str).agg("\x1f".join, axis=1)

    # A declaration replaces the partner's report of its cell; a withdrawn one removes it.
    kept = values[~key(values).isin(set(key(declared)))] if len(declared) else values
    current = declared[declared["withdrawn_at"].isna()]
    added = current[list(values.columns.intersection(current.columns))]
    return pd.concat([kept, added], ignore_index=True)[values.columns]


def apply_partner_data(conn: Connection, dataset: Dataset) -> Dataset:
    """The dataset with the partners' declarations, settled disagreements and agreed
    definitions."""
    tables = set(sa.inspect(conn).get_table_names())
    if "declarations" not in tables:  # a store not yet migrated (read during an upgrade)
        return dataset
    values = _with_declarations(dataset.indicator_values,
                                _declarations_since(conn, dataset.created_at), dataset)
    settled = pd.DataFrame(conn.execute(sa.select(
        *(disagreement_threads.c[c] for c in RESOLUTION_COLUMNS)
    ).where(disagreement_threads.c.resolved_value.is_not(None))).mappings().all(),
        columns=RESOLUTION_COLUMNS)
    # Only ANSA's (national) versions replace an indicator's definition; a definition agreed
    # for one essaimage stays that figure's (shown in its provenance).
    latest = pd.DataFrame(conn.execute(sa.select(
        definition_versions.c.indicator_code, definition_versions.c.definition,
        definition_versions.c.version).where(definition_versions.c.status == "nationale")
        .order_by(definition_versions.c.version)).mappings().all(),
        columns=["indicator_code", "definition", "version"])
    indicators = dataset.indicators
    if not latest.empty:
        agreed = latest.drop_duplicates("indicator_code", keep="last").set_index(
            "indicator_code")["definition"]
        indicators = indicators.assign(definition=[agreed.get(c, d) for c, d in zip(
            indicators["code"], indicators["definition"])])
    return dataclasses.replace(dataset, indicator_values=values, indicators=indicators,
                               resolutions=settled)


def partner_data_version(conn: Connection) -> str:
    """A cheap key that changes whenever a declaration, a thread message (resolutions and
    reopenings write one) or a definition version is added."""
    tables = set(sa.inspect(conn).get_table_names())
    if "declarations" not in tables:
        return ""
    from essaim.data.schema_partners import thread_messages

    parts = [conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
             for table in (declarations, thread_messages, definition_versions)]
    return ":".join(str(p) for p in parts)
