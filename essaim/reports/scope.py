"""What a restitution covers: the whole accelerator, an innovation, a territory or a workshop
session, resolved to its essaimages and territories, and how its figures are compared."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from essaim import workshops
from essaim.data.dataset import Dataset

SCOPES = {"accelerateur": "Tout l'accélérateur", "innovation": "Une innovation",
          "territoire": "Un territoire", "atelier": "Une séance d'atelier",
          "journee": "Une journée nationale"}
ACCELERATOR_NAME = "Accélérateur d'innovation sociale #Emploi"


@dataclass(frozen=True, eq=False)
class Scope:
    kind: str
    code: str  # innovation, territory or session code; "" for the accelerator
    label: str
    essaimages: pd.DataFrame  # rows of Dataset.essaimage_table()
    workshop: workshops.Workshop | None = None
    # How figures are compared: "territoire" (with the other territories of the same
    # innovation), "innovation" (with the other innovations) or "accelerateur" (across territories).
    comparison: str = "accelerateur"
    territory_code: str | None = None  # the territory compared, in "territoire" comparison
    innovation_code: str | None = None  # the innovation, in "innovation" comparison

    @property
    def essaimage_codes(self) -> set[str]:
        return set(self.essaimages["code"])

    @property
    def territory_codes(self) -> set[str]:
        return set(self.essaimages["territory_code"])


def resolve_scope(dataset: Dataset, kind: str, value: str | None = None,
                  engine: Engine | None = None) -> Scope:
    """The scope of a restitution; ValueError (French) for an unknown kind or value."""
    essaimages = dataset.essaimage_table()
    if kind == "accelerateur":
        return Scope(kind, "", ACCELERATOR_NAME, essaimages)
    if kind == "innovation":
        names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
        if value not in names:
            raise ValueError("Choisissez une innovation de la liste.")
        return Scope(kind, value, names[value], essaimages[essaimages["innovation_code"] == value],
                     comparison="innovation", innovation_code=value)
    if kind == "territoire":
        names = dict(zip(dataset.territories["code"], dataset.territories["name"]))
        if value not in names:
            raise ValueError("Choisissez un territoire de la liste.")
        return Scope(kind, value, names[value], essaimages[essaimages["territory_code"] == value],
                     comparison="territoire", territory_code=value)
    if kind == "atelier":
        workshop = workshops.find_workshop(engine, value or "") if engine is not None else None
        if workshop is None:
            raise ValueError("Séance d'atelier introuvable : vérifiez son code.")
        return _workshop_scope(essaimages, workshop)
    if kind == "journee":
        return _day_scope(essaimages, engine, value or "")
    raise ValueError(f"Périmètre inconnu : {kind!r} (attendu : {', '.join(SCOPES)}).")


def _workshop_scope(essaimages: pd.DataFrame, workshop: workshops.Workshop) -> Scope:
    """A session covers its innovation and territories (all of them when it names none)."""
    if workshop.scope_innovation:
        essaimages = essaimages[essaimages["innovation_code"] == workshop.scope_innovation]
    if workshop.scope_territories:
        essaimages = essaimages[essaimages["territory_code"].isin(workshop.scope_territories)]
    places = sorted(set(essaimages["territory_code"]))
    if len(places) == 1:
        comparison, territory = "territoire", places[0]
    else:
        comparison = "innovation" if workshop.scope_innovation else "accelerateur"
        territory = None
    return Scope("atelier", workshop.code, workshop.title, essaimages, workshop=workshop,
                 comparison=comparison, territory_code=territory,
                 innovation_code=workshop.scope_innovation)


def _day_scope(essaimages: pd.DataFrame, engine: Engine | None, code: str) -> Scope:
    """A national day covers what its comptoirs cover, together."""
    from essaim.workshops.days import find_day

    day = find_day(engine, code) if engine is not None else None
    if day is None:
        raise ValueError("Journée introuvable : vérifiez son code.")
    covered = set()
    for comptoir in day.comptoirs:
        workshop = workshops.find_workshop(engine, comptoir.code)
        covered |= _workshop_scope(essaimages, workshop).essaimage_codes
    return Scope("journee", day.code, day.title, essaimages[essaimages["code"].isin(covered)])


def scope_dataset(dataset: Dataset, kind: str, value: str | None,
                  engine: Engine | None = None) -> Dataset:
    """The dataset restricted to the scope's essaimages and territories (for the data files)."""
    scope = resolve_scope(dataset, kind, value, engine)
    codes, places = scope.essaimage_codes, scope.territory_codes
    values = dataset.indicator_values
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"].isin(codes)]
    values = values[values["essaimage_code"].isin(codes)
                    | (values["essaimage_code"].isna() & values["territory_code"].isin(places))]
    return dataclasses.replace(
        dataset,
        territories=dataset.territories[dataset.territories["code"].isin(places)],
        essaimages=dataset.essaimages[dataset.essaimages["code"].isin(codes)],
        partner_roles=roles,
        partners=dataset.partners[dataset.partners["code"].isin(set(roles["partner_code"])
                                                                | set(values["partner_code"]))],
        indicator_values=values,
        verbatims=dataset.verbatims[dataset.verbatims["essaimage_code"].isin(codes)],
    )
