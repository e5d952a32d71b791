"""Group commit: writers that queue share a transaction and a flush, each block is undone alone
when it fails, a failed commit is every member's failure, and nothing returns before it is on
disk."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from essaim.data.group_commit import GroupCommit
from essaim.data.store import create_store_engine
from essaim.errors import StoreWriteError


@pytest.fixture
def engine(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'g.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE rows (id INTEGER PRIMARY KEY, parent_id INTEGER "
                             "REFERENCES parent(id), label TEXT UNIQUE)")
        conn.exec_driver_sql("INSERT INTO parent (id) VALUES (1)")
    yield engine
    engine.dispose()


def commits_of(engine) -> list[int]:
    seen = []
    sa.event.listen(engine, "commit", lambda conn: seen.append(1))
    return seen


def stored(engine) -> set[str]:
    with engine.connect() as conn:
        return {label for (label,) in conn.exec_driver_sql("SELECT label FROM rows")}


def insert(conn, label: str, parent: int = 1) -> None:
    conn.exec_driver_sql("INSERT INTO rows (parent_id, label) VALUES (?, ?)", (parent, label))


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "attente trop longue"
        time.sleep(0.001)


def hold_the_turn(group, engine, release: threading.Event, block=None):
    """A writer whose block waits for `release`, so that others queue behind it."""
    outcome, inside = {}, threading.Event()

    def run():
        try:
            with group.write(engine) as conn:
                inside.set()
                release.wait(10)
                (block or (lambda c: insert(c, "premier")))(conn)
            outcome["ok"] = True
        except Exception as error:  # noqa: BLE001 - the test looks at it
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    assert inside.wait(10)
    return thread, outcome


def writers(group, engine, labels, results):
    def run(label):
        try:
            with group.write(engine) as conn:
                insert(conn, label)
            results[label] = label in stored(engine)  # on disk when the block returns
        except Exception as error:  # noqa: BLE001 - the test looks at it
            results[label] = error

    threads = [threading.Thread(target=run, args=(label,)) for label in labels]
    for thread in threads:
        thread.start()
    return threads


def test_writers_that_queue_share_one_commit_and_each_returns_once_on_disk(engine):
    group, commits, results = GroupCommit(), commits_of(engine), {}
    release = threading.Event()
    first, outcome = hold_the_turn(group, engine, release)
    labels = [f"téléphone {i}" for i in range(20)]
    threads = writers(group, engine, labels, results)
    wait_until(lambda: group.queued == 20)
    assert stored(engine) == set()  # nothing is visible before the commit
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    assert outcome == {"ok": True} and all(results[label] is True for label in labels)
    assert stored(engine) == {"premier", *labels}
    assert len(commits) == 1  # 21 writes, one flush


def test_a_lone_writer_commits_at_once(engine):
    group, commits = GroupCommit(), commits_of(engine)
    for label in ("a", "b"):
        with group.write(engine) as conn:
            insert(conn, label)
        assert label in stored(engine)
    assert len(commits) == 2


def test_a_block_that_fails_is_undone_alone(engine):
    group, results = GroupCommit(), {}
    release = threading.Event()

    def two_statements_then_refused(conn):
        insert(conn, "moitié")
        raise ValueError("saisie refusée")

    first, outcome = hold_the_turn(group, engine, release, two_statements_then_refused)
    threads = writers(group, engine, ["x", "y"], results)
    wait_until(lambda: group.queued == 2)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    assert isinstance(outcome["error"], ValueError)
    assert results == {"x": True, "y": True}
    assert stored(engine) == {"x", "y"}


def test_a_unique_clash_inside_a_batch_fails_only_its_writer(engine):
    group = GroupCommit()
    with group.write(engine) as conn:
        insert(conn, "pris")
    with pytest.raises(sa.exc.IntegrityError), group.write(engine) as conn:
        insert(conn, "pris")
    with group.write(engine) as conn:
        insert(conn, "libre")
    assert stored(engine) == {"pris", "libre"}


def test_a_failed_commit_is_every_members_failure_and_keeps_nothing(engine):
    group, results = GroupCommit(), {}
    release = threading.Event()

    def breaks_the_commit(conn):
        # A foreign key checked at commit time: the block succeeds, the commit does not.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        insert(conn, "orphelin", parent=99)

    first, outcome = hold_the_turn(group, engine, release, breaks_the_commit)
    threads = writers(group, engine, ["x", "y"], results)
    wait_until(lambda: group.queued == 2)
    release.set()
    for thread in [first, *threads]:
        thread.join(10)
    assert isinstance(outcome["error"], StoreWriteError)
    assert all(isinstance(results[label], StoreWriteError) for label in ("x", "y"))
    assert "renvoyée automatiquement" in str(results["x"])
    assert stored(engine) == set()
    with group.write(engine) as conn:  # the next write starts afresh
        insert(conn, "après")
    assert stored(engine) == {"après"}


def test_two_stores_never_share_a_batch(engine, tmp_path):
    other = create_store_engine(f"sqlite:///{tmp_path / 'autre.sqlite'}")
    with other.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE rows (id INTEGER PRIMARY KEY, parent_id INTEGER, "
                             "label TEXT UNIQUE)")
    group = GroupCommit()
    release = threading.Event()
    first, outcome = hold_the_turn(group, engine, release)
    results = {}

    def other_writer():
        with group.write(other) as conn:
            insert(conn, "ailleurs")
        results["other"] = True

    thread = threading.Thread(target=other_writer)
    thread.start()
    wait_until(lambda: group.queued == 1)
    release.set()
    for t in (first, thread):
        t.join(10)
    assert outcome == {"ok": True} and results == {"other": True}
    assert stored(engine) == {"premier"} and stored(other) == {"ailleurs"}
    other.dispose()
