"""Build the fictional demonstration dataset: 42 real places, 7 innovations, their partners,
indicators over five years, disagreeing partner reports and verbatims.

Deterministic for a given seed; `scripts/generate_demo.py` writes the result into data/demo/,
and a test checks that the committed files are exactly what this module produces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

import pandas as pd

from essaim.data import schema
from essaim.data.demo_spec import (
    DEMO_TAG,
    INDICATORS,
    INNOVATIONS,
    MAGNITUDES,
    PERIODS,
    ROADMAP,
    RSA_YEARLY_EUROS,
    SEED,
    TERRITORY_SPECS,
    TRUE_EFFECTS,
    VERBATIMS,
)
from essaim.data.model import (
    STAGE_ORDER,
    Essaimage,
    IndicatorValue,
    Partner,
    Territory,
)
from essaim.data.reference import load_communes, load_departements
from essaim.data.tables import format_cell


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _partner_code(name: str) -> str:
    return _slug(name.removesuffix(DEMO_TAG))[:80]


def _build_territories(communes: pd.DataFrame, departements: pd.DataFrame) -> list[Territory]:
    by_insee = communes.set_index("code_insee")
    regions = departements.set_index("code_departement")["code_region"]
    territories = []
    for name, scale, code, qpv, _ in TERRITORY_SPECS:
        if scale == "epci":
            members = communes[communes["code_epci"] == code]
            seat = members.sort_values("population_municipale", ascending=False).iloc[0]
            insee, siren = None, code
        else:
            seat = by_insee.loc[code]
            insee, siren = code, seat["code_epci"] if pd.notna(seat["code_epci"]) else None
        departement = seat["code_departement"]
        territories.append(
            Territory(
                code=_slug(name),
                name=name,
                scale=scale,
                insee_commune=insee,
                siren_epci=siren,
                code_departement=departement,
                code_region=regions[departement],
                latitude=round(float(seat["latitude"]), 5),
                longitude=round(float(seat["longitude"]), 5),
                qpv=qpv,
            )
        )
    return territories


def _stage_dates(rng: random.Random, first_year: int, stage: str) -> dict[str, dt.date]:
    day = dt.date(first_year, rng.randint(1, 12), 1) + dt.timedelta(days=rng.randint(0, 27))
    dates = {}
    for code in STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]:
        dates[code] = day
        day = day + dt.timedelta(days=rng.randint(90, 300))
    return dates


def _build_essaimages(rng: random.Random, territories: list[Territory]) -> list[Essaimage]:
    essaimages = []
    counters: dict[str, int] = {}
    for territory, (_, _, _, _, innovation_codes) in zip(territories, TERRITORY_SPECS):
        for innovation in innovation_codes:
            first_year, stages, relay_pattern = ROADMAP[innovation]
            index = counters.get(innovation, 0)
            counters[innovation] = index + 1
            stage = stages[index % len(stages)]
            dates = _stage_dates(rng, first_year + index % 3, stage)
            place = territory.name.split(" (")[0]
            essaimages.append(
                Essaimage(
                    code=f"{innovation}-{territory.code}",
                    innovation_code=innovation,
                    territory_code=territory.code,
                    relay=relay_pattern.format(place=place) + DEMO_TAG,
                    start_date=dates["0"],
                    stage=stage,
                    stage_dates=dates,
                )
            )
    return essaimages


def _build_partners(territories, essaimages, departements) -> tuple[list[Partner], list[dict]]:
    partners: dict[str, Partner] = {}
    roles: list[dict] = []

    def add(name: str, kind: str, essaimage: Essaimage, role: str) -> None:
        code = _partner_code(name)
        partners.setdefault(code, Partner(code, name, kind))
        roles.append({"partner_code": code, "essaimage_code": essaimage.code, "role": role})

    by_code = {t.code: t for t in territories}
    dep_names = departements.set_index("code_departement")["nom_departement"]
    region_names = departements.set_index("code_region")["nom_region"].to_dict()
    porteurs = {i.code: i.porteur for i in INNOVATIONS}
    for e in essaimages:
        territory = by_code[e.territory_code]
        add(e.relay, "relais", e, "Structure relais (mise en œuvre)")
        add(porteurs[e.innovation_code], "porteur", e, "Porteur de l'innovation (formation, outillage)")
        add("ANSA – Accélérateur d'innovation sociale #Emploi", "reseau", e,
            "Animation de l'essaimage et évaluation")
        add("DGEFP", "etat", e, "Financeur national")
        add(f"France Travail – {region_names[territory.code_region]}", "france_travail", e,
            "Prescripteur et partage des données")
        if e.innovation_code in ("tapaj", "jeuness_creative"):
            add(f"Mission locale de {territory.name.split(' (')[0]}", "mission_locale", e,
                "Prescripteur jeunes")
        if e.innovation_code in ("rallyes", "soleni", "lieu_ressource") or territory.code_departement in (
            "33", "79", "974", "69"
        ):
            add(f"Département – {dep_names[territory.code_departement]}", "departement", e,
                "Cofinanceur (insertion des allocataires du RSA)")
        if territory.code_region in ("75", "76", "84", "24", "32", "04"):
            add(f"Région {region_names[territory.code_region]}", "region", e,
                "Cofinanceur (formation professionnelle)")
        if territory.qpv:
            add("ANCT (politique de la ville)", "etat", e, "Appui quartiers prioritaires")
        if e.innovation_code == "parcours_gardien":
            add(f"Bailleur social {territory.name.split(' –')[0]} Habitat{DEMO_TAG}", "entreprise", e,
                "Employeur et lieu de formation")
            add("CNLRQ (régies de quartier)", "reseau", e, "Réseau d'appui")
        if e.innovation_code in ("vita_air", "rallyes"):
            add(f"Club d'entreprises {territory.name.split(' (')[0]}{DEMO_TAG}", "entreprise", e,
                "Entreprises accueillantes")
            add("COORACE", "reseau", e, "Réseau d'appui")
        if e.innovation_code in ("tapaj", "lieu_ressource"):
            add("Fédération des acteurs de la solidarité", "reseau", e, "Réseau d'appui")
        if e.innovation_code in ("tapaj", "parcours_gardien", "rallyes"):
            add("PRO BTP", "financeur", e, "Financeur privé")
        if e.innovation_code in ("vita_air", "soleni", "lieu_ressource", "jeuness_creative"):
            add("AG2R La Mondiale", "financeur", e, "Financeur privé")
        if e.stage == "IV":
            add("Institut Godin", "recherche", e, "Évaluation qualitative")
        if territory.scale in ("commune", "arrondissement", "qpv"):
            add(f"Ville de {territory.name.split(' (')[0].split(' –')[0]}", "collectivite", e,
                "Pilotage local et mise à disposition de locaux")
        elif territory.scale == "epci":
            add(territory.name, "collectivite", e, "Pilotage intercommunal")
    return sorted(partners.values(), key=lambda p: p.code), roles


def _essaimage_values(rng: random.Random, e: Essaimage, territory: Territory, partner_of_relay: str):
    """Yearly indicator values reported for one essaimage, from the year it reached Étape III."""
    values = []
    ansa = _partner_code("ANSA – Accélérateur d'innovation sociale #Emploi")
    (ben_lo, ben_hi), (exit_lo, exit_hi), (ent_lo, ent_hi), (cost_lo, cost_hi) = MAGNITUDES[
        e.innovation_code
    ]
    scale = rng.uniform(0.7, 1.3)
    running_from = e.stage_dates.get("III")
    for period in PERIODS:
        year = int(period)
        report = f"Rapport d'activité {period} – {e.relay}"

        def put(code: str, value: float, partner: str = partner_of_relay, source: str = report,
                period: str = period):
            values.append(IndicatorValue(code, territory.code, e.code, period, round(value, 1),
                                         partner, source))

        if e.stage_dates["0"].year <= year:
            put("partenaires_gouvernance", rng.randint(3, 6) + 2 * min(year - e.stage_dates["0"].year, 3))
            put("comites_pilotage", rng.randint(1, 4))
            put("appropriation", max(1, min(5, 1 + STAGE_ORDER.index(e.stage) * 0.8
                                            + rng.uniform(-0.5, 0.5))), partner=ansa,
                source=f"Auto-évaluation accompagnée ANSA {period}")
        if running_from is None or running_from.year > year:
            continue
        years_running = year - running_from.year
        growth = 1 + 0.15 * years_running
        beneficiaries = max(5, round(rng.uniform(ben_lo, ben_hi) * scale * growth))
        exit_rate = rng.uniform(exit_lo, exit_hi) * (1 + 0.04 * years_running)
        exits = round(beneficiaries * exit_rate)
        cost = rng.uniform(cost_lo, cost_hi)
        put("beneficiaires", beneficiaries)
        put("sorties_emploi", exits)
        put("taux_sortie_emploi", 100 * exits / beneficiaries)
        put("emploi_durable", rng.uniform(35, 60))
        put("entreprises_mobilisees", round(rng.uniform(ent_lo, ent_hi) * scale))
        put("entrees_formation", round(beneficiaries * rng.uniform(0.08, 0.25)))
        if e.innovation_code == "tapaj":
            put("heures_travaillees", beneficiaries * 4 * rng.randint(8, 30))
        elif e.innovation_code in ("parcours_gardien", "vita_air"):
            put("heures_travaillees", beneficiaries * rng.randint(150, 420))
        survey = f"Enquête bénéficiaires {period} (questionnaire ANSA)"
        put("bien_etre", min(9.5, rng.uniform(5.4, 6.8) + 0.3 * years_running), source=survey)
        put("confiance", rng.uniform(55, 85), source=survey)
        if e.innovation_code in ("tapaj", "lieu_ressource"):
            put("acces_soins", rng.uniform(40, 80), source=survey)
            put("logement_stabilise", rng.uniform(20, 55), source=survey)
            put("hospitalisations_evitees", round(beneficiaries * rng.uniform(0.5, 1.5)),
                partner=ansa,
                source=f"Estimation ANSA {period} (coûts unitaires DREES)")
        put("rsa_evite", round(exits * rng.uniform(0.3, 0.5)) * RSA_YEARLY_EUROS, partner=ansa,
            source=f"Estimation ANSA {period} (montant annuel moyen du RSA, CNAF)")
        put("cout_par_beneficiaire", cost, source=f"Comptes annuels {period} – {e.relay}")
        put("budget", round(cost * beneficiaries, -2), source=f"Comptes annuels {period} – {e.relay}")
        qpv_share = rng.uniform(80, 100) if e.innovation_code == "parcours_gardien" else rng.uniform(20, 70)
        put("part_qpv", qpv_share if territory.qpv else 0.0)
        young = {"tapaj": (100, 100), "jeuness_creative": (88, 100)}.get(e.innovation_code, (8, 35))
        put("part_moins_26", rng.uniform(*young))
        put("conventions", rng.randint(1, 5))
        put("fidelite_modele", rng.uniform(60, 95), partner=_partner_code(
            next(i.porteur for i in INNOVATIONS if i.code == e.innovation_code)),
            source=f"Grille de fidélité du porteur {period}")
        put("beneficiaires_gouvernance", rng.choice([0, 0, 20, 25, 33, 50, 60]))
        put("professionnels_formes", rng.randint(2, 12))
    return values


def _disagreements(rng: random.Random, values: list[IndicatorValue], partner_codes: dict[str, str]):
    """Second reports by France Travail or the Département that differ from the relay's figures."""
    extra = []
    candidates = sorted(
        {(v.essaimage_code, v.period) for v in values if v.indicator_code == "sorties_emploi"}
    )
    for essaimage_code, period in rng.sample(candidates, 8):
        original = next(
            v for v in values
            if v.essaimage_code == essaimage_code and v.period == period
            and v.indicator_code == "sorties_emploi"
        )
        partner = partner_codes[essaimage_code]
        extra.append(dataclasses.replace(
            original,
            value=round(original.value * rng.uniform(0.65, 0.9)),
            partner_code=partner,
            source=f"France Travail – extraction du fichier historique {period}",
        ))
    return extra


def _territory_values(rng: random.Random, territories, essaimages, departements, partner_codes):
    """Long-term job seekers per 1,000 inhabitants for every territory, every period."""
    unemployment = departements.set_index("code_departement")["taux_chomage_t4_2024_pct"]
    started: dict[str, int] = {}
    for e in essaimages:
        if "III" in e.stage_dates:
            year = e.stage_dates["III"].year
            started[e.territory_code] = min(year, started.get(e.territory_code, year))
    values = []
    for t in territories:
        rate = unemployment.get(t.code_departement)
        base = (rate if pd.notna(rate) else 20.0) * 4.2 + rng.uniform(-4, 4)
        for period in PERIODS:
            year = int(period)
            trend = -1.2 * (year - 2018) + (2.5 if year == 2020 else 0.0)
            running = t.code in started and year >= started[t.code]
            effect = TRUE_EFFECTS["deld_1000"](year - started[t.code]) if running else 0
            values.append(IndicatorValue(
                "deld_1000", t.code, None, period, round(base + trend + effect + rng.gauss(0, 0.6), 1),
                partner_codes[t.code], f"France Travail – statistiques territoriales au 31/12/{period}",
            ))
    return values


def _records(items) -> list[dict]:
    return [dataclasses.asdict(item) for item in items]


def generate_demo_tables(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Every dataset table of the demo, as frames of text cells ready to be written as CSV."""
    rng = random.Random(seed)
    communes, departements = load_communes(), load_departements()
    territories = _build_territories(communes, departements)
    essaimages = _build_essaimages(rng, territories)
    partners, roles = _build_partners(territories, essaimages, departements)
    by_territory = {t.code: t for t in territories}
    relay_partner = {e.code: _partner_code(e.relay) for e in essaimages}
    france_travail = {r["essaimage_code"]: r["partner_code"] for r in roles
                      if r["partner_code"].startswith("france-travail")}
    values = []
    for e in essaimages:
        values += _essaimage_values(rng, e, by_territory[e.territory_code], relay_partner[e.code])
    values += _disagreements(rng, values, france_travail)
    ft_by_territory = {e.territory_code: france_travail[e.code] for e in essaimages}
    values += _territory_values(rng, territories, essaimages, departements, ft_by_territory)
    verbatims = []
    for e in essaimages:
        if "III" not in e.stage_dates:
            continue
        for speaker, theme, text in rng.sample(VERBATIMS, 3):
            verbatims.append({
                "essaimage_code": e.code, "period": rng.choice(PERIODS[-3:]),
                "speaker": speaker, "theme": theme, "text": text,
            })
    essaimage_rows = []
    for e in essaimages:
        row = {k: v for k, v in dataclasses.asdict(e).items() if k != "stage_dates"}
        for code in STAGE_ORDER:
            row[f"date_etape_{code.lower()}"] = e.stage_dates.get(code)
        essaimage_rows.append(row)
    records = {
        "innovations": _records(INNOVATIONS),
        "territories": _records(territories),
        "essaimages": essaimage_rows,
        "partners": _records(partners),
        "partner_roles": roles,
        "indicators": _records(INDICATORS),
        "indicator_values": _records(values),
        "verbatims": verbatims,
    }
    frames = {}
    for name, rows in records.items():
        columns = schema.dataset_columns(schema.DATASET_TABLES[name])
        frames[name] = pd.DataFrame(
            [[format_cell(row.get(c)) for c in columns] for row in rows], columns=columns
        )
    return frames


def write_demo_files(directory: Path, seed: int = SEED) -> dict[str, int]:
    """Write the demo CSV files into `directory`; returns the row count of each table."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, frame in generate_demo_tables(seed).items():
        frame.to_csv(directory / f"{name}.csv", index=False, lineterminator="\n")
        counts[name] = len(frame)
    return counts
