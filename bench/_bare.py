"""The least a phone endpoint can do, for bench_room.py's ratio: a bare Starlette app on the same
uvicorn, answering the same requests as Essaim's phone API with one SQLite transaction per write
(WAL, a commit that waits for the disk) and nothing else — no pacing, no validation, no pulse
hub, no Streamlit around it. The same simulated phones run against it in the same bench run.

    python -m bench._bare --port 8765 --base /tmp/nu.sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import threading
import time

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

SESSION = {"dimensions": [{"id": f"d{i}", "criteria": [{"id": f"c{i}{j}"} for j in range(3)]}
                          for i in range(7)], "cle": "open.1.0"}
PAGE = ('<!doctype html><html lang="fr"><body><script id="donnees" type="application/json">'
        + json.dumps({"session": SESSION}) + "</script></body></html>")


def make_app(path: str) -> Starlette:
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            local.db.execute("PRAGMA journal_mode=WAL")
        return local.db

    def write(kind: str, token: str, payload: bytes) -> None:
        db = connection()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO inputs (kind, token, payload, at) VALUES (?, ?, ?, ?)",
                   (kind, token, payload, time.time()))
        db.execute("COMMIT")

    def writer(kind: str):
        async def endpoint(request: Request) -> JSONResponse:
            body = await request.body()
            await run_in_threadpool(write, kind, request.headers.get("x-essaim-participant", ""),
                                    body)
            return JSONResponse({"ok": True, "jeton": request.headers.get(
                "x-essaim-participant", "")})
        return endpoint

    async def page(_request: Request) -> HTMLResponse:
        return HTMLResponse(PAGE)

    async def pulse(request: Request) -> JSONResponse:
        if request.query_params.get("cle") == SESSION["cle"]:
            await asyncio.sleep(25)
        return JSONResponse({"cle": SESSION["cle"]})

    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE IF NOT EXISTS inputs (id INTEGER PRIMARY KEY, kind TEXT, "
                  "token TEXT, payload BLOB, at REAL)")
    setup.commit()
    setup.close()
    api = "/api/seances/{code}"
    return Starlette(routes=[
        Route("/participer", page),
        Route("/_stcore/health", lambda _r: JSONResponse("ok")),
        Route(api + "/participants", writer("join"), methods=["POST"]),
        Route(api + "/repartition", writer("weights"), methods=["PUT"]),
        Route(api + "/notes", writer("rating"), methods=["PUT"]),
        Route(api + "/propositions/{pid}", writer("proposal"), methods=["PUT"]),
        Route(api + "/pouls", pulse),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base", required=True)
    args = parser.parse_args()
    uvicorn.run(make_app(args.base), host="127.0.0.1", port=args.port, access_log=False,
                log_level="warning", timeout_graceful_shutdown=1)


if __name__ == "__main__":
    main()
