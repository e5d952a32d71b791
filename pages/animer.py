"""Animer un atelier: create or resume a session, then run it (grid, room, versions, session)."""

import streamlit as st

from components.data_access import current_dataset
from components.facilitator_console import (
    draw_access,
    draw_grid_editor,
    draw_room,
    draw_session_controls,
    draw_versions,
)
from components.lazy_tabs import show_lazy_tabs
from components.workshop_ui import client_key, current_engine
from components.routing import route_page_through_app
from essaim import workshops
from essaim.formatting import escape_markdown
from essaim.grid import GridError, default_grid
from essaim.grid_io import import_grid_file

route_page_through_app()

dataset = current_dataset()
engine = current_engine()
code = workshops.normalise_code(st.query_params.get("seance", ""))
workshop = workshops.find_workshop(engine, code) if code else None
# The private link carries the facilitator token; a PIN is only ever taken from this session,
# after the rate-limited check of the "Reprendre une séance" form (never from the address).
token = st.query_params.get("cle", "")
pin = st.session_state.get(f"pin_secret_{code}", "")
if workshop and token and workshops.verify_facilitator(engine, code, token=token):
    secret = token
elif workshop and pin and workshops.verify_facilitator(engine, code, pin=pin):
    secret = pin
else:
    secret = ""
authorised = bool(secret)

st.title("Animer un atelier")

if workshop and not authorised:
    st.error("Accès réservé à l'animation de cette séance : utilisez le lien privé ou le code PIN.")

if not authorised:
    create, resume = st.tabs(["Nouvelle séance", "Reprendre une séance"])
    with create:
        innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
        territories = dict(zip(dataset.territories["code"], dataset.territories["name"]))
        earlier = workshops.list_workshops(engine)
        with st.form("create_workshop"):
            title = st.text_input("Titre", max_chars=120, placeholder="ex. Comptoir des enjeux n°6")
            kind = st.selectbox("Type", list(workshops.KINDS), format_func=workshops.KINDS.get)
            innovation = st.selectbox("Innovation (périmètre)", [""] + list(innovations),
                                      format_func=lambda c: innovations.get(c, "Toutes"))
            scope = st.multiselect("Territoires (périmètre, facultatif)", list(territories),
                                   format_func=territories.get, placeholder="Tous")
            start = st.radio("Grille de départ", ["default", "copy", "file"], format_func={
                "default": "Grille par défaut (issue des journées nationales)",
                "copy": "Grille finale d'une séance précédente", "file": "Fichier importé"}.get)
            previous = st.selectbox("Séance précédente", list(earlier["code"]),
                                    format_func=lambda c: f"{c} — {earlier.set_index('code').at[c, 'title']}",
                                    placeholder="Aucune séance précédente")
            uploaded = st.file_uploader("Fichier de grille (.json ou .xlsx exporté par Essaim)",
                                        type=["json", "xlsx"])
            if st.form_submit_button("Créer la séance", type="primary"):
                try:
                    if start == "copy":
                        if not previous:
                            raise GridError("Choisissez la séance précédente dont partir.")
                        grid, _ = workshops.current_grid(engine, previous)
                    elif start == "file":
                        if uploaded is None:
                            raise GridError("Choisissez un fichier de grille.")
                        grid = import_grid_file(uploaded.name, uploaded.getvalue(),
                                                set(dataset.indicators["code"]))
                    else:
                        grid = default_grid(dataset.indicators)
                    created = workshops.create_workshop(
                        engine, title=title, kind=kind, grid=grid, author="Animation",
                        scope_innovation=innovation or None, scope_territories=tuple(scope))
                except (GridError, workshops.WorkshopError) as error:
                    st.error(f"Séance non créée : {error}")
                else:
                    st.session_state[f"pin_{created.code}"] = created.pin
                    st.query_params.update({"seance": created.code, "cle": created.facilitator_token})
                    st.rerun()
    with resume:
        with st.form("resume_workshop"):
            typed = st.text_input("Code de la séance", max_chars=12)
            pin = st.text_input("Code PIN animateur", type="password", max_chars=6)
            if st.form_submit_button("Reprendre"):
                typed = workshops.normalise_code(typed)
                if workshops.too_many_failed_joins(engine, client_key()):
                    st.error("Trop d'essais erronés : patientez dix minutes.")
                elif workshops.verify_facilitator(engine, typed, pin=pin, client_key=client_key()):
                    st.session_state[f"pin_secret_{typed}"] = pin.strip()
                    st.query_params.clear()
                    st.query_params["seance"] = typed
                    st.rerun()
                else:
                    st.error("Code de séance ou PIN incorrect.")
    st.stop()

st.subheader(escape_markdown(workshop.title))
st.caption(f"{workshops.KINDS[workshop.kind]} · {'ouverte' if workshop.is_open else 'close'} · "
           f"grille en version {workshop.grid_version}")
show_lazy_tabs({
    "Rejoindre": lambda: draw_access(workshop, secret),
    "Grille": lambda: draw_grid_editor(engine, workshop, secret),
    "La salle": lambda: draw_room(engine, workshop, secret),
    "Versions et exports": lambda: draw_versions(engine, workshop, secret),
    "Séance": lambda: draw_session_controls(engine, workshop, secret),
}, key="animer_tab")
