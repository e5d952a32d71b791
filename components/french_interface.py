"""French for the interface strings of the libraries Essaim draws with: Streamlit's own labels,
plotly's chart toolbar, Leaflet's controls.

Leaflet's strings are set through its public options (components/assets/territory_map.js reads
MAP_STRINGS). Streamlit (1.67) and the plotly bundled in it offer no locale: their English
labels, tooltips and hints are relabelled in the browser, in this one place, by a small script
run with `st.html(..., unsafe_allow_javascript=True)` (a public API). It also sets the page
language to French, gives the sidebar navigation valid list markup (axe-core: list, listitem)
and hides decorative icons from screen readers. tests/test_accessibility.py pins the result:
no English text, title or aria-label on any page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"

# Leaflet and the map's own controls (read by components/assets/territory_map.js).
MAP_STRINGS = {
    "zoomIn": "Zoom avant",
    "zoomOut": "Zoom arrière",
    "reset": "France entière",
    "resetShort": "France",
    "resetTitle": "Revenir à la vue de la France entière",
    "attribution": "Contours IGN Admin Express ; statistiques INSEE, DREES",
    "attributionShort": "IGN, INSEE, DREES",
    "osmAttribution": "© contributeurs OpenStreetMap",
    "cluster": "Groupe de {n} territoires : {names}. Entrée pour zoomer",
    "insetTitle": "Centrer la carte sur {name}",
    "frameTitle": "Carte interactive des territoires de l'accélérateur",
    "tableLink": "Valeurs en tableau",
    "tableLinkShort": "Tableau",
    "tableLinkTitle": "Aller au tableau des valeurs par département, sous la carte",
}

# Whole strings, as Streamlit or plotly write them (visible text, aria-label, title, placeholder,
# plotly's data-title).
EXACT = {
    # Streamlit: page frame, sidebar, toolbar, status
    "Skip to main content": "Aller au contenu principal",
    "Collapse sidebar": "Replier le menu latéral",
    "Expand sidebar": "Déplier le menu latéral",
    "Sidebar": "Menu latéral",
    "App pages": "Pages de l'application",
    "Main menu": "Menu principal",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Rerun": "Relancer",
    "Notifications": "Notifications",
    "Navigate to home page": "Aller à l'accueil",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants",
    "Close": "Fermer",
    "Copy": "Copier",
    "Cancel": "Annuler",
    "Try again": "Réessayer",
    "Link to heading": "Lien vers ce titre",
    "Fullscreen": "Plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "View fullscreen": "Voir en plein écran",
    # Connection
    "Connection error": "Connexion perdue",
    "Connecting": "Connexion…",
    "Connection lost. Please wait for the app to reconnect, then try again.":
        "Connexion perdue : patientez pendant la reconnexion, puis réessayez.",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "Le serveur d'Essaim ne répond plus. La page se reconnectera dès qu'il sera revenu.",
    "Are you connected to the internet?": "Le serveur d'Essaim ne répond pas.",
    "Streamlit server is not responding. Are you connected to the internet?":
        "Le serveur d'Essaim ne répond plus. La page se reconnectera dès qu'il sera revenu.",
    "streamlit run yourscript.py": "streamlit run app.py",
    # Selects and inputs
    "Choose an option": "Choisissez",
    "Choose options": "Choisissez",
    "Select...": "Choisissez…",
    "Select all": "Tout sélectionner",
    "Deselect all": "Tout désélectionner",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear entry": "Effacer",
    "Open": "Ouvrir la liste",
    "Selected values": "Valeurs choisies",
    "No results": "Aucun résultat",
    "Press Enter to apply": "Entrée pour valider",
    "Press Enter to submit form": "Entrée pour envoyer le formulaire",
    "Press Ctrl+Enter to apply": "Ctrl+Entrée pour valider",
    "Press ⌘+Enter to apply": "⌘+Entrée pour valider",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    # File uploader
    "Drag and drop file here": "Glissez un fichier ici",
    "Drag and drop files here": "Glissez des fichiers ici",
    "Browse files": "Choisir un fichier",
    "Upload": "Envoyer",
    "Add files": "Ajouter des fichiers",
    "Remove file": "Retirer le fichier",
    "file upload": "Envoi de fichier",
    # Tables
    "Search": "Rechercher",
    "Close Search": "Fermer la recherche",
    "Next Result": "Résultat suivant",
    "Previous Result": "Résultat précédent",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger (CSV)",
    # A download button whose file is prepared on the click (deferred)
    "Failed to generate file for download": "Le fichier n'a pas pu être préparé : réessayez.",
    "Download failed": "Le téléchargement a échoué : réessayez.",
    "Deferred download not properly configured": "Le fichier n'a pas pu être préparé : réessayez.",
    "Dataframe column menu": "Menu de la colonne",
    "Sort ascending": "Tri croissant",
    "Sort descending": "Tri décroissant",
    "Copy column name": "Copier le nom de la colonne",
    "Hide column": "Masquer la colonne",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Autosize": "Largeur automatique",
    "Format": "Format",
    "No data": "Aucune donnée",
    "No content": "Aucun contenu",
    "Clear selection": "Effacer la sélection",
    # Tables: the column menu's statistics, formats and column kinds
    "Statistics": "Statistiques",
    "Values": "Valeurs",
    "Empty": "Vides",
    "Distinct": "Distinctes",
    "Minimum length": "Longueur minimale",
    "Maximum length": "Longueur maximale",
    "Average length": "Longueur moyenne",
    "Average": "Moyenne",
    "Median": "Médiane",
    "Sum": "Somme",
    "Standard deviation": "Écart type",
    "25th percentile": "1er quartile",
    "75th percentile": "3e quartile",
    "Range": "Étendue",
    "Count": "Nombre",
    "Based on sample": "Sur un échantillon",
    "Top values frequency chart": "Valeurs les plus fréquentes",
    "Distribution histogram": "Histogramme de la distribution",
    "True/false distribution chart": "Répartition vrai / faux",
    "Automatic": "Automatique",
    "Localized": "Selon la langue",
    "Plain": "Brut",
    "Scientific": "Scientifique",
    "Percent": "Pourcentage",
    "Accounting": "Comptabilité",
    "Calendar": "Calendrier",
    "Duration": "Durée",
    "Rename": "Renommer",
    "Edit": "Modifier",
    "Add row": "Ajouter une ligne",
    "Delete row(s)": "Supprimer les lignes",
    "Cancel (Escape)": "Annuler (Échap)",
    "text": "texte",
    "number": "nombre",
    "checkbox": "case à cocher",
    "selectbox": "liste de choix",
    "list": "liste",
    "datetime": "date et heure",
    "date": "date",
    "time": "heure",
    "link": "lien",
    "image": "image",
    "progress": "progression",
    "object": "objet",
    # Unknown address
    "Page not found": "Page introuvable",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Cette page n'existe pas : voici l'accueil d'Essaim.",
    # Plotly's toolbar and notifications
    "Download plot as a PNG": "Télécharger le graphique (PNG)",
    "Download plot as a png": "Télécharger le graphique (PNG)",
    "Download plot": "Télécharger le graphique",
    "Zoom": "Zoom",
    "Pan": "Déplacer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Autoscale": "Échelle automatique",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Reset": "Réinitialiser",
    "Toggle Spike Lines": "Lignes de repère",
    "Show closest data on hover": "Valeur la plus proche au survol",
    "Compare data on hover": "Comparer les valeurs au survol",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    "Orbital rotation": "Rotation orbitale",
    "Turntable rotation": "Rotation",
    "Produced with Plotly.js": "Produit avec Plotly.js",
    "Double-click to zoom back out": "Double-cliquez pour revenir en arrière",
    "Taking snapshot - this may take a few seconds": "Image en cours de préparation…",
}

# Strings with a variable part: (regular expression, replacement with \\1…).
PATTERNS = [
    (r"^Help for (.+)$", r"Aide : \1"),
    (r"^Fullscreen: (.+)$", r"Plein écran : \1"),
    (r"^Remove (.+)$", r"Retirer \1"),
    (r"^Press (.+) to (?:apply|submit form)$", r"\1 pour valider"),
    (r"^(\d+) files? selected$", r"\1 fichier(s) choisi(s)"),
    (r"^Limit (\d+)MB per file(.*)$", r"Limite : \1 Mo par fichier\2"),
    (r"^(\d+)MB per file$", r"\1 Mo par fichier"),
    (r"^(.+) - Streamlit$", r"\1 – Essaim"),
    # Range sliders name their two thumbs.
    (r"^(.+) — start$", r"\1 — début"),
    (r"^(.+) — end$", r"\1 — fin"),
    (r"^Top values frequency chart: (.*)$", r"Valeurs les plus fréquentes : \1"),
    (r"^Distribution histogram: (.*)$", r"Histogramme de la distribution : \1"),
    ((r"^You have requested page /(.*), but no corresponding file was found in the app's "
      r"pages/ directory\. Running the app's main page\.$"),
     r"La page « /\1 » n'existe pas : voici l'accueil d'Essaim."),
]

# The script's CSS part: a visible keyboard focus everywhere, in the app's colours.
FOCUS_CSS = """
:focus-visible { outline: 3px solid #000 !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #fff !important; }
"""


def french_interface_script() -> str:
    """The HTML to pass to `st.html(..., unsafe_allow_javascript=True)` once per page: the
    relabelling script with its dictionaries and the focus style.

    Streamlit sanitises it with DOMPurify, which drops a script whose text holds "<" before a
    letter, "/" or "!" (an mXSS guard): the script and the dictionaries avoid that sequence."""
    script = (ASSETS / "french_interface.js").read_text(encoding="utf-8")
    patterns = [(pattern, re.sub(r"\\(\d)", r"$\1", replacement))  # JavaScript's $1 for \1
                for pattern, replacement in PATTERNS]
    data = json.dumps({"exact": EXACT, "patterns": patterns}, ensure_ascii=False)
    return (f"<style>{FOCUS_CSS}</style>"
            f"<script>window.ESSAIM_FRENCH = {data};\n{script}</script>")
