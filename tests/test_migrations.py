"""Migrations (Alembic): a new store, a store made by the release before migrations, and a newer
store, on SQLite and PostgreSQL. The migrations and essaim.data.schema must describe the same schema."""

from __future__ import annotations

import gzip
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from essaim.data import schema, store
from essaim.errors import StoreUnavailableError
from tests.conftest import POSTGRES_URL

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What the release-2 fixture holds (made with that release: 5 territories of the demo, a second
# imported dataset, one workshop with two participants, three inputs, two grid versions).
RELEASE_2_COUNTS = {"datasets": 2, "innovations": 6, "territories": 10, "essaimages": 10,
                    "partners": 74, "partner_roles": 110, "indicators": 50,
                    "indicator_values": 427, "verbatims": 18, "workshops": 1, "participants": 2,
                    "workshop_inputs": 3, "grid_versions": 2, "join_failures": 1}


def _default_text(default) -> str | None:
    """A server default as text without quotes or parentheses: "'open'" → "open", "(0)" → "0"."""
    if default is None:
        return None
    text = str(getattr(default, "arg", default))
    text = getattr(getattr(default, "arg", None), "text", text)
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = text.split("::")[0]  # PostgreSQL's casts: 'open'::character varying
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return {"false": "0", "true": "1"}.get(text.lower(), text)


def _compare_defaults(context, inspected_column, metadata_column, inspected_default,
                      metadata_default, rendered_metadata_default):
    """True when the store's server default differs from the code's (Alembic's own comparison
    misreads SQLite's empty-string defaults)."""
    return _default_text(inspected_default) != _default_text(rendered_metadata_default)


def schema_differences(engine, metadata=schema.metadata) -> list:
    """What differs between the store and the code's schema: tables, columns, types, indexes
    and server defaults."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "compare_server_default": _compare_defaults})
        return compare_metadata(context, metadata)


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(sa.select(sa.func.count()).select_from(
            schema.metadata.tables[name])).scalar_one() for name in RELEASE_2_COUNTS}


def test_a_new_store_gets_exactly_the_schema_of_the_code(store_url):
    engine = store.open_store(store_url, seed=False)
    assert store.read_schema_revision(engine) == store.latest_revision()
    assert schema_differences(engine) == []


@pytest.fixture(params=["sqlite", "postgresql"])
def release_2_store(request, tmp_path):
    """A store created by the release before migrations, on each database."""
    if request.param == "sqlite":
        path = tmp_path / "release_2.sqlite"
        shutil.copy(FIXTURES / "store_release_2.sqlite", path)
        yield f"sqlite:///{path}"
        return
    request.getfixturevalue("postgres_available") or pytest.skip("PostgreSQL injoignable")
    name = f"r2_{uuid.uuid4().hex[:10]}"
    script = gzip.decompress((FIXTURES / "store_release_2.pg.sql.gz").read_bytes()).decode()
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        # Straight to psycopg: the dump's data holds "%" signs, not parameters.
        conn.connection.driver_connection.execute(script.replace("__SCHEMA__", name))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    admin.dispose()


def test_a_release_2_store_is_upgraded_with_nothing_lost(release_2_store):
    before = sa.create_engine(release_2_store)
    with before.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM schema_info")).scalar_one() == "2"
        old_values = conn.execute(sa.text(
            "SELECT indicator_code, territory_code, period, value FROM indicator_values "
            "ORDER BY id")).all()
        old_grid = conn.execute(sa.text("SELECT grid_json FROM grid_versions WHERE version = 2")
                                ).scalar_one()
    before.dispose()
    engine = store.open_store(release_2_store)
    assert store.read_schema_revision(engine) == store.latest_revision()
    assert schema_differences(engine) == []
    assert row_counts(engine) == RELEASE_2_COUNTS  # no row lost, no demo dataset added
    with engine.connect() as conn:
        assert conn.execute(sa.text(
            "SELECT indicator_code, territory_code, period, value FROM indicator_values "
            "ORDER BY id")).all() == old_values
        assert conn.execute(sa.text("SELECT grid_json FROM grid_versions WHERE version = 2")
                            ).scalar_one() == old_grid
    dataset = store.read_dataset(engine)
    assert dataset.kind == "demo" and dataset.holds_demo_data
    # The demo dataset's indicators get the roles the demo now declares.
    roles = dict(zip(dataset.indicators["code"], dataset.indicators["roles"]))
    assert sum(bool(r) for r in roles.values()) == 21
    measures = dict(zip(dataset.indicators["unit"], dataset.indicators["measure"]))
    assert measures["%"] == "rate" and measures["€"] == "amount"


def test_the_imported_dataset_of_a_release_2_store_remembers_its_demo_tables(tmp_path):
    path = tmp_path / "release_2.sqlite"
    shutil.copy(FIXTURES / "store_release_2.sqlite", path)
    engine = store.open_store(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT kind, demo_tables FROM datasets")).all())
    # The import replaced only the values; every other table was the demo's, carried over.
    assert "indicator_values" not in rows["import"]
    assert "verbatims" in rows["import"] and "indicators" in rows["import"]


def test_upgrading_twice_changes_nothing(store_url):
    store.open_store(store_url)
    engine = store.open_store(store_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.datasets)).scalar() == 1
    assert store.read_schema_revision(engine) == store.latest_revision()


def test_a_store_migrated_by_a_newer_essaim_is_refused_in_french(store_url):
    engine = store.open_store(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreUnavailableError, match="plus récente"):
        store.open_store(store_url)


def test_a_changed_server_default_is_a_difference(store_url):
    """The comparison is not blind to defaults: the code saying another default than the store
    holds (a migration forgotten) is caught, on SQLite and PostgreSQL."""
    engine = store.open_store(store_url, seed=False)
    changed = _copy_metadata()
    changed.tables["disagreement_threads"].c.status.server_default = sa.schema.DefaultClause("ouvert")
    differences = schema_differences(engine, changed)
    assert [d[0][:4] for d in differences] == [
        ("modify_default", None, "disagreement_threads", "status")]


def _copy_metadata() -> sa.MetaData:
    copy = sa.MetaData()
    for table in schema.metadata.sorted_tables:
        table.to_metadata(copy)
    return copy


def test_migrations_can_be_undone_to_the_release_2_schema(store_url):
    from alembic import command

    url = store_url
    engine = store.open_store(url)
    with store.write_transaction(engine) as conn:
        command.downgrade(store._alembic_config(conn), "0001_release_2")
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        columns = {c["name"] for c in sa.inspect(conn).get_columns("indicators")}
    assert "schema_info" in tables and "roles" not in columns
    engine = store.open_store(url)  # and back up
    assert schema_differences(engine) == []
