"""The store on SQLite and PostgreSQL: creation, seeding, round-trip, restarts, bad URLs."""

import threading

import pytest
import sqlalchemy as sa

from essaim.data import schema, store
from essaim.data.demo import read_demo_tables
from essaim.errors import StoreUnavailableError


def test_first_open_seeds_the_demo_dataset(store_url):
    engine = store.open_store(store_url)
    dataset = store.read_dataset(engine)
    assert dataset.kind == "demo" and set(dataset.demo_tables) == set(schema.DATASET_TABLES)
    assert dataset.headline_counts()["territories"] == 42
    assert store.read_schema_revision(engine) == store.latest_revision()


def test_round_trip_keeps_every_row_and_value(store_url):
    tables = read_demo_tables()
    dataset = store.read_dataset(store.open_store(store_url))
    for name in schema.DATASET_TABLES:
        assert len(getattr(dataset, name)) == len(tables[name]), name
    values = dataset.indicator_values.sort_values(
        ["indicator_code", "territory_code", "period", "partner_code"]).reset_index(drop=True)
    expected = sorted(tables["indicator_values"],
                      key=lambda r: (r["indicator_code"], r["territory_code"], r["period"],
                                     r["partner_code"]))
    assert values.loc[0, "value"] == pytest.approx(expected[0]["value"])
    bordeaux = dataset.territories.set_index("code").loc["bordeaux"]
    assert bordeaux["insee_commune"] == "33063"
    assert bool(bordeaux["qpv"]) is True
    essaimage = dataset.essaimages.set_index("code").loc["tapaj-bordeaux"]
    assert str(essaimage["start_date"]).startswith("2016-")


def test_second_start_neither_duplicates_nor_loses_data(store_url):
    first = store.read_dataset(store.open_store(store_url))
    second = store.read_dataset(store.open_store(store_url))
    assert second.id == first.id
    assert len(second.indicator_values) == len(first.indicator_values)
    engine = store.open_store(store_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.datasets)).scalar() == 1


def test_concurrent_starts_seed_once(store_url):
    errors = []

    def start():
        try:
            store.open_store(store_url)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    engine = store.open_store(store_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.datasets)).scalar() == 1


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unreachable_database_gives_a_french_message():
    with pytest.raises(StoreUnavailableError) as caught:
        store.open_store("postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    assert "injoignable" in caught.value.message
    assert "DATABASE_URL" in caught.value.advice


def test_malformed_url_gives_a_french_message():
    with pytest.raises(StoreUnavailableError, match="n'est pas valide"):
        store.open_store("pas une adresse")
