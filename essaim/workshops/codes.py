"""The vocabulary of a session and its join codes: kinds, roles, proposal kinds, limits."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: readable on a projected screen and typed on a phone without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
KINDS = {"comptoir": "Comptoir des enjeux", "atelier": "Atelier de travail",
         "copil": "Comité de pilotage"}
ROLES = ["", "Élu·e", "Opérateur / structure relais", "Financeur", "France Travail",
         "Bénéficiaire", "Chercheur·e", "Entreprise", "Autre"]
PROPOSAL_KINDS = {"target": "Objectif proposé", "criterion": "Nouveau critère",
                  "perverse_effect": "Effet pervers à surveiller", "comment": "Commentaire"}
MODERATION = {"visible": "affichée", "pending": "en attente de validation",
              "hidden": "masquée par l'animation"}
MAX_PSEUDONYM = 40
MAX_PROPOSAL = 400
MAX_DIMENSIONS = 50
# Tokens and proposal ids may be drawn by the phone itself (so that a resend is recognised):
# at least 16 random URL-safe characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
PROPOSAL_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


def generate_join_code(length: int = CODE_LENGTH) -> str:
    """A random join code from the unambiguous alphabet (31^6 ≈ 887 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[:12]
