"""Animer un atelier: create or resume a session, then run it (access, grid, room, proposals,
versions, session). Session codes are never listed here; the facilitator's secret is kept in
this browser session, never in the address bar."""

import streamlit as st

from components.data_access import current_dataset
from components.day_views import draw_day_creation, draw_temoin_lines
from components.facilitator_console import (
    draw_access,
    draw_grid_editor,
    draw_proposals_moderation,
    draw_room,
    draw_session_controls,
    draw_versions,
)
from components.grid_start import grid_start_fields, resolve_grid
from components.lazy_tabs import show_lazy_tabs
from components.routing import route_page_through_app
from components.workshop_ui import CONNECTION_LOST_NOTICE, current_client, current_engine
from essaim import workshops
from essaim.numbers.formatting import escape_markdown
from essaim.site_map import page_file
from essaim.workshops.day_people import day_of_session
from essaim.workshops.grid import GridError

route_page_through_app()

st.html(CONNECTION_LOST_NOTICE)
dataset = current_dataset()
engine = current_engine()
code = workshops.normalise_code(st.query_params.get("seance", ""))
workshop = workshops.find_workshop(engine, code) if code else None
secrets_kept = st.session_state.setdefault("facilitator_secrets", {})
# The private link's key is taken once, kept in this session, and removed from the address: a
# projected console must not show it.
link_key = st.query_params.get("cle", "")
if link_key:
    del st.query_params["cle"]
    if workshop and workshops.verify_facilitator(engine, code, token=link_key):
        secrets_kept[code] = link_key
secret = secrets_kept.get(code, "") if workshop else ""
authorised = bool(secret)

st.title("Animer un atelier")

if workshop and not authorised:
    st.error("Accès réservé à l'animation de cette séance : ouvrez le lien privé ou reprenez la "
             "séance avec son code et le PIN.")

if not authorised:
    create, resume, day = st.tabs(["Nouvelle séance", "Reprendre une séance",
                                   "Journée nationale"])
    with day:
        st.markdown("Une journée réunit plusieurs comptoirs en parallèle, dans des salles et des "
                    "créneaux, avec un seul code pour tous les participants.")
        draw_day_creation(engine)
        st.page_link(page_file("journee"), label="Reprendre une journée existante",
                     icon=":material/event:")
    with create:
        innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
        territories = dict(zip(dataset.territories["code"], dataset.territories["name"]))
        with st.form("create_workshop"):
            title = st.text_input("Titre", max_chars=120, placeholder="ex. Comptoir des enjeux n°6")
            kind = st.selectbox("Type", list(workshops.KINDS), format_func=workshops.KINDS.get)
            innovation = st.selectbox("Innovation (périmètre)", [""] + list(innovations),
                                      format_func=lambda c: innovations.get(c, "Toutes"))
            scope = st.multiselect("Territoires (périmètre, facultatif)", list(territories),
                                   format_func=territories.get, placeholder="Tous")
            chosen = grid_start_fields()
            if st.form_submit_button("Créer la séance", type="primary"):
                try:
                    grid = resolve_grid(engine, dataset.indicators, chosen)
                    created = workshops.create_workshop(
                        engine, title=title, kind=kind, grid=grid, author="Animation",
                        scope_innovation=innovation or None, scope_territories=tuple(scope))
                except (GridError, workshops.WorkshopError) as error:
                    st.error(f"Séance non créée : {error}")
                else:
                    st.session_state[f"pin_{created.code}"] = created.pin
                    secrets_kept[created.code] = created.facilitator_token
                    st.query_params.clear()
                    st.query_params["seance"] = created.code
                    st.rerun()
    with resume, st.form("resume_workshop"):
        typed = st.text_input("Code de la séance", max_chars=12)
        pin = st.text_input("Code PIN animateur", type="password", max_chars=6)
        if st.form_submit_button("Reprendre"):
            typed = workshops.normalise_code(typed)
            try:
                allowed = workshops.verify_facilitator(engine, typed, pin=pin,
                                                       client=current_client())
            except workshops.WorkshopError as error:
                st.error(str(error))
            else:
                if allowed:
                    secrets_kept[typed] = pin.strip()
                    st.query_params.clear()
                    st.query_params["seance"] = typed
                    st.rerun()
                st.error("Code de séance ou PIN incorrect.")
    st.stop()

st.subheader(escape_markdown(workshop.title))
st.caption(f"{workshops.KINDS[workshop.kind]} · {'ouverte' if workshop.is_open else 'close'} · "
           f"grille en version {workshop.grid_version}")
tabs = {
    "Rejoindre": lambda: draw_access(workshop, secret),
    "Grille": lambda: draw_grid_editor(engine, workshop, secret),
    "La salle": lambda: draw_room(engine, workshop, secret),
    "Propositions": lambda: draw_proposals_moderation(engine, workshop, secret),
    "Versions et exports": lambda: draw_versions(engine, workshop, secret),
    "Séance": lambda: draw_session_controls(engine, workshop, secret),
}
if day_of_session(engine, workshop.code):  # a comptoir of a national day
    tabs["Grand témoin"] = lambda: draw_temoin_lines(engine, workshop, secret)
show_lazy_tabs(tabs, key="animer_tab")
