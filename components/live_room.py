"""The projected view of a session, made for a projector and kept live by the session itself: a
fragment redraws when the session moves (pushed by components.session_watch, not on a timer),
from views prepared once per state of the session (no page reload, scroll kept). No sidebar, a
discreet demo notice, tables that fit a 1920×1080 screen."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import PLOTLY_CONFIG, french_layout
from components.data_access import current_dataset, current_engine
from components.frame import apply_french_interface
from components.session_watch import watch_session
from components.tables import to_french_display
from components.workshop_ui import (
    CONNECTION_LOST_NOTICE,
    app_base_url,
    draw_proposal,
    room_rankings,
    room_snapshot,
    show_qr_code,
)
from essaim import workshops
from essaim.data.demo import demo_notice
from essaim.numbers.formatting import escape_markdown, format_number, plural
from essaim.workshops import room_reads
from essaim.workshops.grid import points_out_of_100
from essaim.workshops.links import join_url
from essaim.workshops.scoring import RANKING_RULE

PROJECTION_URL_PATH = "projection"
# During a burst the counts redraw at most four times a second (the room sees its inputs
# arrive); the results — figures, rankings — at most every 0,6 s: a redraw of them costs the
# server a hundred times a tap (bench/bench_room.py).
COUNTS_GAP_SECONDS = 0.25
RESULTS_GAP_SECONDS = 0.6
RESULTS_OFFSET_SECONDS = 0.15  # after the counts' redraw, not in the same moment

# The projector's frame: no sidebar or toolbar, large type, strong contrast.
_PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer, #MainMenu {
  display: none !important; }
[data-testid="stAppViewContainer"] { background: #ffffff; color: #000000; }
.block-container { padding: 1rem 2rem 1rem !important; max-width: 100% !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.2rem; }
h1 { font-size: 2.6rem !important; padding-top: 0 !important; }
h3 { font-size: 1.6rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important;
  color: #000000; font-weight: 700; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { font-size: 1.15rem !important;
  color: #000000; }
.essaim-demo-note { font-size: 0.85rem; color: #444444; margin: 0; }
</style>
"""


def draw_projection_frame() -> None:
    """The frame of the projected screen (instead of components.frame): no sidebar, and the
    demo notice as one discreet line rather than a banner."""
    apply_french_interface()
    dataset = current_dataset()
    st.html(_PROJECTOR_CSS + CONNECTION_LOST_NOTICE)
    if dataset.holds_demo_data:
        st.caption(f":material/science: {escape_markdown(demo_notice(dataset.demo_tables))}")


def _dimension_table(snapshot: dict) -> pd.DataFrame:
    grid, aggregated = snapshot["grid"], snapshot["weights"]
    table = aggregated.reindex([d.id for d in grid.dimensions])
    points = points_out_of_100({d.id: d.weight for d in grid.dimensions})
    return pd.DataFrame({
        "Dimension": [d.label for d in grid.dimensions],
        "Grille (points)": [points[d.id] for d in grid.dimensions],
        "Médiane de la salle": table["median"].values,
        "1er quartile": table["q1"].values, "3e quartile": table["q3"].values,
        "Écart interquartile": table["spread"].values, "Réponses": table["n"].values,
    })


def _weights_figure(data: pd.DataFrame) -> go.Figure:
    names = list(data["Dimension"])
    median = data["Médiane de la salle"].fillna(0)
    fig = go.Figure([
        go.Bar(name="Grille actuelle", y=names, x=list(data["Grille (points)"]), orientation="h",
               marker_color="#bdbdbd",
               hovertemplate="%{y}<br>grille : %{x:,.1f} points<extra></extra>"),
        go.Bar(name="Médiane de la salle", y=names, x=list(median), orientation="h",
               marker_color="#0072B2",
               error_x={"type": "data", "symmetric": False,
                        "array": list((data["3e quartile"] - median).fillna(0)),
                        "arrayminus": list((median - data["1er quartile"]).fillna(0))},
               hovertemplate="%{y}<br>salle : %{x:,.1f} points<extra></extra>"),
    ])
    return french_layout(fig, barmode="group", xaxis_title="points sur 100",
                         height=120 + 60 * len(names), yaxis={"autorange": "reversed"},
                         title="Poids des dimensions (le trait montre le désaccord de la salle)")


def _ratings_table(snapshot: dict) -> pd.DataFrame:
    ratings = snapshot["ratings"]
    labels = {c.id: c.label for _, c in snapshot["grid"].criteria()}
    table = pd.DataFrame({
        "Critère": [labels.get(i, i) for i in ratings.index],
        "Pertinence (médiane sur 5)": ratings["median"].values,
        "Désaccord (écart interquartile)": ratings["spread"].values,
        "Notes": ratings["n"].values,
    }).sort_values(["Désaccord (écart interquartile)", "Pertinence (médiane sur 5)"],
                   ascending=[False, False])
    return to_french_display(table)


def _rankings_table(table: pd.DataFrame) -> pd.DataFrame:
    return to_french_display(pd.DataFrame({
        "Essaimage": table["essaimage"],
        "Rang (grille)": table["rank_current"],
        "Score (grille)": table["composite_current"],
        "Rang (salle)": table["rank_proposed"],
        "Score (salle)": table["composite_proposed"],
        "Mouvement": table["moved"].map(lambda m: "—" if pd.isna(m) or m == 0 else
                                        (f"▲ {int(m)}" if m > 0 else f"▼ {int(-m)}")),
        "Critères renseignés": [
            f"{int(scored)} sur {int(total)}" if pd.notna(scored) else "n.d." for scored, total
            in zip(table["criteria_scored_current"], table["criteria_quantitative_current"])],
    }).head(15))


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _views(code: str, state_version: int, dataset_key: str) -> dict:
    """What the projection draws for one state of the session, built once and shared by every
    projector (read-only): the redraws of a busy room cost no figure building."""
    snapshot = room_snapshot(code, state_version, dataset_key)
    views = {"snapshot": snapshot, "figure": None, "weights": None, "ratings": None,
             "widest": None, "dataset_key": dataset_key}
    if not snapshot["weights"].empty:
        data = _dimension_table(snapshot)
        views["figure"] = _weights_figure(data)
        views["weights"] = to_french_display(data.drop(columns=["1er quartile", "3e quartile"]))
        wide = data.sort_values("Écart interquartile", ascending=False).head(1)
        if len(wide) and wide["Écart interquartile"].iloc[0] >= 10:
            views["widest"] = (wide["Dimension"].iloc[0], wide["Écart interquartile"].iloc[0])
    if not snapshot["ratings"].empty:
        views["ratings"] = _ratings_table(snapshot)
    return views


def draw_weights(views: dict) -> None:
    """Median points per dimension with the interquartile range: where the room disagrees."""
    if views["figure"] is None:
        st.info("Aucune répartition de points reçue pour l'instant.")
        return
    st.plotly_chart(views["figure"], config=PLOTLY_CONFIG, key="live_weights_chart")
    st.caption("Source : répartitions de 100 points des participants de la séance (le tableau "
               "et son export CSV sont dans la console d'animation, onglet « La salle »).")
    with st.expander("Voir les données"):
        st.dataframe(views["weights"], hide_index=True, width="stretch")
    if views["widest"]:
        label, spread = views["widest"]
        st.markdown(f"**Là où la salle diverge le plus :** {escape_markdown(label)} "
                    f"(écart interquartile de {format_number(spread, 0)} points).")


def draw_ratings(views: dict) -> None:
    """Per criterion: the room's median relevance (1–5) and its spread, least agreed first."""
    if views["ratings"] is None:
        st.caption("Pas encore de note de pertinence.")
        return
    # Widths that fit the right-hand column of a 1920-pixel screen, headers included.
    st.dataframe(views["ratings"], hide_index=True, width="stretch", column_config={
        "Critère": st.column_config.TextColumn(width=270),
        "Pertinence (médiane sur 5)": st.column_config.TextColumn(width=165),
        "Désaccord (écart interquartile)": st.column_config.TextColumn(width=190),
        "Notes": st.column_config.TextColumn(width=60)})


def draw_rankings(snapshot: dict, dataset_key: str) -> None:
    """Composite scores and ranks under the current grid and the room's, side by side."""
    table = room_rankings(snapshot, dataset_key)
    if table.empty:
        st.info("Aucun essaimage à classer dans le périmètre de la séance.")
        return
    st.dataframe(_rankings_table(table), hide_index=True, width="stretch",
                 column_config={"Essaimage": st.column_config.TextColumn(width="large")})
    movers = table[table["moved"].abs() >= 2]
    if len(movers):
        st.caption(f"{plural(len(movers), 'essaimage gagne', 'essaimages gagnent')} ou "
                   f"perd{'ent' if len(movers) > 1 else ''} au moins deux places avec les poids "
                   "de la salle.")
    year = table.attrs.get("year")
    st.caption(RANKING_RULE + (f" Année : {year}." if year else ""))


def draw_proposals(snapshot: dict, limit: int = 6) -> None:
    """The proposals and comments shown to the room, most upvoted first."""
    shown = snapshot["proposals"].head(limit)
    if shown.empty:
        st.caption("Pas encore de proposition.")
        return
    for row in shown.itertuples():
        draw_proposal(row)
    hidden = len(snapshot["proposals"]) - len(shown)
    if hidden > 0:
        st.caption(f"… et {plural(hidden, 'autre proposition', 'autres propositions')}.")


def _draw_counts(code: str) -> None:
    """Who is there and what came in, from one cheap query."""
    counts = room_reads.room_counts(current_engine(), code)
    if counts is None:
        return
    header = st.columns([1, 1, 1, 2])
    header[0].metric("Participants", format_number(counts["participants"]))
    header[1].metric("Répartitions reçues", format_number(counts["splits"]))
    header[2].metric("Propositions", format_number(counts["proposals"]))
    header[3].caption("Qui est là : " + (", ".join(f"{escape_markdown(r)} {n}" for r, n in
                                                    counts["roles"].items()) or "—"))
    if not counts["open"]:
        st.warning("Séance close : les contributions ne sont plus acceptées.")


def _draw_results(views: dict) -> None:
    """What the room thinks: weights, proposals by upvotes, ratings, rankings (or nothing while
    the facilitator hides the results)."""
    snapshot = views["snapshot"]
    st.html(f'<span data-testid="essaim-live-version" '
            f'data-version="{int(snapshot["version"])}"></span>')
    if snapshot["workshop"].results_hidden:
        st.info("Résultats masqués par l'animation : la salle est en train de répondre.",
                icon=":material/visibility_off:")
        return
    left, right = st.columns([3, 2])
    with left:
        draw_weights(views)
    with right:
        st.subheader("Propositions les plus soutenues")
        draw_proposals(snapshot)
        st.subheader("Pertinence des critères")
        draw_ratings(views)
    st.subheader("Classement des essaimages : grille actuelle et proposition de la salle")
    draw_rankings(snapshot, views["dataset_key"])


@st.fragment
def draw_live_counts(code: str) -> None:
    """Who is there and what came in, redrawn as soon as the session moves."""
    version = workshops.read_state_version(current_engine(), code)
    if version is None:
        st.error("Cette séance n'existe plus.")
        return
    watch_session(code, version, key=f"projection_counts_{code}", gap=COUNTS_GAP_SECONDS)
    _draw_counts(code)


@st.fragment
def draw_live_results(code: str, dataset_key: str) -> None:
    """What the room thinks, redrawn when the session moves (not more often than every
    RESULTS_GAP_SECONDS)."""
    version = workshops.read_state_version(current_engine(), code)
    if version is None:
        return
    watch_session(code, version, key=f"projection_results_{code}", gap=RESULTS_GAP_SECONDS,
                  offset=RESULTS_OFFSET_SECONDS)
    _draw_results(_views(code, version, dataset_key))


def draw_live_room(code: str) -> None:
    """The live room, redrawn when it moves. The dataset is read here, once per page run: the
    redraws only need its key (reading the dataset copies it)."""
    draw_live_counts(code)
    draw_live_results(code, current_dataset().cache_key)


def draw_join_banner(code: str) -> None:
    """The code and QR code for latecomers."""
    url = join_url(app_base_url(), code)
    left, right = st.columns([4, 1])
    left.markdown(f"### Rejoignez l'atelier sur votre téléphone : code **{code}**")
    left.caption(f"ou ouvrez {url}")
    with right:
        show_qr_code(url, scale=6)  # large enough to be read from the back of the room
