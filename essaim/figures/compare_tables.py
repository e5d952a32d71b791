"""The tables behind Comparer's charts, computed here and drawn by components/compare_views.py.

`scoped` holds every partner's report (essaim.figures.scoping.enrich_values) with a `normalised`
column (essaim.figures.normalise) and a `counts` flag. Views about partners use every report;
views that aggregate territories use only the reports that count, so a disagreement is never
counted twice. Every group is summarised by essaim.figures.summaries (total for counts and
amounts as declared, median otherwise and once normalised).
"""

from __future__ import annotations

import pandas as pd

from essaim.data.model import PARTNER_TYPES
from essaim.figures.scoping import reports_only
from essaim.figures.summaries import latest_per, summarise_groups, summary_word

# How Comparer's bars may be grouped: the column heading of each grouping.
BAR_GROUPINGS = {"innovation": "Innovation", "partenaire": "Partenaire", "type": "Type de partenaire"}


def counted_only(scoped: pd.DataFrame) -> pd.DataFrame:
    """The reports that count, with a normalised value."""
    return scoped[scoped["counts"]].dropna(subset=["normalised"])


def _measure(rows: pd.DataFrame) -> str:
    measures = rows["measure"].dropna()
    return str(measures.iloc[0]) if len(measures) else "rate"


def _row_names(data: pd.DataFrame, by_type: bool) -> pd.Series:
    return data["partner_type"].map(PARTNER_TYPES) if by_type else data["partner"]


def heatmap_table(scoped: pd.DataFrame, by_type: bool, method: str) -> pd.DataFrame:
    """Partner (or partner type) × indicator label: each row's reports of the indicator
    summarised by the indicator's rule. Rows and columns without any value are left out."""
    data = reports_only(scoped).dropna(subset=["normalised"])
    if data.empty:
        return pd.DataFrame()
    data = data.assign(row=_row_names(data, by_type))
    columns = {}
    for label, rows in data.groupby("label", sort=True):
        columns[label] = summarise_groups(rows, ["row"], _measure(rows), "normalised",
                                          normalised=method != "brut")
    return pd.DataFrame(columns).dropna(how="all").dropna(axis=1, how="all").sort_index()


def heatmap_rules(scoped: pd.DataFrame, method: str) -> str:
    """What each heatmap cell is, in French: « total des déclarations » / « médiane »."""
    words = {summary_word(_measure(rows), method != "brut")
             for _, rows in reports_only(scoped).dropna(subset=["normalised"]).groupby("label")}
    if words == {"total"}:
        return "total des déclarations"
    if words == {"médiane"}:
        return "médiane des déclarations"
    return "total des déclarations pour les effectifs et montants, médiane pour les taux"


def bars_table(scoped: pd.DataFrame, indicator_label: str, by: str, method: str
               ) -> tuple[pd.DataFrame, str]:
    """One indicator per period: per innovation, the territories' values that count; per partner
    (or type), that partner's own reports — each summarised by the indicator's rule. Returns the
    table (group, period, value) and the rule's word (« total », « médiane »)."""
    data = scoped[scoped["label"] == indicator_label].dropna(subset=["normalised"])
    if by == "innovation":
        data = data[data["counts"] & (data["innovation_code"] != "")]
        data = data.assign(group=data["innovation"])
    elif by == "type":
        data = reports_only(data)
        data = data.assign(group=data["partner_type"].map(PARTNER_TYPES))
    else:
        data = reports_only(data)
        data = data.assign(group=data["partner"])
    if data.empty:
        return pd.DataFrame(columns=["group", "period", "value"]), ""
    measure, normalised = _measure(data), method != "brut"
    table = summarise_groups(data, ["group", "period"], measure, "normalised", normalised)
    return table.rename("value").reset_index(), summary_word(measure, normalised)


def radar_table(scoped: pd.DataFrame, by: str, method: str) -> pd.DataFrame:
    """Innovation (values that count) or partner type (every report) × indicator label, each
    cell summarised by the indicator's rule."""
    data = counted_only(scoped) if by == "innovation" else \
        reports_only(scoped).dropna(subset=["normalised"])
    if by == "innovation":
        data = data[data["innovation_code"] != ""].assign(row=lambda d: d["innovation"])
    else:
        data = data.assign(row=data["partner_type"].map(PARTNER_TYPES))
    columns = {label: summarise_groups(rows, ["row"], _measure(rows), "normalised",
                                       method != "brut")
               for label, rows in data.groupby("label", sort=True)}
    return pd.DataFrame(columns)


def scatter_table(scoped: pd.DataFrame, indicator_label: str, reference_column: str,
                  departements: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """One row per essaimage: its latest value that counts and its département's reference
    statistic (column `reference`)."""
    data = counted_only(scoped)
    data = data[(data["label"] == indicator_label) & (data["innovation_code"] != "")]
    latest = latest_per(data, ["essaimage_code"], value="normalised")
    departement = latest["territory_code"].map(territories.set_index("code")["code_departement"])
    return latest.assign(reference=departement.map(
        departements.set_index("code_departement")[reference_column]))



def provenance_cells(scoped: pd.DataFrame) -> pd.DataFrame:
    """The figures of the selection that count (one per cell), each with the text a « D'où vient
    ce chiffre ? » list shows: « Sorties vers l'emploi · Rennes (TAPAJ) · 2019 : 14 — accordé »."""
    from essaim.figures.counted import STATUS_SHORT
    from essaim.numbers.formatting import format_value

    rows = scoped[scoped["counts"]].sort_values(["label", "territory", "period"])
    where = [f"{t} ({i})" if i else f"{t} (tout le territoire)"
             for t, i in zip(rows["territory"], rows["innovation"])]
    text = [f"{label} · {place} · {period} : {format_value(value, unit, measure)} — "
            f"{STATUS_SHORT.get(status, '')}" for label, place, period, value, unit, measure, status
            in zip(rows["label"], where, rows["period"], rows["value"], rows["unit"],
                   rows["measure"], rows["status"])]
    return rows.assign(text=text)
