"""Finding a territory as people name places: by its own name, by any commune it covers, by an
EPCI's name (official, common or former: « Grand Lyon »), by a département or region name or
number; accents, ligatures (œ, æ), case, hyphens and apostrophes optional.

Two parts, so that a search answers at once: the place index (every commune, EPCI, département
and region of France, from the reference files) is built once per process; a dataset's
territories are matched against it at search time by simple rules (a commune is covered by the
territory of that commune, of its EPCI or of its département). A place that no territory covers
is answered with its département and the nearest territories of the accelerator.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from essaim.paths import REFERENCE_DIR
from essaim.text import fold_text

# What a match went through, best first (the order results are ranked in).
KINDS: dict[str, str] = {
    "territoire": "nom du territoire",
    "commune": "commune couverte",
    "epci": "intercommunalité",
    "departement": "département",
    "region": "région",
}
NEAREST = 3  # territories offered around a place no territory covers
EARTH_RADIUS_KM = 6371.0
PLACE_COLUMNS = ["kind", "code", "name", "key", "departement", "region", "epci", "latitude",
                 "longitude", "population"]


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
        """French: why this territory is offered ("commune couverte : Pessac")."""
        if self.kind == "territoire":
            return ""
        return f"{KINDS[self.kind]} : {self.place}"


@dataclass(frozen=True)
class UncoveredPlace:
    """A place the search found that no territory of the accelerator covers: its kind, name, its
    département, and the nearest territories as (territory code, distance in km)."""

    kind: str
    name: str
    departement: str  # « Lozère (48) »
    nearest: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class SearchAnswer:
    """The territories a query leads to, best first, or the uncovered place it names."""

    matches: list[PlaceMatch]
    uncovered: UncoveredPlace | None = None


@dataclass(frozen=True)
class PlaceIndex:
    """Every place name of France a search runs on (one row per name; columns PLACE_COLUMNS),
    and the département names by code."""

    places: pd.DataFrame
    departement_names: dict[str, str]


def read_epci_names(path=REFERENCE_DIR / "epci_noms_usage.csv") -> pd.DataFrame:
    """EPCI common and former names (data/reference/epci_noms_usage.csv): code_epci, nom, genre."""
    return pd.read_csv(path, dtype=str, encoding="utf-8")


def _weighted_centres(points: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per `by` value: population-weighted centre, population and the département holding most
    of it."""
    weights = points["population"].clip(lower=1)
    sums = points.assign(w=weights, wlat=points["latitude"] * weights,
                         wlon=points["longitude"] * weights).groupby(by)[
        ["w", "wlat", "wlon", "population"]].sum()
    if by == "departement":
        main = pd.Series(sums.index, index=sums.index)
    else:
        main = (points.groupby([by, "departement"])["population"].sum().reset_index()
                .sort_values("population").drop_duplicates(by, keep="last")
                .set_index(by)["departement"])
    return pd.DataFrame({"latitude": sums["wlat"] / sums["w"], "longitude": sums["wlon"] / sums["w"],
                         "population": sums["population"], "departement": main})


def build_place_index(communes: pd.DataFrame, departements: pd.DataFrame,
                      epci_names: pd.DataFrame | None = None) -> PlaceIndex:
    """The place index from the communes and départements references and the EPCI common and
    former names (columns code_epci, nom; data/reference/epci_noms_usage.csv)."""
    regions = departements.set_index("code_departement")["code_region"]
    base = pd.DataFrame({
        "kind": "commune", "code": communes["code_insee"].astype(str), "name": communes["nom"],
        "departement": communes["code_departement"].astype(str),
        "epci": communes["code_epci"].astype("string"),
        "latitude": communes["latitude"].astype(float),
        "longitude": communes["longitude"].astype(float),
        "population": pd.to_numeric(communes["population_municipale"], errors="coerce").fillna(0),
    })
    base["region"] = base["departement"].map(regions)
    with_epci = base.dropna(subset=["epci"])
    epci = _weighted_centres(with_epci, "epci").rename_axis("code").reset_index()
    official = communes.dropna(subset=["code_epci"]).drop_duplicates("code_epci").set_index(
        communes.dropna(subset=["code_epci"]).drop_duplicates("code_epci")["code_epci"].astype(str))
    epci = epci.assign(kind="epci", name=epci["code"].map(official["nom_epci"]), epci=epci["code"],
                       region=epci["departement"].map(regions))
    rows = [base, epci]
    if epci_names is not None and not epci_names.empty:
        aliases = epci_names.assign(code=epci_names["code_epci"].astype(str))
        aliases = aliases.merge(epci.drop(columns=["name"]), on="code")
        # Searched as people say it, shown with the official name it stands for.
        rows.append(aliases.assign(search=aliases["nom"],
                                   name=aliases["nom"] + " (" + aliases["code"].map(
                                       epci.set_index("code")["name"]) + ")")
                    .drop(columns=["code_epci", "nom"]))
    by_departement = _weighted_centres(base, "departement")
    deps = departements.assign(code=departements["code_departement"].astype(str))
    deps = pd.DataFrame({
        "kind": "departement", "code": deps["code"], "name": deps["nom_departement"],
        "departement": deps["code"], "region": deps["code_region"],
        "latitude": deps["code"].map(by_departement["latitude"]),
        "longitude": deps["code"].map(by_departement["longitude"]),
        "population": deps["population_2022"]})
    region_rows = departements.drop_duplicates("code_region")
    rows += [deps, pd.DataFrame({"kind": "region", "code": region_rows["code_region"].astype(str),
                                 "name": region_rows["nom_region"],
                                 "region": region_rows["code_region"].astype(str)})]
    places = pd.concat(rows, ignore_index=True)
    searched = places["search"].fillna(places["name"]) if "search" in places else places["name"]
    places["key"] = _fold_all(searched)
    names = dict(zip(deps["code"], deps["name"]))
    return PlaceIndex(places=places[PLACE_COLUMNS], departement_names=names)


def _fold_all(names: pd.Series) -> list[str]:
    """fold_text over many names, each distinct name once (communes share many names)."""
    folded = {name: fold_text(name) for name in set(names.astype(str))}
    return [folded[name] for name in names.astype(str)]


def territory_places(territories: pd.DataFrame, index: PlaceIndex) -> pd.DataFrame:
    """The dataset's territories with what search rules need: code, name, scale, insee, siren
    (their own, else their commune's), département, region, position and the folded name."""
    communes = index.places[index.places["kind"] == "commune"].set_index("code")
    insee = territories["insee_commune"].where(territories["insee_commune"].notna(), None)
    own_epci = territories["siren_epci"].where(territories["siren_epci"].notna(), None)
    siren = [str(s) if s is not None else (communes.at[i, "epci"] if i in communes.index else None)
             for s, i in zip(own_epci, insee)]
    return pd.DataFrame({
        "code": territories["code"], "name": territories["name"], "scale": territories["scale"],
        "insee": insee, "siren": siren, "departement": territories["code_departement"].astype(str),
        "region": territories["code_region"].astype(str),
        "latitude": territories["latitude"].astype(float),
        "longitude": territories["longitude"].astype(float),
        "key": [fold_text(f"{n} {c}") for n, c in zip(territories["name"], territories["code"])],
    }).reset_index(drop=True)


def _covering(place: pd.Series, territories: pd.DataFrame) -> pd.Series:
    """Which territories cover a place (boolean per territory)."""
    kind = place["kind"]
    if kind == "commune":
        return ((territories["insee"] == place["code"])
                | ((territories["scale"] == "epci") & (territories["siren"] == place["epci"]))
                | ((territories["scale"] == "departement")
                   & (territories["departement"] == place["departement"])))
    if kind == "epci":
        return territories["siren"] == place["code"]
    if kind == "departement":
        return territories["departement"] == place["code"]
    return territories["region"] == place["code"]


def _is_code(text: str) -> bool:
    return bool(re.fullmatch(r"\d[\dab]\d{0,7}|2[ab]", text))


def _word_mask(keys: pd.Series, wanted: str) -> pd.Series:
    """Each word of `wanted` starts a word of the key ("pess" finds Pessac)."""
    mask = pd.Series(True, index=keys.index)
    for word in wanted.split():
        mask &= keys.str.contains(rf"(?:^| ){re.escape(word)}", regex=True)
    return mask


def distance_km(latitude: float, longitude: float, latitudes, longitudes) -> np.ndarray:
    """Great-circle distances (haversine) from one point to others, in kilometres."""
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2, lon2 = np.radians(np.asarray(latitudes, float)), np.radians(np.asarray(longitudes, float))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _uncovered(place: pd.Series, index: PlaceIndex, territories: pd.DataFrame) -> UncoveredPlace:
    code = place["departement"]
    departement = f"{index.departement_names.get(code, code)} ({code})" if pd.notna(code) else ""
    nearest: list[tuple[str, float]] = []
    if pd.notna(place["latitude"]) and len(territories):
        distances = distance_km(place["latitude"], place["longitude"], territories["latitude"],
                                territories["longitude"])
        order = np.argsort(distances)[:NEAREST]
        nearest = [(territories["code"].iloc[i], float(distances[i])) for i in order]
    return UncoveredPlace(kind=place["kind"], name=place["name"], departement=departement,
                          nearest=nearest)


def search_places(index: PlaceIndex, territories: pd.DataFrame, query: str) -> SearchAnswer:
    """The territories (from territory_places) a query leads to, best first, one match per
    territory (the best place for it); or, when it names only places no territory covers, the
    best of them with its département and the nearest territories. A code (département number,
    INSEE or SIREN) must be given in full; words must each start a word of the name."""
    wanted = fold_text(query)
    if not wanted:
        return SearchAnswer([])
    places = index.places
    if _is_code(wanted.replace(" ", "")):
        code = wanted.replace(" ", "").upper()
        found = places[places["code"].str.upper() == code]
        own = territories[(territories["insee"] == code) | (territories["code"] == wanted)]
    else:
        found = places[_word_mask(places["key"], wanted)]
        own = territories[_word_mask(territories["key"], wanted)]
    rank = {kind: index for index, kind in enumerate(KINDS)}
    rows = [{"territory_code": t.code, "kind": "territoire", "place": t.name,
             "exact": int(fold_text(t.name) != wanted), "order": -1} for t in own.itertuples()]
    # The best places first, so that few are tried for coverage.
    found = found.assign(exact=(found["key"] != wanted).astype(int), rank=found["kind"].map(rank)
                         ).sort_values(["exact", "rank", "population"],
                                       ascending=[True, True, False], kind="stable")
    for order, (_, place) in enumerate(found.head(400).iterrows()):
        shown = (f"{place['name']} ({place['code']})" if place["kind"] == "departement"
                 else place["name"])
        rows += [{"territory_code": code, "kind": place["kind"], "place": shown,
                  "exact": place["exact"], "order": order}
                 for code in territories.loc[_covering(place, territories), "code"]]
    if not rows:
        if found.empty:
            return SearchAnswer([])
        return SearchAnswer([], _uncovered(found.iloc[0], index, territories))
    names = dict(zip(territories["code"], territories["name"]))
    table = pd.DataFrame(rows)
    table = table.assign(rank=table["kind"].map(rank),
                         name=table["territory_code"].map(lambda c: fold_text(names.get(c, c))))
    best = table.sort_values(["exact", "rank", "name", "order"]).drop_duplicates("territory_code")
    return SearchAnswer([PlaceMatch(r.territory_code, r.kind, r.place) for r in best.itertuples()])
