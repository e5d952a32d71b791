"""Public reference statistics shipped in data/reference/, with the source and vintage of each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from essaim.errors import DataFileError
from essaim.paths import REFERENCE_DIR


@dataclass(frozen=True)
class ReferenceIndicator:
    code: str
    label: str
    column: str
    unit: str
    source: str
    vintage: str
    direction: str = "down"


REFERENCE_INDICATORS: dict[str, ReferenceIndicator] = {
    ind.code: ind
    for ind in [
        ReferenceIndicator(
            "chomage_2025", "Taux de chômage (T4 2025, provisoire)", "taux_chomage_t4_2025_pct", "%",
            "INSEE, taux de chômage localisé (CVS)", "T4 2025 (provisoire)",
        ),
        ReferenceIndicator(
            "chomage_2024", "Taux de chômage (T4 2024)", "taux_chomage_t4_2024_pct", "%",
            "INSEE, taux de chômage localisé (CVS)", "T4 2024",
        ),
        ReferenceIndicator(
            "pauvrete", "Taux de pauvreté", "taux_pauvrete_pct", "%",
            "INSEE Filosofi (seuil à 60 % du revenu médian), via data.gouv.fr", "édition 2022",
        ),
        ReferenceIndicator(
            "rsa", "Part des allocataires du RSA (15–69 ans)", "part_rsa_15_69_ans_pct_2019", "%",
            "DREES (CNAF, MSA), allocataires au 31 décembre", "2019",
        ),
        ReferenceIndicator(
            "jeunes", "Part des 15–24 ans", "part_15_24_ans_pct_2022", "%",
            "INSEE, estimations de population", "1er janvier 2022", direction="up",
        ),
        ReferenceIndicator(
            "logements_sociaux", "Part de logements sociaux", "taux_logements_sociaux_pct", "%",
            "Données logements et logements sociaux dans les départements, data.gouv.fr",
            "édition 2022", direction="up",
        ),
    ]
}


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding="utf-8", **kwargs)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataFileError(
            f"Le fichier de référence {path.name} est absent ou illisible ({error}).",
            "Restaurez le dossier data/reference depuis le dépôt (git checkout -- data/reference).",
        ) from error


def load_departements(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    """One row per département (101): population, unemployment, poverty, RSA, youth, social housing.

    Mayotte's RSA share is set missing: its RSA rules differ, so the figure is not comparable
    (data/SOURCES.md), and every view and average must show or skip it as "n.d."."""
    frame = _read_csv(
        directory / "departements.csv", dtype={"code_departement": str, "code_region": str}
    )
    frame.loc[frame["code_departement"] == "976", "part_rsa_15_69_ans_pct_2019"] = float("nan")
    return frame


def load_departement_series(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    """Editions 2018–2022 of the département statistics (100 départements, Mayotte absent)."""
    return _read_csv(
        directory / "departements_series.csv", dtype={"code_departement": str, "code_region": str}
    )


def load_communes(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    """34,920 communes and municipal arrondissements: INSEE code, EPCI, population and a point."""
    communes = _read_csv(
        directory / "communes.csv",
        dtype={"code_insee": str, "code_departement": str, "code_epci": str},
    )
    # Municipal arrondissements carry no département: it is their code's prefix (75, 69, 13).
    missing = communes["code_departement"].isna()
    communes.loc[missing, "code_departement"] = communes.loc[missing, "code_insee"].str[:2]
    return communes
