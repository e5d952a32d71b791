"""The blocks of a partner's own space: its essaimages with every partner's figures and the
reference statistics, the declaration form and file, and its history. Every read and write goes
through essaim (scope checked on the server)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.number_field import french_number_field
from components.tables import show_table_with_download
from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.counted import STATUS_LABELS, counted_values
from essaim.numbers.formatting import (
    escape_markdown,
    format_percent,
    format_plain,
    format_value,
    plural,
)
from essaim.numbers.ranges import ValueRule
from essaim.partners.declarations import (
    check_declared_file,
    check_form_row,
    declare_values,
    read_declarations,
    restore_declaration,
    scope_template,
    withdraw_declaration,
)
from essaim.partners.links import PartnerLink
from essaim.partners.scope import PartnerScope, essaimages_in_scope, values_in_scope


def draw_scope_summary(dataset: Dataset, scope: PartnerScope, link: PartnerLink) -> None:
    """Who the space is for, its essaimages, and until when the link works."""
    essaimages = essaimages_in_scope(dataset, scope)
    st.markdown(f"### {escape_markdown(scope.partner_name)}")
    st.caption(f"Lien « {escape_markdown(link.label)} », valable jusqu'au "
               f"{link.expires_at:%d/%m/%Y}. Vos essaimages : "
               + (", ".join(f"{escape_markdown(e.innovation)} à {escape_markdown(e.territory)}"
                            for e in essaimages.itertuples()) or "aucun pour l'instant"))


def draw_shared_figures(dataset: Dataset, scope: PartnerScope, departements: pd.DataFrame) -> None:
    """Every partner's values for the scope's essaimages, which one counts, and the
    département's reference statistics beside them."""
    values = values_in_scope(dataset.indicator_values, scope)
    if values.empty:
        st.info("Aucune valeur n'est encore déclarée pour vos essaimages : utilisez l'onglet "
                "« Déclarer des valeurs ».")
    else:
        definitions = dataset.indicators.set_index("code")
        partners = dict(zip(dataset.partners["code"], dataset.partners["name"]))
        counted = counted_values(dataset)
        status = counted.assign(e=counted["essaimage_code"].fillna("")).set_index(
            ["indicator_code", "territory_code", "e", "period"])["status"]
        table = values.sort_values(["indicator_code", "period", "partner_code"])
        show_table_with_download(pd.DataFrame({
            "Indicateur": table["indicator_code"].map(definitions["label"]),
            "Essaimage": table["essaimage_code"].fillna("tout le territoire"),
            "Période": table["period"],
            "Partenaire": table["partner_code"].map(lambda c: partners.get(c, c)),
            "Valeur": [format_value(v, definitions.at[i, "unit"], definitions.at[i, "measure"])
                       for v, i in zip(table["value"], table["indicator_code"])],
            "Ce qui compte": [STATUS_LABELS.get(status.get((i, t, e or "", p)), "") for i, t, e, p in
                              zip(table["indicator_code"], table["territory_code"],
                                  table["essaimage_code"].fillna(""), table["period"])],
            "Source": table["source"],
        }), f"valeurs_{scope.partner_code}", key="partner_values")
    draw_reference_statistics(dataset, scope, departements)


def draw_reference_statistics(dataset: Dataset, scope: PartnerScope,
                              departements: pd.DataFrame) -> None:
    """The public statistics of the départements of the scope's territories."""
    places = dataset.territories[dataset.territories["code"].isin(scope.territory_codes)]
    if places.empty:
        return
    reference = departements.set_index("code_departement")
    rows = []
    for code in sorted(set(places["code_departement"])):
        dep = reference.loc[code]
        rows += [{"Département": dep["nom_departement"], "Statistique": i.label,
                  "Valeur": format_percent(dep[i.column]), "Source": f"{i.source}, {i.vintage}"}
                 for i in REFERENCE_INDICATORS.values()]
    st.markdown("**Statistiques de référence de vos départements**")
    show_table_with_download(pd.DataFrame(rows), "references_partenaire", key="partner_reference")


def draw_declaration_form(engine, dataset: Dataset, scope: PartnerScope, link: PartnerLink
                          ) -> None:
    """One value typed in the form: read the French way and shown back before it is declared,
    checked like an import (every problem said at once), stored only if valid; an unusual value
    asks for a confirmation."""
    essaimages = essaimages_in_scope(dataset, scope)
    if essaimages.empty:
        st.info("Vous ne participez à aucun essaimage dans les données actuelles : rien à "
                "déclarer.")
        return
    definitions = dataset.indicators.set_index("code")
    places = {f"{e.code}": f"{e.innovation} à {e.territory}" for e in essaimages.itertuples()}
    places.update({f"territoire:{t}": f"Tout le territoire : {n}" for t, n in
                   essaimages[["territory_code", "territory"]].drop_duplicates().itertuples(
                       index=False)})
    left, right = st.columns(2)
    indicator = left.selectbox("Indicateur", list(definitions.index),
                               format_func=lambda c: f"{definitions.at[c, 'label']} "
                               f"({definitions.at[c, 'unit']})", key="declare_indicator")
    where = right.selectbox("Pour", list(places), format_func=places.get, key="declare_where")
    rule = ValueRule.of(definitions.loc[indicator])
    left, middle, right = st.columns([1, 1, 2])
    period = left.text_input("Année", max_chars=4, placeholder="2024", key="declare_period")
    value = french_number_field("Valeur", "declare_value", rule=rule, container=middle,
                                help=rule.describe().capitalize() or None)
    source = right.text_input("Source", max_chars=300, key="declare_source",
                              placeholder="ex. Bilan d'activité 2024")
    who = st.text_input("Déclaré par (nom ou fonction)", max_chars=100, key="declare_who")
    confirmed = _confirmation("declare")
    if st.button("Déclarer", type="primary", key="declare_button"):
        territory = (where.split(":", 1)[1] if where.startswith("territoire:")
                     else essaimages.set_index("code").at[where, "territory_code"])
        check = check_form_row({
            "indicator_code": indicator, "territory_code": territory,
            "essaimage_code": None if where.startswith("territoire:") else where,
            "period": period, "value": value.text, "source": source}, dataset, scope)
        _declare(engine, check, link, who, "formulaire", confirmed, "declare")


def _confirmation(key: str) -> bool:
    """The « I confirm » box, shown once a check found an unusual value."""
    unusual = st.session_state.get(f"{key}_unusual")
    if not unusual:
        return False
    st.warning("Valeur inhabituelle, à vérifier avant de la déclarer :\n\n" + "\n".join(
        f"- {escape_markdown(message)}" for message in unusual), icon=":material/warning:")
    return st.checkbox("Je confirme : j'ai vérifié cette valeur, elle est juste",
                       key=f"{key}_confirmed")


def _declare(engine, check, link: PartnerLink, who: str, channel: str, confirmed: bool,
             key: str) -> None:
    if check.errors:
        st.error("Rien n'a été enregistré :\n\n" + "\n".join(
            f"- {escape_markdown(str(issue))}" for issue in check.errors))
        return
    if check.unusual and not confirmed:
        st.session_state[f"{key}_unusual"] = [str(issue) for issue in check.unusual]
        st.rerun()
    saved = declare_values(engine, check, link, declared_by=who or link.label, channel=channel,
                           confirm_unusual=confirmed)
    st.session_state.pop(f"{key}_unusual", None)
    st.session_state["partner_notice"] = (
        f"{plural(saved, 'valeur enregistrée', 'valeurs enregistrées')}. Les autres "
        "partenaires la voient dès maintenant.")
    st.rerun()


def draw_declaration_file(engine, dataset: Dataset, scope: PartnerScope, link: PartnerLink
                          ) -> None:
    """The values template filtered to the scope, and its upload (same checks as an import, in
    one pass; rows left as downloaded mean « no change »)."""
    left, right = st.columns([1, 3])
    period = left.text_input("Année du modèle", max_chars=4, value=str(
        max(dataset.indicator_values["period"], default="2024")), key="template_period")
    right.download_button("Télécharger le modèle prérempli (XLSX)",
                          scope_template(dataset, scope, period.strip() or "2024"),
                          file_name=f"modele_valeurs_{scope.partner_code}_{period}.xlsx",
                          on_click="ignore", key="template_download",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.caption("Modifiez ou ajoutez des valeurs, avec leur source ; les lignes laissées telles "
               "quelles ne changent rien.")
    uploaded = st.file_uploader("Déposer le modèle rempli (XLSX ou CSV)", type=["xlsx", "csv"],
                                key="declaration_file")
    if uploaded is None:
        return
    check = check_declared_file(uploaded.name, uploaded.getvalue(), dataset, scope)
    if check.errors:
        _declare(engine, check, link, "", "modèle", False, "declare_file")
        return
    if not check.rows:
        st.info(f"Aucune valeur modifiée dans ce fichier ({plural(check.unchanged, 'ligne')} "
                "laissée(s) telle(s) quelle(s)) : rien à déclarer.", icon=":material/info:")
        return
    st.success(f"Fichier valide : {plural(len(check.rows), 'valeur', 'valeurs')} à déclarer"
               + (f" ({plural(check.unchanged, 'ligne inchangée', 'lignes inchangées')})"
                  if check.unchanged else "") + ".")
    if check.unusual:
        st.session_state["declare_file_unusual"] = [str(issue) for issue in check.unusual]
    confirmed = _confirmation("declare_file")
    who = st.text_input("Déclaré par (nom ou fonction)", max_chars=100, key="declare_file_who")
    if st.button("Déclarer ces valeurs", type="primary", key="declare_file_button"):
        _declare(engine, check, link, who, "modèle", confirmed, "declare_file")


def draw_history(engine, dataset: Dataset, scope: PartnerScope, link: PartnerLink) -> None:
    """The partner's declarations, newest first: each replaced one restorable, each current one
    withdrawable (the history keeps everything)."""
    history = read_declarations(engine, scope.partner_code)
    if history.empty:
        st.info("Vous n'avez encore rien déclaré par cet espace.")
        return
    definitions = dataset.indicators.set_index("code")
    when = pd.to_datetime(history["declared_at"], utc=True).dt.tz_convert("Europe/Paris")
    described = {row.id: _described(row, definitions, moment)
                 for row, moment in zip(history.itertuples(), when)}
    table = pd.DataFrame({
        "N°": history["id"], "Déclaré le (heure de Paris)": when.dt.strftime("%d/%m/%Y %H:%M"),
        "Par": history["declared_by"],
        "Indicateur": history["indicator_code"].map(lambda c: definitions["label"].get(c, c)),
        "Essaimage": history["essaimage_code"].fillna("tout le territoire"),
        "Période": history["period"],
        "Valeur": [_value_text(v, c, definitions) for v, c in
                   zip(history["value"], history["indicator_code"])],
        "Source": history["source"], "Voie": history["channel"],
        "État": [_state(r, w) for r, w in zip(history["replaced_at"], history["withdrawn_at"])],
        "Note": history["note"]})
    show_table_with_download(table, f"historique_{scope.partner_code}", key="partner_history")
    current = history[history["replaced_at"].isna() & history["withdrawn_at"].isna()]
    replaced = history[history["replaced_at"].notna() & history["withdrawn_at"].isna()]
    if not current.empty:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Retirer une de vos déclarations en vigueur", list(current["id"]),
                                format_func=described.get, key="withdraw_choice")
        if right.button("Retirer", key="withdraw_button", icon=":material/undo:"):
            _act(lambda: withdraw_declaration(engine, int(chosen), scope, link,
                                              withdrawn_by=link.label),
                 f"Déclaration retirée : {described[chosen]}. L'historique la garde.")
    if not replaced.empty:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox("Revenir à une valeur déclarée plus tôt", list(replaced["id"]),
                                format_func=described.get, key="restore_choice")
        if right.button("Restaurer", key="restore_button", icon=":material/restore:"):
            _act(lambda: restore_declaration(engine, int(chosen), dataset, scope, link,
                                             declared_by=link.label),
                 f"Valeur restaurée (nouvelle déclaration) : {described[chosen]}.")


def _value_text(value, indicator: str, definitions: pd.DataFrame) -> str:
    if indicator not in definitions.index:
        return format_plain(value)
    return format_value(value, definitions.at[indicator, "unit"],
                        definitions.at[indicator, "measure"])


def _described(row, definitions: pd.DataFrame, moment) -> str:
    """« n°12 — Bénéficiaires accompagnés 2023 : 61 (déclarée le 05/12/2026) »."""
    label = definitions["label"].get(row.indicator_code, row.indicator_code)
    return (f"n°{row.id} — {label} {row.period} : "
            f"{_value_text(row.value, row.indicator_code, definitions)} "
            f"(déclarée le {moment:%d/%m/%Y})")


def _state(replaced, withdrawn) -> str:
    if pd.notna(withdrawn):
        return "retirée"
    return "remplacée" if pd.notna(replaced) else "en vigueur"


def _act(action, notice: str) -> None:
    try:
        action()
    except ValueError as error:
        st.error(str(error))
        return
    st.session_state["partner_notice"] = notice
    st.rerun()
