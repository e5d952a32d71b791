"""Import templates and data exports in the same French format (so an export re-imports)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.demo import demo_notice
from essaim.data.model import FAMILIES, PARTNER_TYPES, SCALES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.data.roles import ROLES, parse_roles
from essaim.imports.exports import neutralise_formula
from essaim.imports.specs import SPECS, FileSpec
from essaim.numbers.formatting import format_decimal_text
from essaim.numbers.measures import MEASURES

_LABELS = {
    "partner_type": PARTNER_TYPES,
    "family": FAMILIES,
    "direction": {"up": "hausse", "down": "baisse"},
    "measure": MEASURES,
    "scale": SCALES,
    "reference": {code: code for code in REFERENCE_INDICATORS},
}
_KIND_HELP = {"number": "Nombre", "percent": "Pourcentage (0 à 100)", "date": "Date (jj/mm/aaaa)",
              "bool": "oui ou non", "year": "Année (ex. 2022)", "founded": "Année (ex. 2012)"}


def _french_cell(kind: str, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if kind in ("number", "percent"):
        return format_decimal_text(float(value))
    if kind in ("year", "founded"):
        return str(int(float(value))) if str(value).replace(".", "", 1).isdigit() else str(value)
    if kind == "date":
        return value.strftime("%d/%m/%Y") if isinstance(value, (dt.date, pd.Timestamp)) else str(value)
    if kind == "bool":
        return "oui" if bool(value) else "non"
    if kind == "roles":
        return " ; ".join(ROLES[code] for code in parse_roles(value))
    if kind in _LABELS:
        return _LABELS[kind].get(value, value)
    return str(value)


def spec_frame(spec: FileSpec, rows: list[dict]) -> pd.DataFrame:
    """Rows of a table as a frame with the template's French headings and French cells."""
    def cell(column, row):
        text = _french_cell(column.kind, row.get(column.key))
        return text if column.kind in ("number", "percent", "date", "bool", "year", "founded") \
            else neutralise_formula(text)

    return pd.DataFrame([[cell(c, row) for c in spec.columns] for row in rows],
                        columns=spec.headings())


def explanations(spec: FileSpec) -> pd.DataFrame:
    """The « Explications » sheet: each column, whether it is required, what it holds."""
    return pd.DataFrame({
        "Colonne": spec.headings(),
        "Obligatoire": ["oui" if c.required else "non" for c in spec.columns],
        "Contenu attendu": [c.help or _KIND_HELP.get(c.kind, "Texte") for c in spec.columns],
    })


def template_xlsx(table: str) -> bytes:
    """The template of one table: a sheet with one example row, a sheet explaining each column."""
    spec = SPECS[table]
    example = pd.DataFrame([[c.example for c in spec.columns]], columns=spec.headings())
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        example.to_excel(writer, sheet_name=spec.label[:31], index=False)
        explanations(spec).to_excel(writer, sheet_name="Explications", index=False)
    return buffer.getvalue()


def template_csv(table: str) -> bytes:
    """The template of one table as CSV (`;`, UTF-8 with BOM) with one example row."""
    spec = SPECS[table]
    example = pd.DataFrame([[c.example for c in spec.columns]], columns=spec.headings())
    return example.to_csv(index=False, sep=";").encode("utf-8-sig")


def table_rows(dataset: Dataset, table: str) -> list[dict]:
    """A dataset table as plain rows (missing values as None)."""
    frame = getattr(dataset, table)
    return [{k: (None if (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def dataset_csv_files(dataset: Dataset) -> dict[str, bytes]:
    """The tables of a dataset as template-shaped CSV files (name → bytes), re-importable."""
    return {f"{spec.file_name}.csv": spec_frame(spec, table_rows(dataset, t)).to_csv(
                index=False, sep=";").encode("utf-8-sig") for t, spec in SPECS.items()}


def dataset_csv_zip(dataset: Dataset) -> bytes:
    """All tables as CSV files in one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in dataset_csv_files(dataset).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def dataset_xlsx(dataset: Dataset) -> bytes:
    """A notice sheet, then one sheet per table (French headings, formulas neutralised); the
    workbook imports back as a whole."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        notice = demo_notice(dataset.demo_tables) or dataset.label
        pd.DataFrame({"Jeu de données": [neutralise_formula(notice)],
                      "Origine": [neutralise_formula(dataset.source)],
                      "Chargé le": [f"{dataset.created_at:%d/%m/%Y %H:%M}"]}).to_excel(
            writer, sheet_name="À lire", index=False)
        for table, spec in SPECS.items():
            spec_frame(spec, table_rows(dataset, table)).to_excel(writer, sheet_name=spec.label[:31],
                                                             index=False)
    return buffer.getvalue()
