"""Gérer les données (administration): dataset versions, templates and imports, partner links,
disagreements between partners."""

import streamlit as st

from components.admin import require_admin
from components.data_access import current_dataset, current_engine
from components.data_admin import draw_dataset_versions, draw_import, draw_templates
from components.lazy_tabs import show_lazy_tabs
from components.partner_admin import draw_link_administration
from components.routing import route_page_through_app
from components.thread_view import draw_definition_proposals, draw_threads

route_page_through_app()

dataset = current_dataset()
st.title("Gérer les données")
require_admin()
engine = current_engine()

show_lazy_tabs({
    "Jeux de données": lambda: draw_dataset_versions(engine, dataset),
    "Importer": lambda: (draw_templates(), draw_import(engine, dataset)),
    "Liens partenaires": lambda: draw_link_administration(engine, dataset),
    "Désaccords entre partenaires": lambda: (
        draw_definition_proposals(engine, dataset, author="ANSA"),
        draw_threads(engine, dataset, scope=None, author="ANSA")),
}, key="donnees_tab")
