"""The checks an import passes before anything is written: one function per rule family, each
returning French issues that name the file, the line and the column.

Rows are the typed rows of a file (with their line in "_line"); `ImportContext` holds what the
rows may refer to: the uploaded tables where given, the current dataset's otherwise.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

import pandas as pd

from essaim.data.model import STAGE_ORDER
from essaim.data.roles import ROLES, SINGLE_ROLES, parse_roles
from essaim.imports.specs import SPECS, FileSpec
from essaim.numbers.measures import infer_measure
from essaim.numbers.ranges import ValueRule, check_year

# Contours are simplified for the web: a point may fall this far outside its département.
COORDINATE_TOLERANCE_DEGREES = 0.05


@dataclass(frozen=True)
class Issue:
    file: str  # file name, « file › sheet » for a workbook
    row: int | None  # line in the file or sheet, as Excel shows it; None for the whole file
    column: str
    message: str
    cell: str = ""  # « B7 » in a workbook

    def __str__(self) -> str:
        where = f"{self.file}, ligne {self.row}" if self.row else self.file
        if self.cell:
            where = f"{self.file}, cellule {self.cell}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


@dataclass
class ImportContext:
    """What imported rows may refer to: codes, and the definitions needed by value checks."""

    codes: dict[str, set[str]] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)  # indicator → measure
    essaimage_territory: dict[str, str] = field(default_factory=dict)
    rules: dict[str, ValueRule] = field(default_factory=dict)  # indicator → what values may be
    essaimage_innovation: dict[str, str] = field(default_factory=dict)
    founded_years: dict[str, int] = field(default_factory=dict)  # innovation → founding year
    innovation_names: dict[str, str] = field(default_factory=dict)
    # Values (indicator_code, territory_code, essaimage_code, period, value, partner_code): what
    # the other territories report (`peer_values`), and what the store holds now (a row equal to
    # one of `current_values` changes nothing and is not asked again).
    peer_values: pd.DataFrame | None = None
    current_values: pd.DataFrame | None = None


def suggest(value, options) -> str:
    """" — vouliez-vous dire « … » ?" for a close option, else ""."""
    options = [str(o) for o in options]
    text = str(value)
    known = set(options)
    lookalikes = text.translate(str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", " ": None,
                                               ".": None}))
    for fixed in (lookalikes, "0" + text, "0" + lookalikes):  # 33O63; 1053 lost its leading zero
        if fixed != text and fixed in known:
            return f" — vouliez-vous dire « {fixed} » ?"
    close = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    return f" — vouliez-vous dire « {close[0]} » ?" if close else ""


def check_duplicates(spec: FileSpec, rows: list[dict], name: str) -> list[Issue]:
    """Rows sharing the same identity (the spec's key columns)."""
    if not spec.key:
        return []
    issues, seen = [], {}
    for row in rows:
        key = tuple(row.get(k) for k in spec.key)
        if any(part is None for part, k in zip(key, spec.key) if spec.column(k).required):
            continue
        if key in seen:
            what = (f"« {key[0]} »" if len(key) == 1 else
                    "mêmes " + ", ".join(spec.column(k).french.lower() for k in spec.key))
            issues.append(Issue(name, row["_line"], spec.column(spec.key[0]).french if
                                len(key) == 1 else "", f"{what} que la ligne {seen[key]} (doublon)"))
        else:
            seen[key] = row["_line"]
    return issues


# --- territories ---------------------------------------------------------------------------

def _departement_shapes(contours: dict | None) -> dict:
    """Each département's contour, widened by the tolerance, ready for point tests."""
    if not contours:
        return {}
    from shapely.geometry import shape
    from shapely.prepared import prep

    return {f["properties"]["code"]: prep(shape(f["geometry"]).buffer(
        COORDINATE_TOLERANCE_DEGREES)) for f in contours["features"]}


def _inside(shapes: dict, departement: str, latitude: float, longitude: float) -> bool:
    from shapely.geometry import Point

    target = shapes.get(departement)
    return target is None or target.contains(Point(longitude, latitude))


def check_territories(rows: list[dict], name: str, communes: pd.DataFrame,
                      departements: pd.DataFrame, contours: dict | None = None) -> list[Issue]:
    """Communes and EPCI exist; département, région and coordinates are filled in when empty and
    must agree with the commune/EPCI otherwise; the point lies in its département."""
    issues = []
    by_insee = communes.set_index("code_insee")
    epci_members = communes.dropna(subset=["code_epci"]).groupby("code_epci")
    regions = departements.set_index("code_departement")["code_region"]
    region_codes = set(departements["code_region"])
    placed = any(r.get("latitude") is not None and r.get("longitude") is not None for r in rows)
    shapes = _departement_shapes(contours) if placed else {}
    for row in rows:
        line = row["_line"]
        seat = _seat(row, name, by_insee, epci_members, issues)
        if seat is None:
            continue
        expected_dep = seat["code_departement"]
        if row.get("code_departement") and row["code_departement"] != expected_dep:
            where = (f"la commune {row['insee_commune']}" if row.get("insee_commune")
                     else f"l'EPCI {row['siren_epci']}")
            issues.append(Issue(name, line, "Code département",
                                f"le département « {row['code_departement']} » ne correspond pas à "
                                f"{where} (département {expected_dep})"))
            continue
        row["code_departement"] = expected_dep
        expected_region = regions.get(expected_dep)
        if row.get("code_region") and row["code_region"] != expected_region:
            reason = ("code région inconnu" if row["code_region"] not in region_codes else
                      "ne correspond pas au département")
            issues.append(Issue(name, line, "Code région",
                                f"« {row['code_region']} » : {reason} (région {expected_region} "
                                f"pour le département {expected_dep})"))
            continue
        row["code_region"] = expected_region
        if row.get("latitude") is None or row.get("longitude") is None:
            row["latitude"], row["longitude"] = float(seat["latitude"]), float(seat["longitude"])
        elif not (-90 <= row["latitude"] <= 90 and -180 <= row["longitude"] <= 180):
            issues.append(Issue(name, line, "Latitude", "coordonnées hors limites"))
        elif not _inside(shapes, expected_dep, row["latitude"], row["longitude"]):
            issues.append(Issue(name, line, "Latitude",
                                f"le point ({row['latitude']} ; {row['longitude']}) n'est pas dans "
                                f"le département {expected_dep} : latitude et longitude "
                                "inversées ? (laissez-les vides pour prendre celles de la "
                                "commune)"))
    return issues


def _seat(row, name, by_insee, epci_members, issues):
    """The commune that places the territory (its own, or the EPCI's most populated)."""
    insee, siren = row.get("insee_commune"), row.get("siren_epci")
    line = row["_line"]
    seat = None
    if insee:
        if insee not in by_insee.index:
            nearby = [c for c in by_insee.index if c[:2] == insee[:2]] or list(by_insee.index)
            if len(insee) == 4:
                nearby.append("0" + insee)
            issues.append(Issue(name, line, "Code INSEE commune",
                                f"code INSEE inconnu « {insee} »" + suggest(insee, nearby)))
            return None
        seat = by_insee.loc[insee]
    if siren:
        if siren not in epci_members.groups:
            issues.append(Issue(name, line, "SIREN EPCI", f"SIREN d'EPCI inconnu « {siren} »"
                                + suggest(siren, epci_members.groups.keys())))
            return None
        if seat is not None and seat["code_epci"] != siren and row.get("scale") != "epci":
            issues.append(Issue(name, line, "SIREN EPCI",
                                f"la commune {insee} n'appartient pas à l'EPCI {siren} (elle est "
                                f"dans l'EPCI {seat['code_epci']})"))
            return None
        if seat is None or row.get("scale") == "epci":
            members = epci_members.get_group(siren)
            seat = members.sort_values("population_municipale", ascending=False).iloc[0]
    if seat is None:
        issues.append(Issue(name, line, "Code INSEE commune",
                            "code INSEE de commune ou SIREN d'EPCI obligatoire"))
    return seat


# --- references between tables ---------------------------------------------------------------

REFERENCES = {
    "essaimages": [("innovation_code", "innovations", "innovation inconnue"),
                   ("territory_code", "territories", "territoire inconnu")],
    "partner_roles": [("partner_code", "partners", "partenaire inconnu"),
                      ("essaimage_code", "essaimages", "essaimage inconnu")],
    "indicator_values": [("indicator_code", "indicators", "indicateur inconnu"),
                         ("territory_code", "territories", "territoire inconnu"),
                         ("essaimage_code", "essaimages", "essaimage inconnu"),
                         ("partner_code", "partners", "partenaire inconnu")],
    "verbatims": [("essaimage_code", "essaimages", "essaimage inconnu")],
}


def check_references(table: str, rows: list[dict], name: str, context: ImportContext
                     ) -> list[Issue]:
    """Every code a row refers to exists (with a suggestion when one is close)."""
    spec = SPECS[table]
    issues = []
    for row in rows:
        for key, target, message in REFERENCES.get(table, []):
            value = row.get(key)
            known = context.codes.get(target, set())
            if value and value not in known:
                issues.append(Issue(name, row["_line"], spec.column(key).french,
                                    f"{message} « {value} »" + suggest(value, known)))
    return issues


# --- essaimages ------------------------------------------------------------------------------

def check_essaimages(rows: list[dict], name: str, today: dt.date | None = None) -> list[Issue]:
    """No start in the future; stage dates in roadmap order and none beyond the stage reached."""
    today = today or dt.date.today()
    spec = SPECS["essaimages"]
    issues = []
    for row in rows:
        line = row["_line"]
        start = row.get("start_date")
        if start and start > today:
            issues.append(Issue(name, line, "Date de début",
                                f"date dans le futur ({start:%d/%m/%Y})"))
        stage = row.get("stage")
        previous = None
        for code in STAGE_ORDER:
            column = f"date_etape_{code.lower()}"
            date = row.get(column)
            if date is None:
                continue
            french = spec.column(column).french
            if stage and STAGE_ORDER.index(code) > STAGE_ORDER.index(stage):
                issues.append(Issue(name, line, french, f"date de l'étape {code} alors que "
                                    f"l'étape atteinte est {stage}"))
            if date > today:
                issues.append(Issue(name, line, french, f"date dans le futur ({date:%d/%m/%Y})"))
            if previous and date < previous[1]:
                issues.append(Issue(name, line, french,
                                    f"l'étape {code} ({date:%d/%m/%Y}) précède l'étape "
                                    f"{previous[0]} ({previous[1]:%d/%m/%Y}) : les étapes se "
                                    "suivent dans l'ordre"))
            previous = (code, date)
    return issues


# --- indicator definitions -------------------------------------------------------------------

def check_indicators(rows: list[dict], name: str) -> list[Issue]:
    """Roles are complete and coherent: one beneficiaries and one budget indicator at most,
    unit costs for avoided costs, a weight for grid criteria, target and threshold in the
    indicator's direction, a rate for a reference comparison. Fills in the measure from the
    unit when it is empty."""
    spec = SPECS["indicators"]
    issues = []
    holders: dict[str, list[int]] = {role: [] for role in SINGLE_ROLES}
    for row in rows:
        line = row["_line"]
        row["measure"] = row.get("measure") or infer_measure(row.get("unit") or "")
        roles = parse_roles(row.get("roles") or "")
        row["roles"] = row.get("roles") or ""
        row["perverse_effects"] = row.get("perverse_effects") or ""
        for role in SINGLE_ROLES:
            if role in roles:
                holders[role].append(line)
        if "investment" in roles and row["measure"] != "amount":
            issues.append(Issue(name, line, "Rôles", "le rôle « montant investi » demande un montant en "
                                "euros (nature « montant »)"))
        if "avoided_cost" in roles:
            if not row.get("unit_cost_euros") or row["unit_cost_euros"] <= 0:
                issues.append(Issue(name, line, spec.column("unit_cost_euros").french,
                                    "le rôle « coût évité » demande un coût unitaire positif"))
            if not row.get("avoided_cost_label"):
                issues.append(Issue(name, line, spec.column("avoided_cost_label").french,
                                    "le rôle « coût évité » demande de dire ce qui est évité"))
            if row.get("unit_cost_share_pct") is None:
                row["unit_cost_share_pct"] = 100.0
            years = row.get("benefit_years")
            if years is not None and (years != int(years) or not 1 <= years <= 10):
                issues.append(Issue(name, line, spec.column("benefit_years").french,
                                    "un nombre entier d'années de 1 à 10 est attendu"))
            elif years is not None:
                row["benefit_years"] = int(years)
        if "grid_criterion" in roles:
            issues += _grid_issues(row, name, spec)
        issues += _scale_issues(row, name, spec)
        if row.get("reference_statistic") and row["measure"] != "rate":
            issues.append(Issue(name, line, spec.column("reference_statistic").french,
                                "seul un taux se compare à une statistique de référence "
                                "départementale"))
    issues += _counterpart_issues(rows, name, spec)
    for role, lines in holders.items():
        for line in lines[1:]:
            issues.append(Issue(name, line, "Rôles", f"le rôle « {ROLES[role]} » est déjà tenu "
                                f"par l'indicateur de la ligne {lines[0]} (un seul indicateur)"))
    return issues


def _counterpart_issues(rows: list[dict], name: str, spec: FileSpec) -> list[Issue]:
    """A declared counterpart is another indicator of the file, an amount in euros."""
    measures = {row.get("code"): row.get("measure") for row in rows}
    issues = []
    for row in rows:
        code = row.get("declared_counterpart")
        if not code:
            continue
        column = spec.column("declared_counterpart").french
        if code not in measures or code == row.get("code"):
            issues.append(Issue(name, row["_line"], column, f"indicateur « {code} » absent du "
                                "fichier (le code d'un autre indicateur est attendu)"))
        elif measures[code] != "amount":
            issues.append(Issue(name, row["_line"], column, f"« {code} » doit être un montant en "
                                "euros (nature « montant »)"))
    return issues


def _grid_issues(row: dict, name: str, spec: FileSpec) -> list[Issue]:
    line, issues = row["_line"], []
    weight = row.get("grid_weight")
    if weight is None or weight < 0:
        issues.append(Issue(name, line, spec.column("grid_weight").french,
                            "le rôle « critère de grille » demande un poids positif ou nul"))
    target, threshold = row.get("grid_target"), row.get("grid_threshold")
    if target is not None and threshold is not None:
        rising = row.get("direction") != "down"
        if (rising and target <= threshold) or (not rising and target >= threshold):
            sense = "au-dessus" if rising else "en dessous"
            issues.append(Issue(name, line, spec.column("grid_target").french,
                                f"pour un indicateur en {'hausse' if rising else 'baisse'}, "
                                f"l'objectif ({_plain_number(target)}) doit être {sense} du seuil "
                                f"({_plain_number(threshold)})"))
    return issues


def _scale_issues(row: dict, name: str, spec: FileSpec) -> list[Issue]:
    """Minimum below maximum; the grid's target and threshold are values the indicator can take."""
    line, issues = row["_line"], []
    low, high = row.get("minimum"), row.get("maximum")
    if low is not None and high is not None and low >= high:
        issues.append(Issue(name, line, spec.column("maximum").french,
                            f"le maximum ({_plain_number(high)}) doit dépasser le minimum "
                            f"({_plain_number(low)})"))
        return issues
    rule = ValueRule.of(row)
    for key in ("grid_target", "grid_threshold"):
        value = row.get(key)
        reason = rule.check(value) if value is not None and rule.measure != "count" else None
        if value is not None and rule.measure == "count":
            reason = ValueRule("amount", rule.unit, rule.minimum, rule.maximum).check(value)
        if reason:
            issues.append(Issue(name, line, spec.column(key).french, reason))
    return issues


def _plain_number(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


# --- indicator values ------------------------------------------------------------------------

def check_values(rows: list[dict], name: str, context: ImportContext) -> list[Issue]:
    """Every value is possible for its indicator (essaim.numbers.ranges: a rate in its unit's
    range, a whole non-negative count, a score in its scale), no year precedes the innovation's
    founding, and a value of an essaimage is in that essaimage's territory."""
    spec = SPECS["indicator_values"]
    issues = []
    for row in rows:
        line, value = row["_line"], row.get("value")
        indicator = row.get("indicator_code")
        rule = context.rules.get(indicator) or ValueRule(context.measures.get(indicator) or "count")
        if value is not None:
            reason = rule.check(value)
            if reason:
                issues.append(Issue(name, line, spec.column("value").french, reason))
        innovation = context.essaimage_innovation.get(row.get("essaimage_code"))
        founded = context.founded_years.get(innovation)
        if row.get("period") and founded:
            reason = check_year(row["period"], founded_year=founded,
                                what=context.innovation_names.get(innovation, innovation))
            if reason:
                issues.append(Issue(name, line, spec.column("period").french, reason))
        essaimage = row.get("essaimage_code")
        territory = context.essaimage_territory.get(essaimage)
        if essaimage and territory and row.get("territory_code") != territory:
            issues.append(Issue(name, line, spec.column("territory_code").french,
                                f"l'essaimage « {essaimage} » est dans le territoire "
                                f"« {territory} », pas « {row.get('territory_code')} »"))
    return issues
