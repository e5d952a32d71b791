"""Which report counts when partners disagree: one rule, used wherever a single value is needed
(key figures, scores, avoided costs, documents). The other reports stay visible as disagreements.

For each cell (indicator, territory, essaimage, period):
- one report: it counts ("unique");
- several reports within the indicator's tolerance: they are the same figure ("concordant");
- several reports that differ: the report of the indicator's counted partner type (its
  declaration, else the relay structure) counts ("retenu"); when no single report of that type
  exists, nothing counts and the figure is "n.d." until the partners settle it ("conteste");
- a disagreement the partners settled (essaim.partners.settlements), or ANSA arbitrated: the
  agreed value counts ("accord", "arbitrage"), whatever the rule above would say;
- a settlement called into question (a new declaration, a withdrawal, ANSA reopening it): the
  settled value keeps counting until the thread is settled again ("remis_en_cause").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.roles import counted_partner_type, tolerance_share

CELL = ["indicator_code", "territory_code", "essaimage_code", "period"]

# The rule that chose the value that counts, in words (provenance, documents' annexes).
STATUS_LABELS = {
    "unique": "une seule source",
    "concordant": "sources concordantes (écart sous la tolérance de l'indicateur)",
    "retenu": "désaccord : la déclaration qui fait foi est retenue",
    "conteste": "désaccord non tranché : n.d. jusqu'à un accord ou un arbitrage",
    "accord": "valeur convenue entre partenaires",
    "arbitrage": "valeur arbitrée par l'ANSA",
    "remis_en_cause": "accord ou arbitrage remis en cause : la valeur tranchée compte en "
                      "attendant",
}
# The status beside a value, in a word or two (tables, cards, documents).
STATUS_SHORT = {
    "unique": "source unique",
    "concordant": "sources concordantes",
    "retenu": "en désaccord",
    "conteste": "en désaccord",
    "accord": "accordé",
    "arbitrage": "arbitré",
    "remis_en_cause": "remis en cause",
}
COLUMNS = CELL + ["value", "partner_code", "source", "reports", "status"]


def relative_gap(values: pd.Series) -> float:
    """(highest − lowest) relative to the largest magnitude; 0 for equal values."""
    low, high = float(values.min()), float(values.max())
    scale = max(abs(low), abs(high), 1e-9)
    return (high - low) / scale


def counted_values(dataset: Dataset) -> pd.DataFrame:
    """One row per reported cell with the value that counts under the rule above (NaN when the
    cell is contested), who reported it, its source, how many reports the cell has and its
    status. Territory-level values have no essaimage (None)."""
    values = dataset.indicator_values
    if values.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = values.assign(essaimage_code=values["essaimage_code"].fillna(""))
    reports = frame.groupby(CELL)["partner_code"].transform("size")
    single = frame[reports == 1].assign(reports=1, status="unique")
    several = frame[reports > 1]
    settled = [_settle(cell, group, dataset) for cell, group in several.groupby(CELL, sort=False)]
    result = pd.concat([single[COLUMNS], pd.DataFrame(settled, columns=COLUMNS)],
                       ignore_index=True)
    result = _apply_agreements(result, dataset.resolutions)
    result["essaimage_code"] = result["essaimage_code"].replace("", None)
    result["value"] = result["value"].astype(float)
    return result


def _apply_agreements(result: pd.DataFrame, resolutions: pd.DataFrame | None) -> pd.DataFrame:
    """Settled cells take the agreed (or arbitrated) value; the reports stay in the dataset."""
    if resolutions is None or resolutions.empty:
        return result
    agreed = resolutions.assign(essaimage_code=resolutions["essaimage_code"].fillna(""))
    agreed = agreed.set_index(CELL)
    keys = list(zip(*(result[c] for c in CELL)))
    for position, key in enumerate(keys):
        if key not in agreed.index:
            continue
        row = agreed.loc[key]
        kind = row["resolution_kind"]
        what = "Valeur convenue entre partenaires" if kind == "accord" else \
            "Valeur arbitrée par l'ANSA"
        status = "remis_en_cause" if row.get("status") == "reopened" else kind
        result.loc[result.index[position], ["value", "partner_code", "source", "status"]] = [
            row["resolved_value"], None, f"{what} (fil n°{int(row['id'])})", status]
    return result


def _settle(cell: tuple, group: pd.DataFrame, dataset: Dataset) -> dict:
    indicator = cell[0]
    definitions = dataset.indicators.set_index("code")
    definition = definitions.loc[indicator] if indicator in definitions.index else {}
    types = group["partner_code"].map(dataset.partners.set_index("code")["type"])
    counted_type = counted_partner_type(definition)
    preferred = group[types == counted_type]
    row = dict(zip(CELL, cell), reports=len(group))
    if relative_gap(group["value"]) <= tolerance_share(definition):
        chosen = (preferred if len(preferred) else group).sort_values("partner_code").iloc[0]
        return {**row, "value": chosen["value"], "partner_code": chosen["partner_code"],
                "source": chosen["source"], "status": "concordant"}
    if len(preferred) == 1:
        chosen = preferred.iloc[0]
        return {**row, "value": chosen["value"], "partner_code": chosen["partner_code"],
                "source": chosen["source"], "status": "retenu"}
    return {**row, "value": np.nan, "partner_code": None, "source": "", "status": "conteste"}


def single_values(counted: pd.DataFrame) -> pd.DataFrame:
    """The counted cells that have a value (contested cells left out)."""
    return counted[counted["value"].notna()]
