"""Min–max scaling to 0–100, the one rule shared by scores and the radar chart."""

from __future__ import annotations

import pandas as pd

NEUTRAL_SCORE = 50.0


def min_max_scale(values: pd.Series, reverse: bool = False) -> pd.Series:
    """0 for the lowest value, 100 for the highest (reversed when lower is better); every value
    at the neutral 50 when they are all equal; NaN stays NaN."""
    values = values.astype(float)
    low, high = values.min(), values.max()
    if pd.isna(low) or high == low:
        return values.where(values.isna(), NEUTRAL_SCORE)
    scaled = 100 * (values - low) / (high - low)
    return 100 - scaled if reverse else scaled
