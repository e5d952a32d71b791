"""Reading the tables French offices produce.

CSV files come from Excel or LibreOffice in UTF-8 (with or without BOM), Windows-1252 or UTF-16
(Excel's « Texte Unicode »), separated by `;`, `,` or tabs. Workbooks (.xlsx) hold notice sheets,
title rows above the header, numbers, dates and sometimes formulas. Numbers are written the French
way ("1 234,5", "12,3 %") and dates as 15/03/2020 or Excel serial numbers.

`read_tables` finds, in a file, the tables whose headings are expected and returns each as a frame
indexed by the line number the user sees in Excel. Every refusal is a `FileReadError` whose message
is French and names the file (and the sheet, line or cell when there is one).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from essaim.imports.csv_files import (
    csv_records,
    decode_text,
    read_csv_table,
    separator_hint,
    widest_separator,
)
from essaim.imports.file_parts import FileReadError, TableRead, check_size, file_kind, text_frame
from essaim.imports.workbooks import read_workbook_tables, workbook_sheets
from essaim.text import fold_text

__all__ = ["FileReadError", "TableRead", "read_table_file", "read_tables"]

# --- Reading tables -----------------------------------------------------------------------------

def read_tables(name: str, content: bytes, headings: Mapping[str, Collection[str]], *,
                labels: Mapping[str, str] | None = None) -> list[TableRead]:
    """The tables of a CSV file or a workbook, recognised by their headings.

    `headings` maps each known table to its headings: a header row matches a table when it holds
    at least half of them or three of them (and two, when the table has two or more), accents,
    case and spaces ignored; the best match wins. The header is searched in the first
    `limits.HEADER_SEARCH_ROWS` lines. A CSV file gives its best-matching table; a workbook gives one
    table per matching sheet, other sheets (notices, explanations) are ignored. `labels` (table →
    French name) makes the messages friendlier.

    FileReadError when the file is too big or too long, unreadable, empty, has a header and no
    data, matches no table, has two sheets for one table, or holds formulas without values."""
    if not headings:
        raise ValueError("read_tables needs at least one table's headings")
    expected = {table: {fold_text(h) for h in wanted} - {""} for table, wanted in headings.items()}
    check_size(name, content)
    if file_kind(name, content) == "csv":
        return [read_csv_table(name, content, expected, headings, labels)]
    return read_workbook_tables(name, content, expected, headings, labels)


def read_table_file(name: str, content: bytes) -> pd.DataFrame:
    """Former reader, kept until the importer uses `read_tables`: the first sheet (or the CSV),
    header on the first non-blank row, every cell as text (dates ISO, numbers as Python writes
    them), index 0, 1, 2… Same guards and French errors as `read_tables`."""
    check_size(name, content)
    if file_kind(name, content) == "csv":
        hinted, text = separator_hint(decode_text(name, content))
        rows = csv_records(name, text, hinted or widest_separator(text))
        return text_frame(name, None, rows)
    with workbook_sheets(name, content) as sheets:
        if not sheets:
            raise FileReadError(name, "le classeur ne contient aucune feuille.")
        first = sheets[0]
        if first.problem:
            raise FileReadError(name, first.problem)
        return text_frame(name, first.title, first.rows)
