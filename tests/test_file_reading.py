"""Reading the files French offices send: encodings, separators, workbooks with notice sheets and
title rows, numbers and dates written the French way, and the guards (formulas without values,
header-only files, huge sheets) — every refusal said in French, naming the file and the place."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essaim.imports import limits
from essaim.imports.reading import FileReadError, read_table_file, read_tables
from essaim.numbers.reading import parse_french_date, parse_french_number

HEADINGS = {
    "territories": ["Code territoire", "Nom", "Échelle", "QPV (oui/non)"],
    "partners": ["Code partenaire", "Nom", "Type"],
    "values": ["Indicateur", "Territoire", "Période", "Valeur", "Source"],
}
LABELS = {"territories": "Territoires", "partners": "Partenaires", "values": "Valeurs"}
TERRITORIES_CSV = ("Code territoire;Nom;Échelle;QPV (oui/non)\n"
                   "saint-etienne;Saint-Étienne;commune;oui\n"
                   "orleans;Orléans Métropole;epci;non\n")
ENGLISH_WORDS = ("field", "limit", "expected", "line contains", "unexpected", "Error")


def read_one(name: str, content: bytes):
    tables = read_tables(name, content, HEADINGS, labels=LABELS)
    assert len(tables) == 1
    return tables[0]


def refusal(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(FileReadError) as caught:
        read_tables(name, content, HEADINGS, labels=LABELS, **kwargs)
    message = str(caught.value)
    assert message.startswith(f"{name} : ")
    assert not any(word in message for word in ENGLISH_WORDS), message
    return message


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook written by openpyxl: one sheet per entry, rows as given."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_workbook(sheet_data: bytes, *, dimension: bytes = b"", recalculate: bool = False) -> bytes:
    """A minimal .xlsx written by hand around `sheet_data` (the rows of one sheet « Données »),
    the way programs other than Excel write them: nothing computed, maybe no dimension."""
    calc = b'<calcPr calcId="124519" fullCalcOnLoad="1"/>' if recalculate else b""
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"><sheets><sheet name="Donn\xc3\xa9es" sheetId="1" '
            b'r:id="rId1"/></sheets>' + calc + b'</workbook>'),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            b'Target="worksheets/sheet1.xml"/></Relationships>'),
    }
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main">'
             + (b'<dimension ref="' + dimension + b'"/>' if dimension else b"")
             + b"<sheetData>" + sheet_data + b"</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def text_row(number: int, *cells: str) -> bytes:
    """A row of inline-string cells."""
    inner = b"".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'
                     .encode() for i, cell in enumerate(cells))
    return f'<row r="{number}">'.encode() + inner + b"</row>"


VALUES_HEADER = text_row(1, "Indicateur", "Territoire", "Période", "Valeur", "Source")


# --- CSV: encodings and separators --------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be-bom"])
def test_csv_encodings_keep_accents(encoding):
    if encoding == "utf-16-be-bom":
        content = b"\xfe\xff" + TERRITORIES_CSV.encode("utf-16-be")
    else:
        content = TERRITORIES_CSV.encode(encoding)
    table = read_one("territoires.csv", content)
    assert list(table.frame["Nom"]) == ["Saint-Étienne", "Orléans Métropole"]
    assert list(table.frame.columns) == ["Code territoire", "Nom", "Échelle", "QPV (oui/non)"]


def test_excel_unicode_text_export_is_utf16_little_endian_with_tabs():
    text = TERRITORIES_CSV.replace(";", "\t").replace("\n", "\r\n")
    table = read_one("territoires.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    assert table.frame.loc[2, "Nom"] == "Saint-Étienne"
    assert table.frame.loc[3, "Échelle"] == "epci"


def test_utf16_without_bom_is_recognised():
    table = read_one("territoires.txt", TERRITORIES_CSV.encode("utf-16-le"))
    assert table.frame.loc[2, "Nom"] == "Saint-Étienne"


def test_separator_is_sniffed_on_the_header_with_quotes_respected():
    content = ('Code partenaire,Nom,Type,"Note; libre; sans règle"\n'
               'dgefp,"DGEFP; Paris",État,"a; b; c"\n').encode()
    table = read_one("partenaires.csv", content)
    assert table.table == "partners"
    assert table.frame.loc[2, "Nom"] == "DGEFP; Paris"
    assert table.frame.loc[2, "Note; libre; sans règle"] == "a; b; c"


def test_excel_separator_hint_line_is_followed():
    content = ("sep=,\n" + TERRITORIES_CSV.replace(";", ",")).encode()
    assert read_one("territoires.csv", content).frame.loc[2, "Nom"] == "Saint-Étienne"


def test_csv_title_rows_and_blank_lines_keep_the_line_numbers():
    content = ("Territoires suivis en 2024;;;\n\n" + TERRITORIES_CSV + ";;;\n"
               "arras;Arras;commune;non\n").encode()
    table = read_one("territoires.csv", content)
    assert table.header_line == 3 and table.sheet is None
    assert list(table.frame.index) == [4, 5, 7]  # line 6 is blank, skipped, numbering kept
    assert table.location(7, "Nom") == "ligne 7, colonne « Nom »"


def test_best_matching_table_is_chosen():
    content = "Indicateur;Territoire;Période;Valeur;Source\nbudget;bordeaux;2022;12;CA\n".encode()
    assert read_one("valeurs.csv", content).table == "values"


def test_cells_of_a_csv_are_stripped_text():
    content = "Code territoire;Nom;Échelle;QPV (oui/non)\n  bordeaux ; 12,5 ;;oui\n".encode()
    row = read_one("t.csv", content).frame.loc[2]
    assert row.tolist() == ["bordeaux", "12,5", "", "oui"]


# --- CSV: refusals in French ---------------------------------------------------------------------

def test_a_huge_cell_is_refused_in_french_with_its_line():
    content = (TERRITORIES_CSV + "x;" + "y" * 200_000 + ";commune;oui\n").encode()
    message = refusal("t.csv", content)
    assert "ligne 4" in message and "dépasse 100" in message


def test_a_cell_just_over_the_french_limit_is_refused_too():
    content = (TERRITORIES_CSV + "x;" + "y" * 100_001 + ";commune;oui\n").encode()
    assert "dépasse" in refusal("t.csv", content)


def test_an_unclosed_quote_is_named():
    content = (TERRITORIES_CSV + 'arras;"Arras;commune;non\nlens;Lens;commune;non\n').encode()
    message = refusal("t.csv", content)
    assert "guillemet" in message and "ligne 4" in message


def test_utf8_with_a_stray_windows_1252_line_is_refused_not_garbled():
    content = TERRITORIES_CSV.encode("utf-8") + "arras;Arrâs;commune;non\n".encode("cp1252")
    message = refusal("t.csv", content)
    assert "ligne 4" in message and "mélange UTF-8" in message


def test_a_separator_that_does_not_split_a_long_line_is_not_chosen():
    long_cells = ";".join(["x" * 30_000] * 4)
    content = (TERRITORIES_CSV + long_cells + "\n").encode()
    assert read_one("t.csv", content).frame.loc[4, "Nom"] == "x" * 30_000


def test_a_password_protected_workbook_gets_its_own_advice():
    assert "mot de passe" in refusal("t.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_nul_bytes_are_refused_in_french():
    content = TERRITORIES_CSV.encode() + b"\x00\x01\x02;x\n"
    assert "caractères nuls" in refusal("t.csv", content)


def test_header_only_and_empty_files_are_refused():
    header_only = "Code territoire;Nom;Échelle;QPV (oui/non)\n;;;\n".encode()
    assert "ne contient que la ligne d'en-tête : aucune donnée à importer" in refusal(
        "t.csv", header_only)
    assert "vide" in refusal("t.csv", b"")
    assert "vide" in refusal("t.csv", b"\xef\xbb\xbf\r\n  \r\n")


def test_unknown_headings_list_what_was_expected():
    message = refusal("t.csv", b"a;b;c\n1;2;3\n")
    assert "« a », « b », « c »" in message
    assert "Territoires (Code territoire, Nom, Échelle, QPV (oui/non))" in message


def test_csv_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    content = (TERRITORIES_CSV + "".join(f"t{i};T;commune;oui\n" for i in range(10))).encode()
    assert "plus de 5 lignes de données" in refusal("t.csv", content)


@pytest.mark.parametrize("name,message", [("t.xls", ".xls"), ("t.ods", ".ods"), ("t.pdf", "format")])
def test_other_formats_are_refused_with_advice(name, message):
    assert message in refusal(name, b"whatever")


@settings(max_examples=80, deadline=None)
@given(content=st.binary(max_size=300), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_garbage_gives_a_french_refusal_naming_the_file(content, name):
    try:
        tables = read_tables(name, content, HEADINGS)
    except FileReadError as error:
        assert str(error).startswith(f"{name} : ")
        assert not any(word in str(error) for word in ENGLISH_WORDS)
    else:
        assert all(t.table in HEADINGS and not t.frame.empty for t in tables)


# --- Workbooks -----------------------------------------------------------------------------------

def export_like_workbook() -> bytes:
    return workbook({
        "À lire": [["Jeu de données", "Origine", "Chargé le"], ["Données 2024", "ANSA", "01/02/2024"]],
        "Territoires": [["Code territoire", "Nom", "Échelle", "QPV (oui/non)"],
                        ["bordeaux", "Bordeaux", "commune", "oui"]],
        "Partenaires": [["Code partenaire", "Nom", "Type"], ["dgefp", "DGEFP", "État / DGEFP"]],
        "Explications": [["Colonne", "Obligatoire", "Contenu attendu"],
                         ["Code territoire", "oui", "Identifiant"], ["Nom", "oui", "Texte"],
                         ["Échelle", "oui", "commune…"], ["Code partenaire", "oui", "Code"]],
    })


def test_export_workbook_gives_one_table_per_sheet_and_skips_notices():
    tables = read_tables("export.xlsx", export_like_workbook(), HEADINGS)
    assert [(t.table, t.sheet, t.header_line) for t in tables] == [
        ("territories", "Territoires", 1), ("partners", "Partenaires", 1)]
    assert tables[1].frame.loc[2, "Type"] == "État / DGEFP"


def test_title_rows_above_the_header_and_excel_line_numbers():
    content = workbook({"Feuil1": [
        ["Suivi des territoires — ANSA"], [], ["Code territoire", "Nom", "Échelle", "QPV (oui/non)"],
        ["bordeaux", "Bordeaux", "commune", "oui"], [None, None, None, None],
        ["arras", "  Arras  ", "commune", "non"]]})
    table = read_one("t.xlsx", content)
    assert table.header_line == 3 and table.sheet == "Feuil1"
    assert list(table.frame.index) == [4, 6]
    assert table.frame.loc[6, "Nom"] == "Arras"
    assert table.cell_reference(6, "Nom") == "B6"
    assert table.location(6, "Nom") == "feuille « Feuil1 », cellule B6 (Nom)"


def test_workbook_cells_keep_their_types():
    content = workbook({"Valeurs": [
        ["Indicateur", "Territoire", "Période", "Valeur", "Source", "Date"],
        ["taux", "bordeaux", 2022, 0.125, "  CA ", dt.datetime(2020, 3, 15)],
        ["budget", "bordeaux", 2022.0, 1.234, None, dt.date(2021, 1, 2)]]})
    frame = read_one("v.xlsx", content).frame
    assert frame.loc[2, "Valeur"] == 0.125 and isinstance(frame.loc[2, "Valeur"], float)
    assert frame.loc[3, "Valeur"] == 1.234  # a number, not the ambiguous text "1.234"
    assert frame.loc[2, "Période"] == 2022 and isinstance(frame.loc[3, "Période"], int)
    assert frame.loc[2, "Date"] == dt.date(2020, 3, 15) and type(frame.loc[2, "Date"]) is dt.date
    assert frame.loc[2, "Source"] == "CA" and frame.loc[3, "Source"] == ""


def test_a_sheet_without_expected_headings_is_refused_with_the_expected_ones():
    message = refusal("x.xlsx", workbook({"À lire": [["Bonjour"]], "Feuil2": [["a", "b"], [1, 2]]}))
    assert "« À lire », « Feuil2 »" in message
    assert "Partenaires (Code partenaire, Nom, Type)" in message


def test_two_sheets_for_the_same_table_are_refused():
    rows = [["Code partenaire", "Nom", "Type"], ["dgefp", "DGEFP", "État"]]
    message = refusal("p.xlsx", workbook({"Partenaires": rows, "Copie": rows}))
    assert "« Partenaires » et « Copie »" in message and "« Partenaires »" in message


def test_a_workbook_sheet_with_only_its_header_is_refused():
    content = workbook({"Partenaires": [["Code partenaire", "Nom", "Type"]]})
    assert "feuille « Partenaires »" in refusal("p.xlsx", content)


def test_an_empty_sheet_of_a_several_table_workbook_is_left_out():
    content = workbook({"Partenaires": [["Code partenaire", "Nom", "Type"]],
                        "Territoires": [["Code territoire", "Nom", "Échelle", "QPV (oui/non)"],
                                        ["bordeaux", "Bordeaux", "commune", "oui"]]})
    assert [t.table for t in read_tables("e.xlsx", content, HEADINGS)] == ["territories"]


def test_a_workbook_named_csv_is_read_as_a_workbook():
    content = workbook({"Partenaires": [["Code partenaire", "Nom", "Type"], ["dgefp", "DGEFP", "État"]]})
    assert read_one("partenaires.csv", content).sheet == "Partenaires"


def test_a_broken_workbook_is_said_unreadable():
    assert "illisible" in refusal("b.xlsx", b"PK\x03\x04 pas un vrai classeur")


# --- Formulas -------------------------------------------------------------------------------------

FORMULA_MESSAGE = ("feuille « Données », cellule D2 : formule sans valeur calculée — ouvrez le "
                   "fichier dans Excel ou LibreOffice et enregistrez-le, ou collez les valeurs")


def test_formula_written_by_a_program_without_value_is_refused_with_its_cell():
    data = VALUES_HEADER + (b'<row r="2"><c r="A2" t="inlineStr"><is><t>taux</t></is></c>'
                            b'<c r="B2" t="inlineStr"><is><t>bdx</t></is></c><c r="C2"><v>2022</v></c>'
                            b'<c r="D2"><f>C2/100</f></c></row>')
    assert FORMULA_MESSAGE in refusal("v.xlsx", raw_workbook(data))


def test_formula_from_openpyxl_with_an_empty_value_is_refused():
    content = workbook({"Données": [["Indicateur", "Territoire", "Période", "Valeur", "Source"],
                                    ["taux", "bdx", 2022, "=C2/100", "CA"]]})
    assert FORMULA_MESSAGE in refusal("v.xlsx", content)


def test_fake_zero_values_of_a_workbook_never_recalculated_are_refused():
    data = VALUES_HEADER + b'<row r="2"><c r="C2"><v>2022</v></c><c r="D2"><f>C2/100</f><v>0</v></c></row>'
    assert FORMULA_MESSAGE in refusal("v.xlsx", raw_workbook(data, recalculate=True))


def test_formula_saved_by_excel_with_its_value_is_read():
    data = VALUES_HEADER + (b'<row r="2"><c r="A2" t="inlineStr"><is><t>taux</t></is></c>'
                            b'<c r="C2"><v>2022</v></c><c r="D2"><f>C2/100</f><v>20.22</v></c>'
                            b'<c r="E2" t="str"><f>IF(A2="","","")</f><v></v></c></row>')
    frame = read_one("v.xlsx", raw_workbook(data)).frame
    assert frame.loc[2, "Valeur"] == 20.22 and frame.loc[2, "Source"] == ""


def test_error_cells_are_refused_with_their_cell():
    data = VALUES_HEADER + (b'<row r="2"><c r="C2"><v>2022</v></c>'
                            b'<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    assert "feuille « Données », cellule D2 : erreur « #DIV/0! »" in refusal("v.xlsx", raw_workbook(data))


def test_formulas_in_an_ignored_sheet_do_not_matter():
    content = workbook({"À lire": [["Total"], ["=SUM(A1:A1)"]],
                        "Partenaires": [["Code partenaire", "Nom", "Type"], ["dgefp", "DGEFP", "État"]]})
    assert read_one("p.xlsx", content).table == "partners"


# --- Size guards ----------------------------------------------------------------------------------

def million_rows(dimension: bytes) -> bytes:
    """A small .xlsx that unzips to a million data rows (built in a blink: one row repeated)."""
    return raw_workbook(VALUES_HEADER + b"<row><c><v>1</v></c><c><v>2</v></c></row>" * 1_000_000,
                        dimension=dimension)


@pytest.mark.parametrize("dimension", [b"A1:E1000001", b"A1", b""])
def test_a_million_row_workbook_is_refused_whatever_its_declared_dimension(dimension):
    content = million_rows(dimension)
    started = time.perf_counter()
    message = refusal("gros.xlsx", content)
    print(f"\n{len(content) / 1e6:.1f} Mo, dimension {dimension!r}: refused in "
          f"{time.perf_counter() - started:.2f} s")
    assert "feuille « Données »" in message and "200\u202f000 lignes de données" in message
    if dimension == b"A1:E1000001":  # refused on the declared range, before reading any row
        assert "1\u202f000\u202f001 lignes" in message


def test_rows_past_the_limit_are_refused_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    content = workbook({"Partenaires": [["Code partenaire", "Nom", "Type"]]
                        + [[f"p{i}", "P", "État"] for i in range(10)]})
    assert "plus de 3 lignes de données" in refusal("p.xlsx", content)


def test_a_workbook_too_big_once_unzipped_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNZIPPED_BYTES", 10_000)
    content = workbook({"Partenaires": [["Code partenaire", "Nom", "Type"]]
                        + [[f"p{i}", "P" * 50, "État"] for i in range(200)]})
    assert "décompressé" in refusal("p.xlsx", content)


def test_too_big_a_file_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert "trop volumineux" in refusal("t.csv", TERRITORIES_CSV.encode() * 5)


# --- Former reader --------------------------------------------------------------------------------

def test_former_reader_gives_text_that_reads_back_to_the_same_numbers():
    content = workbook({"Valeurs": [["Valeur", "Date"], [1.234, dt.datetime(2020, 3, 15)], [0.125, None]]})
    frame = read_table_file("v.xlsx", content)
    assert [parse_french_number(v) for v in frame["Valeur"]] == [1.234, 0.125]
    assert frame.loc[0, "Date"] == "2020-03-15"


# --- Numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,number", [
    (12, 12.0), (0.125, 0.125), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5),
    ("1\u202f234,5", 1234.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("12,3 %", 12.3),
    ("\u22123", -3.0), ("-3", -3.0), ("1 234 €", 1234.0), ("0.125", 0.125), ("0,125", 0.125),
    ("12.5", 12.5), ("12,5", 12.5), ("1.234.567", 1234567.0), ("1,234,567", 1234567.0),
    ("1234.567", 1234.567), ("1 234,567", 1234.567), ("-0,5", -0.5), ("1,5E+3", 1500.0),
])
def test_french_numbers(value, number):
    assert parse_french_number(value) == number


@pytest.mark.parametrize("text", ["1.234", "12,500", "-1.234", "999.000"])
def test_numbers_that_read_two_ways_are_refused_not_guessed(text):
    with pytest.raises(ValueError, match=f"nombre ambigu « {text} » : écrivez"):
        parse_french_number(text)


def test_the_advice_for_an_ambiguous_number_is_itself_unambiguous():
    with pytest.raises(ValueError) as caught:
        parse_french_number("1.234")
    advice = str(caught.value).split("écrivez ")[1]
    thousands, decimal = advice.split(" (sans séparateur de milliers) ou ")
    assert parse_french_number(thousands) == 1234
    assert parse_french_number(decimal.split(" ")[0]) == 1.234


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity", "beaucoup", "", "12.", "1,2,3",
                                   "1 23", True, float("nan"), float("inf")])
def test_non_numbers_are_refused_in_french(value):
    with pytest.raises(ValueError, match="nombre|valeur logique"):
        parse_french_number(value)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_numbers_written_by_french_excel_read_back(number):
    text = f"{number:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert parse_french_number(text) == pytest.approx(float(number))


# --- Dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    dt.date(2020, 3, 15), dt.datetime(2020, 3, 15, 14, 30), "2020-03-15", "15/03/2020",
    "15-03-2020", "15.03.2020", "15/3/2020", "15/03/2020 14:30", "2020-03-15T00:00:00",
    43905, 43905.5, "43905",
])
def test_french_dates(value):
    assert parse_french_date(value) == dt.date(2020, 3, 15)


@pytest.mark.parametrize("value,reason", [
    ("31/02/2020", "février 2020 n'a que 29 jours"), ("15/13/2020", "pas de mois 13"),
    ("15/03/20", "quatre"), ("hier", "date non reconnue"), (2022, "date Excel"),
    ("15/03/0202", "invraisemblable"), ("", "vide"),
])
def test_impossible_dates_are_refused_in_french(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_french_date(value)
