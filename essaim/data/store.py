"""The store: engine creation, schema versioning, first-run seeding and dataset reads/writes.

SQLite (a file, WAL mode) by default; PostgreSQL through psycopg 3 when DATABASE_URL says so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from essaim.data import schema
from essaim.data.dataset import Dataset
from essaim.errors import StoreUnavailableError

log = logging.getLogger(__name__)

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
                from essaim.data.demo import read_demo_tables

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


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _alembic_config(conn: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def store_revision(conn: Connection) -> str | None:
    """The migration the store is at (None for an empty store or one from before migrations)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def latest_revision() -> str:
    """The newest migration this version of Essaim knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def ensure_schema(conn: Connection) -> None:
    """Bring the store to the newest migration (creating it if empty), inside the caller's
    transaction; refuse, in French, a store migrated by a newer Essaim."""
    from alembic import command
    from alembic.script import ScriptDirectory

    current = store_revision(conn)
    if current is not None:
        try:
            ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(current)
        except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
            raise StoreUnavailableError(
                f"La base a été mise à jour par une version plus récente d'Essaim (migration "
                f"« {current} »).",
                "Mettez Essaim à jour avant de l'utiliser avec cette base.",
            ) from None
    command.upgrade(_alembic_config(conn), "head")


def read_schema_revision(engine: Engine) -> str | None:
    """The migration recorded in the store."""
    with engine.connect() as conn:
        return store_revision(conn)


def active_dataset_id(conn: Connection) -> int | None:
    """The id of the dataset the app shows, or None in an empty store."""
    return conn.execute(
        sa.select(schema.datasets.c.id).where(schema.datasets.c.active.is_(True))
    ).scalar_one_or_none()


def dataset_fingerprint(tables: dict[str, list[dict]]) -> str:
    """SHA-256 of a dataset's content, independent of row order."""
    digest = hashlib.sha256()
    for name in schema.DATASET_TABLES:
        rows = sorted(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)
                      for row in tables.get(name, []))
        digest.update(name.encode())
        for row in rows:
            digest.update(row.encode())
    return digest.hexdigest()


def _blank_values(table: sa.Table) -> dict:
    """What a required column holds when a file leaves it blank: False for a flag, "" for a
    text (the store's own defaults, which an explicit NULL would not get)."""
    blanks = {}
    for column in table.columns:
        if column.nullable or column.server_default is None:
            continue
        if isinstance(column.type, sa.Boolean):
            blanks[column.name] = False
        elif isinstance(column.type, sa.String) and column.server_default.arg == "":
            blanks[column.name] = ""
    return blanks


def write_dataset(
    conn: Connection,
    tables: dict[str, list[dict]],
    *,
    kind: str,
    label: str,
    source: str,
    created_by: str,
    activate: bool = True,
    demo_tables: list[str] | None = None,
) -> int:
    """Write a whole dataset inside the caller's transaction; optionally make it the active one.
    `demo_tables`: the tables still holding demonstration data (all of them for kind "demo")."""
    if demo_tables is None:
        demo_tables = list(schema.DATASET_TABLES) if kind == "demo" else []
    dataset_id = conn.execute(
        schema.datasets.insert().values(
            kind=kind,
            label=label,
            source=source,
            created_by=created_by,
            created_at=dt.datetime.now(dt.UTC),
            active=False,
            fingerprint=dataset_fingerprint(tables),
            demo_tables=json.dumps([t for t in schema.DATASET_TABLES if t in demo_tables]),
        )
    ).inserted_primary_key[0]
    for name, table in schema.DATASET_TABLES.items():
        blanks = _blank_values(table)
        rows = [{**row, **{k: v for k, v in blanks.items() if row.get(k) is None},
                 "dataset_id": dataset_id} for row in tables.get(name, [])]
        if rows:
            conn.execute(table.insert(), rows)
    if activate:
        conn.execute(schema.datasets.update().values(active=False))
        conn.execute(
            schema.datasets.update().where(schema.datasets.c.id == dataset_id).values(active=True)
        )
    log.info("Jeu de données n°%s écrit (%s, « %s », par %s%s) : %s", dataset_id, kind, label,
             created_by, ", rendu actif" if activate else "",
             ", ".join(f"{name} {len(tables.get(name, []))}" for name in schema.DATASET_TABLES))
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
            order = [table.c.id] if "id" in table.c else [column for column in table.primary_key.columns if column.name != "dataset_id"]
            result = conn.execute(
                sa.select(*columns).where(table.c.dataset_id == dataset_id).order_by(*order)
            )
            frames[name] = pd.DataFrame(result.mappings().all(), columns=[c.name for c in columns])
        dataset = Dataset(
            id=dataset_id,
            kind=info["kind"],
            label=info["label"],
            source=info["source"],
            created_at=info["created_at"],
            created_by=info["created_by"],
            demo_tables=tuple(json.loads(info["demo_tables"] or "[]")),
            cache_key=f"{engine.url}#{dataset_id}",
            **frames,
        )
        from essaim.data.partner_data import apply_partner_data, partner_data_version

        # Derived data is cached per dataset *and* per state of the partners' data.
        dataset = dataclasses.replace(
            dataset, cache_key=f"{dataset.cache_key}/{partner_data_version(conn)}")
        return apply_partner_data(conn, dataset)


def list_dataset_ids(engine: Engine) -> list[int]:
    """The ids of every dataset kept in the store, oldest first."""
    with engine.connect() as conn:
        return list(conn.execute(sa.select(schema.datasets.c.id).order_by(schema.datasets.c.id))
                    .scalars())


def count_workshops(engine: Engine) -> int:
    """How many workshop sessions the store holds."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.workshops)).scalar_one()


def read_data_version(engine: Engine) -> str:
    """A cheap key that changes whenever the data the app shows changes: another active
    dataset, or a partner's declaration, message or agreed definition."""
    from essaim.data.partner_data import partner_data_version

    with engine.connect() as conn:
        return f"{active_dataset_id(conn) or 0}/{partner_data_version(conn)}"
