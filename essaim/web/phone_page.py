"""The light phone page: one HTML document with its style and script inlined (one round trip on
a slow network), and the session already in it when the link carries a valid code, so the first
screen shows the question without waiting for another request."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from essaim import workshops
from essaim.data.demo import DEMO_NOTICE
from essaim.web.room_server import RoomServer
from essaim.workshops.day_people import check_day_code
from essaim.workshops.days import is_day_code, programme

log = logging.getLogger(__name__)

PHONE_DIR = Path(__file__).parent / "phone"
PHONE_PATH = "/participer"


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@functools.cache
def _template() -> tuple[str, str, str]:
    """The page split around its data, with style and script inlined, and the Content Security
    Policy that lets exactly that style and script run (read once)."""
    page = (PHONE_DIR / "page.html").read_text(encoding="utf-8")
    style = (PHONE_DIR / "phone.css").read_text(encoding="utf-8")
    scripts = {marker: (PHONE_DIR / name).read_text(encoding="utf-8")
               for marker, name in (("/*COMMON*/", "common.js"), ("/*JS*/", "phone.js"),
                                    ("/*DAYJS*/", "day.js"))}
    page = page.replace("/*CSS*/", style)
    for marker, script in scripts.items():
        page = page.replace(marker, script)
    before, after = page.split("/*DATA*/")
    # Nothing from another origin, and no script or style but these two: text from people can
    # never run, even if it slipped into the page.
    hashes = " ".join(_sha256(script) for script in scripts.values())
    policy = (f"default-src 'none'; style-src {_sha256(style)}; "
              f"script-src {hashes}; connect-src 'self'; img-src 'self' data:; "
              "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
    return before, after, policy


def _script_json(data: dict) -> str:
    # Inside <script>: "<" escaped so that no text (a title) can close the element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def render_phone_page(data: dict, demo: bool) -> str:
    """The page for `data` ({"session": … or None, "code": typed code, "erreur": message})."""
    before, after, _ = _template()
    notice = (html.escape(f"Jeu de données : {DEMO_NOTICE.lower()}. ") if demo else "")
    return (before.replace("/*DEMO*/", notice) + _script_json(data)
            + after.replace("/*DEMO*/", notice))


def phone_routes(server: RoomServer, base: str = "") -> list[Route]:
    """GET /participer[?seance=CODE]: the phone page (under `base`, Streamlit's
    server.baseUrlPath, as "/essaim")."""

    async def page(request: Request) -> HTMLResponse:
        code = workshops.normalise_code(request.query_params.get("seance", ""))
        day_code = workshops.normalise_code(request.query_params.get("journee", ""))
        if not day_code and is_day_code(code):  # a day's code typed where a session's goes
            day_code, code = code, ""
        data: dict = {"session": None, "code": code, "erreur": "", "journee": None,
                      "roles": workshops.ROLES}
        # Under a burst every hop to the thread pool queues behind the writes: the page takes
        # one (the pace of wrong codes), reads the session from the shared answer when it is
        # ready, and looks at the store for demo data only when its last look is stale.
        demo = server.checked_demo_data()
        try:
            if day_code and not code:
                day = await run_in_threadpool(check_day_code, server.engine(), day_code,
                                              server.client(request))
                data["journee"] = programme(day)
            elif code:
                client = server.client(request)
                await run_in_threadpool(workshops.check_code_pace, server.engine(), client)
                pulse = await server.hub.current(code)
                if pulse is None:
                    raise await run_in_threadpool(workshops.count_wrong_code, server.engine(),
                                                  client)
                ready = server.ready_session_json(code, pulse)
                data["session"] = json.loads(ready if ready is not None else
                                             await run_in_threadpool(server.session_json, code,
                                                                     pulse))
            if demo is None:
                demo = await run_in_threadpool(server.holds_demo_data)
        except workshops.WorkshopError as error:
            data["erreur"] = str(error)
        except Exception:
            log.warning("Page du téléphone servie sans la séance : le serveur ne répond pas",
                        exc_info=True)
            data["erreur"] = ("Le serveur de l'atelier ne répond pas pour l'instant : réessayez "
                              "dans un moment.")
        return HTMLResponse(render_phone_page(data, bool(demo)),
                            headers={"Cache-Control": "no-store",
                                     "Content-Security-Policy": _template()[2]})

    return [Route(base + PHONE_PATH, page, methods=["GET", "HEAD"]),
            Route(base + PHONE_PATH + "/", page, methods=["GET", "HEAD"])]
