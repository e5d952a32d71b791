"""The evaluation grid: dimensions → criteria, with weights, targets, thresholds, sources and the
perverse effects to watch. Plain data, serialisable to JSON, validated with French messages."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from essaim.numbers.formatting import format_plain
from essaim.numbers.ranges import ValueRule
from essaim.numbers.reading import parse_french_number

MAX_LABEL = 120
MAX_TEXT = 500


class GridError(ValueError):
    """A grid that cannot be used; the message (French) names the dimension or criterion."""


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    indicator_code: str | None = None  # None: a qualitative criterion, rated by the room
    weight: float = 1.0
    target: float | None = None  # objectif chiffré
    threshold: float | None = None  # level below which the criterion scores 0
    source: str = ""
    perverse_effects: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    @property
    def weight(self) -> float:
        """The dimension's weight: the sum of its criteria's weights."""
        return sum(c.weight for c in self.criteria)


@dataclass(frozen=True)
class Grid:
    dimensions: tuple[Dimension, ...]

    def criteria(self) -> list[tuple[Dimension, Criterion]]:
        """Every criterion with its dimension, in order."""
        return [(d, c) for d in self.dimensions for c in d.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        for _, criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def to_dict(self) -> dict:
        return {"dimensions": [dataclasses.asdict(d) for d in self.dimensions]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def with_criterion_weights(self, weights: dict[str, float]) -> Grid:
        """A copy where the named criteria get new weights."""
        return Grid(tuple(
            dataclasses.replace(d, criteria=tuple(
                dataclasses.replace(c, weight=round(float(weights.get(c.id, c.weight)), 2))
                for c in d.criteria))
            for d in self.dimensions))

    def with_dimension_weights(self, weights: dict[str, float]) -> Grid:
        """A copy where each named dimension's points are spread over its criteria in proportion
        to their current weights (equally when they are all zero)."""
        dimensions = []
        for d in self.dimensions:
            if d.id not in weights or not d.criteria:
                dimensions.append(d)
                continue
            total = d.weight
            shares = [c.weight / total if total else 1 / len(d.criteria) for c in d.criteria]
            dimensions.append(dataclasses.replace(d, criteria=tuple(
                dataclasses.replace(c, weight=round(weights[d.id] * share, 2))
                for c, share in zip(d.criteria, shares))))
        return Grid(tuple(dimensions))

    def with_criterion(self, dimension_id: str, criterion: Criterion) -> Grid:
        """A copy with `criterion` added to (or replacing its namesake in) a dimension."""
        dimensions = []
        for d in self.dimensions:
            if d.id == dimension_id:
                kept = tuple(c for c in d.criteria if c.id != criterion.id)
                d = dataclasses.replace(d, criteria=kept + (criterion,))
            dimensions.append(d)
        return Grid(tuple(dimensions))


def slugify(text: str) -> str:
    """An identifier from a French label."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:60] or "critere"


def _number(value, where: str, field_name: str, rule: ValueRule | None = None) -> float | None:
    """A grid number as the French type it (essaim.numbers.reading: « 12,5 », « 1 500 »,
    « 49,8 % »; an ambiguous « 1.234 » refused), within `rule` when the criterion's indicator
    has one; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        number = parse_french_number(value)
    except ValueError as error:
        raise GridError(f"{where} : « {field_name} » : {error}.") from None
    problem = rule.check(number) if rule is not None else None
    if problem:
        raise GridError(f"{where} : « {field_name} » : {problem}.")
    return number


def target_rule(rule: ValueRule | None) -> ValueRule | None:
    """What a target or a threshold may be for an indicator: the indicator's range, a count's
    target may be fractional (an average to reach)."""
    if rule is None or rule.measure != "count":
        return rule
    return ValueRule("amount", rule.unit, rule.minimum, rule.maximum)


def grid_from_dict(data: dict, known_indicators: set[str] | None = None,
                   rules: dict[str, ValueRule] | None = None) -> Grid:
    """Build and validate a grid; GridError names the faulty dimension/criterion and field.
    `rules` (indicator → essaim.numbers.ranges.ValueRule) checks targets and thresholds."""
    if not isinstance(data, dict) or not isinstance(data.get("dimensions"), list):
        raise GridError("Le fichier doit contenir une liste « dimensions ».")
    if not data["dimensions"]:
        raise GridError("La grille doit contenir au moins une dimension.")
    dimensions, seen = [], set()
    for d_index, raw in enumerate(data["dimensions"], start=1):
        if not isinstance(raw, dict):
            raise GridError(f"Dimension {d_index} : format invalide.")
        label = str(raw.get("label") or "").strip()
        where = f"Dimension {d_index}"
        if not label:
            raise GridError(f"{where} : le libellé est obligatoire.")
        if len(label) > MAX_LABEL:
            raise GridError(f"{where} : libellé trop long (plus de {MAX_LABEL} caractères).")
        criteria = []
        for c_index, item in enumerate(raw.get("criteria") or [], start=1):
            here = f"{where} « {label} », critère {c_index}"
            if not isinstance(item, dict):
                raise GridError(f"{here} : format invalide.")
            c_label = str(item.get("label") or "").strip()
            if not c_label:
                raise GridError(f"{here} : le libellé est obligatoire.")
            if len(c_label) > MAX_LABEL:
                raise GridError(f"{here} : libellé trop long (plus de {MAX_LABEL} caractères).")
            c_id = str(item.get("id") or slugify(c_label))
            if c_id in seen:
                raise GridError(f"{here} : l'identifiant « {c_id} » est déjà utilisé.")
            seen.add(c_id)
            indicator = item.get("indicator_code") or None
            if indicator and known_indicators is not None and indicator not in known_indicators:
                raise GridError(f"{here} : indicateur inconnu « {indicator} ».")
            weight = _number(item.get("weight", 1), here, "poids", ValueRule("amount"))
            if weight is None or weight < 0:
                raise GridError(f"{here} : le poids doit être un nombre positif ou nul.")
            texts = {}
            for name, french in (("source", "source"), ("perverse_effects", "effets pervers"),
                                 ("notes", "notes")):
                value = str(item.get(name) or "")
                if len(value) > MAX_TEXT:
                    raise GridError(f"{here} : « {french} » trop long (plus de {MAX_TEXT} caractères).")
                texts[name] = value
            rule = target_rule((rules or {}).get(indicator)) if indicator else None
            criteria.append(Criterion(
                id=c_id, label=c_label, indicator_code=indicator, weight=weight,
                target=_number(item.get("target"), here, "objectif", rule),
                threshold=_number(item.get("threshold"), here, "seuil", rule), **texts))
        dimensions.append(Dimension(id=str(raw.get("id") or slugify(label)), label=label,
                                    criteria=tuple(criteria)))
    if len({d.id for d in dimensions}) != len(dimensions):
        raise GridError("Deux dimensions portent le même identifiant.")
    return Grid(tuple(dimensions))


def grid_from_json(text: str, known_indicators: set[str] | None = None,
                   rules: dict[str, ValueRule] | None = None) -> Grid:
    """Parse a grid exported as JSON (GridError in French when it is not valid)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GridError(f"Le fichier n'est pas un JSON valide (ligne {error.lineno}).") from None
    if isinstance(data, dict) and "grid" in data:
        data = data["grid"]  # an export with its history
    return grid_from_dict(data, known_indicators, rules)


def points_out_of_100(weights: dict[str, float], decimals: int = 1) -> dict[str, float]:
    """Weights as points out of 100, rounded to `decimals` so that they still add up to exactly
    100 (largest remainders get the last tenths): a grid's column never sums to 99."""
    total = sum(weights.values())
    if not weights or total <= 0:
        return dict.fromkeys(weights, 0.0)
    unit = 10 ** decimals
    exact = {k: 100 * unit * w / total for k, w in weights.items()}
    floors = {k: math.floor(v) for k, v in exact.items()}
    missing = 100 * unit - sum(floors.values())
    for key in sorted(exact, key=lambda k: floors[k] - exact[k])[:missing]:
        floors[key] += 1
    return {k: v / unit for k, v in floors.items()}


def criterion_points(grid: Grid) -> dict[str, float]:
    """Each criterion's weight as points out of 100 of the grid."""
    return points_out_of_100({c.id: c.weight for _, c in grid.criteria()})


def diff_grids(old: Grid, new: Grid) -> list[str]:
    """What changed, in French, one line per change; weights in points out of 100 of each grid,
    the scale of the grid table beside them."""
    changes = []
    old_criteria = {c.id: (d, c) for d, c in old.criteria()}
    new_criteria = {c.id: (d, c) for d, c in new.criteria()}
    old_points, new_points = criterion_points(old), criterion_points(new)
    rescaled = 0
    for cid, (d, c) in new_criteria.items():
        if cid not in old_criteria:
            changes.append(f"Critère ajouté : « {c.label} » ({d.label})")
            continue
        before = old_criteria[cid][1]
        if before.weight != c.weight:
            changes.append(f"« {c.label} » : poids {_show(old_points[cid])} → "
                           f"{_show(new_points[cid])} points sur 100")
        elif old_points[cid] != new_points[cid]:
            rescaled += 1
        for name, french in (("label", "libellé"), ("target", "objectif"),
                             ("threshold", "seuil"), ("indicator_code", "indicateur"),
                             ("source", "source"), ("perverse_effects", "effets pervers"),
                             ("notes", "notes")):
            a, b = getattr(before, name), getattr(c, name)
            if a != b:
                changes.append(f"« {c.label} » : {french} {_show(a)} → {_show(b)}")
    for cid, (d, c) in old_criteria.items():
        if cid not in new_criteria:
            changes.append(f"Critère retiré : « {c.label} » ({d.label})")
    if rescaled:
        # A weight changed elsewhere moves every share of the 100 points: said once, not per
        # criterion (a grid of 20 criteria would list 20 ripples for one edit).
        factor = _total(old) / _total(new)
        others = "de l'autre critère recalculé" if rescaled == 1 else \
            f"des {rescaled} autres critères recalculés"
        changes.append(f"Poids {others} sur 100 dans les mêmes proportions "
                       f"(× {format_plain(factor, 2)})")
    return changes


def _total(grid: Grid) -> float:
    return sum(c.weight for _, c in grid.criteria())


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (int, float)):
        return format_plain(value)
    return f"« {value} »"


# Qualitative criteria the national days asked for; the room rates them, no indicator measures
# them. They complete the criteria the dataset declares (indicators with the role « critère de
# grille »).
QUALITATIVE_CRITERIA: dict[str, tuple[Criterion, ...]] = {
    "processus": (
        Criterion("prise_risque", "Prise de risque assumée par la structure relais", None, 2,
                  notes="Critère qualitatif, apprécié par la salle."),
    ),
    "methodes": (
        Criterion("objectifs_chiffres", "Objectifs chiffrés fixés dès le départ", None, 4,
                  notes="Demandé par les Régions : déterminer au départ des objectifs chiffrés."),
        Criterion("methodes_mixtes", "Méthodes qualitatives et quantitatives croisées", None, 4,
                  notes="Les doubles différences sont utiles mais ne peuvent être la seule "
                        "méthode."),
        Criterion("donnees_partagees", "Données partagées en continu avec tous les acteurs", None,
                  4, notes="Partager travaux et données avec tous les acteurs ; adapter la grille "
                           "évaluative en continu."),
    ),
}
METHODS_DIMENSION = ("methodes", "Objectifs, méthodes et outils")


def _number_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def default_grid(indicators) -> Grid:
    """The starting grid: one dimension per indicator family holding the dataset's indicators
    with the role « critère de grille » (weight, target, threshold and perverse effects from their
    definition), plus the qualitative criteria of the national days. `indicators` is the
    dataset's definitions table."""
    from essaim.data.model import FAMILIES, PARTNER_TYPES
    from essaim.data.roles import counted_partner_type, has_role

    chosen = indicators[has_role(indicators, "grid_criterion")]
    dimensions = []
    for family, label in FAMILIES.items():
        criteria = tuple(
            Criterion(
                id=row["code"], label=row["label"], indicator_code=row["code"],
                weight=float(row["grid_weight"]) if row["grid_weight"] == row["grid_weight"]
                else 1.0,
                target=_number_or_none(row["grid_target"]),
                threshold=_number_or_none(row["grid_threshold"]),
                source="Déclaration qui fait foi : "
                       + PARTNER_TYPES.get(counted_partner_type(row), "structure relais"),
                perverse_effects=row["perverse_effects"] or "")
            for row in chosen[chosen["family"] == family].to_dict("records"))
        criteria += QUALITATIVE_CRITERIA.get(family, ())
        if criteria:
            dimensions.append(Dimension(family, label, criteria))
    dimensions.append(Dimension(*METHODS_DIMENSION, QUALITATIVE_CRITERIA["methodes"]))
    return Grid(tuple(dimensions))
