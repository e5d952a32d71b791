"""Shared pieces of the workshop views: store access, who the client is, QR code, the room
snapshot, one way of drawing a proposal, the French notice of a lost connection."""

from __future__ import annotations

import io

import pandas as pd
import segno
import streamlit as st

from components.data_access import counted, current_dataset, current_engine
from essaim import workshops
from essaim.access import Client, clean_device_id, client_address, parse_trusted_proxies
from essaim.numbers.formatting import escape_markdown, format_number, plural
from essaim.settings import read_setting
from essaim.workshops.links import base_url
from essaim.workshops.ranking import RankingPace, rank_essaimages
from essaim.workshops.room import aggregate_ratings, aggregate_weights, proposals, room_grid, weights_table

DEVICE_COOKIE = "essaim_appareil"  # set by essaim.web.routes.DeviceCookieMiddleware

# On a projector, Streamlit's "connection lost" dialog (its words are put in French by
# components.french_interface) would cover the room's results: it is hidden, and this French
# notice shown instead while the server is away (the page stays and reconnects by itself; the
# notice goes when the dialog does). CSS only.
CONNECTION_LOST_NOTICE = """
<style>
div[data-testid="stDialog"]:has(section[role="dialog"]) { display: none !important; }
.essaim-connexion { display: none; }
body:has(div[data-testid="stDialog"] section[role="dialog"]) .essaim-connexion {
  display: block; position: fixed; z-index: 1000; top: 0; left: 0; right: 0; padding: 0.8rem 1.5rem;
  background: #fff4d6; color: #4d3300; border-bottom: 2px solid #8a6d00; font-size: 1.2rem;
  font-weight: 600; }
</style>
<div class="essaim-connexion" role="status">Connexion au serveur perdue : reconnexion automatique
en cours. Cet écran reprendra tout seul dès que le serveur répondra ; rien de ce que la salle a
envoyé n'est perdu.</div>
"""


def app_base_url() -> str:
    """The app's address as participants should use it (ESSAIM_PUBLIC_URL, else the browser's)."""
    return base_url(st.context.url, read_setting("ESSAIM_PUBLIC_URL"))


def current_client() -> Client:
    """Who is typing, for pacing wrong codes and PINs: the address (read through the trusted
    proxies: ESSAIM_TRUSTED_PROXIES) and the browser's device cookie. A reload keeps both, so
    it does not reset the count; a venue behind one address is not one client."""
    # Streamlit gives None for a local connection: that is 127.0.0.1, a trusted proxy by default.
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) and peer else "127.0.0.1"
    trusted = parse_trusted_proxies(read_setting("ESSAIM_TRUSTED_PROXIES"))
    address = client_address(peer, st.context.headers.get("X-Forwarded-For"), trusted)
    return Client(address=address, device=clean_device_id(st.context.cookies.get(DEVICE_COOKIE)))


@st.cache_data(max_entries=32, show_spinner=False)
def _qr_png(url: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def show_qr_code(url: str, caption: str = "", scale: int = 8) -> None:
    """A QR code for `url`, drawn locally (no web service), with an optional caption; its text
    alternative says where it leads."""
    st.image(_qr_png(url, scale), caption=caption or None, alt=f"QR code vers {url}")


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _rankings(code: str, grid_version: int, room_weights: tuple, dataset_key: str) -> pd.DataFrame:
    # Keyed by the room's weights in whole points, not by every input: scoring two grids is the
    # costly part of a redraw, and most inputs do not move the room's medians by a point.
    engine = current_engine()
    dataset = current_dataset()
    workshop = workshops.find_workshop(engine, code)
    grid, _ = workshops.current_grid(engine, code)
    proposed = grid.with_dimension_weights(dict(room_weights)) if room_weights else grid
    return rank_essaimages(dataset, counted(dataset), grid, proposed,
                           workshop.scope_innovation, workshop.scope_territories)


@st.cache_resource(show_spinner=False)
def _ranking_pace() -> RankingPace:
    return RankingPace()


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def room_snapshot(code: str, state_version: int, dataset_key: str) -> dict:
    """Everything the projection and the facilitator's room view show for one state of the
    session (shared by all screens, not copied: read it, never change it; recomputed only when
    the session changes)."""
    engine = current_engine()
    workshop = workshops.find_workshop(engine, code)
    grid, version = workshops.current_grid(engine, code)
    inputs = workshops.read_inputs(engine, code)
    people = workshops.read_participants(engine, code)
    aggregated = aggregate_weights(weights_table(inputs))
    proposed = room_grid(grid, aggregated)
    room_weights = tuple(sorted((d.id, round(d.weight)) for d in proposed.dimensions)) \
        if proposed is not grid else ()
    return {"workshop": workshop, "version": state_version, "grid": grid,
            "grid_version": version, "inputs": inputs,
            "participants": people, "weights": aggregated, "ratings": aggregate_ratings(inputs),
            "room_grid": proposed,
            "room_weights": room_weights,
            "proposals": proposals(inputs, by_votes=True),
            "all_proposals": proposals(inputs, include_hidden=True)}


def room_rankings(snapshot: dict, dataset_key: str) -> pd.DataFrame:
    """The session's essaimages ranked under the current grid and under the room's weights
    (redone at most every few seconds while the room votes: essaim.workshops.ranking.RankingPace)."""
    code, version = snapshot["workshop"].code, snapshot["grid_version"]
    return _rankings(code, version,
                     _ranking_pace().weights_to_rank(code, version, snapshot["room_weights"]),
                     dataset_key)


def engine_and_workshop(code: str):
    """The engine and the session for `code`, or (engine, None)."""
    engine = current_engine()
    return engine, workshops.find_workshop(engine, code) if code else None


def draw_proposal(row, criteria: dict | None = None, show_moderation: bool = False) -> None:
    """One proposal or comment as the room and the facilitator see it: kind, author, upvotes,
    text (escaped), the target value and the criterion it is about."""
    who = row.pseudonym or "Anonyme"
    if row.role:
        who += f" ({row.role})"
    votes = int(getattr(row, "votes", 0) or 0)
    head = (f"**{workshops.PROPOSAL_KINDS[row.kind]}** · {escape_markdown(who)}"
            + (f" · ▲ {plural(votes, 'soutien', 'soutiens')}" if votes else ""))
    if show_moderation and row.moderation != "visible":
        head += f" · *{workshops.MODERATION[row.moderation]}*"
    body = escape_markdown(row.text)
    if pd.notna(row.value):
        body += f" — objectif : {format_number(row.value, 1)}"
    if criteria and row.about in criteria:
        body += f"  \n*Critère : {escape_markdown(criteria[row.about])}*"
    st.markdown(f"{head}  \n{body}")
