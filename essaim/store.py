"""The store: engine creation, schema versioning, first-run seeding and dataset reads/writes.

SQLite (a file, WAL mode) by default; PostgreSQL through psycopg 3 when DATABASE_URL says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from essaim import schema
from essaim.dataset import Dataset
from essaim.errors import StoreUnavailableError

_PG_LOCK_KEY = 7_312_004  # advisory lock serialising schema set-up between app servers


def _switch_to_wal(cursor, attempts: int = 100) -> None:
    # Switching a new file to WAL needs a moment alone with it; SQLite answers "locked" at once
    # (without its busy handler) when another process or thread is creating the schema.
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.02 + 0.01 * attempt)


def create_store_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL mode, a busy timeout and explicit BEGIN handling."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN, so writers can ask for BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN " + conn.get_execution_options().get("sqlite_begin", ""))

    return engine


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that takes the write lock at once (SQLite) so concurrent writers queue cleanly."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def open_store(url: str, seed: bool = True) -> Engine:
    """Connect, create or upgrade the schema, and fill an empty store with the demo dataset.

    Raises StoreUnavailableError (French message) when the database cannot be reached.
    Safe to call from several processes at once: it never duplicates data.
    """
    try:
        engine = create_store_engine(url)
        with write_transaction(engine) as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            ensure_schema(conn)
            if seed and active_dataset_id(conn) is None:
                from essaim.demo import read_demo_tables

                write_dataset(
                    conn,
                    read_demo_tables(),
                    kind="demo",
                    label="Données fictives de démonstration",
                    source="data/demo (généré par scripts/generate_demo.py)",
                    created_by="Essaim (premier démarrage)",
                )
    except sa.exc.OperationalError as error:
        raise StoreUnavailableError(
            f"La base de données ({describe_url(url)}) est injoignable ou illisible.",
            "Vérifiez la variable DATABASE_URL (adresse, port, nom de la base, droits) et que le "
            "serveur est démarré, puis rechargez la page. Sans DATABASE_URL, Essaim utilise un "
            "fichier SQLite local.",
        ) from error
    except sa.exc.ArgumentError as error:
        raise StoreUnavailableError(
            f"L'adresse de base de données « {url} » n'est pas valide.",
            "DATABASE_URL doit avoir la forme postgresql+psycopg://utilisateur@hôte:5432/base.",
        ) from error
    return engine


def _migrate_to_2(conn: Connection) -> None:
    # Version 1 had a placeholder table for workshops; version 2 has the real ones.
    conn.execute(sa.text("DROP TABLE IF EXISTS workshop_sessions"))


# Steps that bring a store from version N-1 to N (tables added in N are created by create_all).
MIGRATIONS = {2: _migrate_to_2}


def ensure_schema(conn: Connection) -> None:
    """Create missing tables, run the migrations a store needs, record the schema version;
    refuse a newer schema than ours."""
    schema.metadata.create_all(conn)
    row = conn.execute(
        sa.select(schema.schema_info.c.value).where(schema.schema_info.c.key == "schema_version")
    ).first()
    if row is None:
        conn.execute(
            schema.schema_info.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION))
        )
        return
    current = int(row.value)
    if current > schema.SCHEMA_VERSION:
        raise StoreUnavailableError(
            f"La base est au schéma {row.value}, plus récent que cette version d'Essaim "
            f"({schema.SCHEMA_VERSION}).",
            "Mettez Essaim à jour avant de l'utiliser avec cette base.",
        )
    for version in range(current + 1, schema.SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
    if current < schema.SCHEMA_VERSION:
        conn.execute(schema.schema_info.update()
                     .where(schema.schema_info.c.key == "schema_version")
                     .values(value=str(schema.SCHEMA_VERSION)))


def read_schema_version(engine: Engine) -> int:
    """The schema version recorded in the store."""
    with engine.connect() as conn:
        value = conn.execute(
            sa.select(schema.schema_info.c.value).where(schema.schema_info.c.key == "schema_version")
        ).scalar_one()
    return int(value)


def active_dataset_id(conn: Connection) -> int | None:
    """The id of the dataset the app shows, or None in an empty store."""
    return conn.execute(
        sa.select(schema.datasets.c.id).where(schema.datasets.c.active.is_(True))
    ).scalar_one_or_none()


def write_dataset(
    conn: Connection,
    tables: dict[str, list[dict]],
    *,
    kind: str,
    label: str,
    source: str,
    created_by: str,
    activate: bool = True,
) -> int:
    """Write a whole dataset inside the caller's transaction; optionally make it the active one."""
    dataset_id = conn.execute(
        schema.datasets.insert().values(
            kind=kind,
            label=label,
            source=source,
            created_by=created_by,
            created_at=dt.datetime.now(dt.timezone.utc),
            active=False,
        )
    ).inserted_primary_key[0]
    for name, table in schema.DATASET_TABLES.items():
        rows = [{**row, "dataset_id": dataset_id} for row in tables.get(name, [])]
        if rows:
            conn.execute(table.insert(), rows)
    if activate:
        conn.execute(schema.datasets.update().values(active=False))
        conn.execute(
            schema.datasets.update().where(schema.datasets.c.id == dataset_id).values(active=True)
        )
    return dataset_id


def read_dataset(engine: Engine) -> Dataset:
    """The active dataset, every table as a DataFrame (empty store: StoreUnavailableError)."""
    with engine.connect() as conn:
        dataset_id = active_dataset_id(conn)
        if dataset_id is None:
            raise StoreUnavailableError(
                "La base ne contient aucun jeu de données actif.",
                "Redémarrez Essaim pour recharger les données de démonstration.",
            )
        info = conn.execute(
            sa.select(schema.datasets).where(schema.datasets.c.id == dataset_id)
        ).mappings().one()
        frames = {}
        for name, table in schema.DATASET_TABLES.items():
            columns = [table.c[c] for c in schema.dataset_columns(table)]
            order = [table.c.id] if "id" in table.c else [table.c[c] for c in table.primary_key.columns.keys() if c != "dataset_id"]
            result = conn.execute(
                sa.select(*columns).where(table.c.dataset_id == dataset_id).order_by(*order)
            )
            frames[name] = pd.DataFrame(result.mappings().all(), columns=[c.name for c in columns])
    return Dataset(
        id=dataset_id,
        kind=info["kind"],
        label=info["label"],
        source=info["source"],
        created_at=info["created_at"],
        **frames,
    )


def count_workshops(engine: Engine) -> int:
    """How many workshop sessions the store holds."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.workshops)).scalar_one()


def read_data_version(engine: Engine) -> int:
    """A cheap key that changes whenever the active dataset changes (its id)."""
    with engine.connect() as conn:
        return active_dataset_id(conn) or 0
