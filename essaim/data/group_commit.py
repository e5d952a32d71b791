"""Group commit for SQLite: the writes that queue up during a burst share one transaction and one
disk flush, and each is acknowledged only once that flush is done.

Why: SQLite lets one writer in at a time, and a commit waits for the disk (about 2,5 ms here,
against 0,5 ms of work for a phone's input). When a room of 300 phones taps at once, writers
queued one commit each behind a single lock, and the threads of the server's pool waited with
them — page loads included (bench/bench_room.py). Here the first writer opens a transaction
(BEGIN IMMEDIATE); each writer runs its statements inside a savepoint of it, so that one
refused input (an exception in its block) is undone alone; the writer that finds nobody queued
behind it — or the one that fills the batch — commits for everybody. Every writer's block
returns only after that commit: an input is never acknowledged before it is on disk, and when
the commit fails, every writer of the batch gets the error (the phones resend).

A lone writer pays one savepoint more than a plain transaction and nothing else.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection, Engine

from essaim.errors import StoreWriteError

log = logging.getLogger(__name__)

MAX_BATCH = 64  # bounds how long the first writer of a batch waits for the others


@dataclass
class _Batch:
    engine: Engine
    connection: Connection
    members: int = 0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class GroupCommit:
    """Writers of this process to SQLite stores, one block at a time, committed in groups."""

    def __init__(self, max_batch: int = MAX_BATCH):
        self._max_batch = max_batch
        self._turn = threading.Lock()  # one writer's block at a time
        self._count = threading.Lock()  # guards `_queued`
        self._queued = 0
        self._batch: _Batch | None = None

    @property
    def queued(self) -> int:
        """Writers waiting for their turn right now."""
        with self._count:
            return self._queued

    def write(self, engine: Engine) -> _Member:
        """`with group.write(engine) as conn:` — a block of statements written with the others."""
        return _Member(self, engine)

    # --- used by _Member, with the turn held -------------------------------------------------

    def _join(self, engine: Engine) -> _Batch:
        batch = self._batch
        if batch is not None and batch.engine is not engine:
            self._finish(batch)  # another store (or engine): commit it for its members first
            batch = None
        if batch is None:
            connection = engine.connect().execution_options(sqlite_begin="IMMEDIATE")
            try:
                connection.begin()
            except BaseException:
                connection.close()
                raise
            batch = self._batch = _Batch(engine, connection)
        batch.members += 1
        return batch

    def _leave(self, batch: _Batch) -> None:
        """After a member's block: commit now if nobody waits to add to this batch or it is
        full; otherwise the next writer in line carries it on."""
        with self._count:
            alone = self._queued == 0
        if alone or batch.members >= self._max_batch or batch.error is not None:
            self._finish(batch)

    def _finish(self, batch: _Batch) -> None:
        if self._batch is batch:
            self._batch = None
        try:
            if batch.error is None:
                batch.connection.commit()
        except BaseException as error:  # noqa: BLE001 - every member learns it
            batch.error = error
        try:
            if batch.error is not None:
                log.warning("Écriture groupée de %s saisie(s) refusée par la base : %s",
                            batch.members, batch.error)
                batch.connection.rollback()
        except Exception:
            log.debug("Annulation impossible après un échec d'écriture", exc_info=True)
        finally:
            batch.connection.close()
            batch.done.set()


class _Member:
    """One writer's block inside the current batch (a savepoint of its transaction)."""

    def __init__(self, group: GroupCommit, engine: Engine):
        self._group, self._engine = group, engine
        self._batch: _Batch | None = None
        self._savepoint = None

    def __enter__(self) -> Connection:
        group = self._group
        with group._count:
            group._queued += 1
        group._turn.acquire()
        with group._count:
            group._queued -= 1
        try:
            self._batch = group._join(self._engine)
            self._savepoint = self._batch.connection.begin_nested()
        except BaseException:
            if self._batch is not None:
                group._leave(self._batch)
            group._turn.release()
            raise
        return self._batch.connection

    def __exit__(self, kind, error, traceback) -> bool:
        group, batch = self._group, self._batch
        try:
            if kind is None:
                self._savepoint.commit()
            else:
                self._savepoint.rollback()  # this block alone is undone
        except BaseException as failure:  # noqa: BLE001 - the whole batch is broken
            batch.error = failure
        finally:
            group._leave(batch)
            group._turn.release()
        batch.done.wait()
        if batch.error is not None and kind is None:
            raise StoreWriteError(
                "La base de données n'a pas enregistré cette saisie : elle sera renvoyée "
                "automatiquement.") from batch.error
        return False
