"""How a disagreement is settled, and how a settlement is called into question.

- When every partner concerned agrees to a value, it becomes the value that counts
  (essaim.figures.counted: « accordé »); ANSA may arbitrate instead (« arbitré »).
- A definition agreed by the partners of one essaimage applies to that essaimage's figure and
  is proposed to ANSA for the indicator: only ANSA changes the indicator's (national) definition.
- A new declaration that departs from a settled value, or a declaration withdrawn, does not undo
  the settlement silently: the thread says « accord remis en cause par … », and until the
  partners agree again (agreements given before no longer count) or ANSA arbitrates, **the
  settled value keeps counting**, shown as « remis en cause ». ANSA may reopen its own
  arbitration the same way.
- Partners are named by their names; Essaim's own messages are signed Essaim.
"""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from essaim.data.dataset import Dataset
from essaim.data.schema_partners import definition_versions, disagreement_threads, thread_messages
from essaim.data.store import write_transaction
from essaim.numbers.formatting import format_plain, format_value
from essaim.partners.threads import CELL, DISCUSSED, Outcome, ThreadError, read_thread

log = logging.getLogger(__name__)

RESOLUTION_COLUMNS = CELL + ["id", "status", "resolved_value", "resolution_kind", "resolved_by",
                             "resolved_at", "reason", "reopened_at", "reopened_by"]
# The rule while a settlement is called into question, said wherever its figure is shown.
WHILE_REOPENED = ("en attendant un nouvel accord ou un arbitrage, la valeur {settled} reste "
                  "celle qui compte")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def partner_names(dataset: Dataset, codes) -> str:
    """« Association X, France Travail Y » from partner codes (codes unknown to the dataset are
    kept as they are)."""
    names = dict(zip(dataset.partners["code"], dataset.partners["name"]))
    return ", ".join(sorted(names.get(code, code) for code in codes))


def _unit_and_measure(dataset: Dataset, indicator: str) -> tuple[str, str]:
    definitions = dataset.indicators.set_index("code")
    if indicator not in definitions.index:
        return "", "count"
    return definitions.at[indicator, "unit"], definitions.at[indicator, "measure"]


def _counted_before(dataset: Dataset, thread: dict) -> str:
    from essaim.figures.counted import counted_values

    counted = counted_values(dataset)
    key = counted.assign(essaimage_code=counted["essaimage_code"].fillna("")).set_index(CELL)
    cell = tuple(thread[c] for c in CELL)
    unit, measure = _unit_and_measure(dataset, thread["indicator_code"])
    if cell in key.index:
        return format_value(key.loc[cell, "value"], unit, measure)
    return "n.d."


def say(conn: Connection, thread_id: int, text: str, now: dt.datetime) -> None:
    """A message of Essaim itself in the thread (settlements, definitions, reopenings)."""
    conn.execute(thread_messages.insert().values(
        thread_id=thread_id, partner_code=None, author="Essaim", kind="system", text=text,
        created_at=now))


def resolve(conn: Connection, dataset: Dataset, thread: dict, value: float, kind: str,
            by: str, reason: str) -> Outcome:
    """Settle the thread's figure: `kind` « accord » (partners) or « arbitrage » (ANSA)."""
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
    say(conn, thread["id"], text, now)
    return Outcome(True, text)


def arbitrate(engine: Engine, dataset: Dataset, thread_id: int, *, value: float, reason: str,
              author: str) -> Outcome:
    """ANSA settles a thread as arbiter: the value counts, with the reason. The value follows
    the indicator's rules (essaim.numbers.ranges), like any entry."""
    from essaim.numbers.ranges import ValueRule

    reason = (reason or "").strip()
    if not reason:
        raise ThreadError("Donnez la raison de l'arbitrage : elle reste visible à tous.")
    thread = read_thread(engine, thread_id)["thread"]
    if thread["status"] not in DISCUSSED:
        raise ThreadError("Ce fil est déjà tranché : rouvrez l'arbitrage pour arbitrer à "
                          "nouveau.")
    definitions = dataset.indicators.set_index("code")
    if thread["indicator_code"] in definitions.index:
        problem = ValueRule.of(definitions.loc[thread["indicator_code"]]).check(float(value))
        if problem:
            raise ThreadError(f"Valeur refusée : {problem}.")
    with write_transaction(engine) as conn:
        outcome = resolve(conn, dataset, thread, float(value), "arbitrage",
                          f"ANSA ({author or 'administration'})", reason)
    log.info("Fil n°%s arbitré par %s : valeur %s", thread_id, author or "l'administration", value)
    return outcome


def _reopen(conn: Connection, thread: dict, by: str, what: str, now: dt.datetime,
            unit_measure: tuple[str, str] = ("", "count")) -> None:
    settled = format_value(thread["resolved_value"], *unit_measure) \
        if thread.get("resolved_value") is not None else "n.d."
    conn.execute(disagreement_threads.update().where(disagreement_threads.c.id == thread["id"])
                 .values(status="reopened", reopened_at=now, reopened_by=by[:300]))
    kind = "Accord" if thread.get("resolution_kind") == "accord" else "Arbitrage"
    say(conn, thread["id"], f"{kind} remis en cause par {by} : {what}. "
        f"{WHILE_REOPENED.format(settled=settled).capitalize()} ; les partenaires peuvent "
        "convenir à nouveau (les accords donnés avant ne comptent plus).", now)


def reopen_arbitration(engine: Engine, dataset: Dataset, thread_id: int, *, reason: str,
                       author: str) -> Outcome:
    """ANSA reopens a settled thread (its own arbitration, or an agreement): the settled value
    keeps counting until the thread is settled again."""
    reason = (reason or "").strip()
    if not reason:
        raise ThreadError("Donnez la raison de la réouverture : elle reste visible à tous.")
    thread = read_thread(engine, thread_id)["thread"]
    if thread["status"] in DISCUSSED:
        raise ThreadError("Ce fil n'est pas tranché : il est déjà ouvert à la discussion.")
    now = _now()
    with write_transaction(engine) as conn:
        _reopen(conn, thread, f"l'ANSA ({author or 'administration'})", reason, now,
                _unit_and_measure(dataset, thread["indicator_code"]))
    log.info("Fil n°%s rouvert par %s", thread_id, author or "l'administration")
    return Outcome(False, "Fil rouvert : la valeur tranchée compte jusqu'au prochain accord ou "
                          "arbitrage.")


def _settled_thread(conn: Connection, row: dict) -> dict | None:
    key = {c: ("" if c == "essaimage_code" and not row.get(c) else row.get(c)) for c in CELL}
    settled = conn.execute(sa.select(disagreement_threads).where(
        *(disagreement_threads.c[c] == v for c, v in key.items()),
        disagreement_threads.c.status.in_(["agreed", "arbitrated"]))).mappings().first()
    return dict(settled) if settled else None


def reopen_threads_changed_by(conn: Connection, rows: list[dict], now: dt.datetime,
                              by: str = "") -> None:
    """A new declaration in a settled cell that departs from the settled value calls the
    settlement into question (said in the thread by the declaring partner's name)."""
    for row in rows:
        settled = _settled_thread(conn, row)
        if settled is None or settled["resolved_value"] is None or \
                abs(float(row["value"]) - float(settled["resolved_value"])) < 1e-9:
            continue
        who = row.get("_partner_name") or by or row["partner_code"]
        _reopen(conn, settled, who, f"nouvelle déclaration de {format_plain(row['value'])}", now,
                (row.get("_unit", ""), row.get("_measure", "count")))


def reopen_threads_withdrawn(conn: Connection, row: dict, now: dt.datetime, by: str = "") -> None:
    """A declaration withdrawn from a settled cell calls the settlement into question."""
    settled = _settled_thread(conn, row)
    if settled is not None:
        _reopen(conn, settled, by or row["partner_code"], "déclaration retirée", now)


def adopt_local_definition(conn: Connection, dataset: Dataset, thread: dict, definition: str,
                           by: str) -> Outcome:
    """A definition agreed by the partners of one essaimage: it applies to that essaimage's
    figure and is proposed to ANSA; the indicator's definition does not change."""
    code = thread["indicator_code"]
    latest = conn.execute(sa.select(sa.func.max(definition_versions.c.version)).where(
        definition_versions.c.indicator_code == code)).scalar() or 1  # version 1: the import's
    now = _now()
    conn.execute(definition_versions.insert().values(
        indicator_code=code, version=latest + 1, definition=definition, thread_id=thread["id"],
        agreed_by=by[:300], created_at=now, essaimage_code=thread["essaimage_code"] or None,
        status="locale"))
    where = thread["essaimage_code"] or thread["territory_code"]
    text = (f"Définition commune convenue pour {where} : « {definition} ». Par : {by}. Elle "
            "vaut pour ce chiffre-ci et est proposée à l'ANSA, qui décide de la définition de "
            "l'indicateur pour tout l'accélérateur.")
    say(conn, thread["id"], text, now)
    return Outcome(True, text)


def adopt_national_definition(engine: Engine, dataset: Dataset, version_id: int, *,
                              author: str) -> Outcome:
    """ANSA makes a locally agreed definition the indicator's definition everywhere."""
    with write_transaction(engine) as conn:
        local = conn.execute(sa.select(definition_versions).where(
            definition_versions.c.id == int(version_id))).mappings().first()
        if local is None or local["status"] != "locale":
            raise ThreadError("Cette définition n'est pas une proposition locale.")
        latest = conn.execute(sa.select(sa.func.max(definition_versions.c.version)).where(
            definition_versions.c.indicator_code == local["indicator_code"])).scalar()
        now = _now()
        conn.execute(definition_versions.insert().values(
            indicator_code=local["indicator_code"], version=latest + 1,
            definition=local["definition"], thread_id=local["thread_id"],
            agreed_by=f"ANSA ({author or 'administration'})"[:300], created_at=now,
            essaimage_code=None, status="nationale"))
        if local["thread_id"] is not None:
            say(conn, local["thread_id"], f"L'ANSA ({author or 'administration'}) a adopté "
                f"cette définition pour l'indicateur dans tout l'accélérateur (version "
                f"{latest + 1}).", now)
    log.info("Définition de %s adoptée pour l'accélérateur par %s (version %s)",
             local["indicator_code"], author or "l'administration", latest + 1)
    return Outcome(True, "Définition adoptée pour l'indicateur.")


def resolutions(engine: Engine) -> pd.DataFrame:
    """Settled cells — and cells whose settlement is called into question, whose settled value
    counts meanwhile — with the value that counts (for essaim.figures.counted)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*(disagreement_threads.c[c] for c in RESOLUTION_COLUMNS))
                            .where(disagreement_threads.c.resolved_value.is_not(None))
                            ).mappings().all()
    return pd.DataFrame(rows, columns=RESOLUTION_COLUMNS)


def definition_history(engine: Engine, indicator_code: str | None = None) -> pd.DataFrame:
    """Agreed versions of indicator definitions (national and local), newest first."""
    query = sa.select(definition_versions).order_by(definition_versions.c.indicator_code,
                                                    definition_versions.c.version.desc())
    if indicator_code:
        query = query.where(definition_versions.c.indicator_code == indicator_code)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in definition_versions.columns])
