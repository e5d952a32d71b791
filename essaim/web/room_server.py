"""What one app process holds for the phone API: the store's engine, the pulse hub, the cached
answers every phone of a session shares, and who the client of a request is.

The engine is opened on first use (or at start-up by the app's lifespan), separately from the
Streamlit pages' one; both go to the same store.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.requests import HTTPConnection

from essaim.access import Client, clean_device_id, client_address, parse_trusted_proxies
from essaim.data import schema, store
from essaim.settings import read_setting, resolve_database_url
from essaim.web.pulse import Pulse, PulseHub
from essaim.workshops import room_reads

DEVICE_COOKIE = "essaim_appareil"
DEMO_CHECK_SECONDS = 30


def request_client(connection: HTTPConnection, trusted: tuple[str, ...] | None = None) -> Client:
    """The client of a request for pacing: its address (through trusted proxies) and the device
    id of its cookie."""
    trusted = trusted if trusted is not None else parse_trusted_proxies(
        read_setting("ESSAIM_TRUSTED_PROXIES"))
    peer = connection.client.host if connection.client else None
    return Client(address=client_address(peer, connection.headers.get("x-forwarded-for"), trusted),
                  device=clean_device_id(connection.cookies.get(DEVICE_COOKIE)))


class _Cache:
    """A small LRU of ready-to-send answers, keyed by what makes them change."""

    def __init__(self, size: int = 256):
        self._items: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def peek(self, key) -> bytes | None:
        """The ready answer, or None: lets the event loop answer without a thread."""
        with self._lock:
            return self._items.get(key)

    def get(self, key, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class RoomServer:
    """The phone API's per-process state (see the module docstring)."""

    def __init__(self, database_url: str | None = None):
        self._url = database_url
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self.hub = PulseHub(lambda codes: room_reads.read_pulses(self.engine(), codes))
        self._sessions = _Cache()
        self._proposals = _Cache()
        self.trusted = parse_trusted_proxies(read_setting("ESSAIM_TRUSTED_PROXIES"))
        self._demo: tuple[float, bool] = (0.0, False)

    def engine(self) -> Engine:
        """The store (opened, migrated and seeded on first use; StoreUnavailableError if not)."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = store.open_store(self._url or resolve_database_url())
            return self._engine

    def close(self) -> None:
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def client(self, connection: HTTPConnection) -> Client:
        return request_client(connection, self.trusted)

    def session_json(self, code: str, pulse: Pulse) -> bytes:
        """The session as phones see it (title, status, grid), shared by every phone until the
        grid, the status or the pre-moderation changes (not with every input)."""
        # "cle" lets the phone start its long poll at once, without a first round trip.
        return self._sessions.get((code, pulse.phone_key), lambda: to_json(
            {**room_reads.phone_session(self.engine(), code), "cle": pulse.phone_key}))

    def ready_session_json(self, code: str, pulse: Pulse) -> bytes | None:
        """session_json when already built for this pulse (no store read), else None."""
        return self._sessions.peek((code, pulse.phone_key))

    def proposals_json(self, code: str, pulse: Pulse) -> bytes:
        """The proposals shown to the room with their upvotes, shared by every phone until the
        next change."""
        return self._proposals.get((code, pulse.version), lambda: to_json(
            {"version": pulse.version,
             "proposals": room_reads.room_proposals(self.engine(), code)}))

    def checked_demo_data(self) -> bool | None:
        """holds_demo_data while its last check is fresh (no store read), else None."""
        checked_at, demo = self._demo
        return demo if time.monotonic() - checked_at <= DEMO_CHECK_SECONDS else None

    def holds_demo_data(self) -> bool:
        """Whether the active dataset still holds demonstration data (the phone page says so),
        checked at most every 30 seconds."""
        checked_at, demo = self._demo
        if time.monotonic() - checked_at > DEMO_CHECK_SECONDS:
            with self.engine().connect() as conn:
                tables = conn.execute(sa.select(schema.datasets.c.demo_tables)
                                      .where(schema.datasets.c.active.is_(True))).scalar()
            demo = bool(json.loads(tables or "[]"))
            self._demo = (time.monotonic(), demo)
        return demo
