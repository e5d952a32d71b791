"""Private links that let a partner reach its own space without an account or an e-mail.

ANSA staff create a link for a partner; the token is shown once and stored hashed; a link expires
and can be revoked; every use is checked here, on the server, and wrong tokens are slowed down.
What a link gives access to is the partner's scope (essaim.partners.scope).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.data.schema_partners import partner_links
from essaim.data.store import write_transaction

log = logging.getLogger(__name__)

DEFAULT_VALIDITY_DAYS = 90
MAX_VALIDITY_DAYS = 730
TOKEN_BYTES = 32


class PartnerAccessError(Exception):
    """A refused partner link; the message is French and meant for the person."""


@dataclass(frozen=True)
class PartnerLink:
    id: int
    partner_code: str
    label: str
    expires_at: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_token(token: str) -> str:
    """The stored form of a token (a 256-bit random token needs no slow hash)."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def create_link(engine: Engine, partner_code: str, *, label: str, created_by: str,
                validity_days: int = DEFAULT_VALIDITY_DAYS) -> str:
    """A new link for `partner_code`; returns the token (shown once, never stored in clear)."""
    label = label.strip()
    if not label:
        raise PartnerAccessError("Donnez un nom au lien (par exemple la personne à qui il est "
                                 "destiné).")
    if len(label) > 200:
        raise PartnerAccessError("Le nom du lien est trop long (200 caractères au plus).")
    if not 1 <= int(validity_days) <= MAX_VALIDITY_DAYS:
        raise PartnerAccessError(f"La durée de validité va de 1 à {MAX_VALIDITY_DAYS} jours.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction(engine) as conn:
        conn.execute(partner_links.insert().values(
            token_hash=hash_token(token), partner_code=partner_code, label=label,
            created_by=(created_by or "ANSA")[:100], created_at=_now(),
            expires_at=_now() + dt.timedelta(days=int(validity_days))))
    log.info("Lien partenaire créé pour %s (« %s », par %s, valable %s jours)", partner_code,
             label, created_by or "ANSA", int(validity_days))
    return token


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes for timezone-aware columns: they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def resolve_link(engine: Engine, token: str) -> PartnerLink:
    """The link a token opens; PartnerAccessError (French) for an unknown, expired or revoked
    one. Callers slow down repeated failures (essaim.access)."""
    if not token or len(token) > 200:
        raise PartnerAccessError("Ce lien partenaire n'est pas valable.")
    with engine.connect() as conn:
        row = conn.execute(sa.select(partner_links).where(
            partner_links.c.token_hash == hash_token(token))).mappings().first()
    if row is None:
        raise PartnerAccessError("Ce lien partenaire n'est pas valable : vérifiez qu'il est "
                                 "complet, ou demandez-en un nouveau à l'ANSA.")
    if row["revoked_at"] is not None:
        raise PartnerAccessError("Ce lien partenaire a été révoqué : demandez-en un nouveau à "
                                 "l'ANSA.")
    if _aware(row["expires_at"]) <= _now():
        raise PartnerAccessError(f"Ce lien partenaire a expiré le "
                                 f"{_aware(row['expires_at']):%d/%m/%Y} : demandez-en un nouveau "
                                 "à l'ANSA.")
    with write_transaction(engine) as conn:
        conn.execute(partner_links.update().where(partner_links.c.id == row["id"])
                     .values(last_used_at=_now()))
    return PartnerLink(id=row["id"], partner_code=row["partner_code"], label=row["label"],
                       expires_at=_aware(row["expires_at"]))


def revoke_link(engine: Engine, link_id: int) -> None:
    """End a link at once (its declarations stay, with their history)."""
    with write_transaction(engine) as conn:
        updated = conn.execute(partner_links.update().where(
            partner_links.c.id == int(link_id), partner_links.c.revoked_at.is_(None))
            .values(revoked_at=_now())).rowcount
    if updated != 1:
        raise PartnerAccessError("Ce lien n'existe pas ou est déjà révoqué.")
    log.info("Lien partenaire n°%s révoqué", int(link_id))


def list_links(engine: Engine) -> pd.DataFrame:
    """Every link (never the token): partner, name, who created it, when, expiry, last use,
    status (« actif », « expiré », « révoqué »)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(
            partner_links.c.id, partner_links.c.partner_code, partner_links.c.label,
            partner_links.c.created_by, partner_links.c.created_at, partner_links.c.expires_at,
            partner_links.c.revoked_at, partner_links.c.last_used_at,
        ).order_by(partner_links.c.id.desc())).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "partner_code", "label", "created_by", "created_at",
                                        "expires_at", "revoked_at", "last_used_at"])
    now = _now()
    frame["status"] = [
        "révoqué" if pd.notna(revoked) else ("expiré" if _aware(expires) <= now else "actif")
        for revoked, expires in zip(frame["revoked_at"], frame["expires_at"])]
    return frame


def open_link(engine: Engine, token: str, client) -> PartnerLink:
    """`resolve_link`, paced like wrong codes and PINs (essaim.access): a client that keeps
    trying wrong tokens waits longer and longer, without locking out a venue. `client` is an
    essaim.access.Client."""
    from essaim.access import TooManyAttempts, check_pace, record_failure

    try:
        check_pace(engine, "partenaire", client)
    except TooManyAttempts as error:
        raise PartnerAccessError(f"{error} Utilisez le lien exact transmis par l'ANSA.") from None
    try:
        return resolve_link(engine, token)
    except PartnerAccessError as error:
        record_failure(engine, "partenaire", client)
        log.warning("Lien partenaire refusé depuis %s : %s", client.address, error)
        raise
