"""Reading the tables French offices produce: CSV with `;` or `,`, UTF-8 with or without BOM or
Windows-1252, decimal commas and thousands separators, Excel workbooks and Excel dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pandas as pd

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


class FileReadError(ValueError):
    """A file that cannot be read; the message is French and names the file."""


def _decode(name: str, content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileReadError(f"{name} : encodage non reconnu (UTF-8 ou Windows-1252 attendu).")


def _sniff_separator(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ";"


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table_file(name: str, content: bytes) -> pd.DataFrame:
    """Every cell as text (dates from Excel as ISO dates), header row as column names.

    FileReadError (French, naming the file) when the file is too big, too long, empty,
    or unreadable."""
    if len(content) > MAX_FILE_BYTES:
        raise FileReadError(f"{name} : fichier trop volumineux ({len(content) / 1e6:.1f} Mo pour "
                            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo au plus).".replace(".", ",", 1))
    lowered = name.lower()
    if lowered.endswith((".xlsx", ".xlsm")):
        try:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # noqa: BLE001 - any broken workbook
            raise FileReadError(f"{name} : classeur Excel illisible.") from None
    elif lowered.endswith((".csv", ".txt")):
        text = _decode(name, content)
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=_sniff_separator(text)))
        except csv.Error as error:
            raise FileReadError(f"{name} : CSV illisible ({error}).") from None
        rows = [[cell.strip() for cell in row] for row in rows]
    else:
        raise FileReadError(f"{name} : format non pris en charge (CSV ou XLSX attendu).")
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise FileReadError(f"{name} : le fichier est vide.")
    if len(rows) - 1 > MAX_ROWS:
        raise FileReadError(f"{name} : {len(rows) - 1} lignes, c'est plus que les {MAX_ROWS} "
                            "acceptées.")
    header = [str(h).strip() for h in rows[0]]
    width = len(header)
    body = [row[:width] + [""] * (width - len(row)) for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f'](?=\d{3}\b)")


def parse_french_number(text: str) -> float:
    """ "1 234,5", "1.234,5", "1234.5", "12,3 %" → float; ValueError otherwise."""
    cleaned = str(text).strip().replace("%", "").replace("€", "").strip()
    cleaned = _THOUSANDS.sub("", cleaned)
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,5
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # 1.234 as a thousands separator
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_french_date(text: str) -> dt.date:
    """ISO (2020-03-15), French (15/03/2020, 15-03-2020) or an Excel serial number (43905)."""
    value = str(text).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    if re.fullmatch(r"\d{4,5}", value) and 20_000 < int(value) < 80_000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise ValueError(text)
