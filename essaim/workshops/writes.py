"""How a session is written: one short transaction per input, statements of the phones' hot path
built once, and the change counter every live view polls."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from essaim.data.group_commit import GroupCommit
from essaim.data.schema import participants, workshop_changes, workshop_inputs, workshops
from essaim.data.store import write_transaction
from essaim.workshops.codes import normalise_code
from essaim.workshops.errors import NotFound, SessionClosed


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_token(*parts: str) -> str:
    # For the facilitator token only: 32 random bytes need no slow hash (the PIN gets one).
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# SQLite lets one writer in at a time and makes the others poll with growing sleeps: inside one
# process, writers take turns here instead, and those that queue during a burst share a commit.
SQLITE_WRITES = GroupCommit()


@contextlib.contextmanager
def write_session(engine: Engine) -> Iterator[Connection]:
    """A short write of a session's data; on return it is on disk (SQLite: committed with the
    writes that queued with it, see essaim.data.group_commit)."""
    if engine.dialect.name == "sqlite":
        with SQLITE_WRITES.write(engine) as conn:
            yield conn
    else:
        with write_transaction(engine) as conn:
            yield conn


# The statements of the phones' hot path are built once: a room of 300 phones runs them by the
# thousand, and building (and cache-keying) a statement costs more CPU than SQLite running it.
@functools.cache
def hot_statement(name: str, dialect: str = ""):
    if name == "by_code":
        return (sa.select(workshops, version_of_session().label("version"))
                .where(workshops.c.code == sa.bindparam("code")))
    if name == "version":
        return (sa.select(version_of_session())
                .where(workshops.c.code == sa.bindparam("code")))
    if name == "participant":
        return (sa.select(participants).join(workshops)
                .where(workshops.c.code == sa.bindparam("code"),
                       participants.c.token == sa.bindparam("token")))
    if name == "session_and_participant":
        return (sa.select(workshops.c.id, workshops.c.status, workshops.c.premoderation,
                          participants.c.id.label("pid"))
                .join(participants, participants.c.workshop_id == workshops.c.id)
                .where(workshops.c.code == sa.bindparam("code"),
                       participants.c.token == sa.bindparam("token")))
    if name == "change":
        return workshop_changes.insert()
    if name == "upsert":
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(workshop_inputs)
        return insert.on_conflict_do_update(
            index_elements=["workshop_id", "participant_id", "kind", "slot"],
            set_={"payload": insert.excluded.payload, "updated_at": insert.excluded.updated_at})
    raise KeyError(name)


def version_of_session():
    """The session's change counter, as a column expression over `workshops`: its newest change
    id (plus the counter older sessions kept in state_version). It only grows; every write of
    the session moves it."""
    newest = (sa.select(sa.func.coalesce(sa.func.max(workshop_changes.c.id), 0))
              .where(workshop_changes.c.workshop_id == workshops.c.id).scalar_subquery())
    return workshops.c.state_version + newest


def record_change(conn: Connection, workshop_id: int) -> None:
    # One inserted row per change (see version_of_session): writers never wait on each other.
    conn.execute(hot_statement("change"), {"workshop_id": workshop_id, "at": now_utc()})


def session_and_participant(conn: Connection, code: str, token: str) -> tuple[int, int, str, bool]:
    row = conn.execute(hot_statement("session_and_participant"),
                       {"code": normalise_code(code), "token": token}).first()
    if row is None:
        raise NotFound("Participation introuvable : rejoignez la séance avec son code.")
    return row.id, row.pid, row.status, bool(row.premoderation)


def open_session_and_participant(conn: Connection, code: str, token: str) -> tuple[int, int, bool]:
    workshop_id, participant_id, status, premoderation = session_and_participant(conn, code, token)
    if status != "open":
        raise SessionClosed("La séance est close : votre contribution n'a pas été enregistrée. "
                            "Merci d'avoir participé !")
    return workshop_id, participant_id, premoderation
