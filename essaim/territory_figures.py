"""Key figures of one territory, as reported by the relay structures, with their sources."""

from __future__ import annotations

import pandas as pd

from essaim.dataset import Dataset
from essaim.formatting import format_value

KEY_INDICATORS = ["beneficiaires", "sorties_emploi", "taux_sortie_emploi", "bien_etre"]


def relay_reports(dataset: Dataset) -> pd.DataFrame:
    """Indicator values reported by the structures running the essaimages (one report per cell)."""
    relays = set(dataset.partners.loc[dataset.partners["type"] == "relais", "code"])
    values = dataset.indicator_values
    own = values[values["partner_code"].isin(relays) | values["essaimage_code"].isna()]
    # Values computed by ANSA or the porteur (surveys, estimates) complete the relay's reports.
    others = values[~values.index.isin(own.index)]
    others = others[~others["partner_code"].str.startswith("france-travail")]
    return pd.concat([own, others]).drop_duplicates(
        subset=["indicator_code", "essaimage_code", "territory_code", "period"]
    )


def latest_key_figures(dataset: Dataset, territory_code: str,
                       indicators: list[str] = KEY_INDICATORS) -> pd.DataFrame:
    """Per essaimage of the territory, the latest value of each key indicator, formatted in French.

    Columns: innovation, indicator, label, period, value, text, source. Empty when nothing is known.
    """
    reports = relay_reports(dataset)
    reports = reports[(reports["territory_code"] == territory_code)
                      & reports["indicator_code"].isin(indicators)
                      & reports["essaimage_code"].notna()]
    if reports.empty:
        return pd.DataFrame(columns=["innovation", "indicator", "label", "period", "value", "text",
                                     "source"])
    latest = reports.sort_values("period").groupby(["essaimage_code", "indicator_code"]).tail(1)
    essaimages = dataset.essaimage_table().set_index("code")
    definitions = dataset.indicators.set_index("code")
    rows = []
    for record in latest.itertuples():
        definition = definitions.loc[record.indicator_code]
        rows.append({
            "innovation": essaimages.loc[record.essaimage_code, "innovation"],
            "indicator": record.indicator_code,
            "label": definition["label"],
            "period": record.period,
            "value": record.value,
            "text": format_value(record.value, definition["unit"]),
            "source": record.source,
        })
    order = {code: i for i, code in enumerate(indicators)}
    frame = pd.DataFrame(rows)
    return frame.sort_values(["innovation", "indicator"], key=lambda s: s.map(order) if s.name ==
                             "indicator" else s).reset_index(drop=True)
