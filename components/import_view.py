"""The import steps on screen: previews, the list of errors, then what the import changes and
its confirmation. Every decision (checks, changes, commit) is made in essaim.imports.importer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data_access import clear_data_caches
from components.tables import show_table_with_download
from essaim.imports import importer
from essaim.numbers.formatting import escape_markdown, plural

MAX_LISTED_ERRORS = 30


def draw_import_previews(result: importer.ImportResult) -> None:
    """The first rows of each recognised table."""
    for table_name, preview in result.previews.items():
        with st.expander(f"Aperçu : {importer.SPECS[table_name].label} "
                         f"({escape_markdown(result.files[table_name])})"):
            st.dataframe(preview, hide_index=False)


def draw_import_errors(errors: list[importer.Issue]) -> None:
    """Every problem by file, line and column; nothing was written."""
    st.error(f"{plural(len(errors), 'erreur')} : rien n'a été importé. Corrigez les fichiers puis "
             "déposez-les à nouveau.")
    st.markdown("\n".join(f"- {escape_markdown(str(issue))}" for issue in errors[:MAX_LISTED_ERRORS]))
    if len(errors) > MAX_LISTED_ERRORS:
        st.caption(f"… et {len(errors) - MAX_LISTED_ERRORS} autre(s) : la liste complète est "
                   "ci-dessous.")
    show_table_with_download(pd.DataFrame([{
        "Fichier": i.file, "Ligne": i.row if i.row else "—", "Colonne": i.column or "—",
        "Problème": i.message} for i in errors]), "erreurs_import", key="import_errors")


def _changes_table(changes: list[importer.TableChange]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Table": importer.SPECS[c.table].label, "Lignes avant": c.before,
        "Lignes après": c.after, "Ajoutées": c.added, "Modifiées": c.changed,
        "Retirées": c.removed} for c in changes])


def draw_import_commit(engine, result: importer.ImportResult, current) -> None:
    """What the import changes per table, an explicit confirmation when a table loses rows, and
    the button that commits it (once: a second click finds the same content already active)."""
    tables, notes = importer.merge_with_current(result, current)
    for note in notes:
        st.warning(note)
    changes = importer.compare_with_current(tables, current)
    st.success("Fichiers valides. Voici ce que l'import change par rapport au jeu actif :")
    st.dataframe(_changes_table(changes), hide_index=True)
    losing = [c for c in changes if c.loses_rows]
    with st.form("commit_import"):
        label = st.text_input("Nom de ce jeu de données", max_chars=120, value="Données réelles")
        who = st.text_input("Importé par", max_chars=100)
        confirmed = True
        if losing:
            listed = ", ".join(f"{importer.SPECS[c.table].label.lower()} : "
                               f"{plural(c.removed, 'ligne retirée', 'lignes retirées')}"
                               for c in losing)
            st.warning(f"Attention, cet import retire des lignes ({listed}).",
                       icon=":material/warning:")
            confirmed = st.checkbox("Je confirme : ces lignes ne seront plus dans le jeu actif "
                                    "(le jeu actuel reste conservé et réactivable).",
                                    key="import_confirm_losses")
        unusual_confirmed = True
        if result.unusual:
            st.warning(f"{plural(len(result.unusual), 'valeur inhabituelle', 'valeurs inhabituelles')}"
                       " : loin de ce que déclarent les autres territoires. Vérifiez-les ; "
                       "confirmées, elles restent marquées comme telles.\n\n" + "\n".join(
                           f"- {escape_markdown(str(issue))}"
                           for issue in result.unusual[:MAX_LISTED_ERRORS]),
                       icon=":material/warning:")
            unusual_confirmed = st.checkbox("Je confirme ces valeurs inhabituelles : je les ai "
                                            "vérifiées.", key="import_confirm_unusual")
        if st.form_submit_button("Importer et activer", type="primary"):
            if not confirmed:
                st.error("Cochez la confirmation pour importer un jeu qui retire des lignes.")
                return
            if not unusual_confirmed:
                st.error("Cochez la confirmation des valeurs inhabituelles pour importer.")
                return
            try:
                new_id = importer.commit_import(engine, result, current, who=who, label=label,
                                                accept_losses=bool(losing),
                                                confirm_unusual=bool(result.unusual))
            except importer.ImportRefused as error:
                st.error(str(error))
                return
            clear_data_caches()
            st.session_state["import_done"] = new_id
            st.rerun()
