"""Projection de l'atelier: what the room's screen shows, refreshed live (frame drawn by
components.live_room.draw_projection_frame: no sidebar)."""

import streamlit as st

from components.day_views import draw_day_projection
from components.live_room import draw_join_banner, draw_live_room
from components.routing import route_page_through_app
from components.workshop_ui import current_client, engine_and_workshop
from essaim import workshops
from essaim.numbers.formatting import escape_markdown

route_page_through_app()

day_code = workshops.normalise_code(st.query_params.get("journee", ""))
if day_code:  # a national day: the hall's screen, or the grands témoins' synthesis
    draw_day_projection(day_code, st.query_params.get("vue", ""))
    st.stop()

code = workshops.normalise_code(st.query_params.get("seance", ""))
engine, workshop = engine_and_workshop(code)

if workshop is None:
    st.title("Projection de l'atelier")
    with st.form("projection_code"):
        typed = st.text_input("Code de la séance à projeter", max_chars=12)
        if st.form_submit_button("Projeter", type="primary"):
            try:
                found = workshops.check_join_code(engine, typed, current_client())
            except workshops.WorkshopError as error:
                st.error(str(error))
            else:
                st.query_params["seance"] = found.code
                st.rerun()
    st.stop()

st.title(escape_markdown(workshop.title))
draw_join_banner(workshop.code)
draw_live_room(workshop.code)
