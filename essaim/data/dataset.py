"""The active dataset held in memory as DataFrames, with the joins the views need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from essaim.data.model import STAGES, stage_rank


@dataclass(frozen=True, eq=False)
class Dataset:
    id: int
    kind: str
    label: str
    source: str
    created_at: dt.datetime
    innovations: pd.DataFrame
    territories: pd.DataFrame
    essaimages: pd.DataFrame
    partners: pd.DataFrame
    partner_roles: pd.DataFrame
    indicators: pd.DataFrame
    indicator_values: pd.DataFrame
    verbatims: pd.DataFrame
    demo_tables: tuple[str, ...] = ()
    created_by: str = ""
    # Identifies the dataset across stores (the store's address and the dataset id): what caches
    # of derived data are keyed on, since two stores can both hold a dataset n°1.
    cache_key: str = ""
    # Cells whose disagreement the partners settled (or ANSA arbitrated): essaim.data.partner_data.
    resolutions: pd.DataFrame | None = None

    @classmethod
    def empty(cls) -> Dataset:
        """A dataset with no rows (what an import into an empty store starts from)."""
        from essaim.data import schema

        frames = {name: pd.DataFrame(columns=schema.dataset_columns(table))
                  for name, table in schema.DATASET_TABLES.items()}
        return cls(id=0, kind="empty", label="", source="",
                   created_at=dt.datetime.now(dt.UTC), **frames)

    @property
    def holds_demo_data(self) -> bool:
        """True while any table still holds the fictional demonstration data."""
        return bool(self.demo_tables)

    def headline_counts(self) -> dict[str, int]:
        """Territories, innovations and partners in the dataset."""
        return {
            "territories": len(self.territories),
            "innovations": len(self.innovations),
            "partners": len(self.partners),
            "essaimages": len(self.essaimages),
        }

    def essaimage_table(self) -> pd.DataFrame:
        """One row per essaimage with its innovation and territory names and the stage label."""
        table = self.essaimages.merge(
            self.innovations[["code", "name"]].rename(
                columns={"code": "innovation_code", "name": "innovation"}
            ),
            on="innovation_code",
            how="left",
        ).merge(
            self.territories[["code", "name", "code_departement", "code_region"]].rename(
                columns={"code": "territory_code", "name": "territory"}
            ),
            on="territory_code",
            how="left",
        )
        table["stage_label"] = table["stage"].map(STAGES)
        table["stage_rank"] = table["stage"].map(stage_rank)
        return table

    def territory_table(self, essaimages: pd.DataFrame | None = None) -> pd.DataFrame:
        """One row per territory with its innovations, their stages, relays, first start and most
        advanced stage. Given a subset of `essaimage_table()`, only the territories it covers."""
        subset = essaimages is not None
        essaimages = (self.essaimage_table() if essaimages is None else essaimages).sort_values(
            ["territory_code", "innovation"])
        grouped = essaimages.groupby("territory_code").agg(
            innovations=("innovation", ", ".join),
            stages=("stage_label", ", ".join),
            relays=("relay", ", ".join),
            essaimage_count=("code", "size"),
            stage_rank=("stage_rank", "max"),
            first_start=("start_date", "min"),
        )
        table = self.territories.merge(grouped, left_on="code", right_index=True,
                                       how="inner" if subset else "left")
        table["essaimage_count"] = table["essaimage_count"].fillna(0).astype(int)
        table["stage_label"] = table["stage_rank"].map(
            lambda rank: list(STAGES.values())[int(rank)] if pd.notna(rank) else None
        )
        return table
