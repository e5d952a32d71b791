"""Préparer une restitution: a PowerPoint deck, a PDF report and the data behind them, for the
whole accelerator, an innovation, a territory or a workshop session. Sessions are never listed
to anonymous visitors: a session needs its code and the facilitator's PIN (or private key),
checked on the server, or the administration password to list them all."""

import streamlit as st

from components.admin import require_admin
from components.data_access import counted, current_dataset, current_engine, departements
from components.routing import route_page_through_app
from components.tables import show_dataset_downloads
from components.territory_map import contours
from components.workshop_ui import current_client
from essaim import workshops
from essaim.numbers.dates import now_in_paris
from essaim.numbers.formatting import escape_markdown
from essaim.reports.content import SCOPES, build_report, file_stem, scope_dataset
from essaim.reports.render import PDF_MIME, PPTX_MIME, render_documents

route_page_through_app()

UNLOCKED = "restitution_sessions"  # session code → title, for this browser session only

dataset = current_dataset()
engine = current_engine()
st.title("Préparer une restitution")
st.caption("Un diaporama PowerPoint (16:9, graphiques modifiables) et un rapport PDF accessible "
           "(balisé, avec signets et sommaire), en français : une synthèse d'une page qui dit le "
           "constat principal, les chiffres clés avec leur statut (accordé, en désaccord, "
           "arbitré, source unique) et leurs points de "
           "comparaison (année précédente, autres territoires, département, région, France), "
           "les impacts indirects et les paroles d'acteurs, les désaccords entre partenaires, "
           "les coûts évités, la méthode et ses limites, les sources et millésimes ; pour un "
           "atelier, la séance, les poids et notes de la salle, les propositions et les versions "
           "de la grille.")


def unlock_with_pin() -> None:
    """The session code and the facilitator's PIN or private key, checked on the server."""
    with st.form("restitution_unlock"):
        code = st.text_input("Code de la séance", max_chars=12)
        secret = st.text_input("Code PIN d'animation, ou clé privée du lien d'animation",
                               type="password")
        if not st.form_submit_button("Ouvrir la séance"):
            return
    code = workshops.normalise_code(code)
    secret = secret.strip().split("cle=")[-1].split("&")[0]  # a pasted private link works too
    try:
        allowed = bool(code and secret) and workshops.verify_facilitator(
            engine, code, token=secret, pin=secret if len(secret) <= 12 else "",
            client=current_client())
    except workshops.WorkshopError as error:  # too many wrong PINs: says how long to wait
        st.error(str(error))
        return
    if not allowed:
        st.error("Code de séance, code PIN ou clé incorrect.")
        return
    found = workshops.find_workshop(engine, code)
    st.session_state.setdefault(UNLOCKED, {})[code] = found.title
    st.session_state["restitution_workshop"] = code


def choose_workshop() -> str:
    """A session this visitor may see: one they unlocked, or any for the administration."""
    st.info("Les séances d'atelier ne sont pas listées publiquement. Pour la restitution d'une "
            "séance, donnez son code et le code PIN d'animation (ou la clé privée du lien "
            "d'animation) ; avec le mot de passe d'administration, toutes les séances sont "
            "listées.", icon=":material/lock:")
    how = st.radio("Accès", ["pin", "admin"], horizontal=True, key="restitution_access",
                   format_func={"pin": "Code de la séance et PIN d'animation",
                                "admin": "Mot de passe d'administration"}.get)
    if how == "admin":
        require_admin()  # stops here, with its form, until the password is given
        sessions = workshops.list_workshops(engine)
        titles = dict(zip(sessions["code"], sessions["title"]))
    else:
        unlock_with_pin()
        titles = st.session_state.get(UNLOCKED, {})
    if not titles:
        st.stop()
    if st.session_state.get("restitution_workshop") not in titles:
        st.session_state.pop("restitution_workshop", None)
    return st.selectbox("Séance", list(titles), key="restitution_workshop",
                        format_func=lambda c: f"{titles[c]} ({c})")


kind = st.segmented_control("Périmètre", list(SCOPES), format_func=SCOPES.get,
                            default="accelerateur", key="restitution_kind") or "accelerateur"
value = None
if kind == "innovation":
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    value = st.selectbox("Innovation", list(names), format_func=names.get,
                         key="restitution_innovation")
elif kind == "territoire":
    places = dataset.territories.set_index("code")
    labels = {c: f"{r['name']} ({r['code_departement']})" for c, r in places.iterrows()}
    value = st.selectbox("Territoire", sorted(labels, key=labels.get), format_func=labels.get,
                         key="restitution_territory")
elif kind == "atelier":
    value = choose_workshop()

key = (dataset.cache_key, kind, value)
if st.button("Préparer les documents", type="primary"):
    with st.status("Préparation des documents…", expanded=True) as status:
        st.write("Rassemblement des chiffres, des points de comparaison et des sources…")
        try:
            content = build_report(dataset, departements(), contours("departements-web.geojson"),
                                   kind, value, engine, counted=counted(dataset))
        except ValueError as error:
            status.update(label="Documents non préparés", state="error")
            st.error(str(error))
            st.stop()
        st.write("Mise en page du diaporama et du rapport…")
        st.session_state["restitution"] = {"key": key, "documents": render_documents(content)}
        status.update(label="Documents prêts", state="complete", expanded=False)

ready = st.session_state.get("restitution")
if ready and ready["key"] == key:
    documents = ready["documents"]
    st.success(f"{escape_markdown(documents.title)} : documents prêts.")
    columns = st.columns(2)
    columns[0].download_button("Diaporama (PowerPoint)", documents.pptx,
                               file_name=documents.pptx_name, mime=PPTX_MIME, on_click="ignore",
                               type="primary", icon=":material/slideshow:")
    columns[1].download_button("Rapport (PDF)", documents.pdf, file_name=documents.pdf_name,
                               mime=PDF_MIME, on_click="ignore", type="primary",
                               icon=":material/picture_as_pdf:")
    st.caption(f"Fichiers : {documents.pptx_name} et {documents.pdf_name}. Les heures sont à "
               "l'heure de Paris.")

st.subheader("Les données du périmètre")
scoped = scope_dataset(dataset, kind, value, engine)
show_dataset_downloads(scoped, file_stem("donnees", kind, value, now_in_paris().date()),
                       "Tables (XLSX, une feuille par table)",
                       "Tables (CSV, archive ZIP)", cache_key=f"{dataset.cache_key}:{kind}:{value}")
