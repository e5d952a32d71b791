"""Every setting Essaim reads from the environment, in one list: (name, default, help).

A test checks that each one is documented in the README, so configuration cannot drift.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from essaim.paths import VAR_DIR


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = [
    Setting(
        "DATABASE_URL",
        "",
        "Adresse SQLAlchemy de la base (ex. postgresql+psycopg://user@hote/base). Vide : fichier "
        "SQLite local dans var/essaim.sqlite.",
    ),
    Setting(
        "ESSAIM_PUBLIC_URL",
        "",
        "Adresse publique d'Essaim (ex. https://essaim.exemple.fr) pour les liens et QR codes "
        "d'atelier, quand un proxy cache l'adresse vue par le navigateur. Vide : l'adresse "
        "utilisée par le navigateur de l'animateur.",
    ),
    Setting(
        "ESSAIM_ADMIN_PASSWORD",
        "",
        "Mot de passe de la page « Gérer les données » (import, versions). Peut aussi venir de "
        "st.secrets (admin_password). Vide : la page reste fermée.",
    ),
    Setting(
        "ESSAIM_SQLITE_PATH",
        str(VAR_DIR / "essaim.sqlite"),
        "Chemin du fichier SQLite utilisé quand DATABASE_URL est vide.",
    ),
    Setting(
        "ESSAIM_TRUSTED_PROXIES",
        "127.0.0.1,::1",
        "Adresses (ou réseaux, ex. 10.0.0.0/8) des proxys et répartiteurs de charge de confiance, "
        "séparées par des virgules : derrière eux, l'adresse du client est lue dans "
        "X-Forwarded-For pour ralentir les codes erronés appareil par appareil.",
    ),
    Setting(
        "ESSAIM_LOG_LEVEL",
        "INFO",
        "Niveau du journal d'Essaim : DEBUG, INFO (chaque écriture : import, version, arbitrage, "
        "lien, saisie), WARNING (refus, erreurs rattrapées, 503) ou ERROR.",
    ),
    Setting(
        "ESSAIM_LOG_FILE",
        "",
        "Fichier où écrire aussi le journal (ajouté à la fin). Vide : la sortie d'erreur du "
        "serveur seulement (la console de `streamlit run`, le journal du service).",
    ),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def read_setting(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The value of a declared setting: the environment's if set and not blank, else its default."""
    environ = os.environ if environ is None else environ
    value = environ.get(name, "").strip()
    return value or _BY_NAME[name].default


def resolve_database_url(environ: Mapping[str, str] | None = None) -> str:
    """The SQLAlchemy URL of the store: DATABASE_URL, or the local SQLite file."""
    url = read_setting("DATABASE_URL", environ)
    if url:
        # Heroku-style and bare postgresql:// URLs are mapped onto the psycopg 3 driver.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    return f"sqlite:///{read_setting('ESSAIM_SQLITE_PATH', environ)}"
