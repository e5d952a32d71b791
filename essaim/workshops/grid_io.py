"""Grid files: export a workshop's grid and history as JSON or XLSX, import a grid to start the
next workshop from it (validated; nothing is used when the file has an error)."""

from __future__ import annotations

import io
import json

import pandas as pd

from essaim.imports.exports import neutralise_formula, neutralise_frame, restore_neutralised_text
from essaim.workshops.grid import Grid, GridError, grid_from_dict, grid_from_json

GRID_COLUMNS = {"dimension": "Dimension", "dimension_id": "Identifiant dimension",
                "label": "Critère", "id": "Identifiant critère", "indicator_code": "Indicateur",
                "weight": "Poids", "target": "Objectif", "threshold": "Seuil", "source": "Source",
                "perverse_effects": "Effets pervers", "notes": "Notes"}
MAX_GRID_FILE_BYTES = 2_000_000


def grid_rows_typed(grid: Grid) -> pd.DataFrame:
    """The grid's rows with weights, targets and thresholds written the French way (« 12,5 »,
    « 1 500 »): what the on-screen editor shows and reads back with the French number rules."""
    from essaim.numbers.formatting import format_plain

    frame = grid_rows(grid)
    for column in ("Poids", "Objectif", "Seuil"):
        frame[column] = [format_plain(v).replace("\u00a0", " ") if pd.notna(v) else ""
                         for v in frame[column]]
    return frame


def grid_rows(grid: Grid) -> pd.DataFrame:
    """One row per criterion with its dimension, French column names."""
    rows = [{"dimension": d.label, "dimension_id": d.id, "label": c.label, "id": c.id,
             "indicator_code": c.indicator_code or "", "weight": c.weight, "target": c.target,
             "threshold": c.threshold, "source": c.source, "perverse_effects": c.perverse_effects,
             "notes": c.notes} for d, c in grid.criteria()]
    frame = pd.DataFrame(rows, columns=list(GRID_COLUMNS)).rename(columns=GRID_COLUMNS)
    return frame.astype({"Poids": float, "Objectif": float, "Seuil": float})


def export_json(title: str, grid: Grid, versions: pd.DataFrame) -> bytes:
    """The grid and its whole history, as UTF-8 JSON (re-importable)."""
    history = [{"version": int(v.version), "author": v.author, "created_at": str(v.created_at),
                "summary": v.summary, "grid": json.loads(v.grid_json)} for v in versions.itertuples()]
    return json.dumps({"title": title, "grid": grid.to_dict(), "history": history},
                      ensure_ascii=False, indent=2).encode("utf-8")


def export_xlsx(title: str, grid: Grid, versions: pd.DataFrame) -> bytes:
    """A workbook: sheet « Grille » (re-importable) and « Historique »; formulas neutralised."""
    buffer = io.BytesIO()
    history = versions[["version", "author", "created_at", "summary"]].rename(columns={
        "version": "Version", "author": "Auteur", "created_at": "Date", "summary": "Changements"})
    history["Date"] = history["Date"].astype(str)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in (("Grille", grid_rows(grid)), ("Historique", history)):
            neutralise_frame(frame).to_excel(writer, sheet_name=name, index=False)
        pd.DataFrame({"Séance": [neutralise_formula(title)]}).to_excel(
            writer, sheet_name="Séance", index=False)
    return buffer.getvalue()


def _cell(value):
    """A cell as a plain value: blank → None, exported formulas restored to their text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        value = restore_neutralised_text(value.strip())
        return value or None
    return value


def grid_from_rows(frame: pd.DataFrame, known_indicators: set[str] | None = None,
                   rules: dict | None = None) -> Grid:
    """A grid from rows with the French columns of `grid_rows` (a re-imported XLSX sheet or the
    on-screen editor): criteria grouped by dimension identifier, else by dimension label.
    GridError (French) names the line and the field when a row is not valid."""
    missing = [french for french in ("Dimension", "Critère", "Poids") if french not in frame.columns]
    if missing:
        raise GridError("Colonnes manquantes : " + ", ".join(missing) + ".")
    reverse = {french: key for key, french in GRID_COLUMNS.items()}
    frame = frame.rename(columns=reverse)
    dimensions: dict[str, dict] = {}
    for line, row in enumerate(frame.to_dict("records"), start=2):
        row = {key: _cell(value) for key, value in row.items() if key in GRID_COLUMNS}
        label, dimension_id = row.pop("dimension", None), row.pop("dimension_id", None)
        if not label:
            raise GridError(f"Ligne {line} : la dimension est vide.")
        dimension = dimensions.setdefault(str(dimension_id or label), {"label": str(label),
                                                                       "criteria": []})
        if dimension_id:
            dimension["id"] = str(dimension_id)
        dimension["criteria"].append({k: v for k, v in row.items() if v is not None})
    return grid_from_dict({"dimensions": list(dimensions.values())}, known_indicators, rules)


def import_grid_file(name: str, content: bytes, known_indicators: set[str] | None = None,
                     rules: dict | None = None) -> Grid:
    """A grid from an exported JSON or XLSX file; GridError (French) on any problem. `rules`
    (indicator → ValueRule) checks targets and thresholds as the editor does."""
    if len(content) > MAX_GRID_FILE_BYTES:
        raise GridError("Fichier trop volumineux pour une grille (2 Mo au plus).")
    lowered = name.lower()
    if lowered.endswith(".json"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise GridError("Le fichier JSON n'est pas en UTF-8.") from None
        return grid_from_json(text, known_indicators, rules)
    if lowered.endswith(".xlsx"):
        try:
            sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
        except Exception:  # noqa: BLE001 - any unreadable workbook
            raise GridError("Le classeur est illisible (fichier XLSX attendu).") from None
        if "Grille" not in sheets:
            raise GridError("Le classeur n'a pas de feuille « Grille ».")
        try:
            return grid_from_rows(sheets["Grille"], known_indicators, rules)
        except GridError as error:
            raise GridError(f"Feuille « Grille », {str(error)[0].lower()}{str(error)[1:]}") from None
    raise GridError("Format non reconnu : importez un fichier .json ou .xlsx exporté par Essaim.")
