"""Grid files: export a workshop's grid and history as JSON or XLSX, import a grid to start the
next workshop from it (validated; nothing is used when the file has an error)."""

from __future__ import annotations

import io
import json

import pandas as pd

from essaim.exports import neutralise_formula
from essaim.grid import Grid, GridError, grid_from_dict, grid_from_json

GRID_COLUMNS = {"dimension": "Dimension", "dimension_id": "Identifiant dimension",
                "label": "Critère", "id": "Identifiant critère", "indicator_code": "Indicateur",
                "weight": "Poids", "target": "Objectif", "threshold": "Seuil", "source": "Source",
                "perverse_effects": "Effets pervers", "notes": "Notes"}
MAX_GRID_FILE_BYTES = 2_000_000


def grid_rows(grid: Grid) -> pd.DataFrame:
    """One row per criterion with its dimension, French column names."""
    rows = [{"dimension": d.label, "dimension_id": d.id, "label": c.label, "id": c.id,
             "indicator_code": c.indicator_code or "", "weight": c.weight, "target": c.target,
             "threshold": c.threshold, "source": c.source, "perverse_effects": c.perverse_effects,
             "notes": c.notes} for d, c in grid.criteria()]
    return pd.DataFrame(rows, columns=list(GRID_COLUMNS)).rename(columns=GRID_COLUMNS)


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
            safe = frame.copy()
            for column in safe.columns:
                if not pd.api.types.is_numeric_dtype(safe[column]):
                    safe[column] = safe[column].map(neutralise_formula)
            safe.to_excel(writer, sheet_name=name, index=False)
        pd.DataFrame({"Séance": [neutralise_formula(title)]}).to_excel(
            writer, sheet_name="Séance", index=False)
    return buffer.getvalue()


def _grid_from_rows(frame: pd.DataFrame, known_indicators: set[str] | None) -> Grid:
    missing = [french for french in ("Dimension", "Critère", "Poids") if french not in frame.columns]
    if missing:
        raise GridError("Colonnes manquantes dans la feuille « Grille » : " + ", ".join(missing) + ".")
    reverse = {french: key for key, french in GRID_COLUMNS.items()}
    frame = frame.rename(columns=reverse)
    dimensions: dict[str, dict] = {}
    for index, row in enumerate(frame.to_dict("records"), start=2):
        label = str(row.get("dimension") or "").strip()
        if not label or label == "nan":
            raise GridError(f"Feuille « Grille », ligne {index} : la dimension est vide.")
        dimension = dimensions.setdefault(label, {"label": label, "criteria": []})
        if row.get("dimension_id") and str(row["dimension_id"]) != "nan":
            dimension["id"] = str(row["dimension_id"])
        criterion = {key: (None if pd.isna(value) else value) for key, value in row.items()
                     if key not in ("dimension", "dimension_id")}
        criterion = {k: v for k, v in criterion.items() if v is not None}
        dimension["criteria"].append(criterion)
    try:
        return grid_from_dict({"dimensions": list(dimensions.values())}, known_indicators)
    except GridError as error:
        raise GridError(f"Feuille « Grille » : {error}") from None


def import_grid_file(name: str, content: bytes, known_indicators: set[str] | None = None) -> Grid:
    """A grid from an exported JSON or XLSX file; GridError (French) on any problem."""
    if len(content) > MAX_GRID_FILE_BYTES:
        raise GridError("Fichier trop volumineux pour une grille (2 Mo au plus).")
    lowered = name.lower()
    if lowered.endswith(".json"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise GridError("Le fichier JSON n'est pas en UTF-8.") from None
        return grid_from_json(text, known_indicators)
    if lowered.endswith(".xlsx"):
        try:
            sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
        except Exception:  # noqa: BLE001 - any unreadable workbook
            raise GridError("Le classeur est illisible (fichier XLSX attendu).") from None
        if "Grille" not in sheets:
            raise GridError("Le classeur n'a pas de feuille « Grille ».")
        frame = sheets["Grille"]
        return _grid_from_rows(frame, known_indicators)
    raise GridError("Format non reconnu : importez un fichier .json ou .xlsx exporté par Essaim.")
