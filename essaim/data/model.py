"""The vocabulary of the accelerator: roadmap stages, indicator families, partner types, scales.

Codes are stable identifiers stored in the database; labels are what people read (French).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STAGES: dict[str, str] = {
    "0": "Étape 0 – Identification",
    "I": "Étape I – Faisabilité",
    "II": "Étape II – Mobilisation des parties prenantes",
    "III": "Étape III – Essaimage",
    "IV": "Étape IV – Évaluation",
}
STAGE_ORDER = list(STAGES)

FAMILIES: dict[str, str] = {
    "emploi": "Résultats emploi",
    "bien_etre": "Impacts indirects / bien-être",
    "couts": "Coûts évités",
    "territoire": "Réalités territoriales",
    "ecosysteme": "Écosystème et gouvernance",
    "processus": "Processus / appropriation",
}

# The family shown beside the verbatims as "indirect impacts" on portraits and in documents.
INDIRECT_IMPACTS_FAMILY = "bien_etre"

PARTNER_TYPES: dict[str, str] = {
    "etat": "État / DGEFP",
    "france_travail": "France Travail",
    "region": "Région",
    "departement": "Département",
    "collectivite": "Commune / EPCI",
    "porteur": "Structure porteuse",
    "relais": "Structure relais (essaimée)",
    "entreprise": "Entreprise",
    "financeur": "Financeur",
    "recherche": "Recherche",
    "reseau": "Réseau / fédération",
    "mission_locale": "Mission locale",
}

SCALES: dict[str, str] = {
    "commune": "Commune",
    "arrondissement": "Arrondissement municipal",
    "epci": "EPCI (intercommunalité)",
    "departement": "Département",
    "qpv": "Quartier prioritaire (QPV)",
}

# Who an indicator counts, declared in the indicator template.
POPULATIONS: dict[str, str] = {
    "habitants": "Habitants du territoire",
    "beneficiaires": "Bénéficiaires de l'innovation",
    "autre": "Autre (structures, partenaires, actions…)",
}

DIRECTIONS: dict[str, str] = {
    "up": "Plus c'est haut, mieux c'est",
    "down": "Plus c'est bas, mieux c'est",
}


def stage_rank(code: str) -> int:
    """Position of a stage in the roadmap, 0 for Étape 0 up to 4 for Étape IV."""
    return STAGE_ORDER.index(code)


@dataclass(frozen=True)
class Innovation:
    code: str
    name: str
    porteur: str
    public: str
    description: str
    founded_year: int | None = None  # no value of the innovation is dated before it


@dataclass(frozen=True)
class Territory:
    code: str
    name: str
    scale: str
    insee_commune: str | None
    siren_epci: str | None
    code_departement: str
    code_region: str
    latitude: float
    longitude: float
    qpv: bool


@dataclass(frozen=True)
class Essaimage:
    code: str
    innovation_code: str
    territory_code: str
    relay: str
    start_date: date
    stage: str
    stage_dates: dict[str, date]


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    type: str


@dataclass(frozen=True)
class IndicatorDefinition:
    """An indicator and what it is used for (see essaim.data.roles for the vocabulary)."""

    code: str
    label: str
    unit: str
    direction: str
    family: str
    standard: bool
    definition: str
    measure: str = "count"
    roles: str = ""  # role codes joined by ";"
    reference_statistic: str | None = None  # a code of essaim.data.reference.REFERENCE_INDICATORS
    counted_partner_type: str | None = None  # whose report counts (default: the relay)
    tolerance_pct: float | None = None
    unit_cost_euros: float | None = None
    unit_cost_share_pct: float | None = None
    avoided_cost_label: str | None = None
    unit_cost_source: str | None = None
    grid_weight: float | None = None
    grid_target: float | None = None
    grid_threshold: float | None = None
    perverse_effects: str = ""
    minimum: float | None = None  # the scale a value lies in (essaim.numbers.ranges)
    maximum: float | None = None
    counted_population: str | None = None  # a code of POPULATIONS
    benefit_years: int | None = None  # years one avoided-cost outcome lasts (1: counted once)
    declared_counterpart: str | None = None  # indicator of the declared amounts of that cost


@dataclass(frozen=True)
class IndicatorValue:
    indicator_code: str
    territory_code: str
    essaimage_code: str | None
    period: str
    value: float
    partner_code: str
    source: str
