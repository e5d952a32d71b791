"""The first stage of the imputation difference-in-differences (see essaim.methods.did): the
sample the estimator can use, and unit and year fixed effects fitted on untreated cells by
pyfixest, giving each cell's observed − imputed gap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CONFIDENCE_LEVEL = 0.95


class DidError(ValueError):
    """The estimate cannot be made from these data; the message (French) says why."""


# The library recovers fixed effects iteratively (lsqr); asked for 1e-12 it agrees with the exact
# linear algebra to ~1e-11. A larger gap means a numerical failure, not a rounding difference.
AGREEMENT_TOLERANCE = 1e-6
ESTIMABLE_TOLERANCE = 1e-8


# --- sample ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    frame: pd.DataFrame          # unit, year, y, first_treated, treated, rel_time
    first_stage: FirstStage
    n_units_without_pre_period: int
    n_cells_not_imputable: int


def prepare_sample(panel: pd.DataFrame) -> Sample:
    """Clean the panel and keep only what the imputation estimator can use (French errors)."""
    frame = validated_frame(panel)
    frame["treated"] = frame["first_treated"].notna() & (frame["year"] >= frame["first_treated"])

    # A territory observed only after its start has no year telling its usual level: its
    # counterfactual cannot be imputed, so it is left out (and counted, for the method text).
    has_untreated = (~frame["treated"]).groupby(frame["unit"]).transform("any")
    n_without_pre = frame.loc[~has_untreated, "unit"].nunique()
    frame = frame[has_untreated].reset_index(drop=True)

    treated_in_window = frame.groupby("unit")["treated"].transform("any")
    if treated_in_window.all():
        raise DidError("Aucun territoire de comparaison : tous les territoires observés ont "
                       "démarré l'innovation dans la période. Sans territoire qui ne l'a pas "
                       "démarrée, l'évolution attendue sans l'innovation ne peut pas être estimée.")
    first = FirstStage.of(frame)
    imputable = first.imputable_rows()
    frame, first = frame[imputable].reset_index(drop=True), first.restricted_to(imputable)
    if not frame["treated"].any():
        raise DidError("Aucun territoire n'a démarré l'innovation avec des observations à la fois "
                       "avant et après son démarrage : l'effet ne peut pas être estimé.")
    # Comparison territories (never treated in the window) get no relative time.
    ever_treated = frame.groupby("unit")["treated"].transform("any")
    frame["rel_time"] = (frame["year"] - frame["first_treated"]).where(ever_treated)
    return Sample(frame, first, n_without_pre, int((~imputable).sum()))


def validated_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel's four columns, typed, without missing values; French errors when malformed."""
    missing = {"unit", "year", "y", "first_treated"} - set(panel.columns)
    if missing:
        raise DidError("Le panneau doit contenir les colonnes unit, year, y et first_treated "
                       f"(manquantes : {', '.join(sorted(missing))}).")
    frame = panel[["unit", "year", "y", "first_treated"]].dropna(subset=["unit", "year", "y"])
    frame = frame.astype({"year": int, "y": float, "first_treated": float})
    frame = frame.assign(unit=frame["unit"].astype(str)).reset_index(drop=True)
    if frame.empty:
        raise DidError("Aucune valeur observée : l'indicateur n'est mesuré sur aucun territoire.")
    if frame.duplicated(["unit", "year"]).any():
        raise DidError("Plusieurs valeurs pour un même territoire et une même année : "
                       "regroupez-les avant l'estimation.")
    if (frame.groupby("unit")["first_treated"].nunique(dropna=False) > 1).any():
        raise DidError("L'année de démarrage doit être la même sur toutes les lignes d'un "
                       "territoire.")
    return frame


def fixed_effects_matrix(frame: pd.DataFrame) -> np.ndarray:
    """Unit and year dummies (all levels: the pseudo-inverse deals with the collinearity)."""
    unit_index = pd.factorize(frame["unit"])[0]
    year_index = pd.factorize(frame["year"])[0]
    n_units, n_years = unit_index.max() + 1, year_index.max() + 1
    design = np.zeros((len(frame), n_units + n_years))
    design[np.arange(len(frame)), unit_index] = 1.0
    design[np.arange(len(frame)), n_units + year_index] = 1.0
    return design


# --- point estimates ---------------------------------------------------------------------------

def library_imputation_gaps(frame: pd.DataFrame, outcome: np.ndarray | None = None) -> np.ndarray:
    """Observed − imputed for every row, the first step fitted by pyfixest on untreated rows, for
    the frame's y or for another `outcome` on the same rows (the estimator is linear in it).

    Imported here: pyfixest takes ~2 s to import (it loads matplotlib), paid on first use only.
    fixef_rm="none" keeps territories with a single untreated year (pyfixest's did2s drops them and
    then fails); the 1e-12 tolerances make the recovered fixed effects exact to rounding.
    """
    import pyfixest as pf

    y = frame["y"].to_numpy() if outcome is None else np.asarray(outcome, dtype=float)
    data = frame[["unit", "year"]].assign(y=y)
    untreated = data[~frame["treated"].to_numpy()]
    fit = pf.feols("y ~ 1 | unit + year", data=untreated, fixef_rm="none", vcov="iid")
    imputed = fit.predict(newdata=data[["unit", "year"]], atol=1e-12, btol=1e-12)
    return y - np.asarray(imputed, dtype=float)


@dataclass(frozen=True)
class FirstStage:
    """The imputation step as a linear map: gaps = y − X (X₀⁺ y₀), X = unit + year dummies."""

    design: np.ndarray           # N × p
    untreated: np.ndarray        # N, bool
    pseudo_inverse: np.ndarray   # p × N₀

    @classmethod
    def of(cls, frame: pd.DataFrame) -> FirstStage:
        design = fixed_effects_matrix(frame)
        untreated = ~frame["treated"].to_numpy()
        return cls(design, untreated, np.linalg.pinv(design[untreated]))

    def imputable_rows(self) -> np.ndarray:
        """Untreated rows, and treated rows whose unit + year effects the untreated rows identify.

        A treated cell of a year with no untreated observation (gaps in the data) has no imputed
        counterfactual: its dummies are not in the row space of the first-step design.
        """
        row_space = self.pseudo_inverse @ self.design[self.untreated]
        gap = np.linalg.norm(self.design - self.design @ row_space, axis=1)
        return self.untreated | (gap < ESTIMABLE_TOLERANCE)

    def restricted_to(self, rows: np.ndarray) -> FirstStage:
        """The same first step on a subset of rows that keeps every untreated row."""
        assert rows[self.untreated].all()
        return FirstStage(self.design[rows], self.untreated[rows], self.pseudo_inverse)

    def gaps(self, values: np.ndarray) -> np.ndarray:
        """Observed − imputed, for a vector or for each column of a matrix."""
        return values - self.design @ (self.pseudo_inverse @ values[self.untreated])
