"""What kind of number an indicator holds — its measure — and what follows from it: whether it
adds up across territories, the unit it implies when none is declared.

A count or an amount adds up across territories; a rate, a score or an average (a cost per
beneficiary, a delay in days) does not: across territories it is summarised by its median
(essaim.figures.summaries).
"""

from __future__ import annotations

MEASURES: dict[str, str] = {
    "count": "effectif",
    "rate": "taux",
    "score": "score ou niveau",
    "amount": "montant",
    "average": "moyenne ou valeur unitaire",
}

# Measures whose values add up across territories and essaimages.
ADDITIVE_MEASURES = ("count", "amount")


def infer_measure(unit: str) -> str:
    """The measure an indicator's unit implies when none is declared."""
    unit = (unit or "").strip().lower()
    if unit in ("%", "‰"):
        return "rate"
    if unit.startswith(("score", "niveau", "note", "indice")):
        return "score"
    if "/" in unit or " par " in f" {unit} ":
        return "average"  # "€/mois", "heures par personne"
    if unit == "€" or unit.startswith(("€", "euro")):
        return "amount"
    return "count"
