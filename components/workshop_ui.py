"""Shared pieces of the workshop views: store access, QR code, the room snapshot."""

from __future__ import annotations

import io
import secrets

import segno
import streamlit as st

from components.data_access import counted, current_dataset, current_engine
from essaim import workshops
from essaim.links import base_url
from essaim.ranking import rank_essaimages
from essaim.room import aggregate_ratings, aggregate_weights, proposals, room_grid, weights_table
from essaim.settings import read_setting


def app_base_url() -> str:
    """The app's address as participants should use it (ESSAIM_PUBLIC_URL, else the browser's)."""
    return base_url(st.context.url, read_setting("ESSAIM_PUBLIC_URL"))


def client_key() -> str:
    """Who is typing, for slowing down repeated wrong codes: the client's IP, else a random key
    kept for this browser session."""
    address = st.context.ip_address
    if isinstance(address, str) and address:
        return address
    if "client_key" not in st.session_state:
        st.session_state["client_key"] = secrets.token_hex(8)
    return st.session_state["client_key"]


@st.cache_data(max_entries=32, show_spinner=False)
def _qr_png(url: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def show_qr_code(url: str, caption: str = "", scale: int = 8) -> None:
    """A QR code for `url`, drawn locally (no web service), with an optional caption."""
    st.image(_qr_png(url, scale), caption=caption or None)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def room_snapshot(code: str, state_version: int, dataset_key: str) -> dict:
    """Everything the projection and the facilitator's room view show for one state of the
    session (shared by all screens; recomputed only when the session changes)."""
    engine = current_engine()
    dataset = current_dataset()
    workshop = workshops.find_workshop(engine, code)
    grid, version = workshops.current_grid(engine, code)
    inputs = workshops.read_inputs(engine, code)
    people = workshops.read_participants(engine, code)
    aggregated = aggregate_weights(weights_table(inputs))
    proposed = room_grid(grid, aggregated)
    rankings = rank_essaimages(dataset, counted(dataset), grid, proposed,
                               workshop.scope_innovation, workshop.scope_territories)
    return {"workshop": workshop, "grid": grid, "grid_version": version, "inputs": inputs,
            "participants": people, "weights": aggregated, "ratings": aggregate_ratings(inputs),
            "room_grid": proposed, "rankings": rankings, "proposals": proposals(inputs)}


def engine_and_workshop(code: str):
    """The engine and the session for `code`, or (engine, None)."""
    engine = current_engine()
    return engine, workshops.find_workshop(engine, code) if code else None
