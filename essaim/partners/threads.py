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
from sqlalchemy.engine import Connection, Engine

from essaim.data.dataset import Dataset
from essaim.data.schema_partners import definition_versions, disagreement_threads, thread_messages
from essaim.data.store import write_transaction
from essaim.figures.disagreements import find_disagreements, indicator_tolerances
from essaim.numbers.formatting import format_number, format_value
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
            "arbitrated": "valeur arbitrée par l'ANSA"}
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
    """Threads (all of them for ANSA, those of a partner's scope otherwise), open first."""
    with engine.connect() as conn:
        # Open threads first ("open" sorts after "agreed"/"arbitrated"), the latest periods first.
        rows = conn.execute(sa.select(disagreement_threads).order_by(
            disagreement_threads.c.status.desc(), disagreement_threads.c.period.desc(),
            disagreement_threads.c.indicator_code, disagreement_threads.c.id)
        ).mappings().all()
    frame = pd.DataFrame(rows, columns=[c.name for c in disagreement_threads.columns])
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
    if thread["status"] != "open":
        raise ThreadError("Ce fil est clos : la valeur a été convenue ou arbitrée.")
    partner = scope.partner_code if scope else None
    if scope is not None and partner not in partners_concerned(dataset, thread):
        if kind in ("proposal", "definition_proposal"):
            raise ThreadError("Seuls les partenaires qui ont déclaré cette valeur peuvent faire "
                              "une proposition ; vous pouvez commenter.")
    with write_transaction(engine) as conn:
        message_id = conn.execute(thread_messages.insert().values(
            thread_id=int(thread_id), partner_code=partner, author=(author or "")[:100] or
            ("ANSA" if partner is None else partner), kind=kind, text=text,
            value=None if value is None else float(value), created_at=_now())
        ).inserted_primary_key[0]
    log.info("Fil n°%s : message n°%s (%s) de %s", thread_id, message_id, kind, partner or "ANSA")
    return message_id


def agree(engine: Engine, dataset: Dataset, thread_id: int, proposal_id: int, *,
          scope: PartnerScope, author: str) -> Outcome:
    """A partner concerned agrees to a proposal; when every partner concerned has agreed to it,
    the thread is resolved (the value counts, or the definition becomes the indicator's)."""
    data = read_thread(engine, thread_id, scope)
    thread, messages = data["thread"], data["messages"]
    if thread["status"] != "open":
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
            scope.partner_code, kind="agreement", proposal_id=int(proposal_id),
            text="", created_at=_now()))
        agreed = set(conn.execute(sa.select(thread_messages.c.partner_code).where(
            thread_messages.c.thread_id == int(thread_id),
            thread_messages.c.kind == "agreement",
            thread_messages.c.proposal_id == int(proposal_id))).scalars())
        log.info("Fil n°%s : accord de %s sur la proposition n°%s", thread_id, scope.partner_code,
                 proposal_id)
        # The author of a proposal agrees to it by proposing it.
        if proposal["partner_code"]:
            agreed.add(proposal["partner_code"])
        if not concerned <= agreed:
            waiting = len(concerned - agreed)
            return Outcome(False, f"Accord enregistré. En attente de {waiting} autre"
                                  f"{'s' if waiting > 1 else ''} partenaire"
                                  f"{'s' if waiting > 1 else ''}.")
        names = ", ".join(sorted(concerned))
        if proposal["kind"] == "proposal":
            return _resolve(conn, dataset, thread, float(proposal["value"]), "accord", names,
                            proposal["text"] or "Valeur convenue entre les partenaires.")
        return _new_definition(conn, dataset, thread, proposal["text"], names)


def arbitrate(engine: Engine, dataset: Dataset, thread_id: int, *, value: float, reason: str,
              author: str) -> Outcome:
    """ANSA settles a thread as arbiter: the value counts, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ThreadError("Donnez la raison de l'arbitrage : elle reste visible à tous.")
    thread = read_thread(engine, thread_id)["thread"]
    if thread["status"] != "open":
        raise ThreadError("Ce fil est déjà clos.")
    with write_transaction(engine) as conn:
        outcome = _resolve(conn, dataset, thread, float(value), "arbitrage",
                           f"ANSA ({author or 'administration'})", reason)
    log.info("Fil n°%s arbitré par %s : valeur %s", thread_id, author or "l'administration", value)
    return outcome


def _counted_before(dataset: Dataset, thread: dict) -> str:
    from essaim.figures.counted import counted_values

    counted = counted_values(dataset)
    key = counted.assign(essaimage_code=counted["essaimage_code"].fillna("")).set_index(CELL)
    cell = tuple(thread[c] for c in CELL)
    unit, measure = _unit_and_measure(dataset, thread["indicator_code"])
    if cell in key.index:
        return format_value(key.loc[cell, "value"], unit, measure)
    return "n.d."


def _unit_and_measure(dataset: Dataset, indicator: str) -> tuple[str, str]:
    definitions = dataset.indicators.set_index("code")
    if indicator not in definitions.index:
        return "", "count"
    return definitions.at[indicator, "unit"], definitions.at[indicator, "measure"]


def _say(conn: Connection, thread_id: int, text: str, now: dt.datetime) -> None:
    """A message of Essaim itself in the thread (resolutions, new definitions, reopenings)."""
    conn.execute(thread_messages.insert().values(
        thread_id=thread_id, partner_code=None, author="Essaim", kind="system", text=text,
        created_at=now))


def _resolve(conn: Connection, dataset: Dataset, thread: dict, value: float, kind: str,
             by: str, reason: str) -> Outcome:
    before = _counted_before(dataset, thread)
    unit, measure = _unit_and_measure(dataset, thread["indicator_code"])
    after = format_value(value, unit, measure)
    now = _now()
    conn.execute(disagreement_threads.update().where(disagreement_threads.c.id == thread["id"])
                 .values(status="agreed" if kind == "accord" else "arbitrated",
                         resolved_value=value, resolution_kind=kind, resolved_by=by[:300],
                         resolved_at=now, reason=reason))
    text = (f"{'Valeur convenue' if kind == 'accord' else 'Valeur arbitrée'} : {after} "
            f"(avant : {before}). Par : {by}. Raison : {reason}")
    _say(conn, thread["id"], text, now)
    return Outcome(True, text)


def _new_definition(conn: Connection, dataset: Dataset, thread: dict, definition: str,
                    by: str) -> Outcome:
    code = thread["indicator_code"]
    latest = conn.execute(sa.select(sa.func.max(definition_versions.c.version)).where(
        definition_versions.c.indicator_code == code)).scalar() or 1  # version 1: the import's
    before = dataset.indicators.set_index("code").at[code, "definition"] \
        if code in set(dataset.indicators["code"]) else ""
    now = _now()
    conn.execute(definition_versions.insert().values(
        indicator_code=code, version=latest + 1, definition=definition, thread_id=thread["id"],
        agreed_by=by[:300], created_at=now))
    text = (f"Définition commune adoptée (version {latest + 1}) : « {definition} » (avant : "
            f"« {before} »). Par : {by}.")
    _say(conn, thread["id"], text, now)
    return Outcome(True, text)


def reopen_threads_changed_by(conn: Connection, rows: list[dict], now: dt.datetime) -> None:
    """A new declaration in a settled cell that differs from the settled value reopens its
    thread (said in the thread)."""
    for row in rows:
        key = dict(zip(CELL, _cell_key(row)))
        settled = conn.execute(sa.select(disagreement_threads).where(
            *(disagreement_threads.c[c] == v for c, v in key.items()),
            disagreement_threads.c.status != "open")).mappings().first()
        if settled is None or abs(float(row["value"]) - float(settled["resolved_value"] or 0)) < 1e-9:
            continue
        conn.execute(disagreement_threads.update().where(
            disagreement_threads.c.id == settled["id"]).values(status="open"))
        _say(conn, settled["id"], f"Fil rouvert : {row['partner_code']} a déclaré une nouvelle "
             f"valeur ({format_number(row['value'], 2).removesuffix(',00')}), différente de la "
             "valeur convenue.", now)


def resolutions(engine: Engine) -> pd.DataFrame:
    """Settled cells and the value that counts for each (for essaim.figures.counted)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(
            *(disagreement_threads.c[c] for c in CELL), disagreement_threads.c.id,
            disagreement_threads.c.resolved_value, disagreement_threads.c.resolution_kind,
            disagreement_threads.c.resolved_by, disagreement_threads.c.resolved_at,
            disagreement_threads.c.reason,
        ).where(disagreement_threads.c.status != "open",
                disagreement_threads.c.resolved_value.is_not(None))).mappings().all()
    return pd.DataFrame(rows, columns=CELL + ["id", "resolved_value", "resolution_kind",
                                              "resolved_by", "resolved_at", "reason"])


def definition_history(engine: Engine, indicator_code: str | None = None) -> pd.DataFrame:
    """Agreed versions of indicator definitions, newest first."""
    query = sa.select(definition_versions).order_by(definition_versions.c.indicator_code,
                                                    definition_versions.c.version.desc())
    if indicator_code:
        query = query.where(definition_versions.c.indicator_code == indicator_code)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in definition_versions.columns])
