"""The projected view of a session, refreshed by itself: a fragment polls the session's change
counter twice a second and redraws from a cached snapshot of that state (no page reload, scroll kept)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show_chart
from components.tables import to_french_display
from components.data_access import current_dataset, current_engine
from components.workshop_ui import app_base_url, room_snapshot, show_qr_code
from essaim import workshops
from essaim.formatting import escape_markdown, format_number, plural
from essaim.links import join_url
from essaim.room import participation_by_role
from essaim.scoring import RANKING_RULE

REFRESH_SECONDS = 0.5


def draw_weights(snapshot: dict) -> None:
    """Median points per dimension with the interquartile range: where the room disagrees."""
    grid, aggregated = snapshot["grid"], snapshot["weights"]
    labels = {d.id: d.label for d in grid.dimensions}
    if aggregated.empty:
        st.info("Aucune répartition de points reçue pour l'instant.")
        return
    table = aggregated.reindex(list(labels)).fillna(0)
    total = sum(d.weight for d in grid.dimensions) or 1
    current = [100 * d.weight / total for d in grid.dimensions]
    names = [labels[i] for i in table.index]
    fig = go.Figure([
        go.Bar(name="Grille actuelle", y=names, x=current, orientation="h", marker_color="#bdbdbd",
               hovertemplate="%{y}<br>grille : %{x:,.1f} points<extra></extra>"),
        go.Bar(name="Médiane de la salle", y=names, x=list(table["median"]), orientation="h",
               marker_color="#0072B2",
               error_x={"type": "data", "symmetric": False,
                        "array": list(table["q3"] - table["median"]),
                        "arrayminus": list(table["median"] - table["q1"])},
               hovertemplate="%{y}<br>salle : %{x:,.1f} points<extra></extra>"),
    ])
    fig.update_layout(barmode="group", xaxis_title="points sur 100", height=120 + 60 * len(names),
                      yaxis={"autorange": "reversed"},
                      title="Poids des dimensions (le trait montre le désaccord de la salle)")
    data = pd.DataFrame({"Dimension": [labels[i] for i in table.index],
                         "Grille actuelle (points)": current, "Médiane de la salle": table["median"],
                         "1er quartile": table["q1"], "3e quartile": table["q3"],
                         "Écart interquartile": table["spread"], "Réponses": table["n"]})
    show_chart(fig, data, "poids_salle", "live_weights",
               "répartitions de 100 points des participants de la séance")
    wide = data.sort_values("Écart interquartile", ascending=False).head(1)
    if len(wide) and wide["Écart interquartile"].iloc[0] >= 10:
        st.markdown(f"**Là où la salle diverge le plus :** {escape_markdown(wide['Dimension'].iloc[0])} "
                    f"(écart interquartile de {format_number(wide['Écart interquartile'].iloc[0], 0)} "
                    "points).")


def draw_ratings(snapshot: dict) -> None:
    """Per criterion: the room's median relevance (1–5) and its spread, least agreed first."""
    ratings = snapshot["ratings"]
    if ratings.empty:
        st.caption("Pas encore de note de pertinence.")
        return
    labels = {c.id: (d.label, c.label) for d, c in snapshot["grid"].criteria()}
    table = pd.DataFrame({
        "Critère": [labels.get(i, ("", i))[1] for i in ratings.index],
        "Dimension": [labels.get(i, (i, ""))[0] for i in ratings.index],
        "Pertinence médiane (1 à 5)": ratings["median"].values,
        "Écart interquartile": ratings["spread"].values,
        "Notes": ratings["n"].values,
    }).sort_values(["Écart interquartile", "Pertinence médiane (1 à 5)"], ascending=[False, False])
    st.dataframe(to_french_display(table), hide_index=True, width="stretch")


def draw_rankings(snapshot: dict) -> None:
    """Composite scores and ranks under the current grid and the room's, side by side."""
    table = snapshot["rankings"]
    if table.empty:
        st.info("Aucun essaimage à classer dans le périmètre de la séance.")
        return
    shown = pd.DataFrame({
        "Essaimage": table["essaimage"],
        "Rang (grille actuelle)": table["rank_current"],
        "Score (grille actuelle)": table["composite_current"],
        "Rang (proposition de la salle)": table["rank_proposed"],
        "Score (proposition de la salle)": table["composite_proposed"],
        "Mouvement": table["moved"].map(lambda m: "—" if pd.isna(m) or m == 0 else
                                        (f"▲ {int(m)}" if m > 0 else f"▼ {int(-m)}")),
        "Critères renseignés": [
            f"{int(scored)} sur {int(total)}" if pd.notna(scored) else "n.d." for scored, total
            in zip(table["criteria_scored_current"], table["criteria_quantitative_current"])],
    })
    st.dataframe(to_french_display(shown.head(15)), hide_index=True, width="stretch")
    movers = table[table["moved"].abs() >= 2]
    if len(movers):
        st.caption(f"{plural(len(movers), 'essaimage gagne', 'essaimages gagnent')} ou "
                   f"perd{'ent' if len(movers) > 1 else ''} au moins deux places avec les poids "
                   "de la salle.")
    st.caption(RANKING_RULE)


def draw_proposals(snapshot: dict, limit: int = 8) -> None:
    """The latest proposals and comments."""
    proposals = snapshot["proposals"].head(limit)
    if proposals.empty:
        st.caption("Pas encore de proposition.")
        return
    for row in proposals.itertuples():
        who = row.pseudonym or "Anonyme"
        if row.role:
            who += f" ({row.role})"
        value = f" — objectif : {format_number(row.value, 1)}" if pd.notna(row.value) else ""
        st.markdown(f"**{workshops.PROPOSAL_KINDS[row.kind]}** · {escape_markdown(who)}  \n"
                    f"{escape_markdown(row.text)}{value}")


@st.fragment(run_every=REFRESH_SECONDS)
def draw_live_room(code: str) -> None:
    """Poll the session's change counter; redraw the room from a cached snapshot."""
    engine = current_engine()
    version = workshops.read_state_version(engine, code)
    if version is None:
        st.error("Cette séance n'existe plus.")
        return
    snapshot = room_snapshot(code, version, current_dataset().cache_key)
    workshop = snapshot["workshop"]
    people = snapshot["participants"]
    header = st.columns([1, 1, 1, 2])
    header[0].metric("Participants", format_number(len(people)))
    header[1].metric("Répartitions reçues", format_number(
        int((snapshot["inputs"]["kind"] == "weights").sum())))
    header[2].metric("Propositions", format_number(len(snapshot["proposals"])))
    roles = participation_by_role(people)
    header[3].caption("Qui est là : " + (", ".join(f"{r} {n}" for r, n in roles.items()) or "—"))
    st.html(f'<span data-testid="essaim-live-version" data-version="{version}"></span>')
    if not workshop.is_open:
        st.warning("Séance close : les contributions ne sont plus acceptées.")
    if workshop.results_hidden:
        st.info("Résultats masqués par l'animation : la salle est en train de répondre.",
                icon=":material/visibility_off:")
        return
    left, right = st.columns([3, 2])
    with left:
        draw_weights(snapshot)
    with right:
        st.subheader("Dernières propositions")
        draw_proposals(snapshot)
        st.subheader("Pertinence des critères")
        draw_ratings(snapshot)
    st.subheader("Classement des essaimages : grille actuelle et proposition de la salle")
    draw_rankings(snapshot)


def draw_join_banner(code: str) -> None:
    """The code and QR code for latecomers."""
    url = join_url(app_base_url(), code)
    left, right = st.columns([3, 1])
    left.markdown(f"### Rejoignez l'atelier : code **{code}**")
    left.caption(f"ou ouvrez {url}")
    with right:
        show_qr_code(url, scale=5)
