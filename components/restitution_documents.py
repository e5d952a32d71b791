"""Prepare a restitution's deck and PDF on demand, then offer both downloads (the restitution
page and the day's synthesis tab share it)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from essaim.numbers.formatting import escape_markdown
from essaim.reports.model import ReportContent
from essaim.reports.render import PDF_MIME, PPTX_MIME, render_documents

READY = "restitution"  # {"key": what the documents were made of, "documents": Documents}


def draw_documents(key: Hashable, make_content: Callable[[], ReportContent],
                   label: str = "Préparer les documents") -> None:
    """A button that gathers the content (French ValueError shown as is) and lays both documents
    out, then their download buttons for as long as `key` stays the same."""
    if st.button(label, type="primary", key=f"prepare_{READY}"):
        with st.status("Préparation des documents…", expanded=True) as status:
            st.write("Rassemblement des chiffres, des points de comparaison et des sources…")
            try:
                content = make_content()
            except ValueError as error:
                status.update(label="Documents non préparés", state="error")
                st.error(str(error))
                return
            st.write("Mise en page du diaporama et du rapport…")
            st.session_state[READY] = {"key": key, "documents": render_documents(content)}
            status.update(label="Documents prêts", state="complete", expanded=False)
    ready = st.session_state.get(READY)
    if not ready or ready["key"] != key:
        return
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
