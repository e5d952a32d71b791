"""The blocks of a partner's own space: its essaimages with every partner's figures and the
reference statistics, the declaration form and file, and its history. Every read and write goes
through essaim (scope checked on the server)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.tables import show_table_with_download
from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.counted import STATUS_LABELS, counted_values
from essaim.numbers.formatting import escape_markdown, format_percent, format_value, plural
from essaim.partners.declarations import (
    check_declared_file,
    check_form_row,
    declare_values,
    read_declarations,
    restore_declaration,
    scope_template,
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
    """One value typed in a form: checked like an import, stored only if valid."""
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
    with st.form("declaration", clear_on_submit=False):
        left, right = st.columns(2)
        indicator = left.selectbox("Indicateur", list(definitions.index),
                                   format_func=lambda c: f"{definitions.at[c, 'label']} "
                                   f"({definitions.at[c, 'unit']})", key="declare_indicator")
        where = right.selectbox("Pour", list(places), format_func=places.get, key="declare_where")
        left, middle, right = st.columns([1, 1, 2])
        period = left.text_input("Année", max_chars=4, placeholder="2024", key="declare_period")
        value = middle.text_input("Valeur", max_chars=30, placeholder="ex. 12,5",
                                  key="declare_value")
        source = right.text_input("Source", max_chars=300, key="declare_source",
                                  placeholder="ex. Bilan d'activité 2024")
        who = st.text_input("Déclaré par (nom ou fonction)", max_chars=100, key="declare_who")
        if st.form_submit_button("Déclarer", type="primary"):
            territory = (where.split(":", 1)[1] if where.startswith("territoire:")
                         else essaimages.set_index("code").at[where, "territory_code"])
            check = check_form_row({
                "indicator_code": indicator, "territory_code": territory,
                "essaimage_code": None if where.startswith("territoire:") else where,
                "period": period, "value": value, "source": source}, dataset, scope)
            _declare(engine, check, link, who)


def _declare(engine, check, link: PartnerLink, who: str) -> None:
    if check.errors:
        st.error("Rien n'a été enregistré :\n\n" + "\n".join(
            f"- {escape_markdown(str(issue))}" for issue in check.errors))
        return
    saved = declare_values(engine, check, link, declared_by=who or link.label)
    st.session_state["partner_notice"] = (
        f"{plural(saved, 'valeur enregistrée', 'valeurs enregistrées')}. Les autres "
        "partenaires la voient dès maintenant.")
    st.rerun()


def draw_declaration_file(engine, dataset: Dataset, scope: PartnerScope, link: PartnerLink
                          ) -> None:
    """The values template filtered to the scope, and its upload (same checks as an import)."""
    left, right = st.columns([1, 3])
    period = left.text_input("Année du modèle", max_chars=4, value=str(
        max(dataset.indicator_values["period"], default="2024")), key="template_period")
    right.download_button("Télécharger le modèle prérempli (XLSX)",
                          scope_template(dataset, scope, period.strip() or "2024"),
                          file_name=f"modele_valeurs_{scope.partner_code}_{period}.xlsx",
                          on_click="ignore", key="template_download",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    uploaded = st.file_uploader("Déposer le modèle rempli (XLSX ou CSV)", type=["xlsx", "csv"],
                                key="declaration_file")
    if uploaded is None:
        return
    check = check_declared_file(uploaded.name, uploaded.getvalue(), dataset, scope)
    if check.errors:
        _declare(engine, check, link, "")
        return
    st.success(f"Fichier valide : {plural(len(check.rows), 'valeur', 'valeurs')} à déclarer.")
    with st.form("declaration_file_confirm"):
        who = st.text_input("Déclaré par (nom ou fonction)", max_chars=100)
        if st.form_submit_button("Déclarer ces valeurs", type="primary"):
            _declare(engine, check, link, who)


def draw_history(engine, dataset: Dataset, scope: PartnerScope, link: PartnerLink) -> None:
    """The partner's declarations, newest first, each restorable."""
    history = read_declarations(engine, scope.partner_code)
    if history.empty:
        st.info("Vous n'avez encore rien déclaré par cet espace.")
        return
    definitions = dataset.indicators.set_index("code")
    when = pd.to_datetime(history["declared_at"], utc=True).dt.tz_convert("Europe/Paris")
    table = pd.DataFrame({
        "N°": history["id"], "Déclaré le (heure de Paris)": when.dt.strftime("%d/%m/%Y %H:%M"),
        "Par": history["declared_by"],
        "Indicateur": history["indicator_code"].map(lambda c: definitions["label"].get(c, c)),
        "Essaimage": history["essaimage_code"].fillna("tout le territoire"),
        "Période": history["period"], "Valeur": history["value"], "Source": history["source"],
        "État": history["replaced_at"].map(lambda r: "remplacée" if pd.notna(r) else "en vigueur"),
        "Note": history["note"]})
    show_table_with_download(table, f"historique_{scope.partner_code}", key="partner_history")
    replaced = history[history["replaced_at"].notna()]
    if replaced.empty:
        return
    with st.form("restore"):
        chosen = st.selectbox("Revenir à une valeur déclarée plus tôt", list(replaced["id"]),
                              format_func=lambda i: f"n°{i}", key="restore_choice")
        if st.form_submit_button("Restaurer cette valeur"):
            try:
                restore_declaration(engine, int(chosen), dataset, scope, link,
                                    declared_by=link.label)
            except ValueError as error:
                st.error(str(error))
                return
            st.session_state["partner_notice"] = "Valeur restaurée (nouvelle déclaration)."
            st.rerun()
