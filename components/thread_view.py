"""Disagreement threads on screen, for a partner (its scope) or for ANSA (every thread, with
arbitration). Every action goes through essaim.partners.threads, which checks the scope on the server."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.number_field import french_number_field
from components.text_field import text_with_limit
from essaim.data.dataset import Dataset
from essaim.figures.counted import STATUS_LABELS
from essaim.numbers.formatting import escape_markdown, format_value, plural
from essaim.numbers.ranges import ValueRule
from essaim.partners import settlements, threads
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
        if message.kind == "system":
            who = "Essaim"
        elif message.partner_code:
            who = partners.get(message.partner_code, message.partner_code)
        else:
            who = f"ANSA ({message.author})" if message.author not in ("", "ANSA") else "ANSA"
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


def _rule(dataset: Dataset, thread: dict) -> ValueRule:
    definitions = dataset.indicators.set_index("code")
    code = thread["indicator_code"]
    return ValueRule.of(definitions.loc[code]) if code in definitions.index else ValueRule()


def draw_thread(engine, dataset: Dataset, thread: dict, *, scope: PartnerScope | None,
                author: str) -> None:
    """One thread: the reports, what counts now (and the rule meanwhile when a settlement is
    called into question), the messages, and the actions allowed."""
    data = threads.read_thread(engine, thread["id"], scope)
    thread, messages = data["thread"], data["messages"]
    st.markdown("**Déclarations**")
    st.dataframe(_reports(thread, dataset), hide_index=True)
    _, _, _, units = _labels(dataset)
    unit = units.get(thread["indicator_code"], {"unit": "", "measure": "count"})
    settled = format_value(thread["resolved_value"], unit["unit"], unit["measure"]) \
        if thread["resolved_value"] is not None and not pd.isna(thread["resolved_value"]) else ""
    if thread["status"] in ("agreed", "arbitrated"):
        st.success(f"{STATUS_LABELS[thread['resolution_kind']].capitalize()} : {settled} — "
                   f"{escape_markdown(thread['reason'])}", icon=":material/handshake:")
    elif thread["status"] == "reopened":
        st.warning(f"Remis en cause par {escape_markdown(thread['reopened_by'])} : "
                   f"{settlements.WHILE_REOPENED.format(settled=settled)}.",
                   icon=":material/sync_problem:")
    _draw_messages(messages, dataset, thread)
    key = f"thread_{thread['id']}"
    if thread["status"] not in threads.DISCUSSED:
        if scope is None:
            draw_reopening(engine, dataset, thread, author, key)
        return
    if scope is not None:
        _draw_agreements(engine, dataset, thread, messages, scope, author, key)
    _draw_message_form(engine, dataset, thread, scope, author, key)
    if scope is None:
        draw_arbitration(engine, dataset, thread, author, key)


def _draw_message_form(engine, dataset: Dataset, thread: dict, scope, author: str,
                       key: str) -> None:
    kinds = ["definition", "comment", "proposal", "definition_proposal"]
    kind = st.selectbox("Votre message", kinds, format_func=threads.MESSAGE_KINDS.get,
                        key=f"{key}_kind")
    value = None
    if kind == "proposal":
        value = french_number_field("Valeur proposée", f"{key}_value", rule=_rule(dataset, thread))
    text = text_with_limit("Texte", f"{key}_text", threads.MAX_MESSAGE)
    if st.button("Envoyer", type="primary", key=f"{key}_send"):
        if value is not None and not value.ok:
            st.error(f"Valeur proposée : {value.error or 'à saisir'}.")
            return
        if text.too_long:
            st.error(text.message)
            return
        _act(lambda: threads.post_message(engine, dataset, thread["id"], kind=kind,
                                          author=author, scope=scope, text=text.text,
                                          value=value.value if value else None),
             "Message enregistré.", clear=[f"{key}_text", f"{key}_value"])


def _draw_agreements(engine, dataset, thread, messages, scope, author, key) -> None:
    proposals = messages[messages["kind"].isin(["proposal", "definition_proposal"])]
    counted = threads.agreements_since_reopening(thread, messages)
    agreed = set(counted.loc[counted["partner_code"] == scope.partner_code, "proposal_id"])
    for proposal in proposals.itertuples():
        mine = proposal.partner_code == scope.partner_code and not threads.before_reopening(
            thread, proposal.created_at)
        if mine or proposal.id in agreed:
            continue
        if st.button(f"Je suis d'accord avec la proposition n°{proposal.id}",
                     key=f"{key}_agree_{proposal.id}"):
            _act(lambda p=proposal.id: threads.agree(engine, dataset, thread["id"], p,
                                                     scope=scope, author=author).text, None)


def draw_arbitration(engine, dataset: Dataset, thread: dict, author: str, key: str) -> None:
    """ANSA settles the thread as arbiter: a value (read the French way, within the indicator's
    rule) and the reason, visible to all."""
    st.markdown("**Arbitrage de l'ANSA**")
    value = french_number_field("Valeur retenue", f"{key}_arb_value", rule=_rule(dataset, thread))
    reason = text_with_limit("Raison (visible de tous)", f"{key}_reason", 300, area=False)
    if st.button("Arbitrer", key=f"{key}_arbitrate"):
        if not value.ok:
            st.error(f"Valeur retenue : {value.error or 'à saisir'}.")
            return
        if reason.too_long:
            st.error(reason.message)
            return
        _act(lambda: settlements.arbitrate(engine, dataset, thread["id"], value=value.value,
                                           reason=reason.text, author=author).text, None,
             clear=[f"{key}_arb_value", f"{key}_reason"])


def draw_reopening(engine, dataset: Dataset, thread: dict, author: str, key: str) -> None:
    """ANSA reopens a settled thread (the settled value counts until it is settled again)."""
    with st.expander("Rouvrir ce fil (ANSA)"):
        reason = text_with_limit("Raison de la réouverture (visible de tous)", f"{key}_reopen",
                                 300, area=False)
        if st.button("Rouvrir", key=f"{key}_reopen_button"):
            _act(lambda: settlements.reopen_arbitration(engine, dataset, thread["id"],
                                                        reason=reason.text, author=author).text,
                 None, clear=[f"{key}_reopen"])


def _act(action, success: str | None, clear: list[str] = ()) -> None:
    """Run a thread action; say its outcome in French; empty the fields it used; rerun so that
    everyone's view updates. On refusal, the fields keep what was typed."""
    try:
        outcome = action()
    except threads.ThreadError as error:
        st.error(str(error))
        return
    for field in clear:
        st.session_state.pop(field, None)
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


def draw_definition_proposals(engine, dataset: Dataset, author: str) -> None:
    """Definitions partners agreed for one essaimage, proposed to ANSA: each can become the
    indicator's definition for the whole accelerator (only ANSA decides)."""
    history = settlements.definition_history(engine)
    national = history[history["status"] == "nationale"]
    local = history[(history["status"] == "locale")
                    & ~history["definition"].isin(set(national["definition"]))]
    if local.empty:
        return
    labels = dataset.indicators.set_index("code")["label"]
    st.markdown("**Définitions convenues localement, proposées à l'ANSA**")
    for row in local.itertuples():
        st.markdown(f"- {escape_markdown(labels.get(row.indicator_code, row.indicator_code))}, "
                    f"{escape_markdown(row.essaimage_code or 'tout le territoire')} : "
                    f"« {escape_markdown(row.definition)} » ({escape_markdown(row.agreed_by)})")
        if st.button("Adopter pour tout l'accélérateur", key=f"adopt_definition_{row.id}"):
            _act(lambda i=row.id: settlements.adopt_national_definition(
                engine, dataset, int(i), author=author).text, None)
