"""The pulse of the sessions a server is serving, read once for every phone.

A session's pulse is (state_version, status, grid_version, results_hidden, premoderation):
every write moves the first. Hundreds of phones ask "has anything changed for me?" — only the
close, a new grid or pre-moderation concern them — and the projected screens ask "has anything
changed at all?". One task per process reads the pulses of all the sessions they wait on in one
query, every half second (a quarter of a second while a screen waits; this is how writes made
by another process behind the load balancer, or by the facilitator's console, are seen), and
wakes the phones whose answer changed and every screen of a session that moved. A phone's write
made in this process `nudge`s its session: one read a few hundredths of a second later, shared
by all the writes of a burst, wakes the screens at once.
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
SCREEN_POLL_SECONDS = 0.25
FRESH_SECONDS = 0.5
NUDGE_SECONDS = 0.03


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
    waiters: int = 0  # phones and screens
    screens: int = 0
    nudged: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)  # anything moved
    phone_changed: asyncio.Event = field(default_factory=asyncio.Event)  # a phone's key moved


class PulseHub:
    """Per-process watcher of session pulses (see the module docstring)."""

    def __init__(self, read_pulses: Callable[[list[str]], dict[str, tuple]],
                 poll_seconds: float = POLL_SECONDS,
                 screen_poll_seconds: float = SCREEN_POLL_SECONDS):
        self._read_pulses = read_pulses
        self._poll_seconds = poll_seconds
        self._screen_poll_seconds = screen_poll_seconds
        self._watches: dict[str, _Watch] = {}
        self._task: asyncio.Task | None = None
        self._lock: asyncio.Lock | None = None
        self._closing = False

    def _update(self, code: str, raw: tuple | None) -> None:
        watch = self._watches.setdefault(code, _Watch())
        pulse = Pulse(*raw) if raw else None
        watch.read_at = time.monotonic()
        if pulse != watch.pulse:
            if pulse is None or watch.pulse is None or pulse.phone_key != watch.pulse.phone_key:
                watch.phone_changed.set()
                watch.phone_changed = asyncio.Event()
            watch.pulse = pulse
            watch.changed.set()
            watch.changed = asyncio.Event()

    async def _read(self, codes: list[str], max_age: float = FRESH_SECONDS) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            stale = [c for c in codes
                     if time.monotonic() - self._watches.get(c, _Watch()).read_at > max_age]
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

    def nudge(self, code: str) -> None:
        """A phone's write just happened here: the next look at the session reads it (the
        phone's next list of proposals counts its vote), and if a screen waits on the session,
        its pulse is read in a moment (once for all the writes of that moment) to wake it."""
        watch = self._watches.get(code)
        if watch is None:
            return
        watch.read_at = 0.0
        if not watch.screens or watch.nudged:
            return
        watch.nudged = True

        async def read_soon() -> None:
            await asyncio.sleep(NUDGE_SECONDS)
            watch.nudged = False
            try:
                await self._read([code], max_age=0.0)
            except Exception:  # the regular poll reads it again
                log.warning("Pouls de la séance %s illisible après une saisie", code,
                            exc_info=True)

        asyncio.get_running_loop().create_task(read_soon())

    async def wait_for_phone_change(self, code: str, known_key: str,
                                    timeout: float) -> Pulse | None:
        """Wait (at most `timeout` seconds) until the session's phone key differs from
        `known_key`; return the pulse then (or at the timeout)."""
        return await self._wait(code, timeout, lambda pulse: pulse.phone_key != known_key,
                                screen=False)

    async def wait_for_change(self, code: str, known_version: int,
                              timeout: float) -> Pulse | None:
        """For a projected screen: wait (at most `timeout` seconds) until anything of the
        session moved past `known_version`; return the pulse then (or at the timeout)."""
        return await self._wait(code, timeout, lambda pulse: pulse.version != known_version,
                                screen=True)

    async def _wait(self, code: str, timeout: float, moved, screen: bool) -> Pulse | None:
        pulse = await self.current(code)
        if pulse is None:
            return None
        watch = self._watches[code]
        deadline = time.monotonic() + timeout
        watch.waiters += 1
        watch.screens += screen
        self._ensure_polling()
        try:
            while pulse is not None and not moved(pulse) and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                event = watch.changed if screen else watch.phone_changed
                try:
                    await asyncio.wait_for(event.wait(), left)
                except TimeoutError:
                    break
                pulse = watch.pulse
        finally:
            watch.waiters -= 1
            watch.screens -= screen
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
                await self._read(watched, max_age=0.0)
            except Exception:
                log.warning("Pouls des séances illisible : nouvel essai dans %s s",
                            self._poll_seconds, exc_info=True)
            screens = any(watch.screens for watch in self._watches.values())
            await asyncio.sleep(self._screen_poll_seconds if screens else self._poll_seconds)

    def release_all(self) -> None:
        """Answer every waiting phone now (the server is stopping: the phones ask again, and
        find the server back, without holding the restart up for a long poll)."""
        self._closing = True
        for watch in self._watches.values():
            watch.changed.set()
            watch.phone_changed.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass  # the cancellation asked for just above
            except Exception:
                log.warning("Arrêt du pouls des séances : erreur ignorée", exc_info=True)
