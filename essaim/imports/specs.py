"""The import templates: one file per dataset table, French headings, what each cell may hold,
and the conversion of a cell to its stored value (ValueError with a French reason otherwise).

The same specs drive the templates (essaim.imports.templates), the exports (which re-import) and the
checks (essaim.imports.checks).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from essaim.data.model import FAMILIES, PARTNER_TYPES, POPULATIONS, SCALES, STAGE_ORDER, STAGES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.data.roles import ROLE_HELP, ROLES, format_roles
from essaim.data.tables import parse_bool
from essaim.numbers.measures import MEASURES
from essaim.numbers.ranges import check_year, current_year
from essaim.numbers.reading import parse_french_date, parse_french_number
from essaim.text import fold_text

MAX_TEXT = 500
MAX_LONG_TEXT = 4000


@dataclass(frozen=True)
class Column:
    key: str  # column in the store
    french: str  # heading in the file
    kind: str = "text"  # text, long_text, number, date, bool, year, stage, roles or a choice list
    required: bool = True
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class FileSpec:
    table: str
    label: str
    file_name: str  # template and export file name, without extension
    key: tuple[str, ...]  # the columns that identify a row (empty: rows have no identity)
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def headings(self) -> list[str]:
        return [c.french for c in self.columns]


def _role_help() -> str:
    listed = " ; ".join(f"« {label} » : {ROLE_HELP[code]}" for code, label in ROLES.items())
    return ("Aucun, un ou plusieurs rôles séparés par des points-virgules ou des virgules. "
            + listed + ".")


_REFERENCE_HELP = ("Statistique départementale à laquelle comparer l'indicateur (écart à la "
                   "référence, en points) : " + ", ".join(
                       f"{i.label} ({code})" for code, i in REFERENCE_INDICATORS.items()) + ".")

SPECS: dict[str, FileSpec] = {spec.table: spec for spec in [
    FileSpec("innovations", "Innovations", "innovations", ("code",), (
        Column("code", "Code innovation", help="Identifiant court, unique (ex. garage_solidaire).",
               example="garage_solidaire"),
        Column("name", "Nom", example="Garages solidaires"),
        Column("porteur", "Porteur", help="Structure qui porte l'innovation et forme les relais.",
               example="Réseau des garages solidaires"),
        Column("public", "Public", help="Les personnes auxquelles l'innovation s'adresse.",
               example="Personnes sans solution de mobilité"),
        Column("description", "Description", "long_text", example="Réparer et louer des véhicules à "
               "bas prix pour lever le frein de la mobilité vers l'emploi."),
        Column("founded_year", "Année de création", "founded", required=False,
               help="Année où l'innovation est née (ex. 2012) : aucune valeur d'un de ses "
               "essaimages ne peut être datée d'avant.", example="2012"),
    )),
    FileSpec("territories", "Territoires", "territoires", ("code",), (
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
               help="Déduit de la commune ou de l'EPCI s'il est vide ; sinon vérifié.",
               example="33"),
        Column("code_region", "Code région", required=False,
               help="Déduit du département s'il est vide ; sinon vérifié.", example="75"),
        Column("latitude", "Latitude", "number", required=False,
               help="WGS84 ; déduite de la commune si vide ; doit être dans le département.",
               example="44,86257"),
        Column("longitude", "Longitude", "number", required=False, example="-0,56065"),
        Column("qpv", "QPV (oui/non)", "bool", help="Un quartier prioritaire est-il concerné ?",
               example="oui"),
    )),
    FileSpec("essaimages", "Essaimages", "essaimages", ("code",), (
        Column("code", "Code essaimage", help="Identifiant unique (ex. garage-bordeaux).",
               example="garage-bordeaux"),
        Column("innovation_code", "Innovation", help="Code d'une innovation.",
               example="garage_solidaire"),
        Column("territory_code", "Territoire", help="Code d'un territoire.", example="bordeaux"),
        Column("relay", "Structure relais", example="Garage solidaire de Bordeaux"),
        Column("start_date", "Date de début", "date",
               help="jj/mm/aaaa, aaaa-mm-jj ou date Excel ; pas dans le futur.",
               example="05/09/2016"),
        Column("stage", "Étape", "stage", help="0, I, II, III ou IV (ou « Étape III »…).",
               example="III"),
        *(Column(f"date_etape_{code.lower()}", f"Date étape {code}", "date", required=False,
                 help="Les dates des étapes se suivent (0, puis I, II, III, IV)." if code == "0"
                 else "", example=ex)
          for code, ex in zip(STAGE_ORDER, ["05/09/2016", "11/12/2016", "22/06/2017",
                                            "27/02/2018", ""])),
    )),
    FileSpec("partners", "Partenaires", "partenaires", ("code",), (
        Column("code", "Code partenaire", example="cd-gironde"),
        Column("name", "Nom", example="Conseil départemental de la Gironde"),
        Column("type", "Type", "partner_type", help=", ".join(PARTNER_TYPES.values()),
               example="Département"),
    )),
    FileSpec("partner_roles", "Rôles des partenaires", "roles_partenaires",
             ("partner_code", "essaimage_code"), (
        Column("partner_code", "Partenaire", help="Code d'un partenaire.",
               example="cd-gironde"),
        Column("essaimage_code", "Essaimage", help="Code d'un essaimage.",
               example="garage-bordeaux"),
        Column("role", "Rôle", help="Ce que fait le partenaire dans cet essaimage.",
               example="Cofinanceur"),
    )),
    FileSpec("indicators", "Définitions d'indicateurs", "indicateurs", ("code",), (
        Column("code", "Code indicateur", example="taux_acces_emploi"),
        Column("label", "Libellé", example="Taux d'accès à l'emploi"),
        Column("unit", "Unité", example="%"),
        Column("direction", "Sens", "direction", help="« hausse » si plus haut est mieux, sinon "
               "« baisse ».", example="hausse"),
        Column("family", "Famille", "family", help=", ".join(FAMILIES.values()),
               example="Résultats emploi"),
        Column("standard", "Standard (oui/non)", "bool", help="oui : indicateur standard ; "
               "non : co-construit.", example="oui"),
        Column("definition", "Définition", "long_text",
               example="Sorties vers l'emploi rapportées aux sortants."),
        Column("measure", "Nature", "measure", required=False,
               help=", ".join(MEASURES.values()) + ". Déduite de l'unité si vide (% : taux, "
               "€ : montant, score… : score, €/mois, … par … : moyenne ou valeur unitaire"
               ", sinon effectif). Effectifs et montants s'additionnent entre "
               "territoires ; taux, scores et moyennes (un coût par bénéficiaire, un délai) se "
               "résument par leur médiane. L'évolution d'un taux se lit en points.", example="taux"),
        Column("roles", "Rôles", "roles", required=False, help=_role_help(),
               example="chiffre clé ; critère de grille"),
        Column("reference_statistic", "Statistique de référence", "reference", required=False,
               help=_REFERENCE_HELP, example=""),
        Column("counted_partner_type", "Déclaration qui fait foi", "partner_type", required=False,
               help="Quand plusieurs partenaires déclarent des valeurs différentes, celle de ce "
               "type de partenaire compte (vide : la structure relais). Les autres restent "
               "visibles comme désaccords.", example="Structure relais (essaimée)"),
        Column("tolerance_pct", "Tolérance d'écart (%)", "percent", required=False,
               help="Écart relatif en dessous duquel deux déclarations sont considérées comme "
               "identiques (vide : 0,5 %).", example="0,5"),
        Column("avoided_cost_label", "Coût évité", required=False,
               help="Pour le rôle « coût évité » : ce que chaque unité évite.", example=""),
        Column("unit_cost_euros", "Coût unitaire (€)", "number", required=False,
               help="Pour le rôle « coût évité » : montant évité par unité et par an.",
               example=""),
        Column("unit_cost_share_pct", "Part concernée (%)", "percent", required=False,
               help="Pour le rôle « coût évité » : part des unités concernées (vide : 100 %).",
               example=""),
        Column("unit_cost_source", "Source du coût unitaire", required=False,
               help="Pour le rôle « coût évité » : d'où vient le montant.", example=""),
        Column("grid_weight", "Poids dans la grille", "number", required=False,
               help="Pour le rôle « critère de grille » : poids du critère (la grille fait 100).",
               example="12"),
        Column("grid_target", "Objectif", "number", required=False,
               help="Pour le rôle « critère de grille » : valeur qui vaut 100.", example="40"),
        Column("grid_threshold", "Seuil", "number", required=False,
               help="Pour le rôle « critère de grille » : valeur qui vaut 0 (sous l'objectif si "
               "le sens est « hausse », au-dessus sinon).", example="20"),
        Column("perverse_effects", "Effets pervers à surveiller", "long_text", required=False,
               example="Sélectionner les personnes les plus proches de l'emploi."),
        Column("minimum", "Minimum", "number", required=False,
               help="Plus petite valeur possible, si l'échelle en a une (ex. 1 pour un niveau de 1 "
               "à 5). Un taux en % va déjà de 0 à 100, un effectif est un entier positif.",
               example=""),
        Column("maximum", "Maximum", "number", required=False,
               help="Plus grande valeur possible (ex. 10 pour un score sur 10).", example=""),
        Column("counted_population", "Population comptée", "population", required=False,
               help="Qui l'indicateur compte : " + ", ".join(POPULATIONS.values()) + ". Un écart "
               "à une statistique de référence n'est calculé que pour les habitants (sinon la "
               "référence est montrée comme une cible) ; un effet converti en personnes aussi.",
               example="Bénéficiaires de l'innovation"),
        Column("benefit_years", "Durée de l'effet (années)", "number", required=False,
               help="Pour le rôle « coût évité » : pendant combien d'années une unité du "
               "résultat évite le coût (1 : une seule fois, par exemple une journée "
               "d'hospitalisation ; vide : 1).", example="1"),
        Column("declared_counterpart", "Montant déclaré correspondant", required=False,
               help="Pour le rôle « coût évité » : code de l'indicateur (en €) où des "
               "partenaires déclarent eux-mêmes le montant évité, mis en regard du calcul.",
               example=""),
    )),
    FileSpec("indicator_values", "Valeurs d'indicateurs", "valeurs_indicateurs",
             ("indicator_code", "territory_code", "essaimage_code", "period", "partner_code"), (
        Column("indicator_code", "Indicateur", example="taux_acces_emploi"),
        Column("territory_code", "Territoire", example="bordeaux"),
        Column("essaimage_code", "Essaimage", required=False,
               help="Vide pour une valeur de tout le territoire ; sinon un essaimage de ce "
               "territoire.", example="garage-bordeaux"),
        Column("period", "Période", "year", help="Année (ex. 2022).", example="2022"),
        Column("value", "Valeur", "number", help="Nombre écrit à la française (12,5 ; 1 234) : "
               "un taux en % va de 0 à 100, un effectif est un entier positif, un score reste "
               "dans l'échelle de l'indicateur.", example="23,5"),
        Column("partner_code", "Partenaire", help="Code du partenaire qui déclare la valeur.",
               example="cd-gironde"),
        Column("source", "Source", help="Document ou fichier d'origine, obligatoire.",
               example="Rapport d'activité 2022"),
        Column("unusual_confirmed", "Valeur inhabituelle confirmée (oui/non)", "bool",
               required=False, help="oui : la valeur s'écarte beaucoup de celles des autres "
               "territoires et vous l'avez vérifiée (sinon Essaim demande de la confirmer).",
               example="non"),
    )),
    FileSpec("verbatims", "Verbatims", "verbatims", (), (
        Column("essaimage_code", "Essaimage", help="Code d'un essaimage.",
               example="garage-bordeaux"),
        Column("period", "Période", "year", help="Année où la parole a été recueillie.",
               example="2022"),
        Column("speaker", "Qui parle", help="Fonction ou situation, jamais un nom.",
               example="Bénéficiaire"),
        Column("theme", "Thème", required=False, help="Mot-clé libre (ex. emploi, bien-être).",
               example="emploi"),
        Column("text", "Verbatim", "long_text", example="On m'a écouté avant de me parler de CV."),
    )),
]}


def choice_code(value: str, options: dict[str, str]) -> str | None:
    """A code from its code or its French label, accents, case and spaces ignored."""
    wanted = fold_text(value)
    for code, label in options.items():
        if wanted in (fold_text(code), fold_text(label)):
            return code
    return None


def stage_code(value: str) -> str | None:
    """A roadmap stage from "III", "3", "Étape III", "Étape III – Essaimage" or "essaimage";
    None for anything else (a signed number such as « -0 » or « +1 » included)."""
    if re.search(r"[-+\u2212]\s*\d", str(value)):
        return None
    def forms(text: str) -> set[str]:
        words = " ".join(fold_text(text).replace("–", " ").split())
        return {words, words.replace("etape", "").strip()}

    typed = forms(value)
    numbers = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
    for code, label in STAGES.items():
        name = label.split("–")[-1]
        if typed & (forms(code) | forms(label) | forms(name)):
            return code
    return next((numbers[t] for t in typed if t in numbers), None)


def parse_roles_cell(text: str) -> str:
    """Role codes from "chiffre clé ; critère de grille" (labels or codes)."""
    codes = []
    for part in str(text).replace(",", ";").split(";"):
        if not part.strip():
            continue
        code = choice_code(part, ROLES)
        if code is None:
            raise ValueError(f"rôle inconnu « {part.strip()} » (rôles possibles : "
                             + ", ".join(ROLES.values()) + ")")
        codes.append(code)
    return format_roles(codes)


def parse_year(value) -> str:
    """A period: a year from 1990 to the current one, stored as text ("2022")."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    reason = check_year(text)
    if reason:
        raise ValueError(reason)
    return text


def parse_founded_year(value) -> int:
    """The year an innovation was founded: from 1900 to the current one."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if not (text.isdigit() and len(text) == 4 and 1900 <= int(text) <= current_year()):
        raise ValueError(f"année de création attendue (de 1900 à {current_year()}), reçu « {value} »")
    return int(text)


_CHOICES = {
    "scale": (SCALES, "échelle inconnue « {text} » (" + ", ".join(SCALES) + ")"),
    "partner_type": (PARTNER_TYPES, "type de partenaire inconnu « {text} »"),
    "family": (FAMILIES, "famille inconnue « {text} »"),
    "direction": ({"up": "hausse", "down": "baisse"},
                  "« hausse » ou « baisse » attendu, reçu « {text} »"),
    "population": (POPULATIONS, "population inconnue « {text} » (" + ", ".join(POPULATIONS.values())
                   + ")"),
    "measure": (MEASURES, "nature inconnue « {text} » (" + ", ".join(MEASURES.values()) + ")"),
    "reference": ({code: i.label for code, i in REFERENCE_INDICATORS.items()},
                  "statistique de référence inconnue « {text} » ("
                  + ", ".join(REFERENCE_INDICATORS) + ")"),
}


def convert_cell(column: Column, value):
    """The stored value of a non-empty cell, or ValueError with a French reason."""
    if column.kind in ("number", "percent"):
        try:
            number = parse_french_number(value)
        except ValueError as error:
            raise ValueError(_number_reason(error, value)) from None
        if column.kind == "percent" and not 0 <= number <= 100:
            raise ValueError(f"pourcentage entre 0 et 100 attendu, reçu « {value} »")
        return number
    if column.kind == "date":
        try:
            return parse_french_date(value)
        except ValueError:
            raise ValueError(f"date attendue (jj/mm/aaaa), reçu « {value} »") from None
    if column.kind == "year":
        return parse_year(value)
    if column.kind == "founded":
        return parse_founded_year(value)
    text = _cell_as_text(value)
    if column.kind == "bool":
        try:
            return parse_bool(text)
        except ValueError:
            raise ValueError(f"oui ou non attendu, reçu « {text} »") from None
    if column.kind == "stage":
        stage = stage_code(text)
        if stage is None:
            raise ValueError(f"étape inconnue « {text} » (0, I, II, III ou IV attendu)")
        return stage
    if column.kind == "roles":
        return parse_roles_cell(text)
    if column.kind in _CHOICES:
        options, reason = _CHOICES[column.kind]
        code = choice_code(text, options)
        if code is None:
            raise ValueError(reason.format(text=text))
        return code
    limit = MAX_LONG_TEXT if column.kind == "long_text" else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"texte trop long ({len(text)} caractères pour {limit} au plus)")
    return text


def _number_reason(error: ValueError, value) -> str:
    reason = str(error)
    # parse_french_number explains ambiguous numbers itself; other failures get the generic text.
    return reason if "ambigu" in reason else f"nombre attendu, reçu « {value} »"


def _cell_as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()
