"""Bringing real data in: French files checked against the model and the references before
anything is written, what the import changes shown table by table, then committed as a new
dataset in one transaction (all rows or none).

The previous dataset stays in the store; rolling back is making it active again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.data import schema
from essaim.data.dataset import Dataset
from essaim.data.store import dataset_fingerprint, write_dataset, write_transaction
from essaim.imports.changes import (
    TableChange,
    compare_with_current,
    current_rows,
    plain_value,
    row_content,
)
from essaim.imports.checks import (
    ImportContext,
    Issue,
    check_duplicates,
    check_essaimages,
    check_indicators,
    check_references,
    check_territories,
    check_values,
)
from essaim.imports.exports import restore_neutralised_text
from essaim.imports.reading import FileReadError, TableRead, read_tables
from essaim.imports.specs import SPECS, FileSpec, convert_cell
from essaim.imports.unusual import unusual_values
from essaim.numbers.ranges import rules_of
from essaim.text import fold_text

log = logging.getLogger(__name__)

__all__ = [
    "SPECS",
    "ImportRefused",
    "ImportResult",
    "Issue",
    "TableChange",
    "activate_dataset",
    "commit_import",
    "compare_with_current",
    "list_datasets",
    "merge_with_current",
    "validate_files",
]


@dataclass
class ImportResult:
    tables: dict[str, list[dict]] = field(default_factory=dict)  # validated uploads, typed
    previews: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # table → file (and sheet) name
    # Values far outside the other territories' (not errors): the import asks to confirm them,
    # and the confirmed rows are stored marked as such.
    unusual: list[Issue] = field(default_factory=list)
    unusual_cells: set[tuple] = field(default_factory=set)  # VALUE_KEY of each of those rows

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.tables)


def _headings() -> dict[str, list[str]]:
    return {table: spec.headings() for table, spec in SPECS.items()}


def _match_columns(spec: FileSpec, frame: pd.DataFrame, name: str) -> tuple[dict, list[Issue]]:
    by_heading = {fold_text(h): h for h in frame.columns}
    mapping, issues = {}, []
    for column in spec.columns:
        heading = by_heading.get(fold_text(column.french)) or by_heading.get(fold_text(column.key))
        if heading is None:
            if column.required:
                issues.append(Issue(name, None, column.french, "colonne obligatoire absente"))
            continue
        mapping[column.key] = heading
    return mapping, issues


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (
        isinstance(value, str) and not value.strip())


def parse_rows(spec: FileSpec, found: TableRead, name: str) -> tuple[list[dict], list[Issue]]:
    """Typed rows of a table read from a file (each with its line in "_line") and the cell-level
    issues, naming the cell (« B7 ») in a workbook."""
    frame = found.frame
    mapping, issues = _match_columns(spec, frame, name)
    if issues:
        return [], issues

    def issue(line: int, column, message: str) -> Issue:
        heading = mapping[column.key]
        cell = found.cell_reference(line, heading) if found.sheet is not None else ""
        return Issue(name, line, column.french, message, cell)

    rows = []
    for line, record in zip(frame.index, frame.to_dict("records")):
        row = {"_line": int(line)}
        for column in spec.columns:
            value = record.get(mapping.get(column.key, ""), "")
            if isinstance(value, str):
                value = restore_neutralised_text(value.strip())
            if _is_blank(value):
                if column.required:
                    issues.append(issue(int(line), column, "valeur obligatoire manquante"))
                row[column.key] = None
                continue
            try:
                row[column.key] = convert_cell(column, value)
            except ValueError as error:
                issues.append(issue(int(line), column, str(error)))
                row[column.key] = None
        rows.append(row)
    return rows, issues + check_duplicates(spec, rows, name)


def import_context(parsed: dict[str, list[dict]], current: Dataset) -> ImportContext:
    """What rows may refer to and be checked against: the uploaded tables where given (`parsed`),
    the current dataset otherwise (`import_context({}, dataset)` for a partner's declaration)."""
    def codes(table: str, key: str = "code") -> set[str]:
        if table in parsed:
            return {r[key] for r in parsed[table] if r.get(key)}
        return set(getattr(current, table)[key])

    if "indicators" in parsed:
        measures = {r["code"]: r.get("measure") for r in parsed["indicators"] if r.get("code")}
    else:
        measures = dict(zip(current.indicators["code"], current.indicators["measure"]))
    if "essaimages" in parsed:
        places = {r["code"]: r["territory_code"] for r in parsed["essaimages"] if r.get("code")}
        innovation_of = {r["code"]: r["innovation_code"] for r in parsed["essaimages"]
                         if r.get("code")}
    else:
        places = dict(zip(current.essaimages["code"], current.essaimages["territory_code"]))
        innovation_of = dict(zip(current.essaimages["code"], current.essaimages["innovation_code"]))
    indicators = parsed.get("indicators") or current.indicators.to_dict("records")
    innovations = parsed.get("innovations") or current.innovations.to_dict("records")
    current_values = current.indicator_values
    peers = current_values
    if "indicator_values" in parsed:
        # The file replaces the values: its own rows are what the other territories report.
        peers = pd.DataFrame([r for r in parsed["indicator_values"] if r.get("value") is not None],
                             columns=list(current_values.columns))
    return ImportContext(
        codes={t: codes(t) for t in ("innovations", "territories", "essaimages", "partners",
                                     "indicators")},
        measures=measures, essaimage_territory=places,
        rules=rules_of(indicators),
        essaimage_innovation=innovation_of,
        founded_years={r["code"]: int(r["founded_year"]) for r in innovations
                       if r.get("code") and not _is_blank(r.get("founded_year"))},
        innovation_names={r["code"]: r.get("name") or r["code"] for r in innovations
                          if r.get("code")},
        peer_values=peers, current_values=current_values)


def validate_files(files: dict[str, bytes], current: Dataset, communes: pd.DataFrame,
                   departements: pd.DataFrame, contours: dict | None = None,
                   today: dt.date | None = None) -> ImportResult:
    """Read and check uploaded files (name → bytes) against the model, the references and the
    current dataset. Never raises for a bad file: every problem becomes an Issue.

    A workbook may hold several tables (one per sheet, like the app's own export); `contours`
    (département GeoJSON) lets coordinates be checked against their département."""
    result = ImportResult()
    parsed: dict[str, list[dict]] = {}
    for name, content in files.items():
        try:
            found = read_tables(name, content, _headings(),
                                labels={t: spec.label for t, spec in SPECS.items()})
        except FileReadError as error:
            result.errors.append(Issue(name, None, "", error.reason))
            continue
        for table_read in found:
            spec = SPECS[table_read.table]
            where = f"{name} › {table_read.sheet}" if table_read.sheet else name
            if spec.table in parsed:
                result.errors.append(Issue(where, None, "", f"deux fichiers ou feuilles de "
                                           f"{spec.label.lower()} : gardez-en un seul"))
                continue
            rows, issues = parse_rows(spec, table_read, where)
            result.errors += issues
            parsed[spec.table] = rows
            result.files[spec.table] = where
            result.previews[spec.table] = table_read.frame.head(20)
    if "territories" in parsed:
        result.errors += check_territories(parsed["territories"], result.files["territories"],
                                           communes, departements, contours)
    if "essaimages" in parsed:
        result.errors += check_essaimages(parsed["essaimages"], result.files["essaimages"], today)
    if "indicators" in parsed:
        result.errors += check_indicators(parsed["indicators"], result.files["indicators"])
    context = import_context(parsed, current)
    for table, rows in parsed.items():
        result.errors += check_references(table, rows, result.files[table], context)
    if "indicator_values" in parsed:
        result.errors += check_values(parsed["indicator_values"], result.files["indicator_values"],
                                      context)
        result.unusual = unusual_values(parsed["indicator_values"],
                                        result.files["indicator_values"], context)
    result.unusual_cells = {value_key(row) for row in parsed.get("indicator_values", [])
                            if row.get("_unusual")}
    result.tables = {table: [{k: v for k, v in row.items() if not k.startswith("_")}
                             for row in rows] for table, rows in parsed.items()}
    result.errors.sort(key=lambda i: (i.file, i.row or 0))
    return result


VALUE_KEY = ("indicator_code", "territory_code", "essaimage_code", "period", "partner_code")


def value_key(row: dict) -> tuple:
    """What identifies a reported value: indicator, territory, essaimage ("" for none), period,
    partner."""
    return tuple((row.get(k) or "") if k == "essaimage_code" else row.get(k) for k in VALUE_KEY)


def merge_with_current(result: ImportResult, current: Dataset
                       ) -> tuple[dict[str, list[dict]], list[str]]:
    """The whole new dataset: uploaded tables replace their namesakes, the rest is carried over
    from the current dataset; carried rows that no longer match a code are left out (said)."""
    tables = {name: result.tables[name] if name in result.tables else current_rows(current, name)
              for name in schema.DATASET_TABLES}
    notes: list[str] = []
    codes = {name: {r["code"] for r in tables[name]} for name in
             ("innovations", "territories", "essaimages", "partners", "indicators")}
    links = {
        "essaimages": [("territory_code", "territories"), ("innovation_code", "innovations")],
        "partner_roles": [("partner_code", "partners"), ("essaimage_code", "essaimages")],
        "indicator_values": [("indicator_code", "indicators"), ("territory_code", "territories"),
                             ("essaimage_code", "essaimages"), ("partner_code", "partners")],
        "verbatims": [("essaimage_code", "essaimages")],
    }
    labels = {"essaimages": "essaimages", "partner_roles": "rôles de partenaires",
              "indicator_values": "valeurs d'indicateurs", "verbatims": "verbatims"}
    for name, checks in links.items():
        if name in result.tables:
            continue
        kept = [r for r in tables[name]
                if all(r.get(k) is None or r[k] in codes[t] for k, t in checks)]
        dropped = len(tables[name]) - len(kept)
        if dropped:
            notes.append(f"{dropped} {labels[name]} de l'ancien jeu ne correspondent plus aux "
                         "nouveaux codes : ils ne sont pas repris.")
        tables[name] = kept
        if name == "essaimages":
            codes["essaimages"] = {r["code"] for r in kept}
    return tables, notes


class ImportRefused(ValueError):
    """The import cannot be committed; the message (French) says why."""


def commit_import(engine: Engine, result: ImportResult, current: Dataset, *, who: str,
                  label: str, accept_losses: bool = False, confirm_unusual: bool = False) -> int:
    """Write the new dataset and make it active, all in one transaction; returns its id.

    Refuses (ImportRefused, French) a result that still has errors, an import that removes rows
    without `accept_losses`, unusual values without `confirm_unusual` (confirmed, they are stored
    marked as such), and does nothing when the active dataset already has exactly this content
    (a second click on « Importer » does not create a second dataset)."""
    if result.errors:
        log.warning("Import de %s refusé : %s erreur(s) à corriger",
                    ", ".join(result.files.values()), len(result.errors))
        raise ImportRefused("Import refusé : des erreurs restent à corriger.")
    if not result.tables:
        raise ImportRefused("Aucun fichier à importer.")
    if result.unusual and not confirm_unusual:
        log.warning("Import de %s arrêté : %s valeur(s) inhabituelle(s) à confirmer",
                    ", ".join(result.files.values()), len(result.unusual))
        raise ImportRefused(f"{len(result.unusual)} valeur(s) inhabituelle(s) : vérifiez-les et "
                            "confirmez-les explicitement pour continuer.")
    if result.unusual_cells:
        result.tables["indicator_values"] = [
            {**row, "unusual_confirmed": True} if value_key(row) in result.unusual_cells else row
            for row in result.tables["indicator_values"]]
    tables, _ = merge_with_current(result, current)
    losing = [c for c in compare_with_current(tables, current) if c.loses_rows]
    if losing and not accept_losses:
        log.warning("Import de %s arrêté : il retire des lignes sans confirmation (%s)",
                    ", ".join(result.files.values()),
                    ", ".join(f"{c.table} −{c.removed}" for c in losing))
        raise ImportRefused("Cet import retire des lignes (" + ", ".join(
            f"{SPECS[c.table].label.lower()} : {c.removed}" for c in losing)
            + ") : confirmez-le explicitement pour continuer.")
    fingerprint = dataset_fingerprint(tables)
    source = ", ".join(result.files.values())
    with write_transaction(engine) as conn:
        active = conn.execute(sa.select(schema.datasets.c.id, schema.datasets.c.fingerprint)
                              .where(schema.datasets.c.active.is_(True))).first()
        if active is not None and active.fingerprint == fingerprint:
            log.info("Import de %s par %s : contenu identique au jeu actif n°%s, rien d'écrit",
                     source, who or "Administration", active.id)
            return active.id
        return write_dataset(conn, tables, kind="import", label=label or "Données importées",
                             source=source, created_by=who or "Administration",
                             demo_tables=still_demo_tables(tables, current))


def still_demo_tables(tables: dict[str, list[dict]], current: Dataset) -> list[str]:
    """The tables of a new dataset that still hold demonstration data: those carried over from a
    demo table of the current dataset, or uploaded with exactly its content."""
    def rows(frame_rows: list[dict]) -> list[str]:
        return sorted(repr(row_content({k: plain_value(v) for k, v in r.items()})) for r in frame_rows)

    return [name for name in current.demo_tables
            if rows(tables.get(name, [])) == rows(current_rows(current, name))]


def list_datasets(engine: Engine) -> pd.DataFrame:
    """Every dataset kept in the store, newest first: id, kind, label, source, who, when, active."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.datasets).order_by(schema.datasets.c.id.desc())
                            ).mappings().all()
    return pd.DataFrame(rows, columns=["id", "kind", "label", "source", "created_by", "created_at",
                                       "active", "fingerprint", "demo_tables"])


def activate_dataset(engine: Engine, dataset_id: int) -> None:
    """Make an earlier dataset (or the demo) the active one again."""
    with write_transaction(engine) as conn:
        exists = conn.execute(sa.select(schema.datasets.c.id).where(
            schema.datasets.c.id == dataset_id)).scalar_one_or_none()
        if exists is None:
            raise ImportRefused("Ce jeu de données n'existe pas.")
        conn.execute(schema.datasets.update().values(active=False))
        conn.execute(schema.datasets.update().where(schema.datasets.c.id == dataset_id)
                     .values(active=True))
    log.info("Retour au jeu de données n°%s : il redevient le jeu actif", dataset_id)
