"""Plotly charts as PNG images through kaleido, driving the system Chromium (no download)."""

from __future__ import annotations

import os
import shutil
import warnings

import plotly.graph_objects as go


class ChartExportUnavailable(RuntimeError):
    """No browser to draw the charts with; the message (French) says what to install."""


def find_chromium() -> str | None:
    """The system Chromium kaleido should use, if any."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome")


def render_pngs(figures: list[go.Figure], scale: float = 2.0) -> list[bytes]:
    """PNG bytes of each figure, with one browser for the whole batch."""
    browser = find_chromium()
    if not browser:
        raise ChartExportUnavailable(
            "Les graphiques ne peuvent pas être dessinés : Chromium est absent de cette machine "
            "(installez le paquet « chromium »). Les documents sont produits sans graphiques.")
    os.environ.setdefault("BROWSER_PATH", browser)
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plotly notes that a server is in use
            return [fig.to_image(format="png", width=fig.layout.width or 900,
                                 height=fig.layout.height or 500, scale=scale) for fig in figures]
    except Exception as error:  # noqa: BLE001 - kaleido or the browser failed
        raise ChartExportUnavailable(f"Le dessin des graphiques a échoué ({error}). Les documents "
                                     "sont produits sans graphiques.") from error
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
