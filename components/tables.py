"""A table with its CSV download, used under every chart and list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.imports.exports import to_safe_csv
from essaim.numbers.formatting import format_cell_fr, round_meaningfully


def round_for_reading(frame: pd.DataFrame, decimals: dict[str, int] | None = None) -> pd.DataFrame:
    """A copy with float columns rounded to a meaningful precision (one decimal below 1 000,
    none above), or to `decimals[column]` places where given (coordinates…)."""
    decimals = decimals or {}
    rounded = frame.copy()
    for column in rounded.columns:
        if pd.api.types.is_float_dtype(rounded[column]):
            places = decimals.get(column)
            rounded[column] = (rounded[column].round(places) if places is not None
                               else rounded[column].map(round_meaningfully))
    return rounded


def to_french_display(frame: pd.DataFrame, labels: dict[str, str] | None = None,
                      decimals: dict[str, int] | None = None) -> pd.DataFrame:
    """A copy for display: every cell as French text ("n.d." when missing, meaningful
    precision), columns renamed."""
    decimals = decimals or {}
    shown = frame.copy()
    for column in shown.columns:
        places = decimals.get(column, 1)
        shown[column] = shown[column].map(lambda v, p=places: format_cell_fr(v, p))
    return shown.rename(columns=labels or {})


def show_table_with_download(frame: pd.DataFrame, file_stem: str, key: str,
                             labels: dict[str, str] | None = None,
                             decimals: dict[str, int] | None = None, **dataframe_args) -> None:
    """Show `frame` in French (numbers at a meaningful precision, dates, booleans, "n.d.";
    columns renamed with `labels`) and a "Télécharger (CSV)" button under it with the same
    columns and the values at the same precision.

    The CSV is UTF-8 with BOM and `;` separators with decimal commas (opens cleanly in a French
    Excel), and any cell that a spreadsheet would read as a formula is neutralised.
    """
    st.dataframe(to_french_display(frame, labels, decimals), hide_index=True, **dataframe_args)
    frame = round_for_reading(frame, decimals).rename(columns=labels or {})
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
    from essaim.imports.templates import dataset_csv_zip, dataset_xlsx

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


def show_dataset_table(dataset, table: str) -> None:
    """One table of the dataset as the import templates write it (French headings and cells),
    with the same file as its CSV download (it re-imports as is)."""
    from essaim.imports.specs import SPECS
    from essaim.imports.templates import spec_frame, table_rows

    spec = SPECS[table]
    frame = spec_frame(spec, table_rows(dataset, table))
    st.dataframe(frame, hide_index=True, height=320)
    st.download_button("Télécharger (CSV)", frame.to_csv(index=False, sep=";").encode("utf-8-sig"),
                       file_name=f"{spec.file_name}.csv", mime="text/csv", on_click="ignore",
                       key=f"dataset_table_{table}_csv", icon=":material/download:")
