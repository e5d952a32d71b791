"""Disagreement threads: where two partners report values further apart than the indicator's
tolerance, a thread opens. Each partner concerned states its definition or source, comments,
and proposes a value or a shared definition; when every partner concerned agrees to the same
proposal (or ANSA arbitrates), the agreed value becomes the one that counts (essaim.figures.counted) and
an agreed definition becomes the indicator's new version. Everything is kept: who said what and
when, the value before and after.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from essaim.data.dataset import Dataset
from essaim.data.schema_partners import disagreement_threads, thread_messages
from essaim.data.store import write_transaction
from essaim.figures.disagreements import find_disagreements, indicator_tolerances
from essaim.partners.scope import PartnerScope

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000
MESSAGE_KINDS = {
    "definition": "Notre définition ou notre source",
    "comment": "Commentaire",
    "proposal": "Proposition de valeur",
    "definition_proposal": "Proposition de définition commune",
    "agreement": "Accord",
    "system": "Essaim",
}
STATUSES = {"open": "ouvert", "agreed": "valeur convenue entre partenaires",
            "arbitrated": "valeur arbitrée par l'ANSA",
            "reopened": "remis en cause (la valeur convenue ou arbitrée compte en attendant)"}
# A thread where partners may still write, propose and agree.
DISCUSSED = ("open", "reopened")
CELL = ["indicator_code", "territory_code", "essaimage_code", "period"]


class ThreadError(Exception):
    """A refused action on a thread; the message is French."""


@dataclass(frozen=True)
class Outcome:
    """What an agreement changed: nothing yet, a value or a definition."""

    resolved: bool
    text: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _cell_key(row) -> tuple:
    return tuple("" if (k == "essaimage_code" and (row[k] is None or pd.isna(row[k]))) else row[k]
                 for k in CELL)


def ensure_threads(engine: Engine, dataset: Dataset) -> int:
    """Open a thread for every current disagreement that has none yet; returns how many
    opened. Safe to call on every page view and from several processes at once."""
    found = find_disagreements(dataset.indicator_values, indicator_tolerances(dataset.indicators))
    if found.empty:
        return 0
    with engine.connect() as conn:
        existing = {tuple(r) for r in conn.execute(sa.select(*(disagreement_threads.c[c]
                                                              for c in CELL)))}
    missing = [key for key in (_cell_key(r) for r in found.to_dict("records"))
               if key not in existing]
    if not missing:
        return 0
    with write_transaction(engine) as conn:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        for key in missing:
            conn.execute(dialect.insert(disagreement_threads).values(
                **dict(zip(CELL, key)), opened_at=_now(), status="open")
                .on_conflict_do_nothing(index_elements=CELL))
    log.info("%s fil(s) de désaccord ouvert(s)", len(missing))
    return len(missing)


def list_threads(engine: Engine, scope: PartnerScope | None = None) -> pd.DataFrame:
    """Threads (all of them for ANSA, those of a partner's scope otherwise): the ones still
    discussed first, the latest periods first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(disagreement_threads).order_by(
            disagreement_threads.c.period.desc(), disagreement_threads.c.indicator_code,
            disagreement_threads.c.id)).mappings().all()
    frame = pd.DataFrame(rows, columns=[c.name for c in disagreement_threads.columns])
    if not frame.empty:
        frame = frame.iloc[frame["status"].isin(DISCUSSED).map({True: 0, False: 1})
                           .argsort(kind="stable")]
    if scope is not None and not frame.empty:
        frame = frame[[scope.allows(t, e or None) for t, e in
                       zip(frame["territory_code"], frame["essaimage_code"])]]
    return frame.reset_index(drop=True)


def read_thread(engine: Engine, thread_id: int, scope: PartnerScope | None = None) -> dict:
    """A thread and its messages (oldest first); ThreadError outside the partner's scope."""
    with engine.connect() as conn:
        thread = conn.execute(sa.select(disagreement_threads).where(
            disagreement_threads.c.id == int(thread_id))).mappings().first()
        if thread is None:
            raise ThreadError("Ce fil de discussion n'existe pas.")
        messages = conn.execute(sa.select(thread_messages).where(
            thread_messages.c.thread_id == int(thread_id)).order_by(thread_messages.c.id)
        ).mappings().all()
    thread = dict(thread)
    if scope is not None and not scope.allows(thread["territory_code"],
                                              thread["essaimage_code"] or None):
        raise ThreadError("Ce fil ne concerne pas vos essaimages.")
    return {"thread": thread, "messages": pd.DataFrame(
        messages, columns=[c.name for c in thread_messages.columns])}


def partners_concerned(dataset: Dataset, thread: dict) -> set[str]:
    """The partners who reported the thread's cell."""
    values = dataset.indicator_values
    mask = ((values["indicator_code"] == thread["indicator_code"])
            & (values["territory_code"] == thread["territory_code"])
            & (values["period"] == thread["period"]))
    if thread["essaimage_code"]:
        mask &= values["essaimage_code"] == thread["essaimage_code"]
    else:
        mask &= values["essaimage_code"].isna()
    return set(values.loc[mask, "partner_code"])


def post_message(engine: Engine, dataset: Dataset, thread_id: int, *, kind: str, author: str,
                 scope: PartnerScope | None, text: str = "", value: float | None = None) -> int:
    """A partner's (or ANSA's, scope None) statement, comment or proposal on an open thread."""
    if kind not in ("definition", "comment", "proposal", "definition_proposal"):
        raise ThreadError("Type de message inconnu.")
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE:
        raise ThreadError(f"Message trop long : {len(text)} caractères pour {MAX_MESSAGE} au "
                          "plus.")
    if kind == "proposal" and value is None:
        raise ThreadError("Indiquez la valeur que vous proposez.")
    if kind != "proposal" and not text:
        raise ThreadError("Le message est vide.")
    thread = read_thread(engine, thread_id, scope)["thread"]
    if thread["status"] not in DISCUSSED:
        raise ThreadError("Ce fil est clos : la valeur a été convenue ou arbitrée.")
    partner = scope.partner_code if scope else None
    if scope is not None and partner not in partners_concerned(dataset, thread):
        if kind in ("proposal", "definition_proposal"):
            raise ThreadError("Seuls les partenaires qui ont déclaré cette valeur peuvent faire "
                              "une proposition ; vous pouvez commenter.")
    with write_transaction(engine) as conn:
        message_id = conn.execute(thread_messages.insert().values(
            thread_id=int(thread_id), partner_code=partner, author=(author or "")[:100] or
            ("ANSA" if partner is None else scope.partner_name), kind=kind, text=text,
            value=None if value is None else float(value), created_at=_now())
        ).inserted_primary_key[0]
    log.info("Fil n°%s : message n°%s (%s) de %s", thread_id, message_id, kind, partner or "ANSA")
    return message_id


def _aware(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp


def before_reopening(thread: dict, moment) -> bool:
    """True when `moment` (a message's time) precedes the thread's last reopening."""
    reopened = thread.get("reopened_at")
    return reopened is not None and not pd.isna(reopened) and _aware(moment) <= _aware(reopened)


def agreements_since_reopening(thread: dict, messages: pd.DataFrame) -> pd.DataFrame:
    """The agreements that still count: those given since the thread was last reopened (a new
    declaration or ANSA reopening it cancels the earlier ones; the partners agree again)."""
    agreements = messages[messages["kind"] == "agreement"]
    kept = pd.Series([not before_reopening(thread, moment) for moment in agreements["created_at"]],
                     index=agreements.index, dtype=bool)
    return agreements.loc[kept]


def agree(engine: Engine, dataset: Dataset, thread_id: int, proposal_id: int, *,
          scope: PartnerScope, author: str) -> Outcome:
    """A partner concerned agrees to a proposal; when every partner concerned has agreed to it
    (since the thread was last reopened), the thread is settled: the value counts, or the
    definition becomes the one of this essaimage's figure and is proposed to ANSA."""
    from essaim.partners.settlements import adopt_local_definition, partner_names, resolve

    data = read_thread(engine, thread_id, scope)
    thread, messages = data["thread"], data["messages"]
    if thread["status"] not in DISCUSSED:
        raise ThreadError("Ce fil est clos : la valeur a été convenue ou arbitrée.")
    concerned = partners_concerned(dataset, thread)
    if scope.partner_code not in concerned:
        raise ThreadError("Seuls les partenaires qui ont déclaré cette valeur peuvent donner "
                          "leur accord.")
    proposals = messages[messages["kind"].isin(["proposal", "definition_proposal"])]
    if int(proposal_id) not in set(proposals["id"]):
        raise ThreadError("Cette proposition n'existe pas dans ce fil.")
    proposal = proposals.set_index("id").loc[int(proposal_id)]
    with write_transaction(engine) as conn:
        conn.execute(thread_messages.insert().values(
            thread_id=int(thread_id), partner_code=scope.partner_code, author=author[:100] or
            scope.partner_name, kind="agreement", proposal_id=int(proposal_id),
            text="", created_at=_now()))
        current = pd.DataFrame(conn.execute(sa.select(thread_messages).where(
            thread_messages.c.thread_id == int(thread_id))).mappings().all(),
            columns=[c.name for c in thread_messages.columns])
        counted = agreements_since_reopening(thread, current)
        agreed = set(counted.loc[counted["proposal_id"] == int(proposal_id), "partner_code"])
        log.info("Fil n°%s : accord de %s sur la proposition n°%s", thread_id, scope.partner_code,
                 proposal_id)
        # The author of a proposal agrees to it by proposing it (unless it predates a reopening).
        if proposal["partner_code"] and not before_reopening(thread, proposal["created_at"]):
            agreed.add(proposal["partner_code"])
        if not concerned <= agreed:
            waiting = len(concerned - agreed)
            return Outcome(False, f"Accord enregistré. En attente de {waiting} autre"
                                  f"{'s' if waiting > 1 else ''} partenaire"
                                  f"{'s' if waiting > 1 else ''}.")
        names = partner_names(dataset, concerned)
        if proposal["kind"] == "proposal":
            return resolve(conn, dataset, thread, float(proposal["value"]), "accord", names,
                           proposal["text"] or "Valeur convenue entre les partenaires.")
        return adopt_local_definition(conn, dataset, thread, proposal["text"], names)

