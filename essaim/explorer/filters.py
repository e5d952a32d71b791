"""Filtering territories for the map and its table, and the map's state as written in the
address (so that a link reproduces the view)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class TerritoryFilter:
    """What the person chose; an empty tuple means "all"."""

    innovations: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    start_years: tuple[int, int] | None = None

    def narrows(self, all_years: tuple[int, int] | None = None) -> bool:
        """Whether this filter leaves some essaimages out (a year range equal to all the years
        does not)."""
        years = self.start_years is not None and tuple(self.start_years) != tuple(all_years or ())
        return bool(self.innovations or self.stages or self.regions or years)


def filter_essaimages(essaimages: pd.DataFrame, chosen: TerritoryFilter) -> pd.DataFrame:
    """The essaimages (from Dataset.essaimage_table) matching every chosen criterion."""
    mask = pd.Series(True, index=essaimages.index)
    if chosen.innovations:
        mask &= essaimages["innovation_code"].isin(chosen.innovations)
    if chosen.stages:
        mask &= essaimages["stage"].isin(chosen.stages)
    if chosen.regions:
        mask &= essaimages["code_region"].isin(chosen.regions)
    if chosen.start_years:
        years = pd.to_datetime(essaimages["start_date"]).dt.year
        mask &= years.between(*chosen.start_years)
    return essaimages[mask]


# --- the map's state in the address ---------------------------------------------------------

# Address parameter for each part of the state (French words: people read and share links).
QUERY_KEYS = {"innovations": "innovation", "stages": "etape", "regions": "region",
              "start_years": "annees", "indicator": "indicateur", "territory": "territoire",
              "view": "vue", "epci": "epci"}


@dataclass(frozen=True)
class MapView:
    """Where the map looks: centre and (fractional) zoom level."""

    latitude: float
    longitude: float
    zoom: float

    def as_query(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom:g}"


@dataclass(frozen=True)
class MapState:
    """Everything a link to the map reproduces."""

    filter: TerritoryFilter = field(default_factory=TerritoryFilter)
    indicator: str | None = None
    territory: str | None = None
    view: MapView | None = None
    epci: bool = False


@dataclass(frozen=True)
class MapChoices:
    """What the address may name: anything else in it is ignored."""

    innovations: Sequence[str]
    stages: Sequence[str]
    regions: Sequence[str]
    years: Sequence[int]
    indicators: Sequence[str]
    territories: Sequence[str]


def _values(query: Mapping[str, Sequence[str] | str], key: str) -> list[str]:
    value = query.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _known(query, key: str, allowed: Sequence[str]) -> tuple[str, ...]:
    wanted = set(_values(query, key))
    return tuple(v for v in allowed if v in wanted)


def _years(text: str, years: Sequence[int]) -> tuple[int, int] | None:
    found = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text or "")
    if not found or not years:
        return None
    low, high = sorted(int(y) for y in found.groups())
    low, high = max(low, min(years)), min(high, max(years))
    return (low, high) if low <= high else None


def _view(text: str) -> MapView | None:
    try:
        latitude, longitude, zoom = (float(part) for part in (text or "").split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (latitude, longitude, zoom)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180 and 2 <= zoom <= 18):
        return None
    return MapView(latitude, longitude, zoom)


def _first(query, key: str) -> str:
    values = _values(query, key)
    return values[0] if values else ""


def map_state_from_query(query: Mapping[str, Sequence[str] | str], choices: MapChoices) -> MapState:
    """The map state an address describes (`query`: parameter → its values). Unknown codes,
    malformed years or views are dropped rather than refused: a link always opens."""
    indicator = _first(query, QUERY_KEYS["indicator"])
    territory = _first(query, QUERY_KEYS["territory"])
    return MapState(
        filter=TerritoryFilter(
            innovations=_known(query, QUERY_KEYS["innovations"], choices.innovations),
            stages=_known(query, QUERY_KEYS["stages"], choices.stages),
            regions=_known(query, QUERY_KEYS["regions"], choices.regions),
            start_years=_years(_first(query, QUERY_KEYS["start_years"]), choices.years),
        ),
        indicator=indicator if indicator in choices.indicators else None,
        territory=territory if territory in choices.territories else None,
        view=_view(_first(query, QUERY_KEYS["view"])),
        epci=_first(query, QUERY_KEYS["epci"]) in ("1", "oui"),
    )


def map_state_to_query(state: MapState, default_indicator: str,
                       all_years: tuple[int, int] | None) -> dict[str, list[str] | str]:
    """The address parameters of a state, leaving out what is at its default (all territories,
    default indicator, no selection, view fitted to the territories)."""
    query: dict[str, list[str] | str] = {}
    chosen = state.filter
    for name in ("innovations", "stages", "regions"):
        if getattr(chosen, name):
            query[QUERY_KEYS[name]] = list(getattr(chosen, name))
    if chosen.start_years and tuple(chosen.start_years) != tuple(all_years or ()):
        query[QUERY_KEYS["start_years"]] = f"{chosen.start_years[0]}-{chosen.start_years[1]}"
    if state.indicator and state.indicator != default_indicator:
        query[QUERY_KEYS["indicator"]] = state.indicator
    if state.territory:
        query[QUERY_KEYS["territory"]] = state.territory
    if state.view:
        query[QUERY_KEYS["view"]] = state.view.as_query()
    if state.epci:
        query[QUERY_KEYS["epci"]] = "1"
    return query


def describe_filter(chosen: TerritoryFilter, innovation_names: Mapping[str, str],
                    stage_names: Mapping[str, str], region_names: Mapping[str, str],
                    all_years: tuple[int, int] | None = None) -> str:
    """The filter in French words, for an exported image: "TAPAJ ; Étape IV – Évaluation ;
    démarrage de 2016 à 2019", or "tous les territoires"."""
    parts = []
    if chosen.innovations:
        parts.append(", ".join(innovation_names.get(c, c) for c in chosen.innovations))
    if chosen.stages:
        parts.append(", ".join(stage_names.get(c, c) for c in chosen.stages))
    if chosen.regions:
        parts.append(", ".join(region_names.get(c, c) for c in chosen.regions))
    if chosen.start_years and tuple(chosen.start_years) != tuple(all_years or ()):
        low, high = chosen.start_years
        parts.append(f"démarrage en {low}" if low == high else f"démarrage de {low} à {high}")
    return " ; ".join(parts) if parts else "tous les territoires"


# --- what an address asks that a page cannot do ----------------------------------------------

# Parameters every page accepts (the frame's projection mode).
FRAME_KEYS = ("projection",)


def ignored_parameters(query: Mapping[str, Sequence[str] | str],
                       accepted: Mapping[str, Sequence[str] | Callable[[str], bool]]) -> list[str]:
    """The parts of an address a page leaves out, as « nom=valeur » (an unknown parameter, or a
    value it does not know): `accepted` maps each parameter to its known values or to a test of
    one value."""
    ignored = []
    for key in query:
        values = _values(query, key)
        if key in FRAME_KEYS:
            continue
        if key not in accepted:
            ignored += [f"« {key}={value} »" for value in values] or [f"« {key} »"]
            continue
        rule = accepted[key]
        known = rule if callable(rule) else (lambda value, allowed=set(rule): value in allowed)
        ignored += [f"« {key}={value} »" for value in values if not known(value)]
    return ignored


def map_accepted(choices: MapChoices) -> dict[str, Sequence[str] | Callable[[str], bool]]:
    """What the map's address may hold (for ignored_parameters)."""
    return {
        QUERY_KEYS["innovations"]: choices.innovations, QUERY_KEYS["stages"]: choices.stages,
        QUERY_KEYS["regions"]: choices.regions, QUERY_KEYS["indicator"]: choices.indicators,
        QUERY_KEYS["territory"]: choices.territories,
        QUERY_KEYS["start_years"]: lambda text: _years(text, choices.years) is not None,
        QUERY_KEYS["view"]: lambda text: _view(text) is not None,
        QUERY_KEYS["epci"]: ("0", "1", "oui", "non"),
    }


def describe_ignored(ignored: Sequence[str]) -> str:
    """The French message for what an address asked that was left out."""
    listed = ", ".join(ignored)
    return (f"L'adresse de cette page contient {'un élément inconnu' if len(ignored) == 1 else 'des éléments inconnus'}"
            f", ignoré{'s' if len(ignored) > 1 else ''} : {listed}. La page s'ouvre sans "
            f"{'lui' if len(ignored) == 1 else 'eux'}.")
