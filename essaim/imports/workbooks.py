"""Workbooks (.xlsx): sheets found by their headings, numbers, dates and logical cells kept typed,
formulas without a computed value refused, and a zip bomb or a declared million rows refused
before any row is read."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from xml.etree import ElementTree

from essaim.imports import limits
from essaim.imports.file_parts import (
    UNREADABLE_WORKBOOK,
    FileReadError,
    TableRead,
    expected_text,
    find_header,
    french_count,
    only_header,
    table_label,
    table_read,
    too_many_rows,
)

# --- Workbooks ----------------------------------------------------------------------------------

@dataclass
class _Sheet:
    title: str
    rows: Iterator[tuple[int, tuple]]  # (Excel row number, values), read lazily
    problem: str | None  # a formula without value or an error cell, said in French


def read_workbook_tables(name: str, content: bytes, expected: Mapping[str, set[str]],
                          headings: Mapping[str, Collection[str]],
                          labels: Mapping[str, str] | None) -> list[TableRead]:
    tables: list[TableRead] = []
    only_headers: list[str] = []
    with workbook_sheets(name, content) as sheets:
        for sheet in sheets:
            head = list(islice(sheet.rows, limits.HEADER_SEARCH_ROWS))
            header = find_header(head, expected)
            if header is None:
                continue
            if sheet.problem:
                raise FileReadError(name, sheet.problem)
            twin = next((t for t in tables if t.table == header.table), None)
            if twin:
                raise FileReadError(name, f"les feuilles « {twin.sheet} » et « {sheet.title} » "
                                          f"contiennent toutes deux le tableau "
                                          f"{table_label(header.table, labels)} : gardez-en une.")
            rows = chain((row for row in head if row[0] > header.line), sheet.rows)
            table = table_read(name, sheet.title, header, rows, expected, _excel_value)
            if table.frame.empty:
                only_headers.append(sheet.title)
            else:
                tables.append(table)
        titles = [sheet.title for sheet in sheets]
    if tables:
        return tables
    if only_headers:
        raise FileReadError(name, only_header(only_headers[0]))
    raise FileReadError(name, f"aucune feuille ne contient, dans ses {limits.HEADER_SEARCH_ROWS} premières "
                              f"lignes, les en-têtes d'un tableau attendu (feuilles lues : "
                              f"{', '.join(f'« {t} »' for t in titles) or 'aucune'}). En-têtes "
                              f"attendus : {expected_text(headings, labels)}.")


@contextmanager
def workbook_sheets(name: str, content: bytes) -> Iterator[list[_Sheet]]:
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
        raise FileReadError(name, UNREADABLE_WORKBOOK) from None


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
_CELL = re.compile(rb"<" + _PREFIX + rb"c(\s[^>]*?)?(?:/>|>(.*?)</" + _PREFIX + rb"c>)", re.DOTALL)
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s/>]")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*?)?(?:/>|>(.*?)</" + _PREFIX + rb"v>)", re.DOTALL)
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
        raise FileReadError(name, UNREADABLE_WORKBOOK) from None
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
    if total > limits.MAX_UNZIPPED_BYTES:
        raise FileReadError(name, f"classeur trop volumineux une fois décompressé ({total // 1_000_000} Mo "
                                  f"pour {limits.MAX_UNZIPPED_BYTES // 1_000_000} Mo au plus).")


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
        raise FileReadError(name, UNREADABLE_WORKBOOK) from None
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
    limit = limits.MAX_ROWS + limits.HEADER_SEARCH_ROWS
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
            if rows > limit:  # more than the title rows and the header, then limits.MAX_ROWS
                raise too_many_rows(name, title)
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
                                  f"{french_count(int(last.group(1)))} lignes, c'est plus que les "
                                  f"{french_count(limits.MAX_ROWS)} lignes de données acceptées (si ce "
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
