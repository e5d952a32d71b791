"""Disagreement threads on screen, for a partner (its scope) or for ANSA (every thread, with
arbitration). Every action goes through essaim.partners.threads, which checks the scope on the server."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.data.dataset import Dataset
from essaim.figures.counted import STATUS_LABELS
from essaim.numbers.formatting import escape_markdown, format_value, plural
from essaim.partners import threads
from essaim.partners.scope import PartnerScope


def _labels(dataset: Dataset) -> tuple[dict, dict, dict, dict]:
    indicators = dataset.indicators.set_index("code")
    return (indicators["label"].to_dict(), dict(zip(dataset.territories["code"],
                                                    dataset.territories["name"])),
            dict(zip(dataset.partners["code"], dataset.partners["name"])),
            indicators[["unit", "measure"]].to_dict("index"))


def thread_title(thread: dict, dataset: Dataset) -> str:
    """« Sorties vers l'emploi · Rennes · 2019 — ouvert »."""
    indicators, territories, _, _ = _labels(dataset)
    return (f"{indicators.get(thread['indicator_code'], thread['indicator_code'])} · "
            f"{territories.get(thread['territory_code'], thread['territory_code'])} · "
            f"{thread['period']} — {threads.STATUSES[thread['status']]}")


def _reports(thread: dict, dataset: Dataset) -> pd.DataFrame:
    _indicators, _, partners, units = _labels(dataset)
    values = dataset.indicator_values
    mask = ((values["indicator_code"] == thread["indicator_code"])
            & (values["territory_code"] == thread["territory_code"])
            & (values["period"] == thread["period"]))
    mask &= (values["essaimage_code"] == thread["essaimage_code"]) if thread["essaimage_code"] \
        else values["essaimage_code"].isna()
    unit = units.get(thread["indicator_code"], {"unit": "", "measure": "count"})
    return pd.DataFrame({
        "Partenaire": values.loc[mask, "partner_code"].map(lambda c: partners.get(c, c)),
        "Valeur déclarée": [format_value(v, unit["unit"], unit["measure"])
                            for v in values.loc[mask, "value"]],
        "Source": values.loc[mask, "source"]})


def _draw_messages(messages: pd.DataFrame, dataset: Dataset, thread: dict) -> None:
    _, _, partners, units = _labels(dataset)
    unit = units.get(thread["indicator_code"], {"unit": "", "measure": "count"})
    if messages.empty:
        st.caption("Pas encore de message : dites comment vous définissez ou comptez ce chiffre.")
    for message in messages.itertuples():
        who = partners.get(message.partner_code, "ANSA") if message.partner_code else (
            "Essaim" if message.kind == "system" else "ANSA")
        when = pd.Timestamp(message.created_at).tz_localize("UTC") if pd.Timestamp(
            message.created_at).tzinfo is None else pd.Timestamp(message.created_at)
        when = when.tz_convert("Europe/Paris").strftime("%d/%m/%Y %H:%M")
        text = escape_markdown(message.text) if message.text else ""
        if message.kind == "proposal":
            text = (f"**{format_value(message.value, unit['unit'], unit['measure'])}** — "
                    + text)
        if message.kind == "agreement":
            text = f"d'accord avec la proposition n°{int(message.proposal_id)}"
        st.markdown(f"**{threads.MESSAGE_KINDS[message.kind]}** (n°{message.id}) · "
                    f"{escape_markdown(who)} · {when} (heure de Paris)  \n{text}")


def draw_thread(engine, dataset: Dataset, thread: dict, *, scope: PartnerScope | None,
                author: str) -> None:
    """One thread: the reports, what counts now, the messages, and the actions allowed."""
    data = threads.read_thread(engine, thread["id"], scope)
    thread, messages = data["thread"], data["messages"]
    st.markdown("**Déclarations**")
    st.dataframe(_reports(thread, dataset), hide_index=True)
    if thread["status"] != "open":
        _, _, _, units = _labels(dataset)
        unit = units.get(thread["indicator_code"], {"unit": "", "measure": "count"})
        st.success(f"{STATUS_LABELS[thread['resolution_kind']].capitalize()} : "
                   f"{format_value(thread['resolved_value'], unit['unit'], unit['measure'])} — "
                   f"{escape_markdown(thread['reason'])}", icon=":material/handshake:")
    _draw_messages(messages, dataset, thread)
    if thread["status"] != "open":
        return
    key = f"thread_{thread['id']}"
    if scope is not None:
        _draw_agreements(engine, dataset, thread, messages, scope, author, key)
    with st.form(f"{key}_message", clear_on_submit=True):
        kinds = ["definition", "comment", "proposal", "definition_proposal"]
        kind = st.selectbox("Votre message", kinds, format_func=threads.MESSAGE_KINDS.get,
                            key=f"{key}_kind")
        value = st.number_input("Valeur proposée (pour une proposition de valeur)", value=None,
                                key=f"{key}_value")
        text = st.text_area("Texte", max_chars=threads.MAX_MESSAGE, key=f"{key}_text",
                            help=f"{threads.MAX_MESSAGE} caractères au plus.")
        if st.form_submit_button("Envoyer", type="primary"):
            _act(lambda: threads.post_message(engine, dataset, thread["id"], kind=kind,
                                              author=author, scope=scope, text=text,
                                              value=value), "Message enregistré.")
    if scope is None:
        draw_arbitration(engine, dataset, thread, author, key)


def _draw_agreements(engine, dataset, thread, messages, scope, author, key) -> None:
    proposals = messages[messages["kind"].isin(["proposal", "definition_proposal"])]
    agreed = set(messages.loc[(messages["kind"] == "agreement")
                              & (messages["partner_code"] == scope.partner_code), "proposal_id"])
    for proposal in proposals.itertuples():
        mine = proposal.partner_code == scope.partner_code
        if mine or proposal.id in agreed:
            continue
        if st.button(f"Je suis d'accord avec la proposition n°{proposal.id}",
                     key=f"{key}_agree_{proposal.id}"):
            _act(lambda p=proposal.id: threads.agree(engine, dataset, thread["id"], p,
                                                     scope=scope, author=author).text, None)


def draw_arbitration(engine, dataset: Dataset, thread: dict, author: str, key: str) -> None:
    """ANSA settles the thread as arbiter: a value and the reason, visible to all."""
    with st.form(f"{key}_arbitrate"):
        st.markdown("**Arbitrage de l'ANSA**")
        value = st.number_input("Valeur retenue", value=None, key=f"{key}_arb_value")
        reason = st.text_input("Raison (visible de tous)", max_chars=300, key=f"{key}_reason")
        if st.form_submit_button("Arbitrer"):
            if value is None:
                st.error("Indiquez la valeur retenue.")
                return
            _act(lambda: threads.arbitrate(engine, dataset, thread["id"], value=value,
                                           reason=reason, author=author).text, None)


def _act(action, success: str | None) -> None:
    """Run a thread action; say its outcome in French; rerun so that everyone's view updates."""
    try:
        outcome = action()
    except threads.ThreadError as error:
        st.error(str(error))
        return
    st.session_state["thread_notice"] = success or str(outcome)
    st.rerun()


def draw_threads(engine, dataset: Dataset, *, scope: PartnerScope | None, author: str) -> None:
    """Every thread the viewer may see, open ones first, each in an expander."""
    threads.ensure_threads(engine, dataset)
    notice = st.session_state.pop("thread_notice", None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    listed = threads.list_threads(engine, scope)
    if listed.empty:
        st.success("Aucun désaccord entre partenaires sur ces essaimages.")
        return
    open_count = int((listed["status"] == "open").sum())
    st.caption(f"{plural(open_count, 'fil ouvert', 'fils ouverts')} sur {len(listed)}. Un fil "
               "s'ouvre quand deux "
               "partenaires déclarent des valeurs plus éloignées que la tolérance de "
               "l'indicateur ; il se clôt quand tous les partenaires concernés acceptent la même "
               "proposition, ou par arbitrage de l'ANSA.")
    for thread in listed.to_dict("records"):
        with st.expander(thread_title(thread, dataset), expanded=thread["status"] == "open"
                         and len(listed) <= 3):
            draw_thread(engine, dataset, thread, scope=scope, author=author)
