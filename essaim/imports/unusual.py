"""Values far outside what the other territories report: not errors, they ask for a confirmation
before they are written, and stay marked (essaim.numbers.ranges.UNUSUAL_RULE)."""

from __future__ import annotations

import pandas as pd

from essaim.imports.checks import ImportContext, Issue
from essaim.imports.specs import SPECS
from essaim.numbers.ranges import is_unusual, unusual_reason


def unusual_values(rows: list[dict], name: str, context: ImportContext) -> list[Issue]:
    """Values far outside what the other territories report for the indicator (essaim.numbers.
    ranges.UNUSUAL_RULE), among the rows that are new or changed and not already confirmed: they
    are not errors, the import asks to confirm them. Each such row gets "_unusual"."""
    peers = context.peer_values
    if peers is None or peers.empty:
        return []
    spec = SPECS["indicator_values"]
    current = context.current_values if context.current_values is not None else peers.iloc[:0]
    current = current.assign(essaimage_code=current["essaimage_code"].fillna(""))
    unchanged = set(zip(current["indicator_code"], current["territory_code"],
                        current["essaimage_code"], current["period"], current["partner_code"],
                        current["value"].astype(float).round(6)))
    by_indicator = {code: group for code, group in peers.groupby("indicator_code")}
    found = []
    for row in rows:
        value, indicator = row.get("value"), row.get("indicator_code")
        if value is None or row.get("unusual_confirmed") or indicator not in by_indicator:
            continue
        key = (indicator, row.get("territory_code"), row.get("essaimage_code") or "",
               row.get("period"), row.get("partner_code"), round(float(value), 6))
        if key in unchanged:
            continue
        others = _peer_values(by_indicator[indicator], row, context)
        if is_unusual(value, others):
            row["_unusual"] = True
            found.append(Issue(name, row["_line"], spec.column("value").french,
                               unusual_reason(value, others)))
    return found


def _peer_values(values: pd.DataFrame, row: dict, context: ImportContext) -> pd.Series:
    """What the other territories report for the indicator: the same year and, for an
    essaimage's value, the same innovation when five or more do; else every year."""
    others = values[values["territory_code"] != row.get("territory_code")]
    innovation = context.essaimage_innovation.get(row.get("essaimage_code"))
    if innovation:
        same = others["essaimage_code"].map(context.essaimage_innovation) == innovation
        if same.sum() >= 5:
            others = others[same]
    same_year = others[others["period"] == row.get("period")]
    return (same_year if len(same_year) >= 5 else others)["value"]
