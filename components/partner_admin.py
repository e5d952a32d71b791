"""ANSA's side of the partner spaces (Gérer les données): create, list and revoke private links,
and follow or arbitrate every disagreement thread."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.number_field import french_number_field
from components.text_field import text_with_limit
from components.workshop_ui import app_base_url
from essaim.data.dataset import Dataset
from essaim.numbers.formatting import escape_markdown
from essaim.numbers.ranges import ValueRule
from essaim.partners.links import (
    DEFAULT_VALIDITY_DAYS,
    MAX_VALIDITY_DAYS,
    PartnerAccessError,
    create_link,
    list_links,
    revoke_link,
)

PARTNER_PAGE = "partenaire"


def partner_link_url(token: str) -> str:
    """The address a partner opens (ESSAIM_PUBLIC_URL or the address of this browser)."""
    return f"{app_base_url()}/{PARTNER_PAGE}?jeton={token}"


def draw_link_creation(engine, dataset: Dataset) -> None:
    """A form to create a link; the new link is shown once, to copy and send."""
    partners = dict(zip(dataset.partners["code"], dataset.partners["name"]))
    partner = st.selectbox("Partenaire", sorted(partners, key=partners.get),
                           format_func=partners.get, key="link_partner")
    label = text_with_limit("Pour qui (nom, fonction)", "link_label", 200, area=False)
    days = french_number_field("Valable (jours)", "link_days", value=DEFAULT_VALIDITY_DAYS,
                               rule=ValueRule("count", "jours", 1, MAX_VALIDITY_DAYS),
                               placeholder=str(DEFAULT_VALIDITY_DAYS))
    who = text_with_limit("Créé par", "link_creator", 100, area=False)
    if st.button("Créer le lien", type="primary", key="link_create"):
        if not days.ok or label.too_long or who.too_long:
            st.error("Lien non créé : corrigez les champs signalés.")
            return
        try:
            token = create_link(engine, partner, label=label.text, created_by=who.text,
                                validity_days=int(days.value))
        except PartnerAccessError as error:
            st.error(str(error))
        else:
            st.session_state["new_partner_link"] = partner_link_url(token)
    url = st.session_state.get("new_partner_link")
    if url:
        st.success("Lien créé. Copiez-le maintenant et transmettez-le au partenaire : il ne "
                   "sera plus affiché (seule son empreinte est conservée).",
                   icon=":material/key:")
        st.code(url, language=None)


def draw_links(engine, dataset: Dataset) -> None:
    """Every link with its state; revoke one."""
    links = list_links(engine)
    if links.empty:
        st.caption("Aucun lien partenaire pour l'instant.")
        return
    partners = dict(zip(dataset.partners["code"], dataset.partners["name"]))

    def paris(column: str) -> pd.Series:
        stamps = pd.to_datetime(links[column], utc=True)
        return stamps.dt.tz_convert("Europe/Paris").dt.strftime("%d/%m/%Y").fillna("—")

    st.dataframe(pd.DataFrame({
        "N°": links["id"], "Partenaire": links["partner_code"].map(lambda c: partners.get(c, c)),
        "Pour": links["label"], "Créé par": links["created_by"], "Créé le": paris("created_at"),
        "Expire le": paris("expires_at"), "Dernier usage": paris("last_used_at"),
        "État": links["status"]}), hide_index=True)
    active = links[links["status"] == "actif"]
    if active.empty:
        return
    left, right = st.columns([3, 1])
    chosen = left.selectbox("Révoquer un lien", list(active["id"]), key="revoke_choice",
                            format_func=lambda i: f"n°{i} — " + escape_markdown(
                                active.set_index("id").at[i, "label"]))
    if right.button("Révoquer", key="revoke_button"):
        revoke_link(engine, int(chosen))
        st.rerun()


def draw_link_administration(engine, dataset: Dataset) -> None:
    """What a link gives, its creation and the list of links."""
    st.subheader("Liens partenaires")
    st.caption("Un lien privé ouvre à un partenaire son espace : ses essaimages, les chiffres de "
               "tous les partenaires sur ces essaimages, la déclaration de ses propres valeurs et "
               "les fils de désaccord. Il expire et se révoque ; rien n'est lisible hors de ses "
               "essaimages.")
    draw_link_creation(engine, dataset)
    draw_links(engine, dataset)
