"""A table with its CSV download, used under every chart and list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.exports import to_safe_csv
from essaim.formatting import format_cell_fr


def to_french_display(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy for display: every cell as French text ("n.d." when missing), columns renamed."""
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = shown[column].map(format_cell_fr)
    return shown.rename(columns=labels or {})


def show_table_with_download(frame: pd.DataFrame, file_stem: str, key: str,
                             labels: dict[str, str] | None = None, **dataframe_args) -> None:
    """Show `frame` in French (numbers, dates, booleans, "n.d."; columns renamed with `labels`)
    and a "Télécharger (CSV)" button under it with the same columns and the raw values.

    The CSV is UTF-8 with BOM and `;` separators with decimal commas (opens cleanly in a French
    Excel), and any cell that a spreadsheet would read as a formula is neutralised.
    """
    st.dataframe(to_french_display(frame, labels), hide_index=True, **dataframe_args)
    frame = frame.rename(columns=labels or {})
    st.download_button(
        "Télécharger (CSV)",
        data=to_safe_csv(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )


@st.cache_data(max_entries=16, show_spinner="Préparation des fichiers…")
def _dataset_files(_dataset, cache_key: str) -> tuple[bytes, bytes]:
    from essaim.templates import dataset_csv_zip, dataset_xlsx

    return dataset_xlsx(_dataset), dataset_csv_zip(_dataset)


def show_dataset_downloads(dataset, file_stem: str, xlsx_label: str, csv_label: str,
                           cache_key: str) -> None:
    """Two buttons: the dataset's tables as one XLSX workbook (a sheet per table) and as CSV files
    in a ZIP, both in the import templates' French format, formulas neutralised. The files are
    built once per `cache_key` (say, dataset id and scope), not on every rerun."""
    xlsx, csv_zip = _dataset_files(dataset, cache_key)
    columns = st.columns(2)
    columns[0].download_button(xlsx_label, xlsx, file_name=f"{file_stem}.xlsx",
                               on_click="ignore", key=f"{file_stem}_xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    columns[1].download_button(csv_label, csv_zip, file_name=f"{file_stem}_csv.zip",
                               mime="application/zip", on_click="ignore", key=f"{file_stem}_zip")
