"""The administration gate on screen: the password comes from st.secrets or ESSAIM_ADMIN_PASSWORD
and is checked on the server by essaim.access.verify_admin_password (paced like a session PIN:
per device, per network, and for the password itself — a guesser waits, nobody is locked out);
without one configured, the page stays closed."""

from __future__ import annotations

import streamlit as st

from components.data_access import current_engine
from components.workshop_ui import current_client
from essaim import access
from essaim.settings import read_setting

ADMIN_KEY = "admin_authenticated"


def _configured_password() -> str:
    try:
        secret = st.secrets.get("admin_password", "")
    except Exception:  # noqa: BLE001 - no secrets file at all
        secret = ""
    return str(secret or read_setting("ESSAIM_ADMIN_PASSWORD"))


def require_admin() -> None:
    """Stop the page unless this session has given the administration password."""
    if st.session_state.get(ADMIN_KEY):
        return
    expected = _configured_password()
    if not expected:
        st.error("Aucun mot de passe d'administration n'est configuré : la page reste fermée. "
                 "Définissez ESSAIM_ADMIN_PASSWORD (ou admin_password dans .streamlit/secrets.toml) "
                 "puis redémarrez Essaim.")
        st.stop()
    with st.form("admin_login"):
        typed = st.text_input("Mot de passe d'administration", type="password")
        if st.form_submit_button("Entrer"):
            try:
                accepted = access.verify_admin_password(current_engine(), current_client(),
                                                        typed, expected)
            except access.TooManyAttempts as error:
                st.error(str(error))
                st.stop()
            if accepted:
                st.session_state[ADMIN_KEY] = True
                st.rerun()
            st.error("Mot de passe incorrect.")
    st.stop()
