"""A minimal in-process HTTP client for ASGI apps (the phone API's routes served by a bare
Starlette app), so the API is tested without a server or extra packages. Requests of one test
run in one event loop, so long polls and writes can overlap."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Browser:
    """One phone: its address, the X-Forwarded-For its proxy adds (if any) and its cookies."""
    app: object
    address: str = "203.0.113.7"
    forwarded_for: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(self, method: str, url: str, body=None, headers: dict | None = None,
                      content_type: str = "application/json") -> Answer:
        parts = urlsplit(url)
        raw_headers = [(b"host", b"testserver")]
        for name, value in (headers or {}).items():
            raw_headers.append((name.lower().encode(), value.encode()))
        if self.forwarded_for:
            raw_headers.append((b"x-forwarded-for", self.forwarded_for.encode()))
        if self.cookies:
            raw_headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in
                                                     self.cookies.items()).encode()))
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
            raw_headers.append((b"content-type", content_type.encode()))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": parts.path,
                 "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
                 "headers": raw_headers, "client": (self.address, 50000),
                 "server": ("testserver", 80), "root_path": ""}
        incoming = [{"type": "http.request", "body": payload, "more_body": False}]
        status, response_headers, chunks = 0, {}, []

        async def receive():
            if incoming:
                return incoming.pop(0)
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    name, value = name.decode().lower(), value.decode()
                    if name == "set-cookie":
                        cookie = SimpleCookie(value)
                        for key, morsel in cookie.items():
                            self.cookies[key] = morsel.value
                    response_headers[name] = value
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return Answer(status, response_headers, b"".join(chunks))


def run_scenario(scenario):
    """Run `scenario()` (a coroutine function) in an event loop of its own, in a thread: the
    browser tests' Playwright keeps a loop running in the main thread."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(scenario())
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
