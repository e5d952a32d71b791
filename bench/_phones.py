"""Phones of a live workshop, simulated the way phones talk to Essaim: HTTP/1.1 on 127.0.0.1,
the phone page then its JSON API, with cookies (device id, the load balancer's stickiness) and a
long poll held open like the page's. Run as a separate process by bench_room.py:

    python -m bench._phones URL CODE --phones 100 --arrival 10 --out results.json

Each phone opens /participer?seance=CODE, joins, saves its 100 points, rates one criterion,
sends one proposal (with a human pause between taps), then keeps its long poll until all phones
are done (and --tenir seconds more, while the bench probes the projected screen). A failed
request is retried like the page does (after 1, 2, 4 s); every attempt that did not get a 2xx
counts as an error. With --journee DAY, CODE is ignored: each phone opens the day's page, joins
the day, enters one of the comptoirs running now (phone i in comptoir i modulo their number) and
then taps in that comptoir's session. Every HTTP request is counted (the server's CPU per
request). Bounded: at most 1 000 phones, 180 s per phone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

MAX_PHONES = 1000
PHONE_TIMEOUT = 180.0
RETRIES = 3


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection (what a browser holds per origin)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, list[tuple[str, str]], bytes]:
        for attempt in (1, 2):  # a keep-alive connection the server closed: reopen once
            if self.writer is None:
                await self._open()
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                     f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
            try:
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError, HttpError):
                self.close()
                if attempt == 2:
                    raise
        raise HttpError("unreachable")

    async def _response(self) -> tuple[int, list[tuple[str, str]], bytes]:
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connexion fermée")
        status = int(status_line.split()[1])
        headers = []
        while True:
            line = (await self.reader.readline()).decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        found = dict(headers)
        if "content-length" in found:
            body = await self.reader.readexactly(int(found["content-length"]))
        elif found.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            body = await self.reader.read()
            self.close()
        if found.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


class Phone:
    def __init__(self, index: int, host: str, port: int, code: str, results: dict):
        self.index, self.code, self.results = index, code, results
        self.main = Connection(host, port)
        self.poll = Connection(host, port)
        self.cookies: dict[str, str] = {}
        self.token = secrets.token_urlsafe(16)
        self.day_token = ""
        self.record = {"phone": index, "token": self.token, "timings": {}, "errors": [],
                       "acked": {}, "requests": 0, "code": code}

    def _headers(self, json_body: bool = False) -> dict[str, str]:
        headers = {"Accept": "application/json", "X-Essaim-Participant": self.token}
        if self.day_token:
            headers["X-Essaim-Jour"] = self.day_token
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if json_body:
            headers["Content-Type"] = "application/json"
        return headers

    async def call(self, connection: Connection, method: str, path: str, data=None):
        body = json.dumps(data).encode() if data is not None else b""
        self.record["requests"] += 1
        status, headers, payload = await connection.request(method, path,
                                                            self._headers(data is not None), body)
        for name, value in headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return status, payload

    async def act(self, name: str, method: str, path: str, data=None) -> bytes | None:
        """One tap: sent (and resent after a failure, like the page) until acknowledged."""
        started = time.perf_counter()
        for attempt in range(RETRIES + 1):
            try:
                status, payload = await self.call(self.main, method, path, data)
                if 200 <= status < 300:
                    self.record["timings"][name] = time.perf_counter() - started
                    self.record["acked"][name] = time.time()
                    return payload
                self.record["errors"].append(f"{name}: HTTP {status} {payload[:120]!r}")
                if 400 <= status < 500 and status != 429:
                    return None
            except Exception as error:  # noqa: BLE001 - counted, then retried
                self.record["errors"].append(f"{name}: {type(error).__name__} {error}")
            await asyncio.sleep(2 ** attempt)
        return None

    async def long_poll(self, stop: asyncio.Event, key: str) -> None:
        while not stop.is_set():
            try:
                status, payload = await self.call(self.poll, "GET",
                                                  f"/api/seances/{self.code}/pouls?cle={key}")
                if status == 200:
                    key = json.loads(payload)["cle"]
                else:
                    await asyncio.sleep(2)
            except Exception:  # noqa: BLE001 - the page waits and asks again
                await asyncio.sleep(2)

    async def run(self, start_at: float, think: tuple[float, float], stop: asyncio.Event,
                  day: str = "") -> None:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        poller = None
        try:
            poller = await self._taps(think, stop, day)
        finally:
            self.results["finished"] += 1
        if poller is not None:
            await stop.wait()  # the page stays open, its long poll with it, until all are done
            poller.cancel()

    async def burst(self, seconds: float) -> None:
        """Join, then save splits back to back for `seconds` (the server's throughput)."""
        api = f"/api/seances/{self.code}"
        page = await self.act("page", "GET", f"/participer?seance={self.code}")
        if page is None or await self.act("join", "POST", f"{api}/participants",
                                          {"jeton": self.token}) is None:
            return
        session = page_data(page)["session"]
        dimensions = [d["id"] for d in session["dimensions"]]
        deadline = time.monotonic() + seconds
        saves = 0
        while time.monotonic() < deadline:
            points = {d: 0 for d in dimensions}
            points[random.choice(dimensions)] = 100
            if await self.act("save", "PUT", f"{api}/repartition", {"points": points}) is None:
                break
            saves += 1
        self.record["saves"] = saves

    async def _enter_day(self, day: str) -> bool:
        """The day's page, the day joined once, a comptoir running now entered: the phone is
        then that comptoir's participant (self.code and self.token)."""
        page = await self.act("page", "GET", f"/participer?journee={day}")
        self.day_token = secrets.token_urlsafe(16)
        api = f"/api/journees/{day}"
        if page is None or await self.act("join_day", "POST", f"{api}/participants",
                                          {"jeton": self.day_token}) is None:
            return False
        programme = page_data(page)["journee"]
        now = [c for slot in programme["creneaux"] if slot["en_cours"] for c in slot["comptoirs"]]
        chosen = now[self.index % len(now)]
        answer = await self.act("join", "POST", f"{api}/comptoirs/{chosen['code']}/entree", {})
        if answer is None:
            return False
        entered = json.loads(answer)
        self.code, self.token = entered["seance"], entered["jeton"]
        self.record.update(code=self.code, token=self.token)
        return True

    async def _taps(self, think: tuple[float, float], stop: asyncio.Event, day: str = ""):
        pause = lambda: asyncio.sleep(random.uniform(*think))
        began = time.perf_counter()
        if day:
            if not await self._enter_day(day):
                return None
            page = await self.act("session_page", "GET",
                                  f"/participer?seance={self.code}&journee={day}")
            if page is None:
                return None
            session = page_data(page)["session"]
        else:
            page = await self.act("page", "GET", f"/participer?seance={self.code}")
            if page is None:
                return None
            session = page_data(page)["session"]
            if await self.act("join", "POST", f"/api/seances/{self.code}/participants",
                              {"jeton": self.token}) is None:
                return None
        self.record["timings"]["arrival"] = time.perf_counter() - began  # as felt
        api = f"/api/seances/{self.code}"
        poller = asyncio.create_task(self.long_poll(stop, session.get("cle", "")))
        dimensions = [d["id"] for d in session["dimensions"]]
        criteria = [c["id"] for d in session["dimensions"] for c in d["criteria"]]
        points = {d: 0 for d in dimensions}
        for _ in range(20):  # 20 taps of 5 points
            points[random.choice(dimensions)] += 5
        self.record["points"] = points
        await pause()
        await self.act("save", "PUT", f"{api}/repartition", {"points": points})
        await pause()
        criterion, rating = random.choice(criteria), random.randint(1, 5)
        self.record["rating"] = [criterion, rating]
        await self.act("rating", "PUT", f"{api}/notes", {"notes": {criterion: rating}})
        await pause()
        proposal_id = secrets.token_urlsafe(12)
        self.record["proposal"] = proposal_id
        await self.act("proposal", "PUT", f"{api}/propositions/{proposal_id}",
                       {"type": "comment", "texte": f"Proposition du téléphone n°{self.index}"})
        return poller


def page_data(page: bytes) -> dict:
    """The data the phone page carries (its <script id="donnees">)."""
    return json.loads(re.search(rb'<script id="donnees" type="application/json">(.*?)</script>',
                                page, re.DOTALL).group(1))


async def run_burst(url: str, code: str, phones: int, seconds: float) -> list[dict]:
    parts = urlsplit(url)
    crowd = [Phone(i, parts.hostname, parts.port, code, {"finished": 0}) for i in range(phones)]
    await asyncio.gather(*(asyncio.wait_for(p.burst(seconds), seconds + 60) for p in crowd),
                         return_exceptions=True)
    for phone in crowd:
        phone.main.close()
    return [phone.record for phone in crowd]


async def run_phones(url: str, code: str, phones: int, arrival: float,
                     think: tuple[float, float], hold: float = 0.0, day: str = "",
                     done_file: str = "") -> list[dict]:
    parts = urlsplit(url)
    results = {"finished": 0}
    stop = asyncio.Event()
    crowd = [Phone(i, parts.hostname, parts.port, code, results) for i in range(phones)]
    t0 = time.monotonic() + 0.2
    tasks = [asyncio.create_task(asyncio.wait_for(
        phone.run(t0 + arrival * i / max(phones - 1, 1), think, stop, day),
        PHONE_TIMEOUT + hold)) for i, phone in enumerate(crowd)]

    async def stop_when_done():
        while results["finished"] < phones and not all(t.done() for t in tasks):
            await asyncio.sleep(0.1)
        if done_file:  # the bench probes the screen while every phone is still connected
            await asyncio.to_thread(Path(done_file).write_text, str(time.time()))
        await asyncio.sleep(hold)
        stop.set()

    await asyncio.gather(stop_when_done(), *tasks, return_exceptions=True)
    for phone in crowd:
        phone.main.close()
        phone.poll.close()
    return [phone.record for phone in crowd]


def run(coroutine):
    """On uvloop when installed: the phones' own CPU must not be what saturates first."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("code")
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--arrival", type=float, default=10.0)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0))
    parser.add_argument("--rafale", type=float, default=0.0,
                        help="secondes d'enregistrements enchaînés sans pause (débit)")
    parser.add_argument("--tenir", type=float, default=0.0,
                        help="secondes de connexion gardée après les saisies")
    parser.add_argument("--fini", default="", help="fichier écrit quand toutes ont saisi")
    parser.add_argument("--journee", default="", help="code d'une journée (CODE ignoré)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("Les téléphones simulés ne visent que 127.0.0.1.")
    phones = min(args.phones, MAX_PHONES)
    started = time.time()
    if args.rafale:
        records = run(run_burst(args.url, args.code, phones, min(args.rafale, 60)))
    else:
        records = run(run_phones(args.url, args.code, phones, args.arrival,
                                         tuple(args.think), min(args.tenir, 120), args.journee,
                                         args.fini))
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"started": started, "ended": time.time(), "phones": records}, handle)


if __name__ == "__main__":
    main()
