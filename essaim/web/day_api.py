"""The phone API of a national day (Starlette routes served by Streamlit's server, like the
sessions' API): the programme, joining the day once, the person's profile, and entering a
comptoir — after which the phone talks to that comptoir's session API as any phone does."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from essaim import workshops
from essaim.web.phone_api import BadRequest, guarded, read_json_body
from essaim.web.room_server import RoomServer
from essaim.workshops import day_people, days

DAY_HEADER = "x-essaim-jour"
DAY_PREFIX = "/api/journees"


def _day_token(request: Request) -> str:
    token = request.headers.get(DAY_HEADER, "")
    if not workshops.TOKEN_PATTERN.match(token):
        raise workshops.NotFound("Participation introuvable : rejoignez la journée avec son code.")
    return token


def day_routes(server: RoomServer, base: str = "") -> list[Route]:
    """The day's routes (under `base`, Streamlit's server.baseUrlPath)."""

    def _programme(code: str, client) -> dict:
        return days.programme(day_people.check_day_code(server.engine(), code, client))

    @guarded
    async def programme(request: Request) -> Response:
        data = await run_in_threadpool(_programme, request.path_params["code"],
                                       server.client(request))
        return JSONResponse(data, headers={"Cache-Control": "no-store"})

    @guarded
    async def join(request: Request) -> Response:
        data = await read_json_body(request)
        token = data.get("jeton")
        if not isinstance(token, str):
            raise BadRequest("Identifiant de participation invalide : rechargez la page.")
        token = await run_in_threadpool(
            day_people.join_day, server.engine(), request.path_params["code"], token=token,
            pseudonym=str(data.get("pseudonyme") or ""), role=str(data.get("role") or ""),
            client=server.client(request))
        return JSONResponse({"jeton": token})

    @guarded
    async def me(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(
            day_people.day_profile, server.engine(), request.path_params["code"],
            _day_token(request)))

    @guarded
    async def update_me(request: Request) -> Response:
        data = await read_json_body(request)
        await run_in_threadpool(day_people.update_day_profile, server.engine(),
                                request.path_params["code"], _day_token(request),
                                pseudonym=str(data.get("pseudonyme") or ""),
                                role=str(data.get("role") or ""))
        return JSONResponse({"ok": True})

    @guarded
    async def enter(request: Request) -> Response:
        session = workshops.normalise_code(request.path_params["session"])
        token = await run_in_threadpool(day_people.enter_comptoir, server.engine(),
                                        request.path_params["code"], _day_token(request), session)
        server.hub.nudge(session)
        return JSONResponse({"jeton": token, "seance": session})

    prefix = base + DAY_PREFIX + "/{code}"
    return [
        Route(prefix, programme, methods=["GET"]),
        Route(prefix + "/participants", join, methods=["POST"]),
        Route(prefix + "/moi", me, methods=["GET"]),
        Route(prefix + "/moi", update_me, methods=["PATCH"]),
        Route(prefix + "/comptoirs/{session}/entree", enter, methods=["POST"]),
    ]
