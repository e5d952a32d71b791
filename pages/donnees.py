"""Gérer les données (administration): templates, validated imports, dataset versions, exports."""

import pandas as pd
import streamlit as st

from components.admin import require_admin
from components.data_access import (
    clear_data_caches,
    communes,
    current_dataset,
    current_engine,
    departements,
)
from components.tables import show_dataset_downloads, show_table_with_download
from essaim import importer
from essaim.formatting import escape_markdown
from essaim.templates import FILE_NAMES, template_csv, template_xlsx

dataset = current_dataset()
st.title("Gérer les données")
require_admin()
engine = current_engine()

st.subheader("Jeux de données")
versions = importer.list_datasets(engine)
table = pd.DataFrame({
    "N°": versions["id"], "Nature": versions["kind"].map({"demo": "Démonstration (fictive)",
                                                          "import": "Importé"}),
    "Libellé": versions["label"], "Origine": versions["source"], "Par": versions["created_by"],
    "Le": pd.to_datetime(versions["created_at"]).dt.strftime("%d/%m/%Y %H:%M"),
    "Actif": versions["active"].map({True: "oui", False: ""}),
})
st.dataframe(table, hide_index=True, width="stretch")
choices = [int(i) for i in versions["id"] if i != dataset.id]
if choices:
    left, right = st.columns([3, 1])
    target = left.selectbox("Revenir à un autre jeu (les autres restent conservés)", choices,
                            format_func=lambda i: f"n°{i} — {versions.set_index('id').at[i, 'label']}")
    if right.button("Activer ce jeu", width="stretch"):
        importer.activate_dataset(engine, target)
        clear_data_caches()
        st.rerun()

st.subheader("Modèles de fichiers")
st.caption("Colonnes en français, une ligne d'exemple ; le classeur XLSX explique chaque colonne.")
for table_name, spec in importer.SPECS.items():
    columns = st.columns([2, 1, 1])
    columns[0].markdown(f"**{spec.label}**")
    columns[1].download_button("Modèle XLSX", template_xlsx(table_name),
                               file_name=f"modele_{FILE_NAMES[table_name]}.xlsx",
                               key=f"tpl_xlsx_{table_name}", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    columns[2].download_button("Modèle CSV", template_csv(table_name),
                               file_name=f"modele_{FILE_NAMES[table_name]}.csv",
                               key=f"tpl_csv_{table_name}", on_click="ignore", mime="text/csv")

st.subheader("Importer des données")
st.caption("CSV (séparateur ; ou ,, UTF-8 ou Windows-1252) ou XLSX, 20 Mo au plus par fichier. "
           "Chaque fichier fourni remplace la table correspondante ; rien n'est écrit tant qu'une "
           "erreur subsiste, et le jeu actuel reste disponible pour y revenir.")
uploads = st.file_uploader("Fichiers à importer", type=["csv", "xlsx"], accept_multiple_files=True,
                           key="import_files")
if uploads:
    result = importer.validate_files({f.name: f.getvalue() for f in uploads}, dataset, communes(),
                                     departements())
    for table_name, preview in result.previews.items():
        with st.expander(f"Aperçu : {importer.SPECS[table_name].label} "
                         f"({escape_markdown(result.files[table_name])})"):
            st.dataframe(preview, hide_index=True)
    if result.errors:
        st.error(f"{len(result.errors)} erreur(s) : rien n'a été importé. Corrigez les fichiers "
                 "puis déposez-les à nouveau.")
        st.markdown("\n".join(f"- {escape_markdown(str(issue))}" for issue in result.errors[:30]))
        if len(result.errors) > 30:
            st.caption(f"… et {len(result.errors) - 30} autre(s) : la liste complète est ci-dessous.")
        show_table_with_download(pd.DataFrame([{
            "Fichier": i.file, "Ligne": i.row if i.row else "—", "Colonne": i.column or "—",
            "Problème": i.message} for i in result.errors]), "erreurs_import", key="import_errors")
    else:
        _, notes = importer.merge_with_current(result, dataset)
        for note in notes:
            st.warning(note)
        counts = ", ".join(f"{len(rows)} {importer.SPECS[t].label.lower()}"
                           for t, rows in result.tables.items())
        st.success(f"Fichiers valides : {counts}.")
        with st.form("commit_import"):
            label = st.text_input("Nom de ce jeu de données", max_chars=120,
                                  value="Données réelles")
            who = st.text_input("Importé par", max_chars=100)
            if st.form_submit_button("Importer et activer", type="primary"):
                try:
                    new_id = importer.commit_import(engine, result, dataset, who=who, label=label)
                except ValueError as error:
                    st.error(str(error))
                else:
                    clear_data_caches()
                    st.session_state["import_done"] = new_id
                    st.rerun()
if st.session_state.get("import_done"):
    st.success(f"Import enregistré et activé (jeu n°{st.session_state['import_done']}).")

st.subheader("Exporter les données")
show_dataset_downloads(dataset, "essaim_donnees", "Toutes les tables (XLSX, une feuille par table)",
                       "Toutes les tables (CSV, archive ZIP)", cache_key=f"{dataset.id}:tout")
