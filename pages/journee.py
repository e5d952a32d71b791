"""Journée nationale: parallel comptoirs in rooms and slots, one code and one QR for everybody,
the hall's screen and the grands témoins' synthesis — for the day's organisers."""

import streamlit as st

from components.data_access import current_dataset
from components.day_views import (
    draw_comptoir_form,
    draw_comptoirs,
    draw_day_access,
    draw_day_creation,
    draw_day_screen,
    draw_running_slot,
    draw_synthesis,
)
from components.lazy_tabs import show_lazy_tabs
from components.restitution_documents import draw_documents
from components.routing import route_page_through_app
from components.workshop_ui import current_client, current_engine
from essaim import workshops
from essaim.numbers.formatting import escape_markdown, plural
from essaim.reports.day_report import build_day_report
from essaim.workshops.day_synthesis import build_day_synthesis
from essaim.workshops.days import find_day, verify_organiser

route_page_through_app()

engine = current_engine()
code = workshops.normalise_code(st.query_params.get("journee", ""))
day = find_day(engine, code) if code else None
kept = st.session_state.setdefault("day_secrets", {})
# The private link's key is taken once, kept in this session and removed from the address.
key = st.query_params.get("cle", "")
if key:
    del st.query_params["cle"]
    if day and verify_organiser(engine, code, token=key):
        kept[day.code] = key
secret = kept.get(day.code, "") if day else ""

st.title("Journée nationale" if day is None else escape_markdown(day.title))
if day is not None:
    st.caption(f"{day.day_date:%d/%m/%Y} · {escape_markdown(day.place)} · "
               f"{plural(len(day.rooms), 'salle')}, "
               f"{plural(len(day.slots), 'créneau', 'créneaux')}")

if not secret:
    if day is not None:
        st.warning("Réservé aux organisateurs de cette journée : ouvrez leur lien privé ou "
                   "donnez leur code PIN.")
    create, resume = st.tabs(["Nouvelle journée", "Reprendre une journée"])
    with create:
        st.markdown("Une journée réunit des comptoirs en parallèle, dans des salles et des "
                    "créneaux : chaque comptoir est une séance Essaim avec sa question, ses "
                    "experts, son grand témoin et son animation ; les participants n'ont qu'un "
                    "code pour toute la journée.")
        draw_day_creation(engine)
    with resume, st.form("resume_day"):
        typed = st.text_input("Code de la journée", max_chars=12, value=code)
        pin = st.text_input("Code PIN des organisateurs", type="password", max_chars=6)
        if st.form_submit_button("Reprendre", type="primary"):
            try:
                if verify_organiser(engine, typed, pin=pin, client=current_client()):
                    kept[workshops.normalise_code(typed)] = pin.strip()
                    st.query_params["journee"] = workshops.normalise_code(typed)
                    st.rerun()
                st.error("Code ou PIN incorrect.")
            except workshops.Throttled as error:
                st.error(str(error))
    st.stop()

indicators = current_dataset().indicators
show_lazy_tabs({
    "Code et QR code": lambda: draw_day_access(day),
    "Comptoirs": lambda: (draw_running_slot(engine, day, secret), draw_comptoirs(engine, day),
                          draw_comptoir_form(engine, day, secret, indicators)),
    "Écran du hall": lambda: draw_day_screen(engine, day),
    "Synthèse des grands témoins": lambda: (
        draw_synthesis(build_day_synthesis(engine, day)),
        draw_documents(("journee", day.code), lambda: build_day_report(engine, day.code),
                       "Préparer la restitution (diaporama et PDF)")),
}, key="journee_tab")
