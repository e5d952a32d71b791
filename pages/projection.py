"""Projection de l'atelier: what the room's screen shows, refreshed live."""

import streamlit as st

from components.data_access import current_dataset
from components.live_room import draw_join_banner, draw_live_room
from components.workshop_ui import engine_and_workshop
from components.routing import route_page_through_app
from essaim import workshops
from essaim.formatting import escape_markdown

route_page_through_app()

code = workshops.normalise_code(st.query_params.get("seance", ""))
engine, workshop = engine_and_workshop(code)

if workshop is None:
    st.title("Projection de l'atelier")
    typed = st.text_input("Code de la séance à projeter", key="projection_code")
    if typed:
        if workshops.find_workshop(engine, typed):
            st.query_params["seance"] = workshops.normalise_code(typed)
            st.rerun()
        st.error("Aucune séance ne porte ce code.")
    st.stop()

st.title(escape_markdown(workshop.title))
draw_join_banner(workshop.code)
draw_live_room(workshop.code)
