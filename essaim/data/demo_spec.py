"""What the demonstration dataset is made of: the innovations (public facts, INNOVATIONS.md), the
42 places, the roadmap, the orders of magnitude, the indicators with their roles and the
verbatims. essaim.data.demo_generator draws the dataset from it."""

from __future__ import annotations

from essaim.data.model import (
    IndicatorDefinition,
    Innovation,
)

SEED = 2018
PERIODS = ["2018", "2019", "2020", "2021", "2022"]
DEMO_TAG = " (données fictives)"

INNOVATIONS = [
    Innovation(
        "tapaj", "TAPAJ", "TAPAJ France",
        "Jeunes de 16 à 25 ans en errance, souvent avec des conduites addictives",
        "Travail alternatif payé à la journée : des missions courtes (environ 4 heures), payées le "
        "jour même, comme première marche vers l'accompagnement et l'emploi.",
        founded_year=2012,
    ),
    Innovation(
        "vita_air", "VITA Air", "ISAGroupe / Air Services",
        "Personnes en insertion et petites entreprises du territoire",
        "Un diagnostic RH gratuit de l'entreprise, puis la mise en relation avec des personnes en "
        "parcours d'insertion pour répondre à ses besoins.",
        founded_year=2005,
    ),
    Innovation(
        "parcours_gardien", "Parcours Gardien", "Interm'Aide Emploi",
        "Demandeurs d'emploi, notamment des quartiers prioritaires",
        "Former des demandeurs d'emploi au métier de gardien d'immeuble avec les bailleurs "
        "sociaux, jusqu'au recrutement.",
    ),
    Innovation(
        "rallyes", "Rallyes pour l'emploi", "Fédération nationale des CREPI",
        "Demandeurs d'emploi de longue durée",
        "Des équipes de demandeurs d'emploi visitent des entreprises pendant plusieurs "
        "demi-journées pour découvrir des métiers et se faire connaître.",
    ),
    Innovation(
        "soleni", "SOLENI", "Réseau SOLENI",
        "Demandeurs d'emploi de longue durée",
        "Un accompagnement vers l'emploi porté par un réseau de structures relais formées à la "
        "méthode.",
    ),
    Innovation(
        "lieu_ressource", "Lieu Ressource emploi-formation", "LAHSO",
        "Personnes hébergées ou mal logées éloignées de l'emploi",
        "Un lieu ressource qui réunit emploi, formation, logement et santé pour décloisonner "
        "l'accompagnement.",
    ),
    Innovation(
        "jeuness_creative", "Jeun'ESS Créative", "Collectif Jeun'ESS Créative",
        "Jeunes de moins de 30 ans porteurs d'un projet",
        "Accompagner des jeunes vers l'emploi par la création d'activités dans l'économie "
        "sociale et solidaire.",
    ),
]

# (territory name, scale, INSEE commune code or EPCI SIREN, QPV present, innovations)
TERRITORY_SPECS = [
    ("Bordeaux", "commune", "33063", True, ["tapaj"]),
    ("Toulouse", "commune", "31555", True, ["tapaj"]),
    ("Marseille", "commune", "13055", True, ["tapaj"]),
    ("Paris 19e", "arrondissement", "75119", True, ["tapaj"]),
    ("Lille", "commune", "59350", True, ["tapaj"]),
    ("Strasbourg", "commune", "67482", True, ["tapaj"]),
    ("Rennes", "commune", "35238", True, ["tapaj"]),
    ("Nantes", "commune", "44109", True, ["tapaj"]),
    ("Montpellier", "commune", "34172", True, ["tapaj"]),
    ("Saint-Denis (La Réunion)", "commune", "97411", True, ["tapaj"]),
    ("Grenoble", "commune", "38185", True, ["tapaj", "lieu_ressource"]),
    ("Parthenay-Gâtine", "epci", "200041333", False, ["vita_air"]),
    ("Niort", "commune", "79191", True, ["vita_air"]),
    ("Poitiers", "commune", "86194", True, ["vita_air"]),
    ("Angoulême", "commune", "16015", True, ["vita_air"]),
    ("La Rochelle", "commune", "17300", True, ["vita_air"]),
    ("Bordeaux Métropole", "epci", "243300316", True, ["parcours_gardien"]),
    ("Villeurbanne", "commune", "69266", True, ["parcours_gardien", "lieu_ressource"]),
    ("Lormont – Génicart", "qpv", "33249", True, ["parcours_gardien"]),
    ("Vaulx-en-Velin – Grande Île", "qpv", "69256", True, ["parcours_gardien"]),
    ("Fort-de-France", "commune", "97209", True, ["parcours_gardien"]),
    ("Saint-Denis (Seine-Saint-Denis)", "commune", "93066", True, ["parcours_gardien"]),
    ("Orléans Métropole", "epci", "244500468", True, ["rallyes"]),
    ("Tours", "commune", "37261", True, ["rallyes"]),
    ("Dijon", "commune", "21231", True, ["rallyes"]),
    ("Clermont-Ferrand", "commune", "63113", True, ["rallyes"]),
    ("Reims", "commune", "51454", True, ["rallyes"]),
    ("Amiens", "commune", "80021", True, ["rallyes"]),
    ("Pointe-à-Pitre", "commune", "97120", True, ["rallyes"]),
    ("Roubaix", "commune", "59512", True, ["soleni"]),
    ("Mulhouse", "commune", "68224", True, ["soleni"]),
    ("Saint-Étienne", "commune", "42218", True, ["soleni"]),
    ("Limoges", "commune", "87085", True, ["soleni"]),
    ("Cayenne", "commune", "97302", True, ["soleni"]),
    ("Lyon 8e", "arrondissement", "69388", True, ["lieu_ressource"]),
    ("Vénissieux", "commune", "69259", True, ["lieu_ressource"]),
    ("Valence", "commune", "26362", True, ["lieu_ressource"]),
    ("Mamoudzou", "commune", "97611", True, ["jeuness_creative"]),
    ("Le Port", "commune", "97407", True, ["jeuness_creative"]),
    ("Besançon", "commune", "25056", True, ["jeuness_creative"]),
    ("Brest", "commune", "29019", True, ["jeuness_creative"]),
    ("Perpignan", "commune", "66136", True, ["jeuness_creative"]),
]

# Per innovation: year of identification, the stages its essaimages reach, and relay naming.
ROADMAP = {
    "tapaj": (2016, ["III", "III", "IV", "IV"], "Association {place} Prévention Jeunes"),
    "vita_air": (2015, ["IV"], "Association intermédiaire {place} Services"),
    "parcours_gardien": (2016, ["IV", "IV", "III"], "Régie de quartier {place}"),
    "rallyes": (2017, ["III", "IV", "IV"], "CREPI {place}"),
    "soleni": (2017, ["III", "III", "II"], "Plateforme emploi {place}"),
    "lieu_ressource": (2017, ["III", "IV", "II"], "Lieu ressource emploi-formation {place}"),
    "jeuness_creative": (2018, ["0", "I", "I", "II", "III"], "Pôle ESS {place}"),
}

# Yearly magnitudes per innovation: beneficiaries, exit rate to employment, companies mobilised,
# cost per beneficiary (euros).
MAGNITUDES = {
    "tapaj": ((25, 60), (0.15, 0.30), (5, 15), (2500, 4000)),
    "vita_air": ((40, 90), (0.40, 0.60), (15, 40), (800, 1500)),
    "parcours_gardien": ((12, 25), (0.55, 0.75), (3, 8), (6000, 9000)),
    "rallyes": ((50, 150), (0.30, 0.50), (20, 60), (300, 600)),
    "soleni": ((30, 80), (0.30, 0.45), (10, 25), (1500, 2500)),
    "lieu_ressource": ((80, 200), (0.25, 0.40), (10, 20), (1000, 2000)),
    "jeuness_creative": ((15, 40), (0.35, 0.50), (5, 12), (1200, 2000)),
}

RSA_YEARLY_EUROS = 6_600  # order of magnitude of a year of RSA for a single person

# The effects built into the demo (demo_generator), so that tests check the estimators against
# them: outcome → its effect k years after an innovation of the accelerator reached Étape III in
# the territory (k = 0 the year it did). Long-term job seekers fall by 2 per 1 000 inhabitants for
# each year running, whichever innovation it is.
TRUE_EFFECTS = {"deld_1000": lambda years_running: -2.0 * (years_running + 1)}
TRUE_EFFECT_STAGE = "III"

# Who each indicator counts (the « population comptée » column); the others count beneficiaries.
COUNTED_POPULATIONS = {
    "deld_1000": "habitants",
    **dict.fromkeys(["entreprises_mobilisees", "rsa_evite", "budget", "partenaires_gouvernance",
                     "comites_pilotage", "conventions", "appropriation", "fidelite_modele",
                     "beneficiaires_gouvernance", "professionnels_formes"], "autre"),
}

def _indicator(code, label, unit, direction, family, standard, definition, *, roles=(),
               measure=None, **extra) -> IndicatorDefinition:
    from essaim.data.roles import format_roles
    from essaim.numbers.measures import infer_measure

    extra.setdefault("counted_population", COUNTED_POPULATIONS.get(code, "beneficiaires"))
    return IndicatorDefinition(code, label, unit, direction, family, standard, definition,
                               measure=measure or infer_measure(unit), roles=format_roles(roles),
                               **extra)


# The roles reproduce the accelerator's reading of its figures: key figures, the beneficiaries
# and budget denominators, unit costs of the avoided-costs estimate, and the criteria of the
# default evaluation grid with the weights, targets and thresholds of the national days.
INDICATORS = [
    _indicator("beneficiaires", "Bénéficiaires accompagnés", "personnes", "up", "emploi", True,
               "Personnes entrées dans le dispositif au cours de l'année.",
               roles=("key_figure", "beneficiaries")),
    _indicator("sorties_emploi", "Sorties vers l'emploi", "personnes", "up", "emploi", True,
               "Personnes en emploi (tout contrat) à la sortie du dispositif.",
               roles=("key_figure", "avoided_cost"),
               avoided_cost_label="RSA non versé après une sortie vers l'emploi (par an)",
               unit_cost_euros=7_600.0, unit_cost_share_pct=40.0, benefit_years=2,
               declared_counterpart="rsa_evite",
               unit_cost_source="Montant forfaitaire du RSA pour une personne seule (≈ 635 €/mois, "
                                "barème 2024, CAF) ; part d'allocataires parmi les sorties : "
                                "hypothèse à ajuster localement"),
    _indicator("taux_sortie_emploi", "Taux de sortie vers l'emploi", "%", "up", "emploi", True,
               "Sorties vers l'emploi rapportées aux bénéficiaires sortis dans l'année.",
               roles=("key_figure", "grid_criterion"), grid_weight=12.0, grid_target=40.0,
               grid_threshold=20.0,
               perverse_effects="Sélectionner les personnes les plus proches de l'emploi "
                                "(écrémage)."),
    _indicator("emploi_durable", "Part des sorties en emploi durable", "%", "up", "emploi", True,
               "CDI, CDD ou intérim de 6 mois et plus, parmi les sorties vers l'emploi.",
               roles=("grid_criterion",), grid_weight=6.0, grid_target=50.0, grid_threshold=30.0,
               perverse_effects="Pousser vers des contrats courts pour afficher des sorties."),
    _indicator("heures_travaillees", "Heures travaillées par les bénéficiaires", "heures", "up",
               "emploi", False, "Heures de travail rémunérées pendant le parcours."),
    _indicator("entreprises_mobilisees", "Entreprises mobilisées", "entreprises", "up", "emploi",
               True, "Entreprises ayant accueilli, visité, diagnostiqué ou recruté.",
               roles=("grid_criterion",), grid_weight=4.0, grid_target=20.0, grid_threshold=5.0),
    _indicator("entrees_formation", "Entrées en formation qualifiante", "personnes", "up",
               "emploi", True, "Bénéficiaires entrés en formation qualifiante.",
               roles=("avoided_cost",),
               avoided_cost_label="Entrée en formation plutôt qu'en indemnisation prolongée "
                                  "(par an)",
               unit_cost_euros=3_000.0, unit_cost_share_pct=25.0, benefit_years=1,
               unit_cost_source="Hypothèse de travail : quatre mois d'allocation évités pour une "
                                "personne sur quatre"),
    _indicator("bien_etre", "Bien-être déclaré", "score /10", "up", "bien_etre", False,
               "Moyenne de l'échelle de satisfaction de vie (0 à 10) en fin de parcours.",
               roles=("key_figure", "grid_criterion"), grid_weight=7.0, grid_target=7.0,
               grid_threshold=5.0, minimum=0.0, maximum=10.0,
               perverse_effects="Ne mesurer que ceux qui restent jusqu'au bout du parcours."),
    _indicator("confiance", "Confiance en soi accrue", "%", "up", "bien_etre", False,
               "Part des bénéficiaires déclarant avoir gagné en confiance en soi.",
               roles=("grid_criterion",), grid_weight=5.0, grid_target=75.0, grid_threshold=50.0),
    _indicator("acces_soins", "Démarches de soins engagées", "%", "up", "bien_etre", False,
               "Part des bénéficiaires ayant engagé un parcours de soins pendant "
               "l'accompagnement.",
               roles=("grid_criterion",), grid_weight=3.0, grid_target=60.0, grid_threshold=30.0),
    _indicator("logement_stabilise", "Situations de logement stabilisées", "%", "up",
               "bien_etre", False, "Part des bénéficiaires dont le logement s'est stabilisé."),
    _indicator("rsa_evite", "Allocations RSA évitées", "€", "up", "couts", False,
               "Sorties vers l'emploi d'allocataires du RSA × montant annuel moyen du RSA.",
               roles=("grid_criterion",), counted_partner_type="reseau", grid_weight=6.0,
               grid_target=150_000.0, grid_threshold=20_000.0),
    _indicator("hospitalisations_evitees", "Journées d'hospitalisation évitées", "jours", "up",
               "couts", False, "Estimation : soins ambulatoires engagés plutôt "
               "qu'hospitalisation.",
               roles=("avoided_cost",), counted_partner_type="reseau",
               avoided_cost_label="Journée d'hospitalisation évitée", unit_cost_euros=1_300.0,
               unit_cost_share_pct=100.0, benefit_years=1,
               unit_cost_source="Ordre de grandeur du coût d'une journée en médecine (ATIH, "
                                "échelle nationale des coûts) ; hypothèse à ajuster"),
    _indicator("cout_par_beneficiaire", "Coût par bénéficiaire", "€", "down", "couts", True,
               "Budget de l'essaimage divisé par le nombre de bénéficiaires.", measure="average",
               roles=("grid_criterion",), grid_weight=6.0, grid_target=1_500.0, grid_threshold=6_000.0,
               perverse_effects="Réduire l'accompagnement des personnes les plus éloignées pour "
                                "baisser le coût."),
    _indicator("budget", "Budget de l'essaimage", "€", "down", "couts", True,
               "Dépenses totales de l'année, toutes sources de financement.", roles=("investment",)),
    _indicator("part_qpv", "Part des bénéficiaires résidant en QPV", "%", "up", "territoire",
               True, "Bénéficiaires domiciliés dans un quartier prioritaire de la ville.",
               roles=("grid_criterion",), grid_weight=6.0, grid_target=50.0, grid_threshold=20.0),
    _indicator("part_moins_26", "Part des bénéficiaires de moins de 26 ans", "%", "up",
               "territoire", True, "Bénéficiaires âgés de moins de 26 ans à l'entrée.",
               reference_statistic="jeunes"),
    _indicator("deld_1000", "Demandeurs d'emploi de longue durée pour 1 000 habitants",
               "‰", "down", "territoire", True,
               "Inscrits depuis plus d'un an (catégories A, B, C) pour 1 000 habitants, "
               "au 31 décembre, sur tout le territoire.",
               roles=("grid_criterion",), counted_partner_type="france_travail", grid_weight=6.0),
    _indicator("partenaires_gouvernance", "Partenaires engagés dans la gouvernance",
               "partenaires", "up", "ecosysteme", False,
               "Structures présentes à au moins un comité de pilotage dans l'année.",
               roles=("grid_criterion",), grid_weight=6.0, grid_target=10.0, grid_threshold=4.0),
    _indicator("comites_pilotage", "Comités de pilotage tenus", "réunions", "up", "ecosysteme",
               False, "Comités de pilotage locaux réunis dans l'année.",
               roles=("grid_criterion",), grid_weight=3.0, grid_target=3.0, grid_threshold=1.0,
               perverse_effects="Multiplier les réunions sans décisions."),
    _indicator("conventions", "Conventions de partenariat signées", "conventions", "up",
               "ecosysteme", False, "Conventions en vigueur au 31 décembre.",
               roles=("grid_criterion",), grid_weight=2.0, grid_target=3.0, grid_threshold=1.0),
    _indicator("appropriation", "Niveau d'appropriation par la structure relais", "niveau 1–5",
               "up", "processus", False,
               "Auto-évaluation co-construite : 1 découverte, 5 innovation intégrée au projet de la "
               "structure.",
               roles=("grid_criterion",), counted_partner_type="reseau", grid_weight=6.0, grid_target=4.0,
               grid_threshold=2.0, minimum=1.0, maximum=5.0),
    _indicator("fidelite_modele", "Fidélité au modèle", "score /100", "up", "processus", False,
               "Part des invariants du modèle respectés, selon la grille du porteur.",
               roles=("grid_criterion",), counted_partner_type="porteur", grid_weight=4.0,
               grid_target=80.0, grid_threshold=60.0, minimum=0.0, maximum=100.0,
               perverse_effects="Figer le modèle au point d'empêcher l'adaptation au territoire."),
    _indicator("beneficiaires_gouvernance", "Place des bénéficiaires dans la gouvernance", "%",
               "up", "processus", False,
               "Part des comités de pilotage où des bénéficiaires étaient présents.",
               roles=("grid_criterion",), grid_weight=4.0, grid_target=30.0, grid_threshold=0.0,
               perverse_effects="Une présence symbolique sans parole réelle."),
    _indicator("professionnels_formes", "Professionnels formés dans la structure relais",
               "personnes", "up", "processus", False,
               "Salariés et bénévoles formés à la méthode dans l'année."),
]

VERBATIMS = [
    ("Jeune accompagné·e", "bien_etre",
     "Être payé le jour même, ça m'a permis de revenir le lendemain. Et puis le surlendemain."),
    ("Jeune accompagné·e", "emploi",
     "Je ne pensais pas retravailler un jour. Aujourd'hui j'ai un contrat de six mois."),
    ("Bénéficiaire", "bien_etre",
     "On m'a écouté avant de me parler de CV. C'est la première fois que ça se passait comme ça."),
    ("Bénéficiaire", "emploi",
     "Visiter les entreprises en équipe, ça enlève la peur. On se sent moins seul face au recruteur."),
    ("Bénéficiaire", "territoire",
     "Sans le bus du matin, je n'aurais pas pu suivre la formation : le quartier est mal desservi."),
    ("Encadrant·e technique", "processus",
     "Il a fallu adapter la méthode à notre public sans perdre ce qui fait sa force."),
    ("Encadrant·e technique", "bien_etre",
     "Les progrès se voient d'abord sur la ponctualité et le sommeil, bien avant l'emploi."),
    ("Directeur·rice de la structure relais", "processus",
     "Le conseil d'administration a hésité, puis la formation avec le porteur a tout débloqué."),
    ("Directeur·rice de la structure relais", "gouvernance",
     "Le comité de pilotage nous oblige à rendre compte, et c'est une bonne chose."),
    ("Élu·e local·e", "gouvernance",
     "Nous voulons des chiffres, mais aussi des histoires : c'est ce qui convainc le conseil municipal."),
    ("Élu·e local·e", "territoire",
     "Ce dispositif touche enfin des habitants que nos services ne voyaient jamais."),
    ("Chargé·e de mission France Travail", "emploi",
     ("Nos chiffres et ceux de l'association ne comptent pas la même chose : il faut se mettre d'accord "
     "sur la définition d'une sortie.")),
    ("Chargé·e de mission France Travail", "gouvernance",
     "Le partage des données tous les trimestres a changé la qualité de nos échanges."),
    ("Employeur partenaire", "emploi",
     "Nous avons recruté deux personnes que nous n'aurions jamais reçues en entretien classique."),
    ("Employeur partenaire", "territoire",
     "Le diagnostic RH nous a fait comprendre que nos besoins étaient mal décrits."),
    ("Bailleur social", "territoire",
     "Les gardiens issus du quartier connaissent les familles : les incivilités ont baissé."),
    ("Financeur", "gouvernance",
     "Nous attendons des objectifs chiffrés dès le départ, mais aussi la mesure des effets pervers."),
    ("Chercheur·e", "processus",
     "L'évaluation doit suivre le processus d'appropriation, pas seulement compter les sorties."),
]
