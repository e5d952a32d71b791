"""Population of each territory, from the communes reference (INSEE populations municipales)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def territory_population(territories: pd.DataFrame, communes: pd.DataFrame) -> pd.Series:
    """Inhabitants per territory code: the commune (or arrondissement), the sum of an EPCI's
    communes; a QPV gets its commune's population (the neighbourhood's own is not in the
    reference). NaN when INSEE publishes none (Mamoudzou)."""
    by_insee = communes.set_index("code_insee")["population_municipale"]
    by_epci = communes[communes["type"] == "COM"].groupby("code_epci")["population_municipale"].sum(
        min_count=1)
    values = {}
    for row in territories.itertuples():
        if row.scale == "epci":
            values[row.code] = by_epci.get(row.siren_epci, np.nan)
        else:
            values[row.code] = by_insee.get(row.insee_commune, np.nan)
    return pd.Series(values, dtype=float)
