"""The pulse of the sessions a server is serving, read once for every phone.

A session's pulse is (state_version, status, grid_version, results_hidden, premoderation):
every write moves the first. Hundreds of phones ask "has anything changed for me?"; one task per process reads
the pulses of all the sessions they wait on in one query, every half second (which is how writes
made by another process behind the load balancer are seen), and wakes the phones whose answer
changed. Writes made in this process wake them at once (`poke`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
FRESH_SECONDS = 0.5


@dataclass(frozen=True)
class Pulse:
    version: int
    status: str
    grid_version: int
    results_hidden: bool
    premoderation: bool

    @property
    def phone_key(self) -> str:
        """What a phone must react to without a tap: the close (or reopening), a new grid, the
        facilitator asking to approve proposals."""
        return f"{self.status}.{self.grid_version}.{int(self.premoderation)}"


@dataclass
class _Watch:
    pulse: Pulse | None = None
    read_at: float = 0.0
    waiters: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class PulseHub:
    """Per-process watcher of session pulses (see the module docstring)."""

    def __init__(self, read_pulses: Callable[[list[str]], dict[str, tuple]],
                 poll_seconds: float = POLL_SECONDS):
        self._read_pulses = read_pulses
        self._poll_seconds = poll_seconds
        self._watches: dict[str, _Watch] = {}
        self._task: asyncio.Task | None = None
        self._lock: asyncio.Lock | None = None
        self._closing = False

    def _update(self, code: str, raw: tuple | None) -> None:
        watch = self._watches.setdefault(code, _Watch())
        pulse = Pulse(*raw) if raw else None
        watch.read_at = time.monotonic()
        if pulse != watch.pulse:
            watch.pulse = pulse
            watch.changed.set()
            watch.changed = asyncio.Event()

    async def _read(self, codes: list[str]) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            stale = [c for c in codes
                     if time.monotonic() - self._watches.get(c, _Watch()).read_at > FRESH_SECONDS]
            if not stale:
                return
            pulses = await run_in_threadpool(self._read_pulses, stale)
            for code in stale:
                self._update(code, pulses.get(code))

    async def current(self, code: str) -> Pulse | None:
        """The session's pulse, at most half a second old (None: no such session)."""
        await self._read([code])
        watch = self._watches.get(code)
        if watch is not None and watch.pulse is None and not watch.waiters:
            del self._watches[code]  # wrong codes leave nothing behind
            return None
        return watch.pulse if watch else None

    async def poke(self, code: str) -> None:
        """A write just happened here: read the pulse now and wake whoever waits on it."""
        self._watches.setdefault(code, _Watch()).read_at = 0.0
        await self._read([code])

    async def wait_for_phone_change(self, code: str, known_key: str,
                                    timeout: float) -> Pulse | None:
        """Wait (at most `timeout` seconds) until the session's phone key differs from
        `known_key`; return the pulse then (or at the timeout)."""
        pulse = await self.current(code)
        if pulse is None:
            return None
        watch = self._watches[code]
        deadline = time.monotonic() + timeout
        watch.waiters += 1
        self._ensure_polling()
        try:
            while pulse is not None and pulse.phone_key == known_key and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    await asyncio.wait_for(watch.changed.wait(), left)
                except TimeoutError:
                    break
                pulse = watch.pulse
        finally:
            watch.waiters -= 1
        return pulse

    def _ensure_polling(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        # Runs while someone waits; ends by itself when nobody does.
        while True:
            watched = [code for code, watch in self._watches.items() if watch.waiters]
            if not watched:
                return
            try:
                await self._read(watched)
            except Exception:
                log.warning("Pouls des séances illisible : nouvel essai dans %s s",
                            self._poll_seconds, exc_info=True)
            await asyncio.sleep(self._poll_seconds)

    def release_all(self) -> None:
        """Answer every waiting phone now (the server is stopping: the phones ask again, and
        find the server back, without holding the restart up for a long poll)."""
        self._closing = True
        for watch in self._watches.values():
            watch.changed.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass  # the cancellation asked for just above
            except Exception:
                log.warning("Arrêt du pouls des séances : erreur ignorée", exc_info=True)
