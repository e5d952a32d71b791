"""A figure drawn as a PNG by kaleido with the system Chromium: the image, and a drawing that
cannot happen reported in French at once instead of waiting for ever."""

from __future__ import annotations

import time

import plotly.graph_objects as go
import pytest

from essaim.reports.images import FigureImageUnavailable, figure_png


def small_figure() -> go.Figure:
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    figure.update_layout(width=300, height=200)
    return figure


def test_a_figure_is_drawn_as_a_png_at_its_size(chromium_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", chromium_path)
    content = figure_png(small_figure(), scale=2)
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    assert (width, height) == (600, 400)


def test_a_browser_that_does_not_start_is_reported_in_french_and_frees_the_next_drawing(
        chromium_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    started = time.monotonic()
    with pytest.raises(FigureImageUnavailable,
                       match="Le dessin de l'image a échoué : le navigateur Chromium n'a pas démarré"):
        figure_png(small_figure(), timeout=60)
    assert time.monotonic() - started < 60
    # The failure holds nothing: the next drawing, with a browser that works, succeeds.
    monkeypatch.setenv("BROWSER_PATH", chromium_path)
    assert figure_png(small_figure())[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_drawing_that_outlasts_its_time_is_abandoned(chromium_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", chromium_path)
    with pytest.raises(FigureImageUnavailable, match="il a pris plus de 0,01 s"):
        figure_png(small_figure(), timeout=0.01)
