"""Participer: join a session from a phone, weigh, rate and propose. Every input is saved on the
server when given; the identity stays in the address, so a reload loses nothing."""

import streamlit as st

from components.data_access import current_dataset
from components.workshop_ui import client_key, engine_and_workshop
from components.routing import route_page_through_app
from essaim import workshops
from essaim.formatting import escape_markdown, plural

route_page_through_app()

code = workshops.normalise_code(st.query_params.get("seance", ""))
token = st.query_params.get("p", "")
engine, workshop = engine_and_workshop(code)
participant = workshops.find_participant(engine, code, token) if workshop and token else None

st.title("Participer à l'atelier")

if participant is None:
    if token:
        st.warning("Ce lien de participation n'est plus valable : rejoignez la séance à nouveau.")
    with st.form("join"):
        typed = st.text_input("Code de la séance (affiché à l'écran)", value=code, max_chars=12,
                              placeholder="ex. K7M2QX")
        pseudonym = st.text_input("Pseudonyme (facultatif)", max_chars=workshops.MAX_PSEUDONYM,
                                  help="Sans pseudonyme, vous participez anonymement.")
        role = st.selectbox("Vous êtes… (facultatif)", workshops.ROLES,
                            format_func=lambda r: r or "Je préfère ne pas le dire")
        if st.form_submit_button("Rejoindre", type="primary", width="stretch"):
            try:
                new_token = workshops.join_workshop(engine, typed, pseudonym=pseudonym, role=role,
                                                    client_key=client_key())
            except workshops.WorkshopError as error:
                st.error(str(error))
            else:
                st.query_params.update({"seance": workshops.normalise_code(typed), "p": new_token})
                st.rerun()
    st.stop()

grid, version = workshops.current_grid(engine, code)
st.markdown(f"**{escape_markdown(workshop.title)}** · code {workshop.code}"
            + (f" · {escape_markdown(participant['pseudonym'])}" if participant["pseudonym"] else ""))
if not workshop.is_open:
    st.info("La séance est close : merci pour votre participation ! Vos contributions sont "
            "enregistrées.")
    st.stop()
st.caption("Gardez cette page ouverte : l'adresse garde votre place, même après une coupure.")

inputs = workshops.read_inputs(engine, code)
mine = inputs[inputs["participant_id"] == participant["id"]]


def _saved(action, *args) -> None:
    """Run a saving action; say so only once the server has stored it."""
    try:
        action(engine, code, token, *args)
    except workshops.WorkshopError as error:
        st.error(str(error))
    else:
        st.success("Enregistré.", icon=":material/check_circle:")


st.subheader("1. Répartissez 100 points")
previous = next((p for p in mine.loc[mine["kind"] == "weights", "payload"]), {})
with st.form("weights"):
    st.caption("Quelle importance donner à chaque dimension de l'évaluation ?")
    points = {d.id: st.number_input(d.label, 0, 100, int(round(previous.get(d.id, 0))), step=5,
                                    key=f"w_{d.id}") for d in grid.dimensions}
    if st.form_submit_button("Enregistrer ma répartition", width="stretch"):
        if sum(points.values()) != 100:
            st.error(f"Le total fait {sum(points.values())} points : il en faut exactement 100.")
        else:
            _saved(workshops.save_weights, points)
if previous:
    st.caption(f"Répartition enregistrée : {sum(previous.values()):g} points.")

st.subheader("2. Pertinence des critères")
ratings = {row.slot: row.payload["rating"] for row in mine[mine["kind"] == "rating"].itertuples()}
with st.form("ratings"):
    st.caption("1 = peu pertinent, 5 = indispensable. Laissez vide si vous ne savez pas.")
    chosen = {}
    for dimension in grid.dimensions:
        st.markdown(f"**{escape_markdown(dimension.label)}**")
        for criterion in dimension.criteria:
            chosen[criterion.id] = st.pills(criterion.label, [1, 2, 3, 4, 5],
                                            default=ratings.get(criterion.id),
                                            key=f"r_{criterion.id}")
    if st.form_submit_button("Enregistrer mes notes", width="stretch"):
        given = {cid: value for cid, value in chosen.items() if value or cid in ratings}
        try:
            workshops.save_ratings(engine, code, token, given)
        except workshops.WorkshopError as error:
            st.error(str(error))
        else:
            kept = sum(1 for v in given.values() if v)
            st.success(f"{plural(kept, 'note enregistrée', 'notes enregistrées')}.",
                       icon=":material/check_circle:")

st.subheader("3. Proposer ou commenter")
criteria = {c.id: c.label for _, c in grid.criteria()}
with st.form("proposal", clear_on_submit=True):
    kind = st.selectbox("Type", list(workshops.PROPOSAL_KINDS), format_func=workshops.PROPOSAL_KINDS.get)
    about = st.selectbox("À propos du critère (facultatif)", [""] + list(criteria),
                         format_func=lambda c: criteria.get(c, "—"))
    value = st.number_input("Objectif chiffré proposé (pour un objectif)", value=None,
                            placeholder="ex. 45")
    text = st.text_area("Votre proposition", max_chars=workshops.MAX_PROPOSAL,
                        placeholder="ex. Suivre aussi les sorties en formation qualifiante")
    if st.form_submit_button("Envoyer", type="primary", width="stretch"):
        _saved(workshops.add_proposal, kind, text, about, value)
