"""Everything the Essaim server adds to Streamlit's own: the routes, the middleware and the
start-up and shutdown of the phone API, for app.py's `st.App(..., routes=..., middleware=...,
lifespan=...)`. Streamlit-free: tests serve the same routes from a bare Starlette app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from essaim.access import clean_device_id, new_device_id
from essaim.web.assets import vendor_routes
from essaim.web.day_api import day_routes
from essaim.web.phone_api import api_routes
from essaim.web.phone_page import phone_routes
from essaim.web.room_server import DEVICE_COOKIE, RoomServer

log = logging.getLogger(__name__)

DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600


def web_routes(server: RoomServer, base_url_path: str = "") -> list[BaseRoute]:
    """The phone page, the phone API and the vendored map libraries, under Streamlit's
    server.baseUrlPath if one is set (the page finds its API from its own address)."""
    base = f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else ""
    return [*phone_routes(server, base), *api_routes(server, base), *day_routes(server, base),
            *vendor_routes(base_url_path)]


class DeviceCookieMiddleware:
    """Gives every browser a random device id in a cookie, so that wrong codes are paced per
    phone and not per address (a venue's 300 phones share one), and a reload does not reset
    the count. The Streamlit pages read it too (st.context.cookies)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or clean_device_id(
                HTTPConnection(scope).cookies.get(DEVICE_COOKIE)):
            await self.app(scope, receive, send)
            return
        cookie = (f"{DEVICE_COOKIE}={new_device_id()}; Path=/; Max-Age={DEVICE_COOKIE_MAX_AGE}; "
                  "SameSite=Lax; HttpOnly")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class NoReferrerMiddleware:
    """Every response says `Referrer-Policy: no-referrer`: a page opened with a private key in
    its address (a partner link) never sends that address to anything it loads."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["referrer-policy"] = "no-referrer"
            await send(message)

        await self.app(scope, receive, send_with_policy)


def web_middleware() -> list[Middleware]:
    return [Middleware(NoReferrerMiddleware), Middleware(DeviceCookieMiddleware)]


def _release_long_polls_on_stop(server: RoomServer) -> None:
    """On SIGTERM or SIGINT, answer the phones' long polls before the server's own handler runs:
    the server waits for open requests before it stops, and a long poll would hold a restart up
    for its 25 seconds. Runs at start-up, after the server has installed its handlers."""
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(number)
        if not callable(previous):
            continue

        def handler(sig, frame, previous=previous):
            loop.call_soon_threadsafe(server.hub.release_all)
            previous(sig, frame)

        try:
            signal.signal(number, handler)
        except ValueError:  # not the main thread: nobody else handles signals here either
            return


def room_lifespan(server: RoomServer):
    """The App's lifespan: open the store before the first phone arrives, let a stop answer the
    long polls at once, close the store at the end."""

    @contextlib.asynccontextmanager
    async def lifespan(_app) -> AsyncIterator[None]:
        _release_long_polls_on_stop(server)
        try:
            await run_in_threadpool(server.engine)
        except Exception:
            log.warning("Base injoignable au démarrage : les pages le diront, l'API répond 503",
                        exc_info=True)
        yield
        await server.hub.stop()
        server.close()

    return lifespan
