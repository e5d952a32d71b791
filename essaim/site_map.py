"""The pages of Essaim, in one list: group, file, French title, icon, address and what the page is
for. Adding a page is one entry here plus its file in pages/: app.py builds the navigation from
this list, links and page links find files with `page_file`, the benches and the browser tests
walk it, and the README's page table is written from it (`python -m scripts.update_readme`; a
test checks that the README says the same)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    group: str
    file: str  # in pages/
    title: str
    icon: str
    url_path: str  # "" for the home page
    summary: str  # for whom and for what, as the README's page table says it


SITE_MAP: tuple[PageSpec, ...] = (
    PageSpec('Explorer', 'accueil.py', 'Accueil', ':material/home:', '',
             "Ce qu'est Essaim, les chiffres clés (territoires, innovations, partenaires, "
             "ateliers tenus), les portes d'entrée, l'avancement des essaimages dans la "
             'feuille de route.'),
    PageSpec('Explorer', 'carte.py', 'Carte des territoires', ':material/map:', 'carte',
             "Les 42 territoires, marqueurs colorés par innovation avec l'étape de la "
             "feuille de route ; regroupements qui montrent les innovations qu'ils "
             "contiennent ; l'outre-mer toujours visible en encarts à côté de la "
             'métropole ; fond départemental au choix (chômage, pauvreté, RSA, 15–24 ans, '
             'logements sociaux) avec source, millésime et classes qui ne se chevauchent '
             'pas (« de 4,6 à moins de 6,4 ») ; contours des EPCI ; filtres qui recadrent '
             "la carte ; l'état de la carte (indicateur, filtres, sélection, zoom) dans "
             "l'adresse, pour partager une vue (ce qu'une adresse demande sans que la carte "
             "le connaisse est dit) ; marqueurs atteints au clavier (« Brest — TAPAJ, étape "
             "IV »), groupes qui nomment leurs territoires et leurs innovations ; valeurs "
             'départementales en tableau, reliées à la carte ; export de la carte en image '
             'telle qu\'elle est zoomée, territoires nommés ; tableau téléchargeable ; panneau '
             'de chiffres clés au clic ; sur téléphone, la carte dès le premier écran.'),
    PageSpec('Explorer', 'territoire.py', 'Mon territoire', ':material/location_on:', 'territoire',
             "Le portrait d'un territoire : recherche par nom de territoire, de commune "
             "couverte, d'EPCI (nom officiel, nom d'usage ou ancien nom : « Grand Lyon »), "
             'de département (nom ou numéro), sans accents, ligatures ni majuscules ; une '
             "commune qu'aucun territoire ne couvre est située (département) avec les "
             'territoires les plus proches et leur distance ; ou lien `?territoire=code`. '
             "D'abord les chiffres clés, chacun avec sa période, son évolution, la médiane "
             'des autres territoires et son statut (« accordé », « en désaccord », « source '
             "unique »…) ; puis le détail en onglets : indicateurs, séries, qui fait quoi, "
             'feuille de route, désaccords, impacts indirects, coûts évités, contexte '
             'départemental, et deux territoires côte à côte (`&avec=code`).'),
    PageSpec('Explorer', 'comparer.py', 'Comparer les indicateurs', ':material/compare:', 'comparer',
             'Par partenaire, territoire et innovation (filtres) : normalisation (brut, '
             'pour 100 bénéficiaires, pour 10 000 habitants, écart à la référence '
             'départementale pour la même population ou cible pour les bénéficiaires, en '
             'points), carte de chaleur partenaires × '
             'indicateurs (un message dit pourquoi elle est vide le cas échéant), barres '
             'groupées par partenaire, radar, nuage de points face à une statistique de '
             "référence, chaque graphique avec son titre d'axe, sa source et son tableau "
             '; désaccords entre partenaires et leur statut ; doubles différences '
             "échelonnées face à un groupe de comparaison propre (étude d'événement avec le "
             'nombre de territoires par point, variance did2s de pyfixest, effet '
             'détectable, test des tendances antérieures, sensibilité à une dérive, effet '
             'en personnes face aux bénéficiaires) ; coûts publics évités selon les '
             "conventions du guide SROI (durée par résultat, actualisation dès la première "
             "année, mêmes années pour l'investissement, montants déclarés en regard, "
             'fourchette basse / centrale / haute, par euro investi). La sélection et '
             "l'onglet sont dans l'adresse."),
    PageSpec('Animer un atelier', 'animer.py', 'Animer un atelier', ':material/groups:', 'animer',
             "Pour l'animateur : créer une séance (comptoir, atelier, comité de pilotage "
             "; périmètre ; grille par défaut, reprise d'une séance précédente ou fichier "
             'importé), obtenir le code, le lien et le QR code à projeter, un lien privé '
             "et un code PIN d'animation. Puis éditer la grille, adopter les poids de la "
             'salle ou une proposition, comparer et restaurer les versions, exporter la '
             'grille et son historique (JSON, XLSX), masquer les résultats, clore ou '
             'rouvrir la séance. Ces actions sont vérifiées côté serveur.'),
    PageSpec('Animer un atelier', 'projection.py', "Projection de l'atelier", ':material/co_present:', 'projection',
             "L'écran de la salle (`?seance=CODE`) : participants, poids médians et "
             'désaccords par dimension, classement des essaimages sous la grille actuelle '
             'et sous la proposition de la salle, dernières propositions. Se met à jour '
             'quand la séance change, poussé par le serveur, sans recharger la page ; '
             "l'écran du hall d'une journée nationale (`?journee=CODE`) et la synthèse des "
             'grands témoins (`?journee=CODE&vue=synthese`).'),
    PageSpec('Animer un atelier', 'participer.py', 'Participer', ':material/smartphone:', 'participer',
             'Sur téléphone : rejoindre par code ou QR code, anonymement ou sous '
             'pseudonyme, répartir 100 points, noter la pertinence des critères, proposer '
             'un objectif, un critère ou un effet pervers, commenter. Chaque saisie est '
             "enregistrée sur le serveur avant d'être confirmée ; l'adresse garde "
             "l'identité du participant (rechargement, coupure)."),
    PageSpec('Animer un atelier', 'journee.py', 'Journée nationale', ':material/event:', 'journee',
             "Pour les organisateurs d'une journée nationale : ses salles, ses créneaux et ses "
             'comptoirs en parallèle (chacun une séance avec sa question, ses experts, son grand '
             "témoin, son animation, la grille commune ou la sienne) ; un seul code et un seul QR "
             "code pour toute la journée : chaque téléphone rejoint une fois, voit le programme et "
             "entre dans les comptoirs du créneau en cours, sous le même pseudonyme ; l'écran du "
             "hall (ce qui se passe où, participants en direct) ; la synthèse des grands témoins "
             "(ce que chaque salle a pesé et proposé, où les salles s'accordent ou divergent, "
             "les propositions qui reviennent, les trois lignes de chaque grand témoin), à "
             'projeter en plénière, et sa restitution en diaporama et en PDF.'),
    PageSpec('Préparer une restitution', 'restitution.py', 'Préparer une restitution', ':material/description:', 'restitution',
             "Pour l'équipe de l'ANSA : un diaporama PowerPoint 16:9 et un rapport PDF en "
             "français pour une séance d'atelier (code et PIN, ou administration), une "
             "journée nationale (code et PIN des organisateurs, ou administration), un "
             "territoire, une innovation ou tout l'accélérateur : une page de synthèse "
             "d'abord, chiffres clés avec leurs points de comparaison et leur couverture, "
             'effets indirects et verbatims, désaccords, coûts publics évités par euro investi avec '
             'hypothèses et fourchette, méthode et limites, sources et millésimes ; pour '
             'un atelier, date, durée, participation par rôle, réponses par question, '
             'poids de la salle et leur dispersion, notes de pertinence, propositions '
             'attribuées, versions de la grille et annexe des saisies ; pour une journée, la '
             'synthèse des grands témoins (programme, poids des dimensions comptoir par '
             'comptoir et où les salles s\'accordent ou divergent, propositions qui '
             'reviennent, chaque comptoir avec les lignes de son grand témoin). La synthèse énonce '
             'le constat principal en quelques phrases tirées des données ; chaque chiffre '
             'clé porte son unité, son année, sa couverture et son statut (« accordé », '
             '« en désaccord », « arbitré », « source unique ») et une annexe donne '
             "l'origine de chaque chiffre ; un territoire qui porte plusieurs innovations "
             'est comparé innovation par innovation ; chaque graphique et tableau dit sa '
             'source. Graphiques natifs de PowerPoint (modifiables, étiquettes liées aux '
             'données), PDF accessible (PDF/UA balisé, signets, sommaire au-delà de huit '
             'pages, police DejaVu embarquée), heures de '
             'Paris, noms de fichiers explicites '
             '(`essaim_restitution_atelier_K7M2QX_2026-11-21.pdf`) ; données du périmètre '
             'en XLSX et CSV.'),
    PageSpec('Données', 'sources.py', 'Sources des données', ':material/menu_book:', 'sources',
             'Le jeu de données actif, chaque table téléchargeable, les statistiques de '
             'référence avec leurs sources et millésimes.'),
    PageSpec('Données', 'donnees.py', 'Gérer les données', ':material/admin_panel_settings:', 'donnees',
             'Protégée par mot de passe, en onglets. *Jeux de données* : le jeu actif, '
             'retour à un jeu précédent, exports. *Importer* : modèles de fichiers pour '
             'chaque table (indicateurs avec leurs rôles, innovations, territoires, '
             'essaimages, partenaires et leurs rôles, valeurs, verbatims ; XLSX et CSV, '
             "colonnes en français, ligne d'exemple, feuille d'explications), import de "
             'CSV ou XLSX tels que les produisent les bureaux (`;` ou `,`, virgule '
             'décimale, séparateurs de milliers, UTF-8 avec ou sans BOM, Windows-1252, '
             "UTF-16, dates Excel, feuille et ligne d'en-tête retrouvées par leurs "
             'intitulés), vérification complète avant toute écriture avec la liste des '
             "erreurs par fichier, ligne et colonne, puis ce que l'import change table "
             'par table et une confirmation explicite quand une table perd des lignes ou '
             'contient des valeurs inhabituelles ; import en une transaction, une seule '
             'fois par contenu. *Liens partenaires* : création, expiration, révocation. '
             '*Désaccords entre partenaires* : les fils ouverts ou remis en cause, '
             "l'arbitrage de l'ANSA et sa réouverture, les définitions convenues "
             "localement que l'ANSA peut adopter pour tout l'accélérateur."),
    PageSpec('Données', 'partenaire.py', 'Espace partenaire', ':material/handshake:', 'partenaire',
             "Par le lien privé que l'ANSA remet à un partenaire (sans compte ni courriel, "
             "révocable, avec une date d'expiration ; la clé quitte aussitôt la barre d'adresse) : "
             "ses essaimages et les chiffres de tous les partenaires sur ces essaimages, à côté "
             "des statistiques de référence ; la déclaration de ses propres valeurs (formulaire "
             "qui redit la valeur lue, ou modèle prérempli qui revient tel quel sans erreur ; "
             "mêmes contrôles qu'un import, en une seule passe ; jamais à la place d'un autre "
             "partenaire) ; les fils de désaccord où chacun dit sa définition, commente, propose "
             "une valeur ou une définition commune et donne son accord ; l'historique de ses "
             "déclarations, chacune retirable ou restaurable."),
)


def page_paths() -> list[str]:
    """The addresses of every page but the home page ("carte", "territoire"…)."""
    return [page.url_path for page in SITE_MAP if page.url_path]


def page_file(url_path: str) -> str:
    """The page file Streamlit knows a page by ("pages/territoire.py"), from its address ("" for
    the home page); KeyError for an unknown address."""
    for page in SITE_MAP:
        if page.url_path == url_path:
            return f"pages/{page.file}"
    raise KeyError(url_path)


def readme_page_table() -> str:
    """The README's page table (Markdown), one row per page in the navigation's order."""
    rows = ["| Groupe | Page | Pour qui, pour quoi |", "| --- | --- | --- |"]
    rows += [f"| {page.group} | **{page.title}** | {page.summary} |" for page in SITE_MAP]
    return "\n".join(rows)
