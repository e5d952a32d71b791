"""Finding a territory as people name places: by its own name, by any commune it covers, by an
EPCI name, by a département name or number; accents, case, hyphens and apostrophes optional."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from essaim.text import fold_text

# What a match went through, best first (the order results are ranked in).
KINDS: dict[str, str] = {
    "territoire": "nom du territoire",
    "commune": "commune couverte",
    "epci": "intercommunalité",
    "departement": "département",
    "region": "région",
}


def search_territories(territories: pd.DataFrame, query: str) -> list[str]:
    """Codes of the territories whose name, code or INSEE/EPCI code contains every word of `query`."""
    words = fold_text(query).split()
    matches = []
    for row in territories.itertuples():
        haystack = fold_text(" ".join(
            str(v) for v in (row.name, row.code, row.insee_commune, row.siren_epci) if pd.notna(v)
        ))
        if all(word in haystack for word in words):
            matches.append(row.code)
    return matches


@dataclass(frozen=True)
class PlaceMatch:
    """A territory found by a search, and the place name that led to it."""

    territory_code: str
    kind: str  # a key of KINDS
    place: str  # the name as written in the data ("Pessac", "Isère (38)")

    def reason(self) -> str:
        """French: why this territory is offered ("via la commune couverte Pessac")."""
        if self.kind == "territoire":
            return ""
        return f"{KINDS[self.kind]} : {self.place}"


def _rows(territory_code: str, kind: str, places) -> list[dict]:
    """Rows for `places`: names (searched as written) or (shown name, searched text) pairs."""
    rows = []
    for place in places:
        shown, key = place if isinstance(place, tuple) else (place, place)
        if isinstance(key, str) and key:
            rows.append({"territory_code": territory_code, "kind": kind, "place": str(shown),
                         "key": fold_text(key)})
    return rows


def _named_codes(names, codes) -> list:
    """Each name searched as written and by its code, shown as "Name (code)" for the code."""
    pairs = list(zip(names, codes))
    return list(names) + [(f"{name} ({code})", code) for name, code in pairs]


def build_gazetteer(territories: pd.DataFrame, communes: pd.DataFrame,
                    departements: pd.DataFrame) -> pd.DataFrame:
    """Every place name that leads to a territory: its name and code, the communes it covers
    (its own commune; every commune of its EPCI or département for those scales), the EPCI it
    belongs to, its département (name and number) and region. One row per (territory, kind,
    place), with the normalised text `key` that searches run on."""
    communes = communes.assign(code_epci=communes["code_epci"].astype("string"))
    by_insee = communes.set_index("code_insee")
    by_epci = communes.groupby("code_epci")
    by_departement = communes.groupby("code_departement")
    departement_rows = departements.set_index("code_departement")
    rows: list[dict] = []
    for territory in territories.itertuples():
        code = territory.code
        rows += _rows(code, "territoire", [territory.name, code])
        insee = territory.insee_commune if pd.notna(territory.insee_commune) else None
        siren = str(territory.siren_epci) if pd.notna(territory.siren_epci) else None
        if insee in by_insee.index:
            commune = by_insee.loc[insee]
            rows += _rows(code, "commune", _named_codes([commune["nom"]], [insee]))
            siren = siren or (commune["code_epci"] if pd.notna(commune["code_epci"]) else None)
        if territory.scale == "epci" and siren in by_epci.groups:
            covered = by_epci.get_group(siren)
            rows += _rows(code, "commune", _named_codes(covered["nom"], covered["code_insee"]))
        if territory.scale == "departement" and territory.code_departement in by_departement.groups:
            covered = by_departement.get_group(territory.code_departement)
            rows += _rows(code, "commune", _named_codes(covered["nom"], covered["code_insee"]))
        if siren in by_epci.groups:
            rows += _rows(code, "epci", _named_codes([by_epci.get_group(siren)["nom_epci"].iloc[0]],
                                                     [siren]))
        elif siren:
            rows += _rows(code, "epci", [siren])
        if territory.code_departement in departement_rows.index:
            departement = departement_rows.loc[territory.code_departement]
            rows += _rows(code, "departement", _named_codes([departement["nom_departement"]],
                                                            [territory.code_departement]))
            rows += _rows(code, "region", [departement["nom_region"]])
    columns = ["territory_code", "kind", "place", "key"]
    return pd.DataFrame(rows, columns=columns).drop_duplicates().reset_index(drop=True)


def _is_code(text: str) -> bool:
    return bool(re.fullmatch(r"\d[\dab]\d{0,7}|2[ab]", text))


def search_places(gazetteer: pd.DataFrame, query: str, names: dict[str, str]) -> list[PlaceMatch]:
    """The territories a query leads to, best first: one match per territory (the best place
    for it). A code (département number, INSEE or SIREN) must be given in full; words must each
    start a word of the place name ("pess" finds Pessac, "lyon" finds "Métropole de Lyon")."""
    wanted = fold_text(query)
    if not wanted:
        return []
    if _is_code(wanted.replace(" ", "")):
        found = gazetteer[gazetteer["key"] == wanted.replace(" ", "")]
    else:
        mask = pd.Series(True, index=gazetteer.index)
        for word in wanted.split():
            mask &= gazetteer["key"].str.contains(rf"(?:^| ){re.escape(word)}", regex=True)
        found = gazetteer[mask]
    if found.empty:
        return []
    rank = {kind: index for index, kind in enumerate(KINDS)}
    found = found.assign(
        exact=(found["key"] != wanted).astype(int),
        rank=found["kind"].map(rank),
        name=found["territory_code"].map(lambda c: fold_text(names.get(c, c))),
    ).sort_values(["exact", "rank", "name", "place"])
    best = found.drop_duplicates("territory_code")
    return [PlaceMatch(row.territory_code, row.kind, row.place) for row in best.itertuples()]
