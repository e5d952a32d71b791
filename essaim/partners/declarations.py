"""Values a partner declares itself, through its link: checked like an import (French messages
naming the line and column), kept within the partner's scope, written all at once or not at all,
each with who, when and from which source. A partner's declaration replaces only its own
previous report of the same cell, never another partner's; every earlier value stays in the
history and can be restored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.data.dataset import Dataset
from essaim.data.schema_partners import declarations
from essaim.data.store import write_transaction
from essaim.imports.checks import Issue, check_references, check_values
from essaim.imports.reading import FileReadError, read_tables
from essaim.imports.specs import SPECS
from essaim.imports.templates import spec_frame
from essaim.partners.links import PartnerLink
from essaim.partners.scope import PartnerScope

log = logging.getLogger(__name__)

VALUES = SPECS["indicator_values"]
CELL = ("indicator_code", "territory_code", "essaimage_code", "period")


@dataclass
class DeclarationCheck:
    rows: list[dict] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    # Values far outside the other territories' (essaim.numbers.ranges): not errors, they are
    # declared only once the partner confirms them, and stay marked.
    unusual: list[Issue] = field(default_factory=list)
    unchanged: int = 0  # rows of a file left as they were (no change to declare)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_declared_rows(rows: list[dict], name: str, dataset: Dataset,
                        scope: PartnerScope) -> DeclarationCheck:
    """Typed value rows (with "_line") checked against the dataset and the partner's scope, in
    one pass (format, scope and range issues together): the partner declares for itself only,
    within its essaimages and their territories, values its indicators can take."""
    from essaim.imports.importer import import_context
    from essaim.imports.unusual import unusual_values

    definitions = dataset.indicators.set_index("code")
    for row in rows:
        row["partner_code"] = row.get("partner_code") or scope.partner_code
        # For the thread messages a declaration may write (essaim.partners.settlements).
        row["_partner_name"] = scope.partner_name
        if row.get("indicator_code") in definitions.index:
            row["_unit"] = definitions.at[row["indicator_code"], "unit"]
            row["_measure"] = definitions.at[row["indicator_code"], "measure"]
    context = import_context({}, dataset)
    errors = check_references("indicator_values", rows, name, context)
    errors += check_values(rows, name, context)
    for row in rows:
        line = row["_line"]
        if row["partner_code"] != scope.partner_code:
            errors.append(Issue(name, line, VALUES.column("partner_code").french,
                                f"vous déclarez pour {scope.partner_name} seulement, pas pour "
                                f"« {row['partner_code']} »"))
        if row.get("territory_code") and not scope.allows(row["territory_code"],
                                                          row.get("essaimage_code")):
            where = row.get("essaimage_code") or row["territory_code"]
            errors.append(Issue(name, line, VALUES.column("essaimage_code").french
                                if row.get("essaimage_code") else VALUES.column(
                                    "territory_code").french,
                                f"« {where} » n'est pas dans vos essaimages : vous ne pouvez "
                                "pas y déclarer de valeur"))
    unusual = unusual_values(rows, name, context) if not errors else []
    return DeclarationCheck(rows=rows, errors=sorted(errors, key=lambda i: (i.row or 0)),
                            unusual=unusual)


def check_form_row(values: dict, dataset: Dataset, scope: PartnerScope) -> DeclarationCheck:
    """One value typed in the form (keys of the values template), checked as a file row: every
    problem (format, scope, range) is said at once."""
    from essaim.imports.specs import convert_cell

    row, errors = {"_line": 1}, []
    for column in VALUES.columns:
        raw = values.get(column.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required and column.key != "partner_code":
                errors.append(Issue("formulaire", None, column.french,
                                    "valeur obligatoire manquante"))
            row[column.key] = None
            continue
        try:
            row[column.key] = convert_cell(column, raw)
        except ValueError as error:
            errors.append(Issue("formulaire", None, column.french, str(error)))
            row[column.key] = None
    checked = check_declared_rows([row], "formulaire", dataset, scope)
    checked.errors = errors + [dataclasses.replace(issue, row=None) for issue in checked.errors]
    checked.unusual = [dataclasses.replace(issue, row=None) for issue in checked.unusual]
    if checked.errors:
        checked.unusual = []
    return checked


def _untouched(row: dict, current: dict[tuple, float]) -> bool:
    """A template row the partner left as it was: no value, or its current value with no new
    source."""
    if row.get("value") is None:
        return not row.get("source")
    key = tuple(row.get(c) if c != "essaimage_code" else (row.get(c) or "") for c in CELL)
    same = key in current and abs(current[key] - float(row["value"])) < 1e-9
    return same and not row.get("source")


def check_declared_file(name: str, content: bytes, dataset: Dataset,
                        scope: PartnerScope) -> DeclarationCheck:
    """An uploaded values file (the template filtered to the scope, or any file with the values
    template's headings), read and checked like an import, every check in one pass. Rows left
    as the template gave them (no value, or the current value without a new source) mean « no
    change » and are skipped."""
    from essaim.imports.importer import parse_rows

    try:
        found = read_tables(name, content, {"indicator_values": VALUES.headings()},
                            labels={"indicator_values": VALUES.label})
    except FileReadError as error:
        return DeclarationCheck(errors=[Issue(name, None, "", error.reason)])
    rows, errors = parse_rows(VALUES, found[0], name)
    current = _current_values(dataset, scope)
    untouched = {row["_line"] for row in rows if _untouched(row, current)}
    rows = [row for row in rows if row["_line"] not in untouched]
    errors = [issue for issue in errors if issue.row not in untouched]
    if not rows and not errors:  # the file as downloaded: nothing to declare, nothing wrong
        return DeclarationCheck(unchanged=len(untouched))
    checked = check_declared_rows([r for r in rows if r.get("value") is not None], name, dataset,
                                  scope)
    checked.errors = sorted(errors + checked.errors, key=lambda i: (i.row or 0, i.column))
    checked.unchanged = len(untouched)
    if checked.errors:
        checked.unusual = []
    return checked


def _current_values(dataset: Dataset, scope: PartnerScope) -> dict[tuple, float]:
    mine = dataset.indicator_values[dataset.indicator_values["partner_code"] == scope.partner_code]
    return {(r.indicator_code, r.territory_code, r.essaimage_code or "", r.period): float(r.value)
            for r in mine.assign(essaimage_code=mine["essaimage_code"].fillna("")).itertuples()}


def declare_values(engine: Engine, check: DeclarationCheck, link: PartnerLink | None, *,
                   declared_by: str, note: str = "", channel: str = "formulaire",
                   confirm_unusual: bool = False) -> int:
    """Write the checked rows in one transaction (nothing on error); each replaces only the same
    partner's earlier declaration of the same cell. Unusual values need `confirm_unusual` and are
    stored marked as confirmed. Returns how many values were declared."""
    if not check.ok:
        raise ValueError("Déclaration refusée : des erreurs restent à corriger.")
    if check.unusual and not confirm_unusual:
        raise ValueError("Valeur inhabituelle : vérifiez-la et confirmez-la pour la déclarer.")
    unusual = {issue.row for issue in check.unusual} if check.unusual else set()
    now = _now()
    with write_transaction(engine) as conn:
        for row in check.rows:
            same = [declarations.c[c] == row[c] if row[c] is not None else declarations.c[c].is_(None)
                    for c in CELL] + [declarations.c.partner_code == row["partner_code"],
                                      declarations.c.replaced_at.is_(None)]
            conn.execute(declarations.update().where(*same).values(replaced_at=now))
            conn.execute(declarations.insert().values(
                **{c: row[c] for c in CELL}, value=float(row["value"]),
                partner_code=row["partner_code"], source=row["source"][:300],
                link_id=link.id if link else None, declared_by=(declared_by or "")[:100] or
                "Partenaire", declared_at=now, note=note[:300], channel=channel,
                unusual_confirmed=bool(check.unusual) and (row["_line"] in unusual
                                                           or None in unusual)))
        from essaim.partners.settlements import reopen_threads_changed_by

        reopen_threads_changed_by(conn, check.rows, now, by=declared_by)
    log.info("Déclaration de %s (%s, lien n°%s, %s) : %s valeur(s) %s", declared_by or "Partenaire",
             ", ".join(sorted({row["partner_code"] for row in check.rows})),
             link.id if link else "—", channel, len(check.rows), note or "")
    return len(check.rows)


def withdraw_declaration(engine: Engine, declaration_id: int, scope: PartnerScope,
                         link: PartnerLink | None, *, withdrawn_by: str) -> dict:
    """The partner withdraws its current declaration of a cell: the cell no longer has a
    report of this partner (the history keeps it, marked withdrawn). Returns the withdrawn
    declaration. ValueError (French) for another partner's or an already replaced one."""
    now = _now()
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(declarations).where(
            declarations.c.id == int(declaration_id))).mappings().first()
        if row is None or row["partner_code"] != scope.partner_code:
            raise ValueError("Cette déclaration n'existe pas dans votre historique.")
        if row["withdrawn_at"] is not None:
            raise ValueError("Cette déclaration est déjà retirée.")
        if row["replaced_at"] is not None:
            raise ValueError("Cette déclaration a déjà été remplacée par une plus récente : "
                             "retirez la plus récente.")
        conn.execute(declarations.update().where(declarations.c.id == row["id"])
                     .values(withdrawn_at=now))
        from essaim.partners.settlements import reopen_threads_withdrawn

        reopen_threads_withdrawn(conn, dict(row), now, by=scope.partner_name)
    log.info("Déclaration n°%s retirée par %s (%s, lien n°%s)", row["id"], withdrawn_by or
             "le partenaire", row["partner_code"], link.id if link else "—")
    return dict(row)


def read_declarations(engine: Engine, partner_code: str | None = None,
                      since: dt.datetime | None = None) -> pd.DataFrame:
    """Declarations, newest first (all of a partner's, with replaced ones, when asked): the
    history of who declared what, when, from which source."""
    query = sa.select(declarations).order_by(declarations.c.declared_at.desc(),
                                             declarations.c.id.desc())
    if partner_code:
        query = query.where(declarations.c.partner_code == partner_code)
    if since is not None:
        query = query.where(declarations.c.declared_at > since)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in declarations.columns])


def restore_declaration(engine: Engine, declaration_id: int, dataset: Dataset,
                        scope: PartnerScope, link: PartnerLink | None, *, declared_by: str) -> int:
    """Declare again an earlier value of the partner (a new declaration, audited as a
    restoration)."""
    with engine.connect() as conn:
        old = conn.execute(sa.select(declarations).where(
            declarations.c.id == int(declaration_id))).mappings().first()
    if old is None or old["partner_code"] != scope.partner_code:
        raise ValueError("Cette déclaration n'existe pas dans votre historique.")
    row = {**{c: old[c] for c in CELL}, "value": old["value"], "source": old["source"],
           "partner_code": old["partner_code"], "_line": 1}
    check = check_declared_rows([row], "restauration", dataset, scope)
    if not check.ok:
        raise ValueError("Restauration impossible : " + "; ".join(i.message for i in check.errors))
    return declare_values(engine, check, link, declared_by=declared_by,
                          note=f"Restauration de la valeur déclarée le "
                               f"{pd.Timestamp(old['declared_at']):%d/%m/%Y}",
                          channel="restauration", confirm_unusual=True)


def scope_template(dataset: Dataset, scope: PartnerScope, period: str,
                   indicator_codes: list[str] | None = None) -> bytes:
    """The values template (XLSX) prefilled with the partner's cells for `period`: one row per
    essaimage of the scope and indicator, the current value of the partner if any."""
    codes = indicator_codes or list(dataset.indicators["code"])
    current = dataset.indicator_values[dataset.indicator_values["partner_code"]
                                       == scope.partner_code]
    current = current.set_index(["indicator_code", "essaimage_code", "period"])["value"]
    essaimages = dataset.essaimages[dataset.essaimages["code"].isin(scope.essaimage_codes)]
    rows = [{"indicator_code": code, "territory_code": e.territory_code,
             "essaimage_code": e.code, "period": period,
             "value": current.get((code, e.code, period)),
             "partner_code": scope.partner_code, "source": ""}
            for e in essaimages.sort_values("code").itertuples() for code in codes]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spec_frame(VALUES, rows).to_excel(writer, sheet_name=VALUES.label[:31], index=False)
        from essaim.imports.templates import explanations

        explanations(VALUES).to_excel(writer, sheet_name="Explications", index=False)
    return buffer.getvalue()
