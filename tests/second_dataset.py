"""A second realistic dataset, deliberately unlike the demo, written as import files.

Other innovation, indicator and partner codes, other labels and units; an EPCI-scale and a
QPV-scale territory, overseas territories, Corsica (2A), a territory with no values at all, one
territory reporting a year ahead of the others, missing years, partners that disagree (once with
the relay's report counting, once with nobody designated: the figure is contested), and an
indicator with no role. The files go through the importer like ANSA's own would.

Run directly to write the files: python -m tests.second_dataset DOSSIER
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from essaim.imports.specs import SPECS
from essaim.imports.templates import spec_frame

SEED = 7
YEARS = [str(year) for year in range(2019, 2025)]
AHEAD_YEAR = "2025"

INNOVATIONS = [
    {"code": "garage_solidaire", "name": "Garages solidaires", "porteur": "Réseau Mob'In (fictif)",
     "public": "Personnes sans solution de mobilité", "description": "Réparer et louer des "
     "véhicules à bas prix pour lever le frein de la mobilité vers l'emploi."},
    {"code": "epicerie_insertion", "name": "Épiceries d'insertion",
     "porteur": "Fédération des épiceries (fictive)", "public": "Allocataires de minima sociaux",
     "description": "Des épiceries qui salarient en insertion et accueillent des ateliers."},
    {"code": "coop_jeunesse", "name": "Coopératives jeunesse",
     "porteur": "Coopérer pour entreprendre (fictif)", "public": "Jeunes de 16 à 25 ans",
     "description": "Des coopératives éphémères où des jeunes créent leur activité l'été."},
]

# code, name, scale, INSEE, SIREN, qpv
TERRITORIES = [
    ("coeur-lozere", "Cœur de Lozère", "epci", None, "244800405", False),
    ("mirail", "Toulouse – Le Mirail", "qpv", "31555", None, True),
    ("saint-laurent", "Saint-Laurent-du-Maroni", "commune", "97311", None, True),
    ("saint-pierre-reunion", "Saint-Pierre (La Réunion)", "commune", "97416", None, True),
    ("ajaccio", "Ajaccio", "commune", "2A004", None, True),
    ("lens", "Lens", "commune", "62498", None, True),
    ("quimper", "Quimper", "commune", "29232", None, False),
    ("gap", "Gap", "commune", "05061", None, False),  # no value at all
]

# code, innovation, territory, stage, dates of stages 0..IV
ESSAIMAGES = [
    ("gs-lozere", "garage_solidaire", "coeur-lozere", "IV",
     ["2017-03-01", "2017-09-01", "2018-04-01", "2019-02-01", "2022-06-01"]),
    ("gs-lens", "garage_solidaire", "lens", "III",
     ["2018-01-15", "2018-06-01", "2019-01-10", "2020-03-01", None]),
    ("ei-mirail", "epicerie_insertion", "mirail", "III",
     ["2018-05-01", "2018-11-01", "2019-06-01", "2021-01-15", None]),
    ("ei-saint-laurent", "epicerie_insertion", "saint-laurent", "III",
     ["2018-02-01", "2018-10-01", "2019-04-01", "2019-11-01", None]),
    ("cj-saint-pierre", "coop_jeunesse", "saint-pierre-reunion", "III",
     ["2019-01-01", "2019-05-01", "2019-09-01", "2020-05-01", None]),
    ("cj-ajaccio", "coop_jeunesse", "ajaccio", "III",
     ["2019-03-01", "2019-07-01", "2020-01-01", "2021-04-01", None]),
    ("cj-quimper", "coop_jeunesse", "quimper", "III",
     ["2018-09-01", "2019-01-01", "2019-06-01", "2020-02-01", None]),
    ("gs-gap", "garage_solidaire", "gap", "I", ["2023-09-01", "2024-02-01", None, None, None]),
]

INDICATORS = [
    {"code": "nb_inscrits", "label": "Personnes inscrites", "unit": "inscrits", "direction": "up",
         "family": "emploi", "standard": True, "definition": "Personnes inscrites dans l'action.",
         "roles": "key_figure;beneficiaries"},
    {"code": "acces_emploi_6m", "label": "Accès à l'emploi à six mois", "unit": "%", "direction": "up",
         "family": "emploi", "standard": True, "definition": "Part des sortants en emploi six mois après.",
         "roles": "key_figure;grid_criterion", "grid_weight": 30.0, "grid_target": 45.0,
         "grid_threshold": 25.0, "perverse_effects": "Ne suivre que les sortants joignables."},
    {"code": "retours_emploi", "label": "Retours à l'emploi", "unit": "personnes", "direction": "up",
         "family": "emploi", "standard": True, "definition": "Personnes ayant repris un emploi.",
         "roles": "key_figure;avoided_cost", "avoided_cost_label": "Allocation chômage évitée (un an)",
         "unit_cost_euros": 5_000.0, "unit_cost_share_pct": 30.0,
         "unit_cost_source": "Hypothèse de test : montant moyen indicatif", "benefit_years": 1},
    {"code": "heures_benevoles", "label": "Heures de bénévolat mobilisées", "unit": "h",
         "direction": "up", "family": "ecosysteme", "standard": False,
         "definition": "Heures données par des bénévoles (indicateur sans rôle)."},
    {"code": "satisfaction_5", "label": "Satisfaction des participants", "unit": "note /5",
         "direction": "up", "family": "bien_etre", "standard": False,
         "definition": "Note moyenne de satisfaction en fin d'action.",
         "roles": "grid_criterion", "grid_weight": 20.0, "grid_target": 4.0, "grid_threshold": 3.0},
    {"code": "depenses_action", "label": "Dépenses de l'action", "unit": "€", "direction": "down",
         "family": "couts", "standard": True, "definition": "Dépenses de l'année.", "roles": "investment"},
    {"code": "delai_acces_jours", "label": "Délai d'accès au service", "unit": "jours",
         "direction": "down", "family": "processus", "standard": False,
         "definition": "Jours entre la demande et la première aide.", "roles": "grid_criterion",
         "grid_weight": 20.0, "grid_target": 15.0, "grid_threshold": 45.0},
    {"code": "part_jeunes_accueillis", "label": "Part des 15–24 ans parmi les accueillis",
         "unit": "%", "direction": "up", "family": "territoire", "standard": False,
         "definition": "Jeunes de 15 à 24 ans parmi les personnes accueillies.",
         "reference_statistic": "jeunes"},
    {"code": "inscrits_longue_duree", "label": "Inscrits de longue durée pour 1 000 habitants",
         "unit": "‰", "direction": "down", "family": "territoire", "standard": True,
         "definition": "Sur tout le territoire, au 31 décembre.", "roles": "grid_criterion",
         "counted_partner_type": "departement", "grid_weight": 30.0},
]
# Who each indicator counts: beneficiaries, except these.
POPULATIONS = {"inscrits_longue_duree": "habitants", "heures_benevoles": "autre",
               "depenses_action": "autre", "delai_acces_jours": "beneficiaires"}
MEASURES = {"inscrits": "count", "%": "rate", "personnes": "count", "h": "count",
            "note /5": "score", "€": "amount", "jours": "average", "‰": "rate"}


def _partners() -> tuple[list[dict], list[dict]]:
    partners = {"observatoire-emploi": ("Observatoire régional de l'emploi (fictif)",
                                        "recherche")}
    roles = []
    for code, innovation, territory, _stage, _dates in ESSAIMAGES:
        relay = f"relais-{code}"
        partners[relay] = (f"Structure relais {code} (fictive)", "relais")
        partners[f"cd-{territory}"] = (f"Conseil départemental – {territory} (fictif)",
                                       "departement")
        partners[f"ft-{territory}"] = (f"France Travail – {territory} (fictif)",
                                       "france_travail")
        porteur = f"porteur-{innovation}"
        partners[porteur] = (next(i["porteur"] for i in INNOVATIONS if i["code"] == innovation),
                             "porteur")
        roles += [{"partner_code": relay, "essaimage_code": code, "role": "Mise en œuvre"},
                  {"partner_code": f"cd-{territory}", "essaimage_code": code,
                   "role": "Cofinanceur"},
                  {"partner_code": porteur, "essaimage_code": code, "role": "Porteur"}]
    # The observatory evaluates the Ajaccio essaimage: it reports there, and may settle there.
    roles.append({"partner_code": "observatoire-emploi", "essaimage_code": "cj-ajaccio",
                  "role": "Évaluation"})
    return ([{"code": c, "name": n, "type": t} for c, (n, t) in sorted(partners.items())], roles)


def _essaimage_years(code: str, iii: str | None) -> list[str]:
    """Years an essaimage reports: from its Étape III; some years missing; one a year ahead."""
    if iii is None:
        return []
    years = [y for y in YEARS if y >= iii[:4]]
    if code == "gs-lens":
        years = [y for y in years if y not in ("2021", "2023")]  # missing years
    if code == "cj-quimper":
        years = years + [AHEAD_YEAR]  # reports a year ahead of everyone
    return years


def _values(rng: random.Random) -> list[dict]:
    rows = []

    def put(indicator, territory, essaimage, year, value, partner, source):
        rows.append({"indicator_code": indicator, "territory_code": territory,
                     "essaimage_code": essaimage, "period": year, "value": round(value, 1),
                     "partner_code": partner, "source": source})

    for code, _innovation, territory, _stage, dates in ESSAIMAGES:
        relay = f"relais-{code}"
        for year in _essaimage_years(code, dates[3]):
            report = f"Bilan {year} – relais {code}"
            enrolled = rng.randint(20, 90)
            back = round(enrolled * rng.uniform(0.2, 0.5))
            put("nb_inscrits", territory, code, year, enrolled, relay, report)
            put("acces_emploi_6m", territory, code, year, rng.uniform(20, 55), relay, report)
            put("retours_emploi", territory, code, year, back, relay, report)
            put("heures_benevoles", territory, code, year, rng.randint(100, 900), relay, report)
            put("satisfaction_5", territory, code, year, rng.uniform(2.8, 4.6), relay, report)
            put("depenses_action", territory, code, year, round(enrolled * rng.uniform(900, 2500),
                                                                -2), relay, report)
            put("delai_acces_jours", territory, code, year, rng.uniform(8, 50), relay, report)
            put("part_jeunes_accueillis", territory, code, year, rng.uniform(10, 60), relay,
                report)
    # France Travail counts fewer returns to work at Lens in 2020: the relay's report counts.
    put("retours_emploi", "lens", "gs-lens", "2020", 3, "ft-lens", "Extraction France Travail 2020")
    # Two partners, neither designated, disagree on satisfaction at Ajaccio in 2022: contested.
    first = next(r for r in rows if r["essaimage_code"] == "cj-ajaccio"
                 and r["indicator_code"] == "satisfaction_5" and r["period"] == "2022")
    rows.remove(first)
    put("satisfaction_5", "ajaccio", "cj-ajaccio", "2022", 4.4, "porteur-coop_jeunesse",
        "Enquête du porteur 2022")
    put("satisfaction_5", "ajaccio", "cj-ajaccio", "2022", 3.1, "observatoire-emploi",
        "Enquête de l'observatoire 2022")
    # Territory-level outcome everywhere (Gap included: it has no essaimage value).
    for code, *_ in TERRITORIES:
        base = rng.uniform(25, 60)
        for year in YEARS:
            put("inscrits_longue_duree", code, None, year,
                base - 0.8 * (int(year) - 2019) + rng.gauss(0, 1.0), f"cd-{code}",
                f"Observatoire départemental {year}")
    put("inscrits_longue_duree", "lens", None, "2022", 61.0, "ft-lens",
        "France Travail – statistiques 2022")  # disagrees; the Département's report counts
    return rows


def dataset_rows(seed: int = SEED) -> dict[str, list[dict]]:
    """Every table of the second dataset as rows of plain values."""
    rng = random.Random(seed)
    partners, roles = _partners()
    stage_columns = ["date_etape_0", "date_etape_i", "date_etape_ii", "date_etape_iii",
                     "date_etape_iv"]
    import datetime as dt

    def date(text):
        return dt.date.fromisoformat(text) if text else None

    essaimages = [{"code": code, "innovation_code": innovation, "territory_code": territory,
                   "relay": f"Structure relais {code} (fictive)", "start_date": date(dates[0]),
                   "stage": stage, **{c: date(d) for c, d in zip(stage_columns, dates)}}
                  for code, innovation, territory, stage, dates in ESSAIMAGES]
    territories = [{"code": c, "name": n, "scale": s, "insee_commune": i, "siren_epci": e,
                    "qpv": q} for c, n, s, i, e, q in TERRITORIES]
    indicators = [{"measure": MEASURES[i["unit"]],
                   "counted_population": POPULATIONS.get(i["code"], "beneficiaires"), **i}
                  for i in INDICATORS]
    verbatims = [{"essaimage_code": "gs-lozere", "period": "2023", "speaker": "Usager",
                  "theme": "mobilité", "text": "Sans la voiture réparée, pas d'embauche à 30 km."},
                 {"essaimage_code": "ei-saint-laurent", "period": "2024", "speaker": "Salariée",
                  "theme": "emploi", "text": "J'ai appris la caisse et la gestion des stocks."},
                 {"essaimage_code": "cj-ajaccio", "period": "2022", "speaker": "Jeune",
                  "theme": "bien-être", "text": "On a monté notre coopérative, ça donne confiance."}]
    return {"innovations": INNOVATIONS, "territories": territories, "essaimages": essaimages,
            "partners": partners, "partner_roles": roles, "indicators": indicators,
            "indicator_values": _values(rng), "verbatims": verbatims}


def write_import_files(directory: Path, seed: int = SEED) -> dict[str, Path]:
    """The dataset as the import templates' CSV files (French headings and cells)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, rows in dataset_rows(seed).items():
        spec = SPECS[table]
        path = directory / f"{spec.file_name}.csv"
        path.write_bytes(spec_frame(spec, rows).to_csv(index=False, sep=";").encode("utf-8-sig"))
        written[table] = path
    return written


def import_second_dataset(url: str, directory: Path) -> int:
    """Fill an empty store with the second dataset (tests/second_dataset.py), through the
    importer as ANSA's files would go; returns the dataset id."""
    from essaim.data.dataset import Dataset
    from essaim.data.reference import load_communes, load_departements
    from essaim.explorer.geo import load_geojson
    from essaim.imports import importer

    files = write_import_files(directory)
    result = importer.validate_files({p.name: p.read_bytes() for p in files.values()},
                                     Dataset.empty(), load_communes(), load_departements(),
                                     load_geojson("departements-web.geojson"))
    if result.errors:
        raise ValueError("Le jeu d'essai ne passe pas l'import : " + "; ".join(map(str, result.errors)))
    from essaim.data import store

    engine = store.open_store(url, seed=False)
    try:
        # Its unusual values (the territory a year ahead, the outliers it holds on purpose) are
        # confirmed, as ANSA would after checking them.
        return importer.commit_import(engine, result, Dataset.empty(), who="Tests",
                                      label="Jeu d'essai (fictif, différent de la démonstration)",
                                      confirm_unusual=True)
    finally:
        engine.dispose()



if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "second_dataset")
    for table, path in write_import_files(target).items():
        print(f"{table}: {path}")
