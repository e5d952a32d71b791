"""Préparer une restitution: a PowerPoint deck, a PDF report and the data behind them, for a
workshop session, a territory, an innovation or the whole accelerator."""

import streamlit as st

from components.data_access import current_dataset, current_engine, departements
from components.tables import show_dataset_downloads
from components.territory_map import contours
from components.routing import route_page_through_app
from essaim import workshops
from essaim.chart_images import ChartExportUnavailable, render_pngs
from essaim.report import SCOPES, build_report, scope_dataset
from essaim.report_render import render_pdf, render_pptx

route_page_through_app()

dataset = current_dataset()
engine = current_engine()
st.title("Préparer une restitution")
st.caption("Un diaporama PowerPoint et un rapport PDF en français : carte, chiffres clés avec "
           "leurs points de comparaison, et pour un atelier la grille finale, son historique, la "
           "participation, les poids de la salle et les propositions. Chaque chiffre porte sa "
           "source et son millésime.")

kind = st.segmented_control("Périmètre", list(SCOPES), format_func=SCOPES.get,
                            default="accelerateur", key="restitution_kind") or "accelerateur"
value = None
if kind == "innovation":
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    value = st.selectbox("Innovation", list(names), format_func=names.get, key="restitution_innovation")
elif kind == "territoire":
    names = dict(zip(dataset.territories["code"], dataset.territories["name"]))
    value = st.selectbox("Territoire", sorted(names, key=names.get), format_func=names.get,
                         key="restitution_territory")
elif kind == "atelier":
    sessions = workshops.list_workshops(engine)
    if sessions.empty:
        st.info("Aucune séance d'atelier n'a encore eu lieu : créez-en une dans *Animer un atelier*.")
        st.stop()
    titles = dict(zip(sessions["code"], sessions["title"]))
    value = st.selectbox("Séance", list(titles), format_func=lambda c: f"{titles[c]} ({c})",
                         key="restitution_workshop")

key = (dataset.cache_key, kind, value)
if st.button("Préparer les documents", type="primary"):
    with st.status("Préparation des documents…", expanded=True) as status:
        st.write("Rassemblement des chiffres et des sources…")
        content = build_report(dataset, departements(), contours("departements-web.geojson"),
                               kind, value, engine)
        st.write("Dessin des graphiques…")
        figures = content.figures()
        try:
            images = dict(zip((id(f) for f in figures), render_pngs([f.figure for f in figures])))
        except ChartExportUnavailable as error:
            st.warning(str(error))
            images = {}
        st.write("Mise en page du diaporama et du rapport…")
        st.session_state["restitution"] = {
            "key": key, "title": content.title,
            "pptx": render_pptx(content, images), "pdf": render_pdf(content, images)}
        status.update(label="Documents prêts", state="complete", expanded=False)

ready = st.session_state.get("restitution")
if ready and ready["key"] == key:
    st.success(f"{ready['title']} : documents prêts.")
    columns = st.columns(2)
    columns[0].download_button("Diaporama (PowerPoint)", ready["pptx"], file_name="restitution.pptx",
                               on_click="ignore", type="primary", icon=":material/slideshow:",
                               mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    columns[1].download_button("Rapport (PDF)", ready["pdf"], file_name="restitution.pdf",
                               mime="application/pdf", on_click="ignore", type="primary",
                               icon=":material/picture_as_pdf:")

st.subheader("Les données du périmètre")
scoped = scope_dataset(dataset, kind, value, engine)
show_dataset_downloads(scoped, "restitution_donnees", "Tables (XLSX, une feuille par table)",
                       "Tables (CSV, archive ZIP)", cache_key=f"{dataset.cache_key}:{kind}:{value}")
