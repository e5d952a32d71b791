"""The content of a restitution for one scope (the accelerator, an innovation, a territory or a
workshop session): a one-page summary, then the key indicators with their comparison points, the
public context, indirect impacts beside verbatims, disagreements between partners, avoided costs,
the workshop itself, method and limits, and the sources and vintages of every figure.

The blocks are drawn by essaim.reports.pptx (deck) and essaim.reports.pdf (PDF report)."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
from sqlalchemy.engine import Engine

from essaim.data.dataset import Dataset
from essaim.data.demo import demo_notice
from essaim.data.model import STAGES
from essaim.figures.counted import counted_values
from essaim.methods.avoided_costs import unit_costs_from
from essaim.numbers.dates import PARIS_NOTE, format_datetime, now_in_paris, to_paris
from essaim.numbers.formatting import plural
from essaim.reports.charts import key_indicator_charts
from essaim.reports.context import context_table, territory_place
from essaim.reports.day_report import KIND as DAY_KIND
from essaim.reports.day_report import build_day_report
from essaim.reports.evidence import (
    QUOTES_IN_DECK,
    avoided_cost_number,
    avoided_costs,
    disagreements_table,
    indirect_impacts,
    scope_disagreements,
)
from essaim.reports.figures import compared_key_figures, indicators_table
from essaim.reports.map import build_map
from essaim.reports.method import (
    all_sources_table,
    did_blocks,
    method_paragraphs,
    sources_table,
)
from essaim.reports.model import KeyNumbers, Paragraphs, ReportContent, Section, Summary
from essaim.reports.origin import origin_tables, provenance_inputs
from essaim.reports.scope import SCOPES, Scope, resolve_scope, scope_dataset
from essaim.reports.sources import declarations
from essaim.reports.synthesis import headline, sentences
from essaim.reports.workshop import (
    WorkshopRecord,
    decisions,
    when_line,
    workshop_sections,
)
from essaim.reports.workshop_annex import raw_input_blocks

__all__ = ["SCOPES", "build_report", "document_file_name", "file_stem", "scope_dataset"]

MAX_SUMMARY_FIGURES = 5
MAX_PLACES_NAMED = 8


def build_report(dataset: Dataset, departements: pd.DataFrame, contours: dict, kind: str,
                 value: str | None = None, engine: Engine | None = None,
                 counted: pd.DataFrame | None = None) -> ReportContent:
    """Assemble the restitution for a scope (see SCOPES); `value` is the innovation, territory or
    session code. `counted` (essaim.figures.counted.counted_values of the dataset) is computed when not
    given. Raises ValueError (French) for an unknown scope or value."""
    if kind == DAY_KIND:  # the grands témoins' synthesis: the rooms' inputs, no dataset figure
        return build_day_report(engine, value or "")
    scope = resolve_scope(dataset, kind, value, engine)
    counted = counted_values(dataset) if counted is None else counted
    record = WorkshopRecord.read(engine, scope.workshop, dataset.indicators) \
        if scope.workshop is not None else None
    figures = compared_key_figures(dataset, counted, departements, scope)
    cost_blocks, cost_summary = avoided_costs(dataset, counted, scope)
    notice = demo_notice(dataset.demo_tables)
    produced = now_in_paris()
    where = _where(dataset, departements, scope)
    decided = decisions(record) if record else []
    summary = _summary(dataset, counted, scope, figures, cost_summary, decided, where, record)

    workshop_parts = workshop_sections(record, where) if record is not None else []
    if workshop_parts and decided:
        workshop_parts[0].blocks.insert(0, Paragraphs("Ce que la salle a décidé", decided,
                                                      bullets=True))
    sections = list(workshop_parts)
    sections.append(Section("Le périmètre", [Paragraphs("Le périmètre", [
        f"Quoi : {summary.what}", f"Où : {where}", f"Quand : {summary.when}"])]))
    if not scope.essaimages.empty:
        sections.append(Section("Les territoires", [build_map(
            dataset, scope.essaimages, contours, "Les territoires de l'essaimage")]))
    reporting = [f for f in figures if f.figure.reporting]
    key_blocks = []
    if reporting:
        key_blocks.append(KeyNumbers("Chiffres clés et points de comparaison",
                                     [f.as_key_number() for f in reporting],
                                     caption="Valeurs qui font foi à l'année de référence "
                                             "commune ; couverture : territoires qui ont déclaré ; "
                                             "statut : comment les valeurs ont été établies.",
                                     source=summary.source))
    key_blocks += key_indicator_charts(dataset, counted, scope, figures)
    context = context_table(dataset, departements, scope)
    key_blocks += [context] if context is not None else []
    sections.append(Section("Indicateurs clés et points de comparaison", key_blocks or [
        Paragraphs("Indicateurs clés", [("Aucun indicateur n'est encore déclaré dans ce "
                                        "périmètre.")])]))
    table = indicators_table(dataset, counted, scope)
    if table is not None:  # reference material: in the PDF, the deck says where
        sections.append(Section("Tous les indicateurs", [table], deck=False))
    impacts, every_quote = indirect_impacts(dataset, counted, scope)
    annexes = []
    if every_quote is not None and len(every_quote.items) > QUOTES_IN_DECK:
        annexes.append(Section("Annexe : toutes les paroles recueillies", [every_quote],
                               deck=False))
    elif every_quote is not None:
        impacts.append(every_quote)
    sections.append(Section("Impacts indirects et paroles d'acteurs", impacts))
    sections.append(Section("Désaccords entre partenaires",
                            [disagreements_table(dataset, counted, scope)]))
    sections.append(Section("Coûts évités", cost_blocks))
    sections.append(Section("Méthode et limites", [
        method_paragraphs(counted, scope, [f for f in figures if not f.innovation]
                          or figures, notice), *did_blocks(dataset, counted, scope)]))
    sections.append(Section("Sources et millésimes", [sources_table(
        dataset, counted, scope, figures, unit_costs_from(dataset.indicators))]))
    origins = origin_tables(dataset, counted, provenance_inputs(engine), figures)
    if origins:
        annexes.append(Section("Annexe : origine des chiffres", origins, deck=False))
    sections += annexes
    annex = all_sources_table(counted, dataset, scope, figures)
    if annex is not None:
        sections.append(Section("Annexe : toutes les sources", [annex], deck=False))
    if record is not None:  # the raw inputs, last
        sections.append(Section("Annexe : les saisies brutes", raw_input_blocks(record),
                                deck=False))

    return ReportContent(
        kind=kind, code=scope.code, title=_title(dataset, departements, scope),
        subtitle=f"{SCOPES[kind]} · produit par Essaim le {format_datetime(produced)} "
                 f"({PARIS_NOTE})",
        produced_at=produced,
        document_date=to_paris(scope.workshop.created_at).date() if scope.workshop
        else produced.date(),
        notice=notice, summary=summary, sections=sections)


def _summary(dataset: Dataset, counted: pd.DataFrame, scope: Scope, figures, cost_summary,
             decided: list[str], where: str, record) -> Summary:
    """Headline, sentences and the figures that matter (the SROI ratio among them)."""
    numbers = [f.as_key_number() for f in figures if f.figure.reporting]
    sroi = avoided_cost_number(cost_summary) if cost_summary is not None else None
    numbers = numbers[:MAX_SUMMARY_FIGURES - (1 if sroi else 0)] + ([sroi] if sroi else [])
    shown = [f for f in figures if f.figure.reporting]
    years = {f.figure.year for f in shown}
    labels = dict(zip(dataset.indicators["code"], dataset.indicators["label"]))
    places = dict(zip(dataset.territories["code"], dataset.territories["name"]))
    return Summary(
        headline=headline(scope, figures, decided, places),
        sentences=sentences(scope, figures, counted, scope_disagreements(dataset, scope), labels,
                            places, decided, cost_summary),
        what=_what(dataset, scope), where=where,
        when=when_line(record) if record else _when(dataset, scope, figures),
        figures=numbers, decisions=decided,
        figures_note="" if numbers else "Aucun chiffre clé n'est encore déclaré dans ce périmètre.",
        source=declarations(dataset, counted, scope.essaimage_codes,
                            {f.figure.indicator_code for f in shown}, years) if shown else "")


def _title(dataset: Dataset, departements: pd.DataFrame, scope: Scope) -> str:
    if scope.kind == "territoire":
        place = territory_place(dataset, departements, scope.code)
        return f"Restitution — {scope.label} ({place['departement']})"
    if scope.kind == "atelier":
        return f"Restitution de la séance « {scope.label} »"
    return f"Restitution — {scope.label}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_PLACES_NAMED])
    return shown + (f" et {len(names) - MAX_PLACES_NAMED} autres" if len(names) > MAX_PLACES_NAMED
                    else "")


def _what(dataset: Dataset, scope: Scope) -> str:
    innovations = scope.essaimages.drop_duplicates("innovation_code")
    if scope.kind == "innovation":
        row = dataset.innovations.set_index("code").loc[scope.code]
        return (f"{row['name']}, portée par {row['porteur']}, pour {row['public'].lower()} : "
                f"{row['description']}")
    if scope.kind == "territoire":
        parts = [f"{e.innovation} ({e.stage_label}, mise en œuvre par {e.relay})"
                 for e in scope.essaimages.itertuples()]
        return f"{plural(len(parts), 'innovation essaimée', 'innovations essaimées')} : " \
               + " ; ".join(parts) + "."
    if scope.kind == "atelier":
        from essaim.workshops import KINDS

        return (f"{KINDS.get(scope.workshop.kind, scope.workshop.kind)} « {scope.label} », "
                f"code {scope.code}, sur {plural(len(scope.essaimages), 'essaimage')} de "
                f"{_names(sorted(innovations['innovation']))}.")
    return (f"L'{scope.label} de l'ANSA : "
            f"{plural(len(innovations), 'innovation sociale', 'innovations sociales')} "
            f"({_names(sorted(innovations['innovation']))}) essaimée"
            f"{'s' if len(innovations) > 1 else ''} dans "
            f"{plural(scope.essaimages['territory_code'].nunique(), 'territoire')}.")


def _where(dataset: Dataset, departements: pd.DataFrame, scope: Scope) -> str:
    if scope.essaimages.empty:
        return "Aucun territoire."
    if scope.comparison == "territoire" and scope.territory_code:
        place = territory_place(dataset, departements, scope.territory_code)
        territory = dataset.territories.set_index("code").loc[scope.territory_code]
        from essaim.data.model import SCALES

        scale = SCALES.get(territory["scale"], territory["scale"]).lower()
        if territory["scale"] == "qpv":
            kind = "quartier prioritaire de la politique de la ville"
        elif territory["qpv"]:
            kind = f"{scale} comptant au moins un quartier prioritaire de la politique de la ville"
        else:
            kind = scale
        return (f"{territory['name']} ({kind}), {place['departement']} "
                f"({place['code_departement']})"
                + (f", {place['region']}." if place["region"] != place["departement"] else "."))
    places = scope.essaimages.drop_duplicates("territory_code")
    deps = departements.set_index("code_departement")
    regions = {deps.at[c, "nom_region"] for c in places["code_departement"] if c in deps.index}
    names = sorted(f"{t} ({d})" for t, d in zip(places["territory"], places["code_departement"]))
    return (f"{plural(len(places), 'territoire')} dans "
            f"{plural(places['code_departement'].nunique(), 'département')} et "
            f"{plural(len(regions), 'région')} : {_names(names)}.")


def _when(dataset: Dataset, scope: Scope, figures) -> str:
    if scope.essaimages.empty:
        return "—"
    starts = pd.to_datetime(scope.essaimages["start_date"])
    reached = scope.essaimages["stage_rank"] >= list(STAGES).index("III")
    year = next((f.figure.year for f in figures if f.figure.reporting), None)
    span = f"en {starts.min().year}" if starts.min().year == starts.max().year else \
        f"de {starts.min().year} à {starts.max().year}"
    text = (f"Essaimages engagés {span} ; "
            f"{reached.sum()} sur {len(scope.essaimages)} ont atteint l'étape III (essaimage)")
    if scope.kind == "territoire" and len(scope.essaimages) == 1:
        row = scope.essaimages.iloc[0]
        text = (f"Engagé le {pd.Timestamp(row['start_date']):%d/%m/%Y} ; {row['stage_label']} "
                "atteinte")
    return text + (f". Chiffres clés : {year}." if year else ".")


def file_stem(what: str, kind: str, code: str | None, date) -> str:
    """"essaim_restitution_atelier_K7M2QX_2026-11-21": what, scope, code and date, ASCII only
    (accents dropped, anything else a dash) so that every system keeps the name as it is."""
    code = unicodedata.normalize("NFKD", code or "").encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Za-z0-9]+", "-", code).strip("-")
    return "_".join(["essaim", what, kind] + ([code] if code else []) + [date.isoformat()])


def document_file_name(content: ReportContent, extension: str) -> str:
    """"essaim_restitution_atelier_K7M2QX_2026-11-21.pdf": the session's date for a workshop,
    the day the document was produced otherwise (Paris time)."""
    return (file_stem("restitution", content.kind, content.code, content.document_date) + "."
            + extension.lstrip("."))
