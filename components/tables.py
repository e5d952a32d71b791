"""A table with its CSV download, used under every chart and list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.exports import to_safe_csv


def show_table_with_download(frame: pd.DataFrame, file_stem: str, key: str, **dataframe_args) -> None:
    """Show `frame` (French column names expected) and a "Télécharger (CSV)" button under it.

    The CSV is UTF-8 with BOM and `;` separators (opens cleanly in a French Excel), and any cell
    that a spreadsheet would read as a formula is neutralised.
    """
    st.dataframe(frame, hide_index=True, **dataframe_args)
    st.download_button(
        "Télécharger (CSV)",
        data=to_safe_csv(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
