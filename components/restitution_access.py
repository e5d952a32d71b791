"""Who may prepare the restitution of a workshop session or of a national day: never listed to
anonymous visitors; opened with the code and the facilitators' (organisers') PIN or private key,
checked on the server, or all listed with the administration password."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components.admin import require_admin
from components.workshop_ui import current_client
from essaim import workshops
from essaim.workshops.days import find_day, list_days, verify_organiser

UNLOCKED = "restitution_unlocked"  # kind → {code: title}, for this browser session only


@dataclass(frozen=True)
class LockedScope:
    kind: str  # "atelier", "journee"
    noun: str  # « la séance », « la journée »
    code_label: str
    secret_label: str
    open_label: str
    select_label: str
    select_key: str
    notice: str
    verify: Callable[..., bool]  # (engine, code, token=, pin=, client=) → allowed
    title_of: Callable[[object, str], str | None]  # (engine, code) → its title, None if unknown
    list_all: Callable[[object], dict[str, str]]  # engine → {code: title}


def _secret_from(typed: str) -> str:
    """A PIN, a private key, or a whole private link pasted: its key."""
    return typed.strip().split("cle=")[-1].split("&")[0]


def _unlock(engine, spec: LockedScope) -> None:
    with st.form(f"restitution_unlock_{spec.kind}"):
        code = st.text_input(spec.code_label, max_chars=12)
        secret = st.text_input(spec.secret_label, type="password")
        if not st.form_submit_button(spec.open_label):
            return
    code, secret = workshops.normalise_code(code), _secret_from(secret)
    try:
        allowed = bool(code and secret) and spec.verify(
            engine, code, token=secret, pin=secret if len(secret) <= 12 else "",
            client=current_client())
    except workshops.WorkshopError as error:  # too many wrong PINs: says how long to wait
        st.error(str(error))
        return
    title = spec.title_of(engine, code) if allowed else None
    if title is None:
        st.error(f"Code, code PIN ou clé incorrect pour {spec.noun}.")
        return
    st.session_state.setdefault(UNLOCKED, {}).setdefault(spec.kind, {})[code] = title
    st.session_state[spec.select_key] = code


def choose_locked(engine, spec: LockedScope) -> str:
    """A session or day this visitor may see: one they unlocked, or any for the
    administration. Stops the page until there is one."""
    st.info(spec.notice, icon=":material/lock:")
    how = st.radio("Accès", ["pin", "admin"], horizontal=True, key=f"restitution_access_{spec.kind}",
                   format_func={"pin": f"{spec.code_label} et code PIN",
                                "admin": "Mot de passe d'administration"}.get)
    if how == "admin":
        require_admin()  # stops here, with its form, until the password is given
        titles = spec.list_all(engine)
    else:
        _unlock(engine, spec)
        titles = st.session_state.get(UNLOCKED, {}).get(spec.kind, {})
    if not titles:
        st.stop()
    if st.session_state.get(spec.select_key) not in titles:
        st.session_state.pop(spec.select_key, None)
    return st.selectbox(spec.select_label, list(titles), key=spec.select_key,
                        format_func=lambda c: f"{titles[c]} ({c})")


def _workshop_title(engine, code: str) -> str | None:
    found = workshops.find_workshop(engine, code)
    return found.title if found else None


def _day_title(engine, code: str) -> str | None:
    found = find_day(engine, code)
    return found.title if found else None


def _all_days(engine) -> dict[str, str]:
    return {code: f"{title}, {day:%d/%m/%Y}" for code, title, day in list_days(engine)}


def _all_sessions(engine) -> dict[str, str]:
    sessions = workshops.list_workshops(engine)
    return dict(zip(sessions["code"], sessions["title"]))


LOCKED_SCOPES = {
    "atelier": LockedScope(
        "atelier", "la séance", "Code de la séance",
        "Code PIN d'animation, ou clé privée du lien d'animation", "Ouvrir la séance", "Séance",
        "restitution_workshop",
        "Les séances d'atelier ne sont pas listées publiquement. Pour la restitution d'une "
        "séance, donnez son code et le code PIN d'animation (ou la clé privée du lien "
        "d'animation) ; avec le mot de passe d'administration, toutes les séances sont listées.",
        workshops.verify_facilitator, _workshop_title, _all_sessions),
    "journee": LockedScope(
        "journee", "la journée", "Code de la journée",
        "Code PIN des organisateurs, ou clé privée de leur lien", "Ouvrir la journée", "Journée",
        "restitution_day",
        "Les journées nationales ne sont pas listées publiquement. Pour la restitution d'une "
        "journée (la synthèse des grands témoins), donnez son code et le code PIN des "
        "organisateurs (ou la clé privée de leur lien) ; avec le mot de passe d'administration, "
        "toutes les journées sont listées.",
        verify_organiser, _day_title, _all_days),
}
