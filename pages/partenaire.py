"""Espace partenaire: a partner, through its private link, sees its essaimages and every
partner's figures, declares its own values and settles disagreements with the others."""

import streamlit as st

from components.data_access import current_dataset, current_engine, departements
from components.lazy_tabs import show_lazy_tabs
from components.partner_space import (
    draw_declaration_file,
    draw_declaration_form,
    draw_history,
    draw_scope_summary,
    draw_shared_figures,
)
from components.routing import route_page_through_app
from components.thread_view import draw_threads
from components.workshop_ui import current_client
from essaim.partners.links import PartnerAccessError, open_link
from essaim.partners.scope import OutOfScopeError, scope_of

route_page_through_app()

dataset = current_dataset()
engine = current_engine()
st.title("Espace partenaire")

# The private link's key is taken once, kept in this browser session and removed from the
# address (history, a projected screen, the Referer of every request must not show it).
if st.query_params.get("jeton"):
    st.session_state["partner_token"] = st.query_params["jeton"]
    del st.query_params["jeton"]
token = st.session_state.get("partner_token", "")
if not token:
    st.info("Cet espace s'ouvre avec le lien privé que l'ANSA vous a transmis : il donne accès "
            "aux essaimages auxquels votre structure participe, sans compte ni mot de passe.",
            icon=":material/key:")
    with st.form("partner_token"):
        typed = st.text_input("Collez ici votre lien privé", max_chars=400)
        if st.form_submit_button("Ouvrir mon espace", type="primary") and typed.strip():
            st.session_state["partner_token"] = typed.strip().split("jeton=")[-1].split("&")[0]
            st.rerun()
    st.stop()

try:
    link = open_link(engine, token, current_client())
    scope = scope_of(dataset, link.partner_code)
except (PartnerAccessError, OutOfScopeError) as error:
    st.session_state.pop("partner_token", None)
    st.error(str(error))
    st.stop()

draw_scope_summary(dataset, scope, link)
notice = st.session_state.pop("partner_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")
show_lazy_tabs({
    "Vos essaimages et leurs chiffres": lambda: draw_shared_figures(dataset, scope, departements()),
    "Déclarer des valeurs": lambda: (draw_declaration_form(engine, dataset, scope, link),
                                     st.divider(),
                                     draw_declaration_file(engine, dataset, scope, link)),
    "Désaccords": lambda: draw_threads(engine, dataset, scope=scope, author=link.label),
    "Historique": lambda: draw_history(engine, dataset, scope, link),
}, key="partner_tab")
