"""Bringing real data in: French files checked against the model and the references before
anything is written, then committed as a new dataset in one transaction (all rows or none).

The previous dataset stays in the store; rolling back is making it active again.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim import schema
from essaim.dataset import Dataset
from essaim.file_reading import FileReadError, parse_french_date, parse_french_number, read_table_file
from essaim.model import FAMILIES, PARTNER_TYPES, SCALES, STAGE_ORDER, STAGES
from essaim.search import normalise
from essaim.store import write_dataset, write_transaction

MAX_TEXT = 500


@dataclass(frozen=True)
class Column:
    key: str  # column in the store
    french: str  # heading in the file
    kind: str = "text"  # text, number, date, bool, stage, scale, partner_type, family, direction
    required: bool = True
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class FileSpec:
    table: str
    label: str
    key: str  # the column that identifies a row
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SPECS: dict[str, FileSpec] = {spec.table: spec for spec in [
    FileSpec("territories", "Territoires", "code", (
        Column("code", "Code territoire", help="Identifiant court, unique (ex. bordeaux).",
               example="bordeaux"),
        Column("name", "Nom", example="Bordeaux"),
        Column("scale", "Échelle", "scale",
               help="commune, arrondissement, epci, departement ou qpv.", example="commune"),
        Column("insee_commune", "Code INSEE commune", required=False,
               help="Cinq caractères (ex. 33063, 2A004). Obligatoire sans SIREN d'EPCI.",
               example="33063"),
        Column("siren_epci", "SIREN EPCI", required=False,
               help="Neuf chiffres. Obligatoire pour un EPCI.", example="243300316"),
        Column("code_departement", "Code département", required=False,
               help="Déduit de la commune ou de l'EPCI s'il est vide.", example="33"),
        Column("code_region", "Code région", required=False,
               help="Déduit du département s'il est vide.", example="75"),
        Column("latitude", "Latitude", "number", required=False,
               help="WGS84 ; déduite de la commune si vide.", example="44,86257"),
        Column("longitude", "Longitude", "number", required=False, example="-0,56065"),
        Column("qpv", "QPV (oui/non)", "bool", help="Un quartier prioritaire est-il concerné ?",
               example="oui"),
    )),
    FileSpec("essaimages", "Essaimages", "code", (
        Column("code", "Code essaimage", help="Identifiant unique (ex. tapaj-bordeaux).",
               example="tapaj-bordeaux"),
        Column("innovation_code", "Innovation", help="Code d'une innovation connue (ex. tapaj).",
               example="tapaj"),
        Column("territory_code", "Territoire", help="Code d'un territoire.", example="bordeaux"),
        Column("relay", "Structure relais", example="Association Bordeaux Prévention Jeunes"),
        Column("start_date", "Date de début", "date", help="jj/mm/aaaa, aaaa-mm-jj ou date Excel.",
               example="05/09/2016"),
        Column("stage", "Étape", "stage", help="0, I, II, III ou IV (ou « Étape III »…).",
               example="III"),
        *(Column(f"date_etape_{code.lower()}", f"Date étape {code}", "date", required=False,
                 example=ex) for code, ex in zip(STAGE_ORDER, ["05/09/2016", "11/12/2016",
                                                               "22/06/2017", "27/02/2018", ""])),
    )),
    FileSpec("partners", "Partenaires", "code", (
        Column("code", "Code partenaire", example="dgefp"),
        Column("name", "Nom", example="DGEFP"),
        Column("type", "Type", "partner_type", help=", ".join(PARTNER_TYPES.values()),
               example="État / DGEFP"),
    )),
    FileSpec("indicators", "Définitions d'indicateurs", "code", (
        Column("code", "Code indicateur", example="taux_sortie_emploi"),
        Column("label", "Libellé", example="Taux de sortie vers l'emploi"),
        Column("unit", "Unité", example="%"),
        Column("direction", "Sens", "direction", help="« hausse » si plus haut est mieux, sinon "
               "« baisse ».", example="hausse"),
        Column("family", "Famille", "family", help=", ".join(FAMILIES.values()),
               example="Résultats emploi"),
        Column("standard", "Standard (oui/non)", "bool", help="oui : indicateur standard ; "
               "non : co-construit.", example="oui"),
        Column("definition", "Définition", example="Sorties vers l'emploi rapportées aux sortants."),
    )),
    FileSpec("indicator_values", "Valeurs d'indicateurs", "", (
        Column("indicator_code", "Indicateur", example="taux_sortie_emploi"),
        Column("territory_code", "Territoire", example="bordeaux"),
        Column("essaimage_code", "Essaimage", required=False,
               help="Vide pour une valeur de tout le territoire.", example="tapaj-bordeaux"),
        Column("period", "Période", help="Année (ex. 2022).", example="2022"),
        Column("value", "Valeur", "number", help="Nombre ; virgule décimale acceptée.",
               example="23,5"),
        Column("partner_code", "Partenaire", help="Code du partenaire qui déclare la valeur.",
               example="dgefp"),
        Column("source", "Source", help="Document ou fichier d'origine, obligatoire.",
               example="Rapport d'activité 2022"),
    )),
]}


@dataclass(frozen=True)
class Issue:
    file: str
    row: int | None  # line in the file (header = 1), None for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, ligne {self.row}" if self.row else self.file
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


@dataclass
class ImportResult:
    tables: dict[str, list[dict]] = field(default_factory=dict)  # validated uploads, typed
    previews: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # table → file name

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.tables)


def _choice(value: str, options: dict[str, str]) -> str | None:
    """A code from its code or its French label, accents and case ignored."""
    wanted = normalise(value)
    for code, label in options.items():
        if wanted in (normalise(code), normalise(label)):
            return code
    return None


def _stage(value: str) -> str | None:
    """A roadmap stage from "III", "3", "Étape III", "Étape III – Essaimage" or "essaimage"."""
    def forms(text: str) -> set[str]:
        text = normalise(text).replace("–", " ")
        words = " ".join(text.split())
        return {words, words.replace("etape", "").strip()}

    typed = forms(value)
    numbers = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
    for code, label in STAGES.items():
        name = label.split("–")[-1]
        if typed & (forms(code) | forms(label) | forms(name)):
            return code
    return next((numbers[t] for t in typed if t in numbers), None)


_BOOLEANS = {"oui": True, "o": True, "vrai": True, "true": True, "1": True, "x": True,
             "non": False, "n": False, "faux": False, "false": False, "0": False}


# Columns whose cells are one of a list (code or French label accepted): options, refusal.
_CHOICES = {
    "scale": (SCALES, "échelle inconnue « {text} » (" + ", ".join(SCALES) + ")"),
    "partner_type": (PARTNER_TYPES, "type de partenaire inconnu « {text} »"),
    "family": (FAMILIES, "famille inconnue « {text} »"),
    "direction": ({"up": "hausse", "down": "baisse"}, "« hausse » ou « baisse » attendu, reçu « {text} »"),
}


def _convert(column: Column, text: str):
    """Typed value or raises ValueError with a French reason."""
    if column.kind == "number":
        try:
            return parse_french_number(text)
        except ValueError:
            raise ValueError(f"nombre attendu, reçu « {text} »") from None
    if column.kind == "date":
        try:
            return parse_french_date(text)
        except ValueError:
            raise ValueError(f"date attendue (jj/mm/aaaa), reçu « {text} »") from None
    if column.kind == "bool":
        if normalise(text) not in _BOOLEANS:
            raise ValueError(f"oui ou non attendu, reçu « {text} »")
        return _BOOLEANS[normalise(text)]
    if column.kind == "stage":
        stage = _stage(text)
        if stage is None:
            raise ValueError(f"étape inconnue « {text} » (0, I, II, III ou IV attendu)")
        return stage
    if column.kind in _CHOICES:
        options, reason = _CHOICES[column.kind]
        code = _choice(text, options)
        if code is None:
            raise ValueError(reason.format(text=text))
        return code
    if len(text) > MAX_TEXT:
        raise ValueError(f"texte trop long ({len(text)} caractères pour {MAX_TEXT} au plus)")
    return text


def _match_columns(spec: FileSpec, frame: pd.DataFrame, name: str) -> tuple[dict, list[Issue]]:
    by_heading = {normalise(h): h for h in frame.columns}
    mapping, issues = {}, []
    for column in spec.columns:
        heading = by_heading.get(normalise(column.french)) or by_heading.get(normalise(column.key))
        if heading is None:
            if column.required:
                issues.append(Issue(name, None, column.french, "colonne obligatoire absente"))
            continue
        mapping[column.key] = heading
    return mapping, issues


def _parse_rows(spec: FileSpec, frame: pd.DataFrame, name: str) -> tuple[list[dict], list[Issue]]:
    mapping, issues = _match_columns(spec, frame, name)
    if issues:
        return [], issues
    rows = []
    for index, record in enumerate(frame.to_dict("records"), start=2):
        row = {}
        for column in spec.columns:
            text = str(record.get(mapping.get(column.key, ""), "") or "").strip()
            if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
                text = text[1:]  # a cell neutralised by an export: take the text back
            if not text:
                if column.required:
                    issues.append(Issue(name, index, column.french, "valeur obligatoire manquante"))
                row[column.key] = None
                continue
            try:
                row[column.key] = _convert(column, text)
            except ValueError as error:
                issues.append(Issue(name, index, column.french, str(error)))
                row[column.key] = None
        row["_line"] = index
        rows.append(row)
    if spec.key:
        seen: dict[str, int] = {}
        for row in rows:
            key = row.get(spec.key)
            if key in seen:
                issues.append(Issue(name, row["_line"], spec.column(spec.key).french,
                                    f"« {key} » figure déjà ligne {seen[key]} (doublon)"))
            elif key:
                seen[key] = row["_line"]
    else:
        keys = ["indicator_code", "territory_code", "essaimage_code", "period", "partner_code"]
        seen_values: dict[tuple, int] = {}
        for row in rows:
            key = tuple(row.get(k) for k in keys)
            if key in seen_values:
                issues.append(Issue(name, row["_line"], "", "même indicateur, territoire, "
                                    "essaimage, période et partenaire que la ligne "
                                    f"{seen_values[key]} (doublon)"))
            else:
                seen_values[key] = row["_line"]
    return rows, issues


_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", " ": None, ".": None})


def _suggest(value: str, options) -> str:
    options = [str(o) for o in options]
    fixed = str(value).translate(_LOOKALIKES)  # 33O63 typed with a letter O, "33 063"…
    if fixed != value and fixed in set(options):
        return f" — vouliez-vous dire « {fixed} » ?"
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    return f" — vouliez-vous dire « {close[0]} » ?" if close else ""


def _check_territories(rows, name, communes: pd.DataFrame, departements: pd.DataFrame):
    issues = []
    by_insee = communes.set_index("code_insee")
    epci_members = communes.dropna(subset=["code_epci"]).groupby("code_epci")
    regions = departements.set_index("code_departement")["code_region"]
    for row in rows:
        insee, siren = row.get("insee_commune"), row.get("siren_epci")
        seat = None
        if insee:
            if insee not in by_insee.index:
                nearby = [c for c in by_insee.index if c[:2] == insee[:2]] or list(by_insee.index)
                issues.append(Issue(name, row["_line"], "Code INSEE commune",
                                    f"code INSEE inconnu « {insee} »" + _suggest(insee, nearby)))
                continue
            seat = by_insee.loc[insee]
        if siren:
            if siren not in epci_members.groups:
                issues.append(Issue(name, row["_line"], "SIREN EPCI", f"SIREN d'EPCI inconnu « {siren} »"
                                    + _suggest(siren, epci_members.groups.keys())))
                continue
            if seat is None:
                members = epci_members.get_group(siren)
                seat = members.sort_values("population_municipale", ascending=False).iloc[0]
        if seat is None:
            issues.append(Issue(name, row["_line"], "Code INSEE commune",
                                "code INSEE de commune ou SIREN d'EPCI obligatoire"))
            continue
        row["code_departement"] = row.get("code_departement") or seat["code_departement"]
        row["code_region"] = row.get("code_region") or regions.get(row["code_departement"])
        if row["code_region"] is None:
            issues.append(Issue(name, row["_line"], "Code département",
                                f"département inconnu « {row['code_departement']} »"))
        if row.get("latitude") is None or row.get("longitude") is None:
            row["latitude"], row["longitude"] = float(seat["latitude"]), float(seat["longitude"])
        if not (-90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180):
            issues.append(Issue(name, row["_line"], "Latitude", "coordonnées hors limites"))
    return issues


def _check_references(table: str, rows, name, known: dict[str, set]) -> list[Issue]:
    checks = {
        "essaimages": [("innovation_code", "innovations", "Innovation", "innovation inconnue"),
                       ("territory_code", "territories", "Territoire", "territoire inconnu")],
        "indicator_values": [
            ("indicator_code", "indicators", "Indicateur", "indicateur inconnu"),
            ("territory_code", "territories", "Territoire", "territoire inconnu"),
            ("essaimage_code", "essaimages", "Essaimage", "essaimage inconnu"),
            ("partner_code", "partners", "Partenaire", "partenaire inconnu")],
    }
    issues = []
    for row in rows:
        for key, target, french, message in checks.get(table, []):
            value = row.get(key)
            if value and value not in known[target]:
                issues.append(Issue(name, row["_line"], french,
                                    f"{message} « {value} »" + _suggest(value, known[target])))
    if table == "essaimages":
        for row in rows:
            stage = row.get("stage")
            if stage and row.get("start_date") and row.get(f"date_etape_{stage.lower()}") is None:
                row[f"date_etape_{stage.lower()}"] = None  # stage reached, date unknown: allowed
    return issues


def validate_files(files: dict[str, bytes], current: Dataset, communes: pd.DataFrame,
                   departements: pd.DataFrame) -> ImportResult:
    """Read and check uploaded files (name → bytes) against the model, the references and the
    current dataset. Never raises for a bad file: every problem becomes an Issue."""
    result = ImportResult()
    parsed: dict[str, list[dict]] = {}
    for name, content in files.items():
        try:
            frame = read_table_file(name, content)
        except FileReadError as error:
            result.errors.append(Issue(name, None, "", str(error).split(" : ", 1)[-1]))
            continue
        spec = _spec_for(frame)
        if spec is None:
            result.errors.append(Issue(name, None, "", "colonnes non reconnues : utilisez un des "
                                       "modèles (territoires, essaimages, partenaires, indicateurs, "
                                       "valeurs)"))
            continue
        if spec.table in parsed:
            result.errors.append(Issue(name, None, "", f"deux fichiers de {spec.label.lower()}"))
            continue
        rows, issues = _parse_rows(spec, frame, name)
        result.errors += issues
        parsed[spec.table] = rows
        result.files[spec.table] = name
        result.previews[spec.table] = frame.head(20)
    if "territories" in parsed:
        result.errors += _check_territories(parsed["territories"], result.files["territories"],
                                            communes, departements)
    known = {
        "innovations": set(current.innovations["code"]),
        "territories": {r["code"] for r in parsed["territories"]} if "territories" in parsed
        else set(current.territories["code"]),
        "essaimages": {r["code"] for r in parsed["essaimages"]} if "essaimages" in parsed
        else set(current.essaimages["code"]),
        "partners": {r["code"] for r in parsed["partners"]} if "partners" in parsed
        else set(current.partners["code"]),
        "indicators": {r["code"] for r in parsed["indicators"]} if "indicators" in parsed
        else set(current.indicators["code"]),
    }
    for table, rows in parsed.items():
        result.errors += _check_references(table, rows, result.files[table], known)
    result.tables = {table: [{k: v for k, v in row.items() if k != "_line"} for row in rows]
                     for table, rows in parsed.items()}
    result.errors.sort(key=lambda i: (i.file, i.row or 0))
    return result


def _spec_for(frame: pd.DataFrame) -> FileSpec | None:
    headings = {normalise(h) for h in frame.columns}
    best, score = None, 0
    for spec in SPECS.values():
        required = {normalise(c.french) for c in spec.columns if c.required}
        hits = len(required & headings) / len(required)
        if hits > score:
            best, score = spec, hits
    return best if score >= 0.5 else None


def merge_with_current(result: ImportResult, current: Dataset) -> tuple[dict[str, list[dict]], list[str]]:
    """The whole new dataset: uploaded tables replace their namesakes, the rest is carried over
    from the current dataset; carried rows that no longer match a code are left out (said)."""
    tables: dict[str, list[dict]] = {}
    notes: list[str] = []
    for name, table in schema.DATASET_TABLES.items():
        if name in result.tables:
            tables[name] = result.tables[name]
        else:
            frame = getattr(current, name)
            columns = schema.dataset_columns(table)
            tables[name] = [{c: _plain(v) for c, v in zip(columns, row)}
                            for row in frame[columns].itertuples(index=False)]
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


def _plain(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()
    return value


def commit_import(engine: Engine, result: ImportResult, current: Dataset, *, who: str,
                  label: str) -> int:
    """Write the new dataset and make it active, all in one transaction; returns its id.
    Refuses (ValueError) a result that still has errors: nothing is written."""
    if result.errors:
        raise ValueError("Import refusé : des erreurs restent à corriger.")
    if not result.tables:
        raise ValueError("Aucun fichier à importer.")
    tables, _ = merge_with_current(result, current)
    source = ", ".join(result.files.values())
    with write_transaction(engine) as conn:
        return write_dataset(conn, tables, kind="import", label=label or "Données importées",
                             source=source, created_by=who or "Administration")


def list_datasets(engine: Engine) -> pd.DataFrame:
    """Every dataset kept in the store, newest first: id, kind, label, source, who, when, active."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.datasets).order_by(schema.datasets.c.id.desc())).mappings().all()
    return pd.DataFrame(rows, columns=["id", "kind", "label", "source", "created_by", "created_at",
                                       "active"])


def activate_dataset(engine: Engine, dataset_id: int) -> None:
    """Make an earlier dataset (or the demo) the active one again."""
    with write_transaction(engine) as conn:
        exists = conn.execute(sa.select(schema.datasets.c.id).where(
            schema.datasets.c.id == dataset_id)).scalar_one_or_none()
        if exists is None:
            raise ValueError("Ce jeu de données n'existe pas.")
        conn.execute(schema.datasets.update().values(active=False))
        conn.execute(schema.datasets.update().where(schema.datasets.c.id == dataset_id)
                     .values(active=True))




