"""The administration gate: a password from st.secrets or ESSAIM_ADMIN_PASSWORD, checked on the
server and paced like a session PIN (per device, per network, and for the password itself: a
guesser waits, nobody is locked out); without one configured, the page stays closed."""

from __future__ import annotations

import hmac

import streamlit as st

from components.data_access import current_engine
from components.workshop_ui import current_client
from essaim import access
from essaim.settings import read_setting

ADMIN_KEY = "admin_authenticated"
ADMIN_TARGET = "administration"


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
            engine, client = current_engine(), current_client()
            try:
                access.check_pace(engine, "admin", client, ADMIN_TARGET)
            except access.TooManyAttempts as error:
                st.error(str(error))
                st.stop()
            if hmac.compare_digest(typed.encode(), expected.encode()):
                st.session_state[ADMIN_KEY] = True
                st.rerun()
            access.record_failure(engine, "admin", client, ADMIN_TARGET)
            st.error("Mot de passe incorrect.")
    st.stop()
