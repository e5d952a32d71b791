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

import calendar
import csv
import datetime as dt
import io
import math
import numbers
import posixpath
import re
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice

import pandas as pd

from essaim.search import normalise

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000  # data rows of one table
MAX_UNZIPPED_BYTES = 300 * 1000 * 1000  # a workbook's parts once decompressed (zip-bomb guard)
MAX_CELL_CHARS = 100_000
HEADER_SEARCH_ROWS = 30  # the header may sit under title rows, within this many lines

_CSV_NAMES = (".csv", ".txt", ".tsv")
_WORKBOOK_NAMES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_SEPARATORS = (";", ",", "\t")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1900, 2100  # dates outside are typing mistakes
_SERIAL_RANGE = ((dt.date(1950, 1, 1) - _EXCEL_EPOCH).days, (dt.date(2100, 12, 31) - _EXCEL_EPOCH).days)
_UNREADABLE_WORKBOOK = "classeur Excel illisible (fichier abîmé ou pas au format .xlsx)."
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")


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


# --- Reading tables -----------------------------------------------------------------------------

def read_tables(name: str, content: bytes, headings: Mapping[str, Collection[str]], *,
                labels: Mapping[str, str] | None = None) -> list[TableRead]:
    """The tables of a CSV file or a workbook, recognised by their headings.

    `headings` maps each known table to its headings: a header row matches a table when it holds
    at least half of them or three of them (and two, when the table has two or more), accents,
    case and spaces ignored; the best match wins. The header is searched in the first
    `HEADER_SEARCH_ROWS` lines. A CSV file gives its best-matching table; a workbook gives one
    table per matching sheet, other sheets (notices, explanations) are ignored. `labels` (table →
    French name) makes the messages friendlier.

    FileReadError when the file is too big or too long, unreadable, empty, has a header and no
    data, matches no table, has two sheets for one table, or holds formulas without values."""
    if not headings:
        raise ValueError("read_tables needs at least one table's headings")
    expected = {table: {normalise(h) for h in wanted} - {""} for table, wanted in headings.items()}
    _check_size(name, content)
    if _file_kind(name, content) == "csv":
        return [_read_csv_table(name, content, expected, headings, labels)]
    return _read_workbook_tables(name, content, expected, headings, labels)


def read_table_file(name: str, content: bytes) -> pd.DataFrame:
    """Former reader, kept until the importer uses `read_tables`: the first sheet (or the CSV),
    header on the first non-blank row, every cell as text (dates ISO, numbers as Python writes
    them), index 0, 1, 2… Same guards and French errors as `read_tables`."""
    _check_size(name, content)
    if _file_kind(name, content) == "csv":
        hinted, text = _separator_hint(_decode_text(name, content))
        rows = _csv_records(name, text, hinted or _widest_separator(text))
        return _text_frame(name, None, rows)
    with _workbook_sheets(name, content) as sheets:
        if not sheets:
            raise FileReadError(name, "le classeur ne contient aucune feuille.")
        first = sheets[0]
        if first.problem:
            raise FileReadError(name, first.problem)
        return _text_frame(name, first.title, first.rows)


# --- Numbers and dates --------------------------------------------------------------------------

_GROUP_SPACE = "[ \u00a0\u202f\u2009']"  # space, no-break space, narrow no-break space, thin space, '
_SPACE_GROUPED = re.compile(rf"[1-9]\d{{0,2}}(?:{_GROUP_SPACE}\d{{3}})+(?:[.,]\d+)?")
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})")  # 1.234,5 / 1.234.567
_COMMA_GROUPED = re.compile(r"[1-9]\d{0,2}(?:(?:,\d{3})+\.\d+|(?:,\d{3}){2,})")  # 1,234.5 / 1,234,567
_PLAIN = re.compile(r"(?P<whole>\d*)(?:(?P<mark>[.,])(?P<decimals>\d+))?(?P<exponent>[eE][+-]?\d+)?")
_UNITS = ("%", "€")


def parse_french_number(value) -> float:
    """A number written the French (or English) way: 1234.5 as int/float, "1 234,5" (space, no-break
    or narrow no-break space), "1.234,5", "1,234.5", "1.234.567", "12,3 %", "1 234 €", "−3", "0.125".

    ValueError with a French reason otherwise; a value that reads two ways ("1.234": 1234 or
    1,234?) is refused rather than guessed."""
    if isinstance(value, bool):
        raise ValueError(f"nombre attendu, reçu la valeur logique « {'VRAI' if value else 'FAUX'} »")
    if isinstance(value, numbers.Real):
        return _finite(float(value), str(value))
    text = str(value).strip()
    if not text:
        raise ValueError("nombre attendu, la cellule est vide")
    body = _without_unit(text).replace("\u2212", "-")
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    return _finite(sign * _unsigned_number(body, text), text)


def parse_french_date(value) -> dt.date:
    """A date from a date/datetime, an ISO text (2020-03-15), a French text (15/03/2020, 15-03-2020,
    15.03.2020, with or without a time) or an Excel serial number (43905, as number or text).

    ValueError with a French reason otherwise (impossible dates such as 31/02/2020 included)."""
    if isinstance(value, dt.datetime):
        if pd.isna(value):
            raise ValueError("date attendue, la cellule est vide")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"date attendue, reçu la valeur logique « {'VRAI' if value else 'FAUX'} »")
    if isinstance(value, numbers.Real):
        return _date_from_serial(float(value), str(value))
    text = str(value).strip()
    if not text:
        raise ValueError("date attendue, la cellule est vide")
    return _date_from_text(text)


# --- Guards and file kinds ----------------------------------------------------------------------

def _french_count(number: int) -> str:
    """200000 → « 200 000 » (narrow no-break space between thousands)."""
    return f"{number:,}".replace(",", "\u202f")


def _check_size(name: str, content: bytes) -> None:
    if len(content) > MAX_FILE_BYTES:
        size = f"{len(content) / 1e6:.1f}".replace(".", ",")
        raise FileReadError(name, f"fichier trop volumineux ({size} Mo pour "
                                  f"{MAX_FILE_BYTES // (1024 * 1024)} Mo au plus).")


def _file_kind(name: str, content: bytes) -> str:
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


def _too_many_rows(name: str, sheet: str | None) -> FileReadError:
    where = f"feuille « {sheet} » : " if sheet else ""
    return FileReadError(name, f"{where}plus de {_french_count(MAX_ROWS)} lignes de données, "
                               "le maximum accepté : découpez le tableau ou retirez les lignes en trop.")


# --- Finding the header -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Header:
    table: str
    line: int
    cells: tuple
    score: float
    hits: int


def _heading_text(value) -> str:
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


def _find_header(rows: Iterable[tuple[int, tuple]], expected: Mapping[str, set[str]]) -> _Header | None:
    """The row and table whose headings match best (share of the table's headings found, then
    their number). A row matches a table when it holds at least half of its headings or three of
    them, and always two when the table has two or more. Ties go to the earliest row, then the
    first table."""
    best = None
    for line, cells in rows:
        found = {normalise(_heading_text(c)) for c in cells} - {""}
        if not found:
            continue
        for table, wanted in expected.items():
            hits = len(wanted & found)
            score = hits / len(wanted) if wanted else 0.0
            if hits < min(2, len(wanted)) or (score < 0.5 and hits < 3):
                continue
            if best is None or (score, hits) > (best.score, best.hits):
                best = _Header(table, line, tuple(cells), score, hits)
    return best


def _expected_text(headings: Mapping[str, Collection[str]], labels: Mapping[str, str] | None) -> str:
    """« Territoires (Code territoire, Nom…) ; Partenaires (…) » or, without labels, the headings."""
    parts = []
    for table, wanted in headings.items():
        listed = ", ".join(wanted)
        parts.append(f"{labels[table]} ({listed})" if labels and table in labels else f"« {listed} »")
    return " ; ".join(parts)


def _table_label(table: str, labels: Mapping[str, str] | None) -> str:
    return f"« {labels[table]} »" if labels and table in labels else f"« {table} »"


# --- Building frames ----------------------------------------------------------------------------

def column_letter(position: int) -> str:
    """Spreadsheet column letters of a 1-based position: 1 → A, 28 → AB."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _kept_columns(name: str, sheet: str | None, header: _Header,
                  wanted: set[str]) -> list[tuple[int, str]]:
    """(position, heading) of the header cells that have a heading. An expected heading written
    twice is refused; other repeated headings get the column letter appended."""
    kept: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header.cells):
        heading = _heading_text(cell)
        if not heading:
            continue
        key = normalise(heading)
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


def _frame(name: str, sheet: str | None, columns: list[tuple[int, str]],
           rows: Iterable[tuple[int, tuple]], cell_value: Callable) -> pd.DataFrame:
    """The data rows under a header as a frame indexed by line; blank rows skipped; FileReadError
    as soon as there are more than MAX_ROWS."""
    records, lines = [], []
    limit = MAX_ROWS
    for line, cells in rows:
        record = [cell_value(cells[p]) if p < len(cells) else "" for p, _ in columns]
        if all(v == "" for v in record):
            continue
        if len(records) >= limit:
            raise _too_many_rows(name, sheet)
        records.append(record)
        lines.append(line)
    return pd.DataFrame(records, columns=[h for _, h in columns],
                        index=pd.Index(lines, name="ligne", dtype="int64"), dtype=object)


def _table_read(name: str, sheet: str | None, header: _Header, rows: Iterable[tuple[int, tuple]],
                expected: Mapping[str, set[str]], cell_value: Callable) -> TableRead:
    columns = _kept_columns(name, sheet, header, expected[header.table])
    frame = _frame(name, sheet, columns, rows, cell_value)
    letters = {heading: column_letter(position + 1) for position, heading in columns}
    return TableRead(header.table, sheet, header.line, frame, letters)


def _only_header(sheet: str | None) -> str:
    where = f"feuille « {sheet} » : " if sheet else "le fichier "
    verb = "ne contient" if sheet is None else "elle ne contient"
    return f"{where}{verb} que la ligne d'en-tête : aucune donnée à importer."


def _text_frame(name: str, sheet: str | None, rows: Iterator[tuple[int, tuple]]) -> pd.DataFrame:
    """Legacy frame: header on the first non-blank row, cells as text, index 0, 1, 2…"""
    for line, cells in rows:
        if any(_heading_text(c) for c in cells):
            header = _Header("", line, tuple(cells), 1.0, 0)
            break
    else:
        raise FileReadError(name, "le fichier est vide.")
    columns = [(p, _heading_text(c)) for p, c in enumerate(header.cells)]
    frame = _frame(name, sheet, columns, rows, _cell_text)
    if frame.empty:
        raise FileReadError(name, _only_header(sheet))
    return frame.reset_index(drop=True)


def _cell_text(value) -> str:
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


# --- CSV ----------------------------------------------------------------------------------------

def _read_csv_table(name: str, content: bytes, expected: Mapping[str, set[str]],
                    headings: Mapping[str, Collection[str]],
                    labels: Mapping[str, str] | None) -> TableRead:
    text = _decode_text(name, content)
    hinted, text = _separator_hint(text)
    best: tuple[_Header, str] | None = None
    for separator in (hinted,) if hinted else _SEPARATORS:
        head = _first_records(name, text, separator)
        header = _find_header(head, expected)
        if header and (best is None or (header.score, header.hits) > (best[0].score, best[0].hits)):
            best = (header, separator)
    if best is None:
        first = next((cells for _, cells in _csv_records(name, text, hinted or _widest_separator(text))
                      if any(cells)), ())
        if not first:
            raise FileReadError(name, "le fichier est vide.")
        shown = ", ".join(f"« {c} »" for c in first[:8]) + (" …" if len(first) > 8 else "")
        raise FileReadError(name, f"colonnes non reconnues (première ligne : {shown}). Le fichier "
                                  f"doit reprendre les en-têtes d'un modèle : "
                                  f"{_expected_text(headings, labels)}.")
    header, separator = best
    rows = (row for row in _csv_records(name, text, separator) if row[0] > header.line)
    table = _table_read(name, None, header, rows, expected, lambda cell: cell)
    if table.frame.empty:
        raise FileReadError(name, _only_header(None))
    return table


def _first_records(name: str, text: str, separator: str) -> list[tuple[int, tuple]]:
    """The records the header is searched in, up to a reading error: with the wrong separator a
    whole line is one cell and may pass the cell limit. The error comes back if this separator
    is the one chosen, when the whole file is read."""
    head: list[tuple[int, tuple]] = []
    try:
        for record in islice(_csv_records(name, text, separator), HEADER_SEARCH_ROWS):
            head.append(record)
    except FileReadError:
        pass
    return head


def _decode_text(name: str, content: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), UTF-16/32 with BOM or UTF-16 without, else
    Windows-1252. FileReadError for an empty file, a binary file or an unknown encoding."""
    bom, encoding = _bom(content)
    body = content[len(bom):]
    encoding = encoding or _utf16_without_bom(body)
    try:
        if encoding:
            text = body.decode(encoding)
        else:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as error:
                _refuse_mixed_encodings(name, body, error)
                text = body.decode("cp1252")
    except UnicodeDecodeError as error:
        line = body[:error.start].decode(encoding or "cp1252", "replace").count("\n") + 1
        announced = f"encodage {encoding[:6].upper()} annoncé mais " if encoding else ""
        raise FileReadError(name, f"{announced}caractères illisibles ligne {line} : enregistrez le "
                                  "fichier en « CSV UTF-8 ».") from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise FileReadError(name, "le fichier contient des caractères nuls : ce n'est pas un "
                                  "fichier texte CSV (un classeur Excel doit finir par .xlsx).")
    if not text.strip():
        raise FileReadError(name, "le fichier est vide.")
    return text


def _refuse_mixed_encodings(name: str, content: bytes, error: UnicodeDecodeError) -> None:
    """A file mostly in UTF-8 with a few Windows-1252 bytes (two files pasted together) would turn
    every accent into « Ã© » if read as Windows-1252: refuse it, naming the first bad line."""
    lenient = content.decode("utf-8", "replace")
    unreadable = lenient.count("\ufffd")
    accents = len(re.findall("[^\x00-\x7f\ufffd]", lenient))
    if accents >= 3 and accents >= unreadable:
        line = content[:error.start].count(b"\n") + 1
        raise FileReadError(name, f"ligne {line} : caractère illisible, le fichier mélange UTF-8 "
                                  "et un autre encodage : enregistrez-le en « CSV UTF-8 ».")


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _bom(content: bytes) -> tuple[bytes, str | None]:
    """The byte order mark a file starts with and the encoding it announces (b"", None if none)."""
    return next(((bom, encoding) for bom, encoding in _BOMS if content.startswith(bom)), (b"", None))


def _utf16_without_bom(content: bytes) -> str | None:
    """UTF-16 text without BOM shows a zero byte every other byte (for Latin text)."""
    sample = content[:512]
    half = len(sample) // 2
    if half < 2:
        return None
    even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
    if odd_zeros >= 0.4 * half and even_zeros == 0:
        return "utf-16-le"
    if even_zeros >= 0.4 * half and odd_zeros == 0:
        return "utf-16-be"
    return None


def _separator_hint(text: str) -> tuple[str | None, str]:
    """Excel's « sep=; » first line: the separator it names, and the text without that line."""
    match = re.match(r"sep=(.)\r?\n", text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def _widest_separator(text: str) -> str:
    """The separator that splits the first non-blank line (quotes respected) into most cells."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    widths = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in _SEPARATORS}
    return max(_SEPARATORS, key=lambda sep: widths[sep])


def _csv_records(name: str, text: str, separator: str) -> Iterator[tuple[int, tuple]]:
    """(line as Excel numbers it, stripped cells) of each record: a record is a line unless a
    quoted cell spans several; blank lines count. FileReadError in French for what the csv module
    reports in English."""
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=separator)
    line, start, cells = 0, 1, ()
    try:
        for record in reader:
            line += 1
            start = reader.line_num - sum(cell.count("\n") for cell in record)
            cells = tuple(cell.strip() for cell in record)
            if any(len(cell) > MAX_CELL_CHARS for cell in cells):
                raise FileReadError(name, f"ligne {line} : {_long_cell()}")
            yield line, cells
    except csv.Error as error:
        raise FileReadError(name, f"ligne {line + 1} : {_french_csv_error(error)}") from None
    if any("\n" in cell for cell in cells):
        _check_closed_quotes(name, text, separator, start, line)


def _long_cell() -> str:
    return (f"une cellule dépasse {_french_count(MAX_CELL_CHARS)} caractères (un guillemet "
            "ouvert et jamais refermé ?).")


def _french_csv_error(error: csv.Error) -> str:
    """The csv module's English message, said in French."""
    message = str(error)
    if "field larger than field limit" in message:
        return _long_cell()
    if "NUL" in message:
        return "caractère nul : ce n'est pas un fichier texte CSV."
    if "new-line character" in message:
        return "retour à la ligne inattendu dans une cellule."
    if "unexpected end of data" in message:
        return "guillemet ouvert et jamais refermé."
    if "expected after" in message:
        return "guillemet mal placé (dans une cellule, un guillemet s'écrit \"\")."
    return "ligne mal formée (séparateurs ou guillemets)."


def _check_closed_quotes(name: str, text: str, separator: str, start: int, line: int) -> None:
    """The csv module silently reads an unclosed quote to the end of the file: re-read the last
    record strictly and refuse it if its quote never closes."""
    tail = "".join(io.StringIO(text, newline=None).readlines()[start - 1:])
    try:
        list(csv.reader(io.StringIO(tail), delimiter=separator, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise FileReadError(name, f"ligne {line} : guillemet ouvert et jamais refermé.") from None


# --- Workbooks ----------------------------------------------------------------------------------

@dataclass
class _Sheet:
    title: str
    rows: Iterator[tuple[int, tuple]]  # (Excel row number, values), read lazily
    problem: str | None  # a formula without value or an error cell, said in French


def _read_workbook_tables(name: str, content: bytes, expected: Mapping[str, set[str]],
                          headings: Mapping[str, Collection[str]],
                          labels: Mapping[str, str] | None) -> list[TableRead]:
    tables: list[TableRead] = []
    only_headers: list[str] = []
    with _workbook_sheets(name, content) as sheets:
        for sheet in sheets:
            head = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
            header = _find_header(head, expected)
            if header is None:
                continue
            if sheet.problem:
                raise FileReadError(name, sheet.problem)
            twin = next((t for t in tables if t.table == header.table), None)
            if twin:
                raise FileReadError(name, f"les feuilles « {twin.sheet} » et « {sheet.title} » "
                                          f"contiennent toutes deux le tableau "
                                          f"{_table_label(header.table, labels)} : gardez-en une.")
            rows = chain((row for row in head if row[0] > header.line), sheet.rows)
            table = _table_read(name, sheet.title, header, rows, expected, _excel_value)
            if table.frame.empty:
                only_headers.append(sheet.title)
            else:
                tables.append(table)
        titles = [sheet.title for sheet in sheets]
    if tables:
        return tables
    if only_headers:
        raise FileReadError(name, _only_header(only_headers[0]))
    raise FileReadError(name, f"aucune feuille ne contient, dans ses {HEADER_SEARCH_ROWS} premières "
                              f"lignes, les en-têtes d'un tableau attendu (feuilles lues : "
                              f"{', '.join(f'« {t} »' for t in titles) or 'aucune'}). En-têtes "
                              f"attendus : {_expected_text(headings, labels)}.")


@contextmanager
def _workbook_sheets(name: str, content: bytes) -> Iterator[list[_Sheet]]:
    """The worksheets of a workbook, in order, once its size, its row counts and its formulas
    were checked on the raw XML (fast, before openpyxl reads anything)."""
    problems = _scan_workbook(name, content)
    workbook = _load_workbook(name, content)
    try:
        yield [_Sheet(ws.title, _sheet_rows(name, ws), problems.get(ws.title))
               for ws in workbook.worksheets]
    finally:
        workbook.close()


def _load_workbook(name: str, content: bytes):
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True,
                                          keep_links=False)
    except Exception:  # noqa: BLE001 - any broken workbook
        raise FileReadError(name, _UNREADABLE_WORKBOOK) from None


def _sheet_rows(name: str, worksheet) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of every row, gaps included so numbers match Excel's. The declared
    dimension is ignored: programs often write a wrong one."""
    try:
        worksheet.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield from enumerate(worksheet.iter_rows(values_only=True), start=1)
    except FileReadError:
        raise
    except Exception:  # noqa: BLE001 - a broken sheet
        raise FileReadError(name, f"feuille « {worksheet.title} » illisible (classeur abîmé).") from None


def _excel_value(value):
    """A workbook cell for the frame: text stripped, numbers kept (whole floats as int), dates as
    `datetime.date`, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.timedelta):
        minutes, seconds = divmod(int(value.total_seconds()), 60)
        return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


# Raw sheet XML, read with regular expressions: text content escapes « < », so tags found this
# way are tags. An optional namespace prefix (« x:row ») is allowed everywhere.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_ROW_START = re.compile(rb"<(" + _PREFIX + rb")row[\s/>]")
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\s[^>]*?\bref=\"([^\"]*)\"")
_FORMULA_OR_ERROR_HINT = re.compile(rb"<" + _PREFIX + rb"f[\s/>]|\st=\"e\"")
_CELL = re.compile(rb"<" + _PREFIX + rb"c(\s[^>]*?)?(?:/>|>(.*?)</" + _PREFIX + rb"c>)", re.S)
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s/>]")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*?)?(?:/>|>(.*?)</" + _PREFIX + rb"v>)", re.S)
_CELL_TYPE = re.compile(rb"\st=\"(\w+)\"")
_CELL_REFERENCE = re.compile(rb"\sr=\"([A-Za-z]+\d+)\"")
_CHUNK = 1 << 20


def _scan_workbook(name: str, content: bytes) -> dict[str, str]:
    """Check a workbook before reading it: a real .xlsx, not too big once decompressed, no sheet
    longer than the limit. Returns, per sheet title, its first formula without value (or error
    cell) said in French; sheets without problem are absent."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileReadError(name, _UNREADABLE_WORKBOOK) from None
    with archive:
        _check_unzipped_size(name, archive)
        sheets, recalculated = _worksheet_parts(name, archive)
        problems = {}
        for title, member in sheets:
            try:
                problem = _scan_sheet(name, archive, title, member, recalculated)
            except FileReadError:
                raise
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
                raise FileReadError(name, f"feuille « {title} » illisible (classeur abîmé).") from None
            if problem:
                problems[title] = problem
        return problems


def _check_unzipped_size(name: str, archive: zipfile.ZipFile) -> None:
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNZIPPED_BYTES:
        raise FileReadError(name, f"classeur trop volumineux une fois décompressé ({total // 1_000_000} Mo "
                                  f"pour {MAX_UNZIPPED_BYTES // 1_000_000} Mo au plus).")


def _worksheet_parts(name: str, archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    """(title, zip member) of each worksheet in workbook order, and whether the workbook asks to be
    recalculated when opened (then the values stored with formulas were never computed)."""
    members = set(archive.namelist())
    try:
        if "mimetype" in members and archive.read("mimetype").startswith(b"application/vnd.oasis"):
            raise FileReadError(name, "classeur OpenDocument (.ods) non pris en charge : "
                                      "enregistrez-le au format .xlsx ou CSV.")
        workbook_part = _office_document(archive)
        relations = _relationships(archive, workbook_part)
        root = ElementTree.fromstring(archive.read(workbook_part))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise FileReadError(name, _UNREADABLE_WORKBOOK) from None
    sheets, recalculated = [], False
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local == "sheet":
            relation = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            kind, member = relations.get(relation, ("", ""))
            if kind.endswith("/worksheet") and member in members:
                sheets.append((element.get("name", ""), member))
        elif local == "calcPr":
            recalculated = element.get("fullCalcOnLoad", "").lower() in ("1", "true")
    return sheets, recalculated


def _office_document(archive: zipfile.ZipFile) -> str:
    """The workbook part named by the package's relationships (usually xl/workbook.xml)."""
    for kind, member in _relationships(archive, "").values():
        if kind.endswith("/officeDocument"):
            return member
    raise KeyError("workbook")


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, zip member) of a part ("" for the package itself)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    root = ElementTree.fromstring(archive.read(rels))
    relations = {}
    for element in root:
        target = element.get("Target", "")
        member = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        relations[element.get("Id", "")] = (element.get("Type", ""), member)
    return relations


def _scan_sheet(name: str, archive: zipfile.ZipFile, title: str, member: str,
                recalculated: bool) -> str | None:
    """Stream a sheet's XML once: refuse it as soon as its declared dimension or its rows pass the
    limit, and return its first formula without computed value (or error cell) in French."""
    limit = MAX_ROWS + HEADER_SEARCH_ROWS
    rows, problem, carry, prefix = 0, None, b"", None
    with archive.open(member) as stream:
        first = True
        while True:
            chunk = stream.read(_CHUNK)
            if first:
                _check_dimension(name, title, chunk, limit)
                first = False
            data = carry + chunk
            if prefix is None:
                start = _ROW_START.search(data)
                prefix = start.group(1) if start else None
            cut = _safe_cut(data, prefix) if chunk else len(data)
            part, carry = data[:cut], data[cut:]
            rows += len(_ROW_START.findall(part))
            if rows > limit:  # more than the title rows and the header, then MAX_ROWS
                raise _too_many_rows(name, title)
            if problem is None:
                problem = _first_uncomputed_cell(title, part, prefix or b"", recalculated)
            if not chunk:
                return problem


def _check_dimension(name: str, title: str, head: bytes, limit: int) -> None:
    """Refuse at once a sheet whose declared range (« A1:K1000001 ») is longer than the limit."""
    match = _DIMENSION.search(head)
    last = re.search(rb"(\d+)$", match.group(1)) if match else None
    if last and int(last.group(1)) > limit:
        raise FileReadError(name, f"feuille « {title} » : elle s'étend sur "
                                  f"{_french_count(int(last.group(1)))} lignes, c'est plus que les "
                                  f"{_french_count(MAX_ROWS)} lignes de données acceptées (si ce "
                                  "sont des lignes vides, supprimez-les).")


def _safe_cut(data: bytes, prefix: bytes | None) -> int:
    """An offset in the XML that is not inside a cell: after the last closed cell or row, or
    before the last row start (0 when there is none yet)."""
    if prefix is None:
        return 0
    cuts = [0]
    for closing in (b"</" + prefix + b"c>", b"</" + prefix + b"row>"):
        found = data.rfind(closing)
        if found >= 0:
            cuts.append(found + len(closing))
    cuts.append(max(data.rfind(b"<" + prefix + b"row "), data.rfind(b"<" + prefix + b"row>"), 0))
    return max(cuts)


def _first_uncomputed_cell(title: str, xml: bytes, prefix: bytes, recalculated: bool) -> str | None:
    """The first cell whose formula has no computed value (no <v>, an empty one, or a workbook
    that must be recalculated on opening), or that holds an error (#N/A…), said in French.
    Only the cells around a formula or error mark are parsed, so plain sheets cost a search."""
    checked_until = 0
    for hint in _FORMULA_OR_ERROR_HINT.finditer(xml):
        if hint.start() < checked_until:
            continue
        start = max(xml.rfind(b"<" + prefix + b"c ", 0, hint.start()),
                    xml.rfind(b"<" + prefix + b"c>", 0, hint.start()))
        cell = _CELL.match(xml, start) if start >= 0 else None
        if cell is None or cell.end() <= hint.start():
            continue
        checked_until = cell.end()
        attributes, body = cell.group(1) or b"", cell.group(2) or b""
        kind = _CELL_TYPE.search(attributes)
        kind = kind.group(1) if kind else b"n"
        value = _VALUE.search(body)
        text = (value.group(1) or b"") if value else None
        reference = _CELL_REFERENCE.search(attributes)
        where = (f"feuille « {title} », cellule {reference.group(1).decode()}" if reference
                 else f"feuille « {title} »")
        if kind == b"e":
            shown = (text or b"").decode("utf-8", "replace")
            return f"{where} : erreur « {shown} » — corrigez la formule ou videz la cellule."
        if _FORMULA.search(body) and (recalculated or text is None or (not text and kind != b"str")):
            return (f"{where} : formule sans valeur calculée — ouvrez le fichier dans Excel ou "
                    "LibreOffice et enregistrez-le, ou collez les valeurs.")
    return None


# --- Numbers and dates, details -----------------------------------------------------------------

def _finite(number: float, shown: str) -> float:
    if not math.isfinite(number):
        raise ValueError(f"nombre non reconnu « {shown} »")
    return number


def _without_unit(text: str) -> str:
    """"12,3 %" → "12,3", "1 234 €" → "1 234", "€ 12" → "12"."""
    for unit in _UNITS:
        if text.endswith(unit):
            return text[:-len(unit)].strip()
        if text.startswith(unit):
            return text[len(unit):].strip()
    return text


def _unsigned_number(body: str, shown: str) -> float:
    if _SPACE_GROUPED.fullmatch(body):
        return float(re.sub(_GROUP_SPACE, "", body).replace(",", "."))
    if _DOT_GROUPED.fullmatch(body):
        return float(body.replace(".", "").replace(",", "."))
    if _COMMA_GROUPED.fullmatch(body):
        return float(body.replace(",", ""))
    plain = _PLAIN.fullmatch(body)
    if not plain or not (plain["whole"] or plain["decimals"]):
        raise ValueError(f"nombre non reconnu « {shown} »")
    whole, decimals = plain["whole"], plain["decimals"] or ""
    thousands_like = re.fullmatch(r"[1-9]\d{0,2}", whole) and len(decimals) == 3
    if plain["mark"] and thousands_like and not plain["exponent"]:
        raise ValueError(_ambiguous(shown, whole, decimals))
    return float(f"{whole or '0'}.{decimals or '0'}{plain['exponent'] or ''}")


def _ambiguous(shown: str, whole: str, decimals: str) -> str:
    """« nombre ambigu « 1.234 » : écrivez 1234 (mille…) ou 1,2340 (décimal) »."""
    sign = "-" if shown.lstrip().startswith(("-", "\u2212")) else ""
    short = decimals.rstrip("0")
    decimal = f"{whole},{short}" if short else whole
    if len(short) == 3:
        decimal += "0"  # 1,234 would still be ambiguous
    return (f"nombre ambigu « {shown} » : écrivez {sign}{whole}{decimals} (sans séparateur de "
            f"milliers) ou {sign}{decimal} (nombre décimal)")


_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_FRENCH_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}[:h]\d{2}(?::\d{2})?)?")
_SHORT_YEAR_DATE = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{2}")
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]\d+)?")


def _date_from_text(text: str) -> dt.date:
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _checked_date(year, month, day, text)
    french = _FRENCH_DATE.fullmatch(text)
    if french:
        day, _, month, year = french.groups()
        return _checked_date(int(year), int(month), int(day), text)
    if _SHORT_YEAR_DATE.fullmatch(text):
        raise ValueError(f"année sur deux chiffres dans « {text} » : écrivez-la sur quatre "
                         "(jj/mm/aaaa)")
    if _SERIAL_TEXT.fullmatch(text):
        return _date_from_serial(float(text.replace(",", ".")), text)
    raise ValueError(f"date non reconnue « {text} » : jj/mm/aaaa ou aaaa-mm-jj attendu")


def _checked_date(year: int, month: int, day: int, shown: str) -> dt.date:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"année {year} invraisemblable dans « {shown} »")
    if not 1 <= month <= 12:
        raise ValueError(f"date impossible « {shown} » : il n'y a pas de mois {month} (jj/mm/aaaa "
                         "attendu)")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"date impossible « {shown} » : {_MONTHS[month - 1]} {year} n'a que "
                         f"{days} jours")
    return dt.date(year, month, day)


def _date_from_serial(serial: float, shown: str) -> dt.date:
    """An Excel serial number (days since 30/12/1899) between 1950 and 2100."""
    low, high = _SERIAL_RANGE
    if not math.isfinite(serial) or not low <= serial <= high:
        raise ValueError(f"date attendue, reçu le nombre « {shown} » (une date Excel entre 1950 et "
                         "2100 est un nombre entre 18264 et 73415)")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
