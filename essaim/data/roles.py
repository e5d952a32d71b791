"""What an indicator is used for, declared in the data rather than in the code.

Each indicator definition carries a measure (count, rate, score, amount) and roles; the views,
documents and scores ask for "the indicator with the role beneficiaries" or "the key figures",
never for a code. See the « Explications » sheet of the indicator template for the same text.
"""

from __future__ import annotations

import math

import pandas as pd

ROLES: dict[str, str] = {
    "key_figure": "chiffre clé",
    "beneficiaries": "bénéficiaires",
    "investment": "montant investi",
    "avoided_cost": "coût évité",
    "grid_criterion": "critère de grille",
}

ROLE_HELP: dict[str, str] = {
    "key_figure": "affiché parmi les chiffres clés (carte, portrait, restitutions), à une année "
                  "de référence commune, avec sa couverture",
    "beneficiaries": "nombre de personnes accompagnées : dénominateur de « pour 100 "
                     "bénéficiaires » (un seul indicateur)",
    "investment": "montant investi (€) dans l'essaimage : dénominateur du ratio « € évités par "
                  "€ investi » (un seul indicateur)",
    "avoided_cost": "résultat valorisé en coûts évités : renseignez le coût unitaire, la part "
                    "concernée, ce qu'il évite et sa source",
    "grid_criterion": "critère de la grille d'évaluation par défaut des ateliers : renseignez au "
                      "moins son poids (objectif et seuil facultatifs)",
}

# Roles that a single indicator may hold (they name one denominator).
SINGLE_ROLES = ("beneficiaries", "investment")

# When partners disagree and the indicator says nothing, the relay structure's report counts.
DEFAULT_COUNTED_PARTNER_TYPE = "relais"
# Two reports closer than this (relative gap, in %) are the same figure.
DEFAULT_TOLERANCE_PCT = 0.5


def parse_roles(text) -> tuple[str, ...]:
    """Role codes from the stored text ("key_figure;grid_criterion")."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ()
    return tuple(part for part in str(text).split(";") if part)


def format_roles(roles) -> str:
    """The stored text of a set of role codes, in the vocabulary's order."""
    return ";".join(code for code in ROLES if code in set(roles))


def has_role(indicators: pd.DataFrame, role: str) -> pd.Series:
    """Boolean per indicator row: does it hold `role`?"""
    return indicators["roles"].map(lambda text: role in parse_roles(text))


def indicators_with_role(indicators: pd.DataFrame, role: str) -> list[str]:
    """Codes of the indicators holding `role`, in the definitions' order."""
    return list(indicators.loc[has_role(indicators, role), "code"])


def role_indicator(indicators: pd.DataFrame, role: str) -> str | None:
    """The one indicator holding a single-indicator role (beneficiaries, budget), or None."""
    codes = indicators_with_role(indicators, role)
    return codes[0] if codes else None


def counted_partner_type(definition) -> str:
    """Which partner type's report counts for an indicator (its declaration, else the relay)."""
    value = definition.get("counted_partner_type") if hasattr(definition, "get") else None
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value):
        return DEFAULT_COUNTED_PARTNER_TYPE
    return str(value)


def tolerance_share(definition) -> float:
    """An indicator's disagreement tolerance as a share (0.005 for 0.5 %)."""
    value = definition.get("tolerance_pct") if hasattr(definition, "get") else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = DEFAULT_TOLERANCE_PCT
    return float(value) / 100
