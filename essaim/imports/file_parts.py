"""What every file reader shares: the French read error, a table found in a file, the guards
(size, kind), finding the header row under title rows and building frames indexed by the line
number the user sees."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from essaim.imports import limits
from essaim.text import fold_text

_CSV_NAMES = (".csv", ".txt", ".tsv")
_WORKBOOK_NAMES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
SEPARATORS = (";", ",", "\t")
UNREADABLE_WORKBOOK = "classeur Excel illisible (fichier abîmé ou pas au format .xlsx)."


class FileReadError(ValueError):
    """A file that cannot be read. `str()` is « file : reason », in French."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file} : {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True)
class TableRead:
    """One table found in a file.

    `frame` has the headings as written in the file for columns and, for index, the line number
    the user sees (1-based, as Excel shows it). Fully blank rows are left out, line numbers are kept.
    Cells are `str` (stripped, "" when empty); in a workbook numbers stay `int`/`float`, dates are
    `datetime.date` and logical cells `bool`."""

    table: str  # key of the matched table in `headings`
    sheet: str | None  # sheet name, None for a CSV file
    header_line: int  # 1-based line of the header
    frame: pd.DataFrame
    column_letters: Mapping[str, str] = field(default_factory=dict)  # heading → « B »

    def cell_reference(self, line: int, heading: str) -> str:
        """The spreadsheet reference of a cell: « B7 »."""
        return f"{self.column_letters[heading]}{line}"

    def location(self, line: int, heading: str | None = None) -> str:
        """Where a value is, in French: « feuille « Territoires », cellule B7 (Nom) » for a workbook,
        « ligne 7, colonne « Nom » » for a CSV file."""
        if self.sheet is None:
            return f"ligne {line}, colonne « {heading} »" if heading else f"ligne {line}"
        if heading is None:
            return f"feuille « {self.sheet} », ligne {line}"
        return f"feuille « {self.sheet} », cellule {self.cell_reference(line, heading)} ({heading})"


# --- Guards and file kinds ----------------------------------------------------------------------

def french_count(number: int) -> str:
    """200000 → « 200 000 » (narrow no-break space between thousands)."""
    return f"{number:,}".replace(",", "\u202f")


def check_size(name: str, content: bytes) -> None:
    if len(content) > limits.MAX_FILE_BYTES:
        size = f"{len(content) / 1e6:.1f}".replace(".", ",")
        raise FileReadError(name, f"fichier trop volumineux ({size} Mo pour "
                                  f"{limits.MAX_FILE_BYTES // (1024 * 1024)} Mo au plus).")


def file_kind(name: str, content: bytes) -> str:
    """« csv » or « workbook », from the name and the first bytes; FileReadError otherwise."""
    lowered = name.lower()
    if content.startswith(_OLE_MAGIC) and lowered.endswith(_WORKBOOK_NAMES):
        raise FileReadError(name, "classeur protégé par un mot de passe (ou au format .xls) : "
                                  "retirez la protection et enregistrez-le au format .xlsx.")
    if content.startswith(_OLE_MAGIC) or lowered.endswith(".xls"):
        raise FileReadError(name, "classeur Excel 97-2003 (.xls) non pris en charge : "
                                  "enregistrez-le au format .xlsx ou CSV.")
    if lowered.endswith(".ods"):
        raise FileReadError(name, "classeur OpenDocument (.ods) non pris en charge : "
                                  "enregistrez-le au format .xlsx ou CSV.")
    if lowered.endswith(_WORKBOOK_NAMES):
        return "workbook"
    if lowered.endswith(_CSV_NAMES):
        return "workbook" if content.startswith(_ZIP_MAGIC) else "csv"
    raise FileReadError(name, "format non pris en charge (CSV ou XLSX attendu).")


def too_many_rows(name: str, sheet: str | None) -> FileReadError:
    where = f"feuille « {sheet} » : " if sheet else ""
    return FileReadError(name, f"{where}plus de {french_count(limits.MAX_ROWS)} lignes de données, "
                               "le maximum accepté : découpez le tableau ou retirez les lignes en trop.")


# --- Finding the header -------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    table: str
    line: int
    cells: tuple
    score: float
    hits: int


def heading_text(value) -> str:
    """A header cell as text, whatever its type."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def find_header(rows: Iterable[tuple[int, tuple]], expected: Mapping[str, set[str]]) -> Header | None:
    """The row and table whose headings match best (share of the table's headings found, then
    their number). A row matches a table when it holds at least half of its headings or three of
    them, and always two when the table has two or more. Ties go to the earliest row, then the
    first table."""
    best = None
    for line, cells in rows:
        found = {fold_text(heading_text(c)) for c in cells} - {""}
        if not found:
            continue
        for table, wanted in expected.items():
            hits = len(wanted & found)
            score = hits / len(wanted) if wanted else 0.0
            if hits < min(2, len(wanted)) or (score < 0.5 and hits < 3):
                continue
            if best is None or (score, hits) > (best.score, best.hits):
                best = Header(table, line, tuple(cells), score, hits)
    return best


def expected_text(headings: Mapping[str, Collection[str]], labels: Mapping[str, str] | None) -> str:
    """« Territoires (Code territoire, Nom…) ; Partenaires (…) » or, without labels, the headings."""
    parts = []
    for table, wanted in headings.items():
        listed = ", ".join(wanted)
        parts.append(f"{labels[table]} ({listed})" if labels and table in labels else f"« {listed} »")
    return " ; ".join(parts)


def table_label(table: str, labels: Mapping[str, str] | None) -> str:
    return f"« {labels[table]} »" if labels and table in labels else f"« {table} »"


# --- Building frames ----------------------------------------------------------------------------

def column_letter(position: int) -> str:
    """Spreadsheet column letters of a 1-based position: 1 → A, 28 → AB."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def kept_columns(name: str, sheet: str | None, header: Header,
                  wanted: set[str]) -> list[tuple[int, str]]:
    """(position, heading) of the header cells that have a heading. An expected heading written
    twice is refused; other repeated headings get the column letter appended."""
    kept: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header.cells):
        heading = heading_text(cell)
        if not heading:
            continue
        key = fold_text(heading)
        if key in seen:
            if key in wanted:
                where = f"feuille « {sheet} », ligne {header.line}" if sheet else f"ligne {header.line}"
                raise FileReadError(name, f"{where} : les colonnes {column_letter(seen[key] + 1)} et "
                                          f"{column_letter(position + 1)} portent le même en-tête "
                                          f"« {heading} ».")
            heading = f"{heading} (colonne {column_letter(position + 1)})"
        else:
            seen[key] = position
        kept.append((position, heading))
    return kept


def build_frame(name: str, sheet: str | None, columns: list[tuple[int, str]],
           rows: Iterable[tuple[int, tuple]], cell_value: Callable) -> pd.DataFrame:
    """The data rows under a header as a frame indexed by line; blank rows skipped; FileReadError
    as soon as there are more than limits.MAX_ROWS."""
    records, lines = [], []
    limit = limits.MAX_ROWS
    for line, cells in rows:
        record = [cell_value(cells[p]) if p < len(cells) else "" for p, _ in columns]
        if all(v == "" for v in record):
            continue
        if len(records) >= limit:
            raise too_many_rows(name, sheet)
        records.append(record)
        lines.append(line)
    return pd.DataFrame(records, columns=[h for _, h in columns],
                        index=pd.Index(lines, name="ligne", dtype="int64"), dtype=object)


def table_read(name: str, sheet: str | None, header: Header, rows: Iterable[tuple[int, tuple]],
                expected: Mapping[str, set[str]], cell_value: Callable) -> TableRead:
    columns = kept_columns(name, sheet, header, expected[header.table])
    frame = build_frame(name, sheet, columns, rows, cell_value)
    letters = {heading: column_letter(position + 1) for position, heading in columns}
    return TableRead(header.table, sheet, header.line, frame, letters)


def only_header(sheet: str | None) -> str:
    where = f"feuille « {sheet} » : " if sheet else "le fichier "
    verb = "ne contient" if sheet is None else "elle ne contient"
    return f"{where}{verb} que la ligne d'en-tête : aucune donnée à importer."


def text_frame(name: str, sheet: str | None, rows: Iterator[tuple[int, tuple]]) -> pd.DataFrame:
    """Legacy frame: header on the first non-blank row, cells as text, index 0, 1, 2…"""
    for line, cells in rows:
        if any(heading_text(c) for c in cells):
            header = Header("", line, tuple(cells), 1.0, 0)
            break
    else:
        raise FileReadError(name, "le fichier est vide.")
    columns = [(p, heading_text(c)) for p, c in enumerate(header.cells)]
    frame = build_frame(name, sheet, columns, rows, cell_text)
    if frame.empty:
        raise FileReadError(name, only_header(sheet))
    return frame.reset_index(drop=True)


def cell_text(value) -> str:
    """A cell as text: dates ISO, numbers as `parse_french_number` reads them back exactly."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        # "1.234" would read as ambiguous: a trailing zero makes it a plain decimal again
        return text + "0" if re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text) else text
    return str(value).strip()
