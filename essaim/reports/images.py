"""A plotly figure as a PNG image, drawn by kaleido with the system Chromium (nothing is
downloaded). Used for the map export; kaleido is pinned in requirements.txt."""

from __future__ import annotations

import os
import shutil
import threading
import warnings

import plotly.graph_objects as go

# kaleido drives one browser through a process-wide server: one drawing at a time.
_KALEIDO = threading.Lock()


class FigureImageUnavailable(RuntimeError):
    """No browser to draw the figure with, or the drawing failed; the message is French."""


def find_chromium() -> str | None:
    """The system Chromium kaleido should use, if any."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome")


def figure_png(figure: go.Figure, scale: float = 1.0) -> bytes:
    """PNG bytes of `figure` at its layout size."""
    browser = find_chromium()
    if not browser:
        raise FigureImageUnavailable("L'image ne peut pas être dessinée : Chromium est absent de "
                                     "cette machine (installez le paquet « chromium »).")
    os.environ.setdefault("BROWSER_PATH", browser)
    import kaleido

    with _KALEIDO:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # plotly notes a server is in use
                return figure.to_image(format="png", width=figure.layout.width or 900,
                                       height=figure.layout.height or 500, scale=scale)
        except Exception as error:
            raise FigureImageUnavailable(f"Le dessin de l'image a échoué ({error}).") from error
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
