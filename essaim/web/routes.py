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
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from essaim.access import clean_device_id, new_device_id
from essaim.web.assets import vendor_routes
from essaim.web.day_api import DAY_PREFIX, day_routes
from essaim.web.phone_api import API_PREFIX, api_routes
from essaim.web.phone_page import phone_routes
from essaim.web.room_server import DEVICE_COOKIE, RoomServer

log = logging.getLogger(__name__)

DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600


def _base(base_url_path: str) -> str:
    return f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else ""


def web_routes(server: RoomServer, base_url_path: str = "") -> list[BaseRoute]:
    """The phone page and the vendored map libraries, under Streamlit's server.baseUrlPath if
    one is set (the page finds its API from its own address). The phones' API is answered by
    `PhoneApiLane`, in `web_middleware`."""
    return [*phone_routes(server, _base(base_url_path)), *vendor_routes(base_url_path)]


def api_prefixes(base_url_path: str = "") -> tuple[str, ...]:
    base = _base(base_url_path)
    return (f"{base}{API_PREFIX}/", f"{base}{DAY_PREFIX}/")


HTTP_ERRORS = {404: "Adresse inconnue de l'API des téléphones.",
               405: "Méthode non permise à cette adresse."}


async def _french_http_error(_request, error: HTTPException) -> JSONResponse:
    return JSONResponse({"erreur": HTTP_ERRORS.get(error.status_code, "Requête refusée.")},
                        status_code=error.status_code, headers=error.headers)


class PhoneApiLane:
    """The phones' JSON API (sessions and national days), answered before Streamlit's own
    middleware — its sessions, compression, path checks and router, made for its pages — by a
    router of its own. A tap is a few hundred bytes of JSON: in a room of 300 phones, going
    through that stack cost a third of the server's CPU per tap (py-spy, bench/bench_room.py).
    Our cookie and referrer middleware, and Starlette's error handling, still wrap it."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute], prefixes: tuple[str, ...]):
        self.app = app
        self.router = ExceptionMiddleware(Router(routes=routes),
                                          handlers={HTTPException: _french_http_error})
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            await self.router(scope, receive, send)
        else:
            await self.app(scope, receive, send)


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


def web_middleware(server: RoomServer, base_url_path: str = "") -> list[Middleware]:
    """What st.App wraps around Streamlit's own stack, outermost first."""
    base = _base(base_url_path)
    return [Middleware(NoReferrerMiddleware), Middleware(DeviceCookieMiddleware),
            Middleware(PhoneApiLane, routes=[*api_routes(server, base), *day_routes(server, base)],
                       prefixes=api_prefixes(base_url_path))]


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
