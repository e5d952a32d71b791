"""Import templates and data exports in the same French format (so an export re-imports)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from essaim.dataset import Dataset
from essaim.exports import neutralise_formula
from essaim.importer import SPECS, FileSpec
from essaim.model import FAMILIES, PARTNER_TYPES

FILE_NAMES = {"territories": "territoires", "essaimages": "essaimages", "partners": "partenaires",
              "indicators": "indicateurs", "indicator_values": "valeurs_indicateurs"}


def _french_cell(kind: str, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if kind == "number":
        text = repr(round(float(value), 6))
        return (text[:-2] if text.endswith(".0") else text).replace(".", ",")
    if kind == "date":
        return value.strftime("%d/%m/%Y") if isinstance(value, (dt.date, pd.Timestamp)) else str(value)
    if kind == "bool":
        return "oui" if bool(value) else "non"
    if kind == "partner_type":
        return PARTNER_TYPES.get(value, value)
    if kind == "family":
        return FAMILIES.get(value, value)
    if kind == "direction":
        return {"up": "hausse", "down": "baisse"}.get(value, value)
    return str(value)


def spec_frame(spec: FileSpec, rows: list[dict]) -> pd.DataFrame:
    """Rows of a table as a frame with the template's French headings and French cells."""
    def cell(column, row):
        text = _french_cell(column.kind, row.get(column.key))
        return text if column.kind in ("number", "date", "bool") else neutralise_formula(text)

    return pd.DataFrame([[cell(c, row) for c in spec.columns] for row in rows],
                        columns=[c.french for c in spec.columns])


def template_xlsx(table: str) -> bytes:
    """The template of one table: a sheet with one example row, a sheet explaining each column."""
    spec = SPECS[table]
    example = pd.DataFrame([[c.example for c in spec.columns]], columns=[c.french for c in spec.columns])
    help_sheet = pd.DataFrame({
        "Colonne": [c.french for c in spec.columns],
        "Obligatoire": ["oui" if c.required else "non" for c in spec.columns],
        "Contenu attendu": [c.help or {"number": "Nombre", "date": "Date (jj/mm/aaaa)",
                                       "bool": "oui ou non"}.get(c.kind, "Texte") for c in spec.columns],
    })
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        example.to_excel(writer, sheet_name=spec.label[:31], index=False)
        help_sheet.to_excel(writer, sheet_name="Explications", index=False)
    return buffer.getvalue()


def template_csv(table: str) -> bytes:
    """The template of one table as CSV (`;`, UTF-8 with BOM) with one example row."""
    spec = SPECS[table]
    example = pd.DataFrame([[c.example for c in spec.columns]], columns=[c.french for c in spec.columns])
    return example.to_csv(index=False, sep=";").encode("utf-8-sig")


def _rows(dataset: Dataset, table: str) -> list[dict]:
    frame = getattr(dataset, table)
    return [{k: (None if (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def dataset_csv_files(dataset: Dataset) -> dict[str, bytes]:
    """The importable tables of a dataset as template-shaped CSV files (name → bytes)."""
    return {f"{FILE_NAMES[t]}.csv": spec_frame(SPECS[t], _rows(dataset, t)).to_csv(
                index=False, sep=";").encode("utf-8-sig") for t in SPECS}


def dataset_csv_zip(dataset: Dataset) -> bytes:
    """All importable tables as CSV files in one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in dataset_csv_files(dataset).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def dataset_xlsx(dataset: Dataset) -> bytes:
    """One sheet per table (French headings, formulas neutralised), plus a notice sheet."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        notice = ("Données fictives de démonstration" if dataset.is_demo else dataset.label)
        pd.DataFrame({"Jeu de données": [neutralise_formula(notice)],
                      "Origine": [neutralise_formula(dataset.source)],
                      "Chargé le": [f"{dataset.created_at:%d/%m/%Y %H:%M}"]}).to_excel(
            writer, sheet_name="À lire", index=False)
        for table, spec in SPECS.items():
            spec_frame(spec, _rows(dataset, table)).to_excel(writer, sheet_name=spec.label[:31],
                                                             index=False)
    return buffer.getvalue()
