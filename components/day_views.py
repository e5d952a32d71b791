"""A national day on screen: its creation, the organisers' console (code and QR for everybody,
comptoirs, the slot running now), the hall's screen (what runs where, participants live) and the
grands témoins' synthesis. Every decision is made in essaim.workshops.days / day_people /
day_synthesis, on the server."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components.grid_start import grid_start_fields, resolve_grid
from components.tables import show_table_with_download
from components.text_field import text_with_limit
from components.workshop_ui import app_base_url, show_qr_code
from essaim import workshops
from essaim.numbers.formatting import escape_markdown, format_plain, plural
from essaim.numbers.reading import parse_french_date
from essaim.site_map import page_file
from essaim.workshops.day_people import comptoir_participants, day_people
from essaim.workshops.day_synthesis import RULE, DaySynthesis
from essaim.workshops.days import Day, add_comptoir, create_day, programme, set_current_slot
from essaim.workshops.grid import GridError
from essaim.workshops.links import facilitator_url

DAY_REFRESH_SECONDS = 2.0


def day_join_url(base: str, code: str) -> str:
    """The one link (and QR code) of the day: the phone page in day mode."""
    return f"{base}/participer?journee={code}"


def read_day_date(typed: str) -> dt.date:
    try:
        return parse_french_date(typed)
    except ValueError as error:
        raise workshops.WorkshopError(f"Date : {error} (attendu : JJ/MM/AAAA).") from None


def draw_day_creation(engine) -> None:
    """Title, date, place, rooms and slots; on success the day's secrets are kept in this
    session and the address carries the day's code."""
    with st.form("create_day"):
        # No max_chars: a pasted text over the limit stays whole, and the French message says so.
        title = st.text_input("Titre de la journée",
                              placeholder="ex. Réussir le passage à l'échelle !")
        left, right = st.columns(2)
        # A text read the French way, not Streamlit's date picker (its calendar speaks English).
        typed_date = left.text_input("Date (JJ/MM/AAAA)", value=f"{dt.date.today():%d/%m/%Y}")
        place = right.text_input("Lieu", placeholder="ex. Paris, Maison de la RATP")
        rooms = st.text_area("Salles (une par ligne)", value="Le Club\nLe Bureau")
        slots = st.text_area("Créneaux (une ligne par créneau : nom ; début ; fin)",
                             value="Comptoirs 1 et 2 ; 09:30 ; 10:30\n"
                                   "Comptoirs 3 et 4 ; 10:45 ; 11:45\n"
                                   "Comptoirs 5 et 6 ; 12:00 ; 13:00")
        if st.form_submit_button("Créer la journée", type="primary"):
            try:
                day_date = read_day_date(typed_date)
                parsed = [tuple(part.strip() for part in line.split(";")) for line in
                          slots.splitlines() if line.strip()]
                if any(len(p) != 3 for p in parsed):
                    raise workshops.WorkshopError("Chaque créneau s'écrit « nom ; début ; fin ».")
                created = create_day(engine, title=title, day_date=day_date, place=place,
                                     rooms=rooms.splitlines(), slots=parsed)
            except workshops.WorkshopError as error:
                st.error(f"Journée non créée : {error}")
                return
            st.session_state.setdefault("day_secrets", {})[created.code] = created.organiser_token
            st.session_state["day_created"] = created
            st.switch_page(page_file("journee"), query_params={"journee": created.code})


def draw_day_access(day: Day) -> None:
    """The code, link and QR code everybody uses, the hall's screen and the organisers' PIN once."""
    base = app_base_url()
    url = day_join_url(base, day.code)
    left, right = st.columns([2, 1])
    with left:
        st.markdown(f"### Code de la journée : `{day.code}`")
        st.markdown(f"Un seul code et un seul QR code pour toute la journée : chacun rejoint une "
                    f"fois, puis entre dans les comptoirs du créneau en cours.  \n{url}")
        st.link_button("Ouvrir l'écran du hall", f"{base}/projection?journee={day.code}",
                       icon=":material/co_present:")
        st.link_button("Projeter la synthèse des grands témoins",
                       f"{base}/projection?journee={day.code}&vue=synthese",
                       icon=":material/summarize:")
        created = st.session_state.get("day_created")
        if created is not None and created.code == day.code:
            st.success(f"Lien privé des organisateurs (à garder) : "
                       f"{base}/journee?journee={day.code}&cle={created.organiser_token}  \n"
                       f"Code PIN des organisateurs : **{created.pin}** (affiché une seule fois).",
                       icon=":material/key:")
    with right:
        show_qr_code(url, "Flashez pour rejoindre la journée")


COMPTOIR_FIELDS = ("comptoir_title", "comptoir_question", "comptoir_experts", "comptoir_temoin",
                   "comptoir_facilitators")


def draw_comptoir_form(engine, day: Day, secret: str, indicators: pd.DataFrame) -> None:
    """Add a comptoir in a free room and slot, with the day's common grid or its own; its team's
    link and PIN are shown once."""
    free = [(room, slot) for slot in day.slots for room in day.rooms
            if not any(c.room_id == room.id and c.slot_id == slot.id for c in day.comptoirs)]
    if not free:
        st.caption("Chaque salle a son comptoir à chaque créneau.")
        return
    with st.form("add_comptoir"):
        st.markdown("**Ajouter un comptoir**")
        where = st.selectbox("Salle et créneau", range(len(free)),
                             format_func=lambda i: f"{free[i][0].name} — {free[i][1].text}")
        title = st.text_input("Titre du comptoir", key="comptoir_title",
                              placeholder="ex. Propriété intellectuelle et essaimage")
        question = st.text_area("Question du comptoir", key="comptoir_question")
        experts = st.text_input("Experts", key="comptoir_experts")
        left, right = st.columns(2)
        temoin = left.text_input("Grand témoin", key="comptoir_temoin")
        facilitators = right.text_input("Animation (ANSA)", key="comptoir_facilitators")
        chosen = grid_start_fields("Grille commune de la journée (grille par défaut)",
                                   key="comptoir_grid")
        if st.form_submit_button("Ajouter le comptoir", type="primary"):
            room, slot = free[where]
            try:
                grid = resolve_grid(engine, indicators, chosen)
                made = add_comptoir(engine, day.code, secret, room_id=room.id, slot_id=slot.id,
                                    title=title, question=question, experts=experts,
                                    grand_temoin=temoin, facilitators=facilitators, grid=grid)
            except (GridError, workshops.WorkshopError) as error:
                st.error(f"Comptoir non ajouté : {error}")
                return
            st.session_state.setdefault("comptoir_secrets", {})[made.code] = made
            # Emptied once added (only then: a refused comptoir keeps what was typed).
            for field in COMPTOIR_FIELDS:
                st.session_state.pop(field, None)
            st.rerun()


def draw_comptoirs(engine, day: Day) -> None:
    """The programme with each comptoir's code, team link (shown once) and participants."""
    counts = comptoir_participants(engine, day)
    made = st.session_state.get("comptoir_secrets", {})
    base = app_base_url()
    rows = [{"Créneau": day.slot(c.slot_id).text, "Salle": day.room(c.room_id).name,
             "Comptoir": c.title, "Code de séance": c.code, "Grand témoin": c.grand_temoin,
             "Participants": counts.get(c.code, 0), "État": "ouvert" if c.status == "open"
             else "clos"} for c in day.comptoirs]
    if not rows:
        st.info("Pas encore de comptoir : ajoutez-en un par salle et par créneau.")
        return
    show_table_with_download(pd.DataFrame(rows), f"programme_{day.code}", key="day_programme")
    for code, created in made.items():
        if code in {c.code for c in day.comptoirs}:
            st.caption(f"Équipe du comptoir {code} : {facilitator_url(base, code, created.facilitator_token)}"
                       f" — PIN {created.pin} (à transmettre à son animation et au grand témoin)")


def draw_running_slot(engine, day: Day, secret: str) -> None:
    """Say which slot runs now (or let the clock decide)."""
    options = [None] + [s.id for s in day.slots]
    names = {None: "Selon l'heure"} | {s.id: s.text for s in day.slots}
    chosen = st.radio("Créneau en cours", options, index=options.index(day.current_slot_id),
                      format_func=names.get, horizontal=True, key=f"running_{day.code}")
    if chosen != day.current_slot_id:
        set_current_slot(engine, day.code, secret, chosen)
        st.rerun()


def draw_day_screen(engine, day: Day) -> None:
    """The hall's screen: what runs where now, participants per comptoir (updating by itself)."""
    _hall(engine, day.code)


@st.fragment(run_every=DAY_REFRESH_SECONDS)
def _hall(engine, code: str) -> None:
    from essaim.workshops.days import find_day

    day = find_day(engine, code)
    data = programme(day)
    counts = comptoir_participants(engine, day)
    people = day_people(engine, day)
    st.markdown(f"**{plural(people, 'personne')}** {'a' if people < 2 else 'ont'} rejoint la "
                "journée.")
    running = next((slot for slot in data["creneaux"] if slot["en_cours"]), None)
    if running is not None:
        st.markdown(f"### En ce moment : {escape_markdown(running['texte'])}")
        columns = st.columns(max(len(running["comptoirs"]), 1))
        for column, comptoir in zip(columns, running["comptoirs"]):
            with column.container(border=True):
                st.markdown(f"**{escape_markdown(comptoir['salle'])}** · "
                            f"{escape_markdown(comptoir['titre'])}")
                st.markdown(escape_markdown(comptoir["question"]))
                st.metric("Participants", counts.get(comptoir["code"], 0))
    others = [slot for slot in data["creneaux"] if not slot["en_cours"]]
    if others:
        st.markdown("### Le programme" if running is None else "### Les autres créneaux")
        rows = [{"Créneau": slot["texte"], "Salle": c["salle"], "Comptoir": c["titre"],
                 "Participants": counts.get(c["code"], 0)}
                for slot in others for c in slot["comptoirs"]]
        if rows:
            st.table(pd.DataFrame(rows).set_index("Créneau"))
        else:
            st.info("Aucun comptoir n'est encore programmé : les organisateurs les ajoutent "
                    "dans l'onglet « Comptoirs ».")


def draw_day_projection(code: str, view: str) -> None:
    """The projected screen of a day: the hall's (what runs where, the code and QR to join) or,
    with `view` « synthese », the grands témoins' synthesis (updating by itself)."""
    from components.workshop_ui import current_engine
    from essaim.workshops.days import find_day

    engine = current_engine()
    day = find_day(engine, code)
    if day is None:
        st.title("Projection d'une journée")
        st.error("Cette journée n'existe pas : vérifiez le code dans l'adresse.")
        return
    st.title(escape_markdown(day.title))
    if view == "synthese":
        st.subheader("Synthèse des grands témoins")
        _projected_synthesis(engine, code)
        return
    left, right = st.columns([3, 1])
    left.markdown(f"### Rejoignez la journée avec le code **{day.code}**  \n"
                  f"{day_join_url(app_base_url(), day.code)}")
    with right:
        show_qr_code(day_join_url(app_base_url(), day.code), scale=6)
    draw_day_screen(engine, day)


@st.fragment(run_every=5.0)
def _projected_synthesis(engine, code: str) -> None:
    from essaim.workshops.day_synthesis import build_day_synthesis
    from essaim.workshops.days import find_day

    draw_synthesis(build_day_synthesis(engine, find_day(engine, code)))


def draw_synthesis(synthesis: DaySynthesis) -> None:
    """The grands témoins' synthesis: the day in a few sentences, where rooms agreed and
    differed, recurring proposals, then each comptoir with its room's weights, its proposals and
    its grand témoin's lines."""
    for sentence in synthesis.sentences:
        st.markdown(f"- {escape_markdown(sentence)}")
    compared = [d for d in synthesis.dimensions if len(d.medians) > 1]
    if compared:
        st.markdown("#### Le poids des dimensions, d'un comptoir à l'autre")
        table = pd.DataFrame({c.title: {d.label: d.medians.get(c.title) for d in compared}
                              for c in synthesis.comptoirs}).T
        table.index.name = "Comptoir (points sur 100, médiane de la salle)"
        # A plain table: it reads from the back of a plenary room, unlike a scrolling grid.
        st.table(table.map(lambda v: format_plain(v) if pd.notna(v) else "n.d."))
    if synthesis.recurrences:
        st.markdown("#### Des propositions qui reviennent")
        for recurrence in synthesis.recurrences:
            kind = f" ({escape_markdown(recurrence.kind.lower())})" if recurrence.kind else ""
            st.markdown(f"- « {escape_markdown(recurrence.text)} »{kind} — "
                        f"{escape_markdown(', '.join(recurrence.comptoirs))}")
    for comptoir in synthesis.comptoirs:
        with st.container(border=True):
            st.markdown(f"#### {escape_markdown(comptoir.title)}")
            st.caption(f"{escape_markdown(comptoir.room)} · {escape_markdown(comptoir.slot)} · "
                       f"{plural(comptoir.participants, 'participant')}")
            st.markdown(f"*{escape_markdown(comptoir.question)}*")
            if comptoir.top_dimensions:
                st.markdown("Dimensions au poids le plus fort : " + ", ".join(
                    f"{escape_markdown(label)} ({format_plain(comptoir.weights.at[label, 'median'])} "
                    "points)" for label in comptoir.top_dimensions))
            for proposal in comptoir.proposals[:5]:
                st.markdown(f"- {escape_markdown(proposal.kind)} : {escape_markdown(proposal.text)}"
                            + (f" (▲ {proposal.votes})" if proposal.votes else ""))
            if comptoir.temoin_lines:
                who = comptoir.grand_temoin or "Le grand témoin"
                st.markdown(f"**{escape_markdown(who)} :** " + " ".join(
                    escape_markdown(line) for line in comptoir.temoin_lines))
    st.caption(RULE)


def draw_temoin_lines(engine, workshop, secret: str) -> None:
    """In a comptoir's console: the grand témoin's own three lines for the plenary."""
    from essaim.workshops.day_people import day_of_session, save_temoin_lines
    from essaim.workshops.days import find_day

    st.caption("Vos trois lignes pour la restitution en plénière : elles s'affichent sous la "
               "synthèse de ce comptoir.")
    day_code = day_of_session(engine, workshop.code)
    day = find_day(engine, day_code) if day_code else None
    current = next((c.temoin_lines for c in day.comptoirs if c.code == workshop.code), "") \
        if day else ""
    key = f"temoin_{workshop.code}"
    if key not in st.session_state:
        st.session_state[key] = current
    text = text_with_limit("Les mots du grand témoin (trois lignes au plus)", key, 600)
    if st.button("Enregistrer", key=f"{key}_save", type="primary"):
        try:
            save_temoin_lines(engine, workshop.code, secret, text.text)
        except workshops.WorkshopError as error:
            st.error(str(error))
            return
        st.success("Enregistré : la synthèse les affiche.")
