"""The comparison scope: indicator values joined with innovations, names and partner types."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.figures.scaling import min_max_scale


def enrich_values(dataset: Dataset, counted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every indicator value (every partner's report) with its innovation (code and name),
    territory name, partner name and type, the indicator's label, unit, measure, family,
    direction and standard flag, and — from `counted` (essaim.figures.counted.counted_values) —
    whether this report is the one that counts for its cell (`counts`) and the cell's status.

    A cell settled by the partners or by ANSA (or whose settlement is called into question) gets
    one more row holding the settled value, with no partner (`report` False, `counts` True): views
    that summarise the values that count use it; views of partners' reports skip it
    (`reports_only`). Territory-level values (no essaimage) get the innovation "" and are kept
    for every scope."""
    if counted is None:
        from essaim.figures.counted import counted_values

        counted = counted_values(dataset)
    values = pd.concat([dataset.indicator_values.assign(report=True),
                        _settled_rows(counted, list(dataset.indicator_values.columns))],
                       ignore_index=True)
    essaimages = dataset.essaimages.set_index("code")
    values["innovation_code"] = values["essaimage_code"].map(essaimages["innovation_code"]).fillna("")
    values["innovation"] = values["innovation_code"].map(
        dataset.innovations.set_index("code")["name"]).fillna("")
    values["territory"] = values["territory_code"].map(dataset.territories.set_index("code")["name"])
    partners = dataset.partners.set_index("code")
    values["partner"] = values["partner_code"].map(partners["name"])
    values["partner_type"] = values["partner_code"].map(partners["type"])
    definitions = dataset.indicators.set_index("code")
    for column in ("label", "unit", "measure", "family", "direction", "standard"):
        values[column] = values["indicator_code"].map(definitions[column])
    cells = ["indicator_code", "territory_code", "essaimage_code", "period"]
    keyed = counted.assign(essaimage_code=counted["essaimage_code"].fillna(""))
    status = keyed.set_index(cells)["status"]
    chosen = set(zip(*(keyed[c] for c in cells), keyed["partner_code"]))
    cell_keys = list(zip(values["indicator_code"], values["territory_code"],
                         values["essaimage_code"].fillna(""), values["period"]))
    values["status"] = [status.get(key) for key in cell_keys]
    values["counts"] = [(*key, partner) in chosen or not report for key, partner, report
                        in zip(cell_keys, values["partner_code"], values["report"])]
    return values


SETTLED = ("accord", "arbitrage", "remis_en_cause")


def _settled_rows(counted: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """One row per settled cell holding its settled value (no partner)."""
    settled = counted[counted["status"].isin(SETTLED) & counted["value"].notna()]
    rows = settled.reindex(columns=columns).assign(partner_code=None, report=False)
    rows["value"] = settled["value"].astype(float).to_numpy()
    return rows


def reports_only(values: pd.DataFrame) -> pd.DataFrame:
    """The partners' own reports (without the settled-value rows)."""
    return values[values["report"]] if "report" in values else values


def select_scope(values: pd.DataFrame, indicator_codes: list[str], innovation_codes: list[str],
                 periods: list[str], territory_codes: list[str] | None = None,
                 partner_codes: list[str] | None = None) -> pd.DataFrame:
    """Values of the chosen indicators and periods, for essaimages of the chosen innovations (and
    territory-level values of territories hosting one of them); optionally only some territories
    and some partners' reports (empty or None: all)."""
    chosen = values[values["indicator_code"].isin(indicator_codes) & values["period"].isin(periods)]
    hosting = set(values.loc[values["innovation_code"].isin(innovation_codes), "territory_code"])
    keep = chosen["innovation_code"].isin(innovation_codes) | (
        (chosen["innovation_code"] == "") & chosen["territory_code"].isin(hosting))
    if territory_codes:
        keep &= chosen["territory_code"].isin(territory_codes)
    if partner_codes:
        keep &= chosen["partner_code"].isin(partner_codes)
    return chosen[keep]


def scale_for_radar(table: pd.DataFrame, directions: dict[str, str]) -> pd.DataFrame:
    """Min–max scale each indicator column of `table` (entities × indicators) to 0–100 across the
    entities, 100 being the best (reversed for indicators where lower is better); NaN stays NaN."""
    return table.astype(float).apply(
        lambda column: min_max_scale(column, reverse=directions.get(column.name) == "down"))
