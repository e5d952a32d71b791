"""The pages of Essaim, in one list: group, file, French title, icon and address. app.py builds
the navigation from it, links strip page addresses with it, and a test checks that the README's
page table says the same."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    group: str
    file: str  # in pages/
    title: str
    icon: str
    url_path: str  # "" for the home page


SITE_MAP: tuple[PageSpec, ...] = (
    PageSpec("Explorer", "accueil.py", "Accueil", ":material/home:", ""),
    PageSpec("Explorer", "carte.py", "Carte des territoires", ":material/map:", "carte"),
    PageSpec("Explorer", "territoire.py", "Mon territoire", ":material/location_on:", "territoire"),
    PageSpec("Explorer", "comparer.py", "Comparer les indicateurs", ":material/compare:",
             "comparer"),
    PageSpec("Animer un atelier", "animer.py", "Animer un atelier", ":material/groups:",
             "animer"),
    PageSpec("Animer un atelier", "projection.py", "Projection de l'atelier",
             ":material/co_present:", "projection"),
    PageSpec("Animer un atelier", "participer.py", "Participer", ":material/smartphone:",
             "participer"),
    PageSpec("Préparer une restitution", "restitution.py", "Préparer une restitution",
             ":material/description:", "restitution"),
    PageSpec("Données", "sources.py", "Sources des données", ":material/menu_book:", "sources"),
    PageSpec("Données", "donnees.py", "Gérer les données", ":material/admin_panel_settings:",
             "donnees"),
    PageSpec("Données", "partenaire.py", "Espace partenaire", ":material/handshake:",
             "partenaire"),
)


def page_paths() -> list[str]:
    """The addresses of every page but the home page ("carte", "territoire"…)."""
    return [page.url_path for page in SITE_MAP if page.url_path]
