"""A plotly figure as a PNG image, drawn by kaleido with the system Chromium (nothing is
downloaded). Used for the map export; kaleido is pinned in requirements.txt."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import plotly.graph_objects as go

log = logging.getLogger(__name__)

# One drawing at a time: each starts a browser of its own.
_KALEIDO = threading.Lock()
# A browser that has not started, or a drawing that has not finished, by then is abandoned (the
# browser closed) and reported.
START_TIMEOUT_SECONDS = 60
DRAW_TIMEOUT_SECONDS = 90


class FigureImageUnavailable(RuntimeError):
    """No browser to draw the figure with, or the drawing failed; the message is French."""


def find_chromium() -> str | None:
    """The system Chromium kaleido should use, if any."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome")


class BrowserDidNotStart(Exception):
    """Chromium failed to start, or did not start in time."""


async def _draw(figure: go.Figure, opts: dict, timeout: float) -> bytes:
    """Open a browser, draw, and close the browser whatever happened (kaleido's own context
    manager leaves it running when opening fails or is cut short)."""
    import kaleido

    painter = kaleido.Kaleido(n=1)
    try:
        try:
            await asyncio.wait_for(painter.open(), START_TIMEOUT_SECONDS)
        except Exception as error:
            raise BrowserDidNotStart from error
        return await asyncio.wait_for(painter.calc_fig(figure, opts=opts), timeout)
    finally:
        with contextlib.suppress(Exception):
            await painter.close()


def figure_png(figure: go.Figure, scale: float = 1.0,
               timeout: float = DRAW_TIMEOUT_SECONDS) -> bytes:
    """PNG bytes of `figure` at its layout size. Each drawing runs kaleido's own event loop on a
    thread of its own, the browser's start bounded by START_TIMEOUT_SECONDS and the drawing by
    `timeout`: kaleido's process-wide sync server would wait for ever on a browser that failed
    to start (its thread dies, the caller's queue stays empty)."""
    browser = find_chromium()
    if not browser:
        raise FigureImageUnavailable("L'image ne peut pas être dessinée : Chromium est absent de "
                                     "cette machine (installez le paquet « chromium »).")
    os.environ.setdefault("BROWSER_PATH", browser)
    opts = {"format": "png", "width": figure.layout.width or 900,
            "height": figure.layout.height or 500, "scale": scale}
    with _KALEIDO, ThreadPoolExecutor(1, thread_name_prefix="essaim-image") as pool:
        try:
            return pool.submit(asyncio.run, _draw(figure, opts, timeout)).result()
        except Exception as error:
            log.warning("Image drawing failed", exc_info=error)
            raise FigureImageUnavailable(f"Le dessin de l'image a échoué : {_reason(error, timeout)}."
                                         ) from error


def _reason(error: Exception, timeout: float) -> str:
    if isinstance(error, BrowserDidNotStart):
        return "le navigateur Chromium n'a pas démarré"
    if isinstance(error, TimeoutError):
        return f"il a pris plus de {timeout:g} s".replace(".", ",")
    return "erreur du moteur de dessin (détail dans le journal du serveur)"
