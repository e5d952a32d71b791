"""CSV files from Excel or LibreOffice: UTF-8 with or without BOM, Windows-1252 or UTF-16, `;`,
`,` or tabs, quotes left open."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Collection, Iterator, Mapping
from itertools import islice

from essaim.imports import limits
from essaim.imports.file_parts import (
    SEPARATORS,
    FileReadError,
    Header,
    TableRead,
    expected_text,
    find_header,
    french_count,
    only_header,
    table_read,
)

# --- CSV ----------------------------------------------------------------------------------------

def read_csv_table(name: str, content: bytes, expected: Mapping[str, set[str]],
                    headings: Mapping[str, Collection[str]],
                    labels: Mapping[str, str] | None) -> TableRead:
    text = decode_text(name, content)
    hinted, text = separator_hint(text)
    best: tuple[Header, str] | None = None
    for separator in (hinted,) if hinted else SEPARATORS:
        head = _first_records(name, text, separator)
        header = find_header(head, expected)
        if header and (best is None or (header.score, header.hits) > (best[0].score, best[0].hits)):
            best = (header, separator)
    if best is None:
        first = next((cells for _, cells in csv_records(name, text, hinted or widest_separator(text))
                      if any(cells)), ())
        if not first:
            raise FileReadError(name, "le fichier est vide.")
        shown = ", ".join(f"« {c} »" for c in first[:8]) + (" …" if len(first) > 8 else "")
        raise FileReadError(name, f"colonnes non reconnues (première ligne : {shown}). Le fichier "
                                  f"doit reprendre les en-têtes d'un modèle : "
                                  f"{expected_text(headings, labels)}.")
    header, separator = best
    rows = (row for row in csv_records(name, text, separator) if row[0] > header.line)
    table = table_read(name, None, header, rows, expected, lambda cell: cell)
    if table.frame.empty:
        raise FileReadError(name, only_header(None))
    return table


def _first_records(name: str, text: str, separator: str) -> list[tuple[int, tuple]]:
    """The records the header is searched in, up to a reading error: with the wrong separator a
    whole line is one cell and may pass the cell limit. The error comes back if this separator
    is the one chosen, when the whole file is read."""
    head: list[tuple[int, tuple]] = []
    records = csv_records(name, text, separator)
    # A read error past the first rows belongs to the whole file's reading, not the sniffing.
    with contextlib.suppress(FileReadError):
        head.extend(islice(records, limits.HEADER_SEARCH_ROWS))
    return head


def decode_text(name: str, content: bytes) -> str:
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


def separator_hint(text: str) -> tuple[str | None, str]:
    """Excel's « sep=; » first line: the separator it names, and the text without that line."""
    match = re.match(r"sep=(.)\r?\n", text)
    return (match.group(1), text[match.end():]) if match else (None, text)


def widest_separator(text: str) -> str:
    """The separator that splits the first non-blank line (quotes respected) into most cells."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    widths = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: widths[sep])


def csv_records(name: str, text: str, separator: str) -> Iterator[tuple[int, tuple]]:
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
            if any(len(cell) > limits.MAX_CELL_CHARS for cell in cells):
                raise FileReadError(name, f"ligne {line} : {_long_cell()}")
            yield line, cells
    except csv.Error as error:
        raise FileReadError(name, f"ligne {line + 1} : {_french_csv_error(error)}") from None
    if any("\n" in cell for cell in cells):
        _check_closed_quotes(name, text, separator, start, line)


def _long_cell() -> str:
    return (f"une cellule dépasse {french_count(limits.MAX_CELL_CHARS)} caractères (un guillemet "
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
