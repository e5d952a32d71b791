"""The facilitator's console: access, grid editing, the room (updating by itself), moderation,
versions, session.

Every action goes through essaim.workshops with the facilitator's secret, which checks it on the
server; this module only draws the controls. The secret lives in the Streamlit session, never in
the address bar of a console that may be projected."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import current_dataset
from components.tables import show_table_with_download
from components.workshop_ui import app_base_url, draw_proposal, room_snapshot, show_qr_code
from essaim import workshops
from essaim.numbers.formatting import escape_markdown, plural
from essaim.numbers.ranges import rules_of
from essaim.site_map import page_file
from essaim.workshops.grid import GridError, diff_grids, grid_from_json
from essaim.workshops.grid_io import (
    GRID_COLUMNS,
    export_json,
    export_xlsx,
    grid_from_rows,
    grid_rows_typed,
)
from essaim.workshops.links import facilitator_url, join_url, projection_url
from essaim.workshops.proposals import adoption

ROOM_REFRESH_SECONDS = 2


def _act(action, *args, success: str, **kwargs) -> bool:
    """Run a facilitator action and report its outcome in French."""
    try:
        action(*args, **kwargs)
    except workshops.StaleGridError as error:
        st.warning(str(error), icon=":material/sync_problem:")
        return False
    except (workshops.WorkshopError, GridError) as error:
        st.error(str(error))
        return False
    st.toast(success, icon=":material/check_circle:")
    return True


def draw_access(workshop: workshops.Workshop, secret: str) -> None:
    """Join code, join link and QR code to project; the private facilitator access."""
    base = app_base_url()
    url = join_url(base, workshop.code)
    left, right = st.columns([2, 1])
    with left:
        st.markdown(f"## Code : `{workshop.code}`")
        st.markdown(f"Lien à donner aux participants : {url}")
        st.page_link(page_file("projection"), label="Ouvrir l'écran de projection",
                     icon=":material/co_present:", query_params={"seance": workshop.code})
        st.caption(f"Adresse de la projection : {projection_url(base, workshop.code)}")
        with st.expander("Accès animation (à garder pour vous, ne pas projeter)"):
            pin = st.session_state.get(f"pin_{workshop.code}")
            if pin:
                st.markdown(f"Code PIN animateur : **{pin}** (affiché une seule fois : notez-le)")
            if len(secret) > 10:
                st.markdown("Lien privé d'animation (donne tous les droits sur la séance ; "
                            "l'adresse de cette console ne le garde pas) :")
                st.code(facilitator_url(base, workshop.code, secret), language=None)
            st.caption("Après un rechargement de la page, rouvrez le lien privé ou reprenez la "
                       "séance avec son code et le PIN.")
    with right:
        show_qr_code(url, "Flashez pour rejoindre")


def draw_grid_editor(engine, workshop, secret: str) -> None:
    """The grid as an editable table, saved as a new version if nobody changed it meanwhile."""
    grid, version = workshops.current_grid(engine, workshop.code)
    loaded_key = f"grid_loaded_{workshop.code}"
    if st.session_state.get(loaded_key) is None:
        st.session_state[loaded_key] = version
    loaded = st.session_state[loaded_key]
    if loaded != version:
        st.warning(f"La grille est passée à la version {version} depuis que vous l'avez ouverte "
                   f"(version {loaded}).", icon=":material/sync_problem:")
        if st.button("Recharger la dernière version"):
            st.session_state[loaded_key] = version
            st.session_state.pop(f"grid_editor_{workshop.code}", None)
            st.rerun()
    st.caption(f"Version {version}. Modifiez les cellules, ajoutez ou supprimez des lignes, puis "
               "enregistrez : chaque enregistrement crée une version. Les nombres s'écrivent à "
               "la française (12,5 ; 1 500) ; les changements lus s'affichent avant "
               "l'enregistrement.")
    indicators = current_dataset().indicators
    edited = st.data_editor(
        grid_rows_typed(grid), key=f"grid_editor_{workshop.code}", num_rows="dynamic",
        hide_index=True,
        column_order=[french for key, french in GRID_COLUMNS.items() if not key.endswith("id")],
        column_config={
            "Indicateur": st.column_config.SelectboxColumn(
                options=[""] + list(indicators["code"]),
                help="Vide : critère qualitatif, apprécié par la salle."),
            # Text, read by essaim's French number rules: a number column drops the comma.
            "Poids": st.column_config.TextColumn(help="Nombre positif ou nul (ex. 12,5)."),
            "Objectif": st.column_config.TextColumn(
                help="Objectif chiffré, dans l'échelle de l'indicateur (vide : aucun)."),
            "Seuil": st.column_config.TextColumn(help="Niveau qui vaut 0 (vide : aucun)."),
        },
    )
    try:
        new_grid = grid_from_rows(edited, set(indicators["code"]), rules_of(indicators))
    except GridError as error:
        st.error(f"{error} Rien n'est enregistré tant que la grille n'est pas corrigée.",
                 icon=":material/error:")
        return
    changes = diff_grids(grid, new_grid)
    if changes:
        st.markdown("**Vous enregistrerez :**\n\n" + "\n".join(
            f"- {escape_markdown(change)}" for change in changes))
    if st.button("Enregistrer une nouvelle version", type="primary"):
        if not changes:
            st.info("Aucun changement à enregistrer.")
            return
        if _act(workshops.save_grid_version, engine, workshop.code, secret, new_grid,
                expected_version=loaded, author="Animation", summary="\n".join(changes),
                success="Nouvelle version enregistrée."):
            st.session_state[loaded_key] = None
            st.rerun()


def draw_room(engine, workshop, secret: str) -> None:
    """The room's weights beside the grid, updating by itself; adopt the room's weights as a new
    version."""
    _draw_room(engine, workshop, secret, current_dataset().cache_key)


@st.fragment(run_every=ROOM_REFRESH_SECONDS)
def _draw_room(engine, workshop, secret: str, dataset_key: str) -> None:
    # The dataset's key comes from the page's run: reading the dataset in every redraw copies it.
    version_now = workshops.read_state_version(engine, workshop.code)
    snapshot = room_snapshot(workshop.code, version_now, dataset_key)
    grid, version = snapshot["grid"], snapshot["grid_version"]
    aggregated = snapshot["weights"]
    received = int((snapshot["inputs"]["kind"] == "weights").sum())
    st.markdown(f"**{plural(len(snapshot['participants']), 'participant')}**, "
                f"{plural(received, 'répartition', 'répartitions')} de points "
                "(mis à jour tout seul).")
    if aggregated.empty:
        return
    proposed = snapshot["room_grid"]
    total = sum(d.weight for d in grid.dimensions) or 1
    table = pd.DataFrame({
        "Dimension": [d.label for d in grid.dimensions],
        "Grille (points sur 100)": [round(100 * d.weight / total, 1) for d in grid.dimensions],
        "Médiane de la salle": [aggregated["median"].get(d.id) for d in grid.dimensions],
        "Écart interquartile": [aggregated["spread"].get(d.id) for d in grid.dimensions],
        "Proposition (points)": [round(d.weight, 1) for d in proposed.dimensions],
    })
    show_table_with_download(table, "poids_salle", key="room_weights")
    if st.button("Adopter les poids de la salle", type="primary"):
        if _act(workshops.save_grid_version, engine, workshop.code, secret, proposed,
                expected_version=version, author="Animation",
                summary="Poids de la salle adoptés (médianes)\n" + "\n".join(
                    diff_grids(grid, proposed)),
                success="Poids de la salle adoptés : nouvelle version."):
            st.rerun()


def _moderation_buttons(engine, workshop, secret: str, row) -> None:
    columns = st.columns(3)
    if row.moderation == "visible":
        if columns[0].button("Masquer", key=f"hide_{row.slot}", icon=":material/visibility_off:"):
            if _act(workshops.moderate_proposal, engine, workshop.code, secret, row.slot, "hide",
                    success="Proposition masquée : elle n'est plus projetée."):
                st.rerun()
    elif columns[0].button("Afficher" if row.moderation == "hidden" else "Valider et projeter",
                           key=f"show_{row.slot}", icon=":material/visibility:"):
        if _act(workshops.moderate_proposal, engine, workshop.code, secret, row.slot, "show",
                success="Proposition projetée."):
            st.rerun()
    if columns[1].button("Supprimer", key=f"delete_{row.slot}", icon=":material/delete:"):
        if _act(workshops.moderate_proposal, engine, workshop.code, secret, row.slot, "delete",
                success="Proposition supprimée."):
            st.rerun()
    return columns[2]


def draw_proposals_moderation(engine, workshop, secret: str) -> None:
    """Every proposal and comment, most upvoted first, updating by itself: hide, show (or
    approve), delete, or adopt into the grid."""
    _draw_proposals_moderation(engine, workshop, secret, current_dataset().cache_key)


@st.fragment(run_every=ROOM_REFRESH_SECONDS)
def _draw_proposals_moderation(engine, workshop, secret: str, dataset_key: str) -> None:
    version_now = workshops.read_state_version(engine, workshop.code)
    snapshot = room_snapshot(workshop.code, version_now, dataset_key)
    grid, version = snapshot["grid"], snapshot["grid_version"]
    current = workshops.find_workshop(engine, workshop.code)
    premoderation = st.toggle("Valider chaque proposition avant qu'elle soit projetée",
                              value=current.premoderation, key=f"premoderation_{workshop.code}")
    if premoderation != current.premoderation:
        if _act(workshops.set_premoderation, engine, workshop.code, secret, premoderation,
                success="Validation préalable activée." if premoderation
                else "Validation préalable désactivée."):
            st.rerun()
    every = snapshot["all_proposals"].sort_values("votes", ascending=False, kind="stable")
    pending = every[every["moderation"] == "pending"]
    if len(pending):
        st.warning(f"{plural(len(pending), 'proposition attend', 'propositions attendent')} "
                   "votre validation.", icon=":material/pending:")
    if every.empty:
        st.caption("Pas encore de proposition.")
    criteria = {c.id: c.label for _, c in grid.criteria()}
    for row in pd.concat([pending, every[every["moderation"] != "pending"]]).itertuples():
        with st.container(border=True):
            draw_proposal(row, criteria, show_moderation=True)
            adopt_column = _moderation_buttons(engine, workshop, secret, row)
            adopted = adoption(grid, row)
            if adopted is not None and adopt_column.button("Adopter dans la grille",
                                                           key=f"adopt_{row.slot}"):
                new_grid, summary = adopted
                if _act(workshops.save_grid_version, engine, workshop.code, secret, new_grid,
                        expected_version=version, author="Animation", summary=summary,
                        success="Proposition adoptée : nouvelle version."):
                    st.rerun()


def draw_versions(engine, workshop, secret: str) -> None:
    """Every version with time, author and changes; compare two; revert to one."""
    versions = workshops.list_grid_versions(engine, workshop.code)
    table = pd.DataFrame({"Version": versions["version"], "Auteur": versions["author"],
                          "Date": pd.to_datetime(versions["created_at"]).dt.strftime("%d/%m/%Y %H:%M"),
                          "Changements": versions["summary"]})
    st.dataframe(table, hide_index=True, width="stretch")
    numbers = list(versions["version"])
    left, right = st.columns(2)
    a = left.selectbox("Comparer la version", numbers, index=max(len(numbers) - 2, 0), key="v_a")
    b = right.selectbox("avec la version", numbers, index=len(numbers) - 1, key="v_b")
    grids = {v.version: grid_from_json(v.grid_json) for v in versions.itertuples()}
    changes = diff_grids(grids[a], grids[b])
    st.markdown("\n".join(f"- {escape_markdown(c)}" for c in changes) or "Aucune différence.")
    current = numbers[-1]
    target = st.selectbox("Revenir à la version", numbers[:-1] or [current], key="v_revert")
    if len(numbers) > 1 and st.button(f"Revenir à la version {target} (crée la version {current + 1})"):
        if _act(workshops.save_grid_version, engine, workshop.code, secret, grids[target],
                expected_version=current, author="Animation",
                summary=f"Retour à la version {target}\n" + "\n".join(diff_grids(grids[current], grids[target])),
                success=f"Retour à la version {target}."):
            st.rerun()
    grid = grids[current]
    st.download_button("Exporter la grille et son historique (JSON)",
                       export_json(workshop.title, grid, versions),
                       file_name=f"grille_{workshop.code}.json", mime="application/json",
                       on_click="ignore")
    st.download_button("Exporter la grille et son historique (XLSX)",
                       export_xlsx(workshop.title, grid, versions),
                       file_name=f"grille_{workshop.code}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def draw_session_controls(engine, workshop, secret: str) -> None:
    """Hide or reveal results on the projection; close or reopen the session."""
    hidden = st.toggle("Masquer les résultats sur l'écran projeté", value=workshop.results_hidden,
                       key=f"hidden_{workshop.code}")
    if hidden != workshop.results_hidden:
        if _act(workshops.set_results_hidden, engine, workshop.code, secret, hidden,
                success="Résultats masqués." if hidden else "Résultats affichés."):
            st.rerun()
    if workshop.is_open:
        if st.button("Clore la séance", type="primary"):
            if _act(workshops.set_status, engine, workshop.code, secret, "closed",
                    success="Séance close."):
                st.rerun()
    elif st.button("Rouvrir la séance"):
        if _act(workshops.set_status, engine, workshop.code, secret, "open",
                success="Séance rouverte."):
            st.rerun()
