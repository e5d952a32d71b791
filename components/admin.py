"""The administration gate: a password from st.secrets or ESSAIM_ADMIN_PASSWORD, checked on the
server; without one configured, the page stays closed."""

from __future__ import annotations

import hmac

import streamlit as st

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
            if hmac.compare_digest(typed.encode(), expected.encode()):
                st.session_state[ADMIN_KEY] = True
                st.rerun()
            st.error("Mot de passe incorrect.")
    st.stop()
