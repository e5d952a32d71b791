"""Key figures of one territory: per essaimage, the latest counted value of each indicator with
the role « chiffre clé », with its period and source."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.roles import indicators_with_role
from essaim.figures.summaries import latest_per
from essaim.numbers.formatting import format_value

COLUMNS = ["innovation", "essaimage_code", "indicator", "label", "period", "value", "text",
           "source", "status"]


def latest_key_figures(dataset: Dataset, counted: pd.DataFrame, territory_code: str) -> pd.DataFrame:
    """Per essaimage of the territory, the latest value of each key indicator, formatted in French.

    Columns: innovation, essaimage_code, indicator, label, period, value, text, source, status.
    Empty when nothing is known. `counted` comes from essaim.figures.counted.counted_values."""
    indicators = indicators_with_role(dataset.indicators, "key_figure")
    reports = counted[(counted["territory_code"] == territory_code)
                      & counted["indicator_code"].isin(indicators)
                      & counted["essaimage_code"].notna() & counted["value"].notna()]
    if reports.empty:
        return pd.DataFrame(columns=COLUMNS)
    latest = latest_per(reports, ["essaimage_code", "indicator_code"])
    essaimages = dataset.essaimage_table().set_index("code")
    definitions = dataset.indicators.set_index("code")
    rows = []
    for record in latest.itertuples():
        definition = definitions.loc[record.indicator_code]
        rows.append({
            "innovation": essaimages.loc[record.essaimage_code, "innovation"],
            "essaimage_code": record.essaimage_code,
            "indicator": record.indicator_code,
            "label": definition["label"],
            "period": record.period,
            "value": record.value,
            "text": format_value(record.value, definition["unit"], definition["measure"]),
            "source": record.source,
            "status": record.status,
        })
    order = {code: i for i, code in enumerate(indicators)}
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["order"] = frame["indicator"].map(order)
    return frame.sort_values(["innovation", "order"]).drop(columns="order").reset_index(drop=True)
