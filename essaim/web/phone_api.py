"""The small JSON API the phone page talks to (Starlette routes served by Streamlit's server).

A tap on a phone is one HTTP request and one database transaction, not a Streamlit script run.
Every answer is French JSON: {"erreur": "…"} with the status saying what kind of refusal it is
(400 bad input, 404 unknown, 409 session closed, 429 wait — with "attente" in seconds). The
participant is the token the phone drew, sent in the X-Essaim-Participant header; writes must be
JSON (a cross-site form cannot send them without the browser asking first).

Under /api/seances/{code}:
  GET    /                            the session (title, status, grid) for phones
  POST   /participants                join (idempotent for the same token)
  GET    /moi, PATCH /moi             what I gave; my pseudonym and role
  PUT    /repartition                 my 100 points
  PUT    /notes                       my ratings ({criterion: 1–5 or null to withdraw})
  PUT    /propositions/{id}           create or edit my proposal; DELETE withdraws it
  PUT    /propositions/{id}/soutien   upvote; DELETE takes the vote back
  GET    /propositions                the proposals shown to the room, most upvoted first
  GET    /pouls?cle=…                 wait (up to 25 s) until the session closes, reopens or
                                      changes its grid
  GET    /ecran?version=…             for the projected screen: wait (up to 25 s) until anything
                                      of the session moves
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from essaim import workshops
from essaim.errors import EssaimError
from essaim.numbers.entry import read_number
from essaim.web.room_server import RoomServer, to_json
from essaim.workshops import room_reads

log = logging.getLogger(__name__)

PARTICIPANT_HEADER = "x-essaim-participant"
MAX_BODY = 16_384
LONG_POLL_SECONDS = 25.0
API_PREFIX = "/api/seances"


class BadRequest(Exception):
    pass


def _error(status: int, message: str, **extra) -> JSONResponse:
    headers = {"Retry-After": str(extra["attente"])} if "attente" in extra else None
    return JSONResponse({"erreur": message, **extra}, status_code=status, headers=headers)


def _json(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


async def read_json_body(request: Request) -> dict:
    if "application/json" not in request.headers.get("content-type", ""):
        raise BadRequest("Requête refusée : le contenu doit être du JSON.")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise BadRequest("Requête trop volumineuse.")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise BadRequest("Requête illisible : rechargez la page.") from None
    if not isinstance(data, dict):
        raise BadRequest("Requête illisible : rechargez la page.")
    return data


def guarded(handler):
    """Turn refusals into French JSON answers with the right status."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except BadRequest as error:
            return _error(400, str(error))
        except workshops.Throttled as error:
            return _error(429, str(error), attente=error.seconds)
        except workshops.NotFound as error:
            return _error(404, str(error))
        except workshops.SessionClosed as error:
            return _error(409, str(error), close=True)
        except workshops.FacilitatorOnly as error:
            return _error(403, str(error))
        except workshops.WorkshopError as error:
            return _error(400, str(error))
        except EssaimError as error:
            log.warning("503 à un téléphone (%s %s) : %s", request.method, request.url.path,
                        error.message)
            return _error(503, error.message)
        except sa.exc.SQLAlchemyError as error:
            log.warning("503 à un téléphone (%s %s) : la base ne répond pas (%s)", request.method,
                        request.url.path, type(error).__name__, exc_info=True)
            return _error(503, "La base de données ne répond pas : votre saisie sera renvoyée "
                               "automatiquement.")
    endpoint.__name__ = handler.__name__
    return endpoint


def _token(request: Request) -> str:
    token = request.headers.get(PARTICIPANT_HEADER, "")
    if not workshops.TOKEN_PATTERN.match(token):
        raise workshops.NotFound("Participation introuvable : rejoignez la séance avec son code.")
    return token


def _code(request: Request) -> str:
    return workshops.normalise_code(request.path_params["code"])


def api_routes(server: RoomServer, base: str = "") -> list[Route]:
    """The phone API's routes, bound to this process's RoomServer (under `base`, Streamlit's
    server.baseUrlPath, as "/essaim")."""

    async def checked_pulse(request: Request):
        """The session's pulse, for a client allowed to look codes up: paced like a typed code
        (a paced client learns nothing), and an unknown code counts as a wrong one."""
        code = _code(request)
        client = server.client(request)
        await run_in_threadpool(workshops.check_code_pace, server.engine(), client)
        pulse = await server.hub.current(code) if code else None
        if pulse is None:
            raise await run_in_threadpool(workshops.count_wrong_code, server.engine(), client)
        return code, pulse

    @guarded
    async def session(request: Request) -> Response:
        code, pulse = await checked_pulse(request)
        ready = server.ready_session_json(code, pulse)
        return _json(ready if ready is not None else
                     await run_in_threadpool(server.session_json, code, pulse))

    @guarded
    async def join(request: Request) -> Response:
        data = await read_json_body(request)
        token = data.get("jeton")
        if token is not None and not isinstance(token, str):
            raise BadRequest("Identifiant de participation invalide : rechargez la page.")
        token = await run_in_threadpool(
            workshops.join_workshop, server.engine(), _code(request),
            pseudonym=str(data.get("pseudonyme") or ""), role=str(data.get("role") or ""),
            client=server.client(request), token=token)
        server.hub.nudge(_code(request))
        return JSONResponse({"jeton": token})

    @guarded
    async def me(request: Request) -> Response:
        mine = await run_in_threadpool(room_reads.participant_inputs, server.engine(),
                                       _code(request), _token(request))
        return _json(to_json(mine))

    @guarded
    async def update_me(request: Request) -> Response:
        data = await read_json_body(request)
        await run_in_threadpool(workshops.update_participant, server.engine(), _code(request),
                                _token(request), pseudonym=str(data.get("pseudonyme") or ""),
                                role=str(data.get("role") or ""))
        server.hub.nudge(_code(request))
        return JSONResponse({"ok": True})

    @guarded
    async def weights(request: Request) -> Response:
        data = await read_json_body(request)
        await run_in_threadpool(workshops.save_weights, server.engine(), _code(request),
                                _token(request), data.get("points"))
        server.hub.nudge(_code(request))
        return JSONResponse({"ok": True})

    @guarded
    async def ratings(request: Request) -> Response:
        data = await read_json_body(request)
        await run_in_threadpool(workshops.save_ratings, server.engine(), _code(request),
                                _token(request), data.get("notes"))
        server.hub.nudge(_code(request))
        return JSONResponse({"ok": True})

    @guarded
    async def proposal(request: Request) -> Response:
        code, token = _code(request), _token(request)
        proposal_id = request.path_params["pid"]
        if request.method == "DELETE":
            await run_in_threadpool(workshops.delete_own_proposal, server.engine(), code, token,
                                    proposal_id)
            server.hub.nudge(code)
            return JSONResponse({"ok": True})
        data = await read_json_body(request)
        value = data.get("valeur")  # as typed: read the French way by essaim.workshops
        saved, moderation = await run_in_threadpool(
            workshops.save_proposal, server.engine(), code, token, str(data.get("type") or ""),
            str(data.get("texte") or ""), str(data.get("critere") or ""), value, proposal_id)
        server.hub.nudge(code)
        read = read_number(value, required=False)
        return JSONResponse({"ok": True, "id": saved, "moderation": moderation,
                             "valeur_lue": read.shown() if read.ok else None})

    @guarded
    async def vote(request: Request) -> Response:
        await run_in_threadpool(workshops.set_vote, server.engine(), _code(request),
                                _token(request), request.path_params["pid"],
                                request.method == "PUT")
        server.hub.nudge(_code(request))
        return JSONResponse({"ok": True})

    @guarded
    async def proposals(request: Request) -> Response:
        code, pulse = await checked_pulse(request)
        return _json(await run_in_threadpool(server.proposals_json, code, pulse))

    @guarded
    async def pulse(request: Request) -> Response:
        code, current = await checked_pulse(request)
        known = request.query_params.get("cle", "")
        if known == current.phone_key:
            current = await server.hub.wait_for_phone_change(code, known, LONG_POLL_SECONDS)
        if current is None:
            raise workshops.NotFound("Cette séance n'existe plus.")
        return JSONResponse({"cle": current.phone_key, "ouverte": current.status == "open",
                             "version_grille": current.grid_version},
                            headers={"Cache-Control": "no-store"})

    @guarded
    async def screen(request: Request) -> Response:
        """A projected screen's long poll: answers when anything of the session moved past the
        version it shows (or after LONG_POLL_SECONDS)."""
        code, current = await checked_pulse(request)
        try:
            known = int(request.query_params.get("version", ""))
        except ValueError:
            known = -1
        if known == current.version:
            current = await server.hub.wait_for_change(code, known, LONG_POLL_SECONDS)
        if current is None:
            raise workshops.NotFound("Cette séance n'existe plus.")
        return JSONResponse({"version": current.version}, headers={"Cache-Control": "no-store"})

    prefix = base + API_PREFIX + "/{code}"
    return [
        Route(prefix, session, methods=["GET"]),
        Route(prefix + "/participants", join, methods=["POST"]),
        Route(prefix + "/moi", me, methods=["GET"]),
        Route(prefix + "/moi", update_me, methods=["PATCH"]),
        Route(prefix + "/repartition", weights, methods=["PUT"]),
        Route(prefix + "/notes", ratings, methods=["PUT"]),
        Route(prefix + "/propositions", proposals, methods=["GET"]),
        Route(prefix + "/propositions/{pid}", proposal, methods=["PUT", "DELETE"]),
        Route(prefix + "/propositions/{pid}/soutien", vote, methods=["PUT", "DELETE"]),
        Route(prefix + "/pouls", pulse, methods=["GET"]),
        Route(prefix + "/ecran", screen, methods=["GET"]),
    ]
