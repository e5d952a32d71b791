"""The restitution of a national day: the grands témoins' synthesis (essaim.workshops.day_synthesis)
as a deck and a PDF, drawn by the same renderers and to the same standards as the other
restitutions — a one-page synthesis first, then the programme, where the rooms agreed or differed,
the proposals that recur, each comptoir with its grand témoin's lines, the method and the sources.

Comptoirs are keyed C1, C2… in programme order: the table of weights holds one column per
comptoir, and the programme says which is which."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from essaim.numbers.dates import PARIS_NOTE, format_datetime, now_in_paris
from essaim.numbers.formatting import NOT_AVAILABLE, format_number, format_plain, plural
from essaim.reports.design import PREVIOUS_YEAR, SERIES_PALETTE
from essaim.reports.model import (
    Chart,
    KeyNumber,
    Paragraphs,
    ReportContent,
    Section,
    Series,
    Summary,
    Table,
)
from essaim.reports.units import number_format
from essaim.text import quoted
from essaim.workshops.day_people import day_people
from essaim.workshops.day_synthesis import (
    AGREE_POINTS,
    DIFFER_POINTS,
    RULE,
    ComptoirSynthesis,
    DaySynthesis,
    DimensionComparison,
    build_day_synthesis,
)
from essaim.workshops.days import Day, find_day

KIND = "journee"
PROPOSALS_IN_DECK = 5


def build_day_report(engine: Engine, code: str) -> ReportContent:
    """The restitution of the day `code`, from the store as it is now; ValueError (French) when
    there is no such day."""
    day = find_day(engine, code or "")
    if day is None:
        raise ValueError("Journée introuvable : vérifiez son code.")
    synthesis = build_day_synthesis(engine, day)
    keys = {c.code: f"C{i}" for i, c in enumerate(synthesis.comptoirs, start=1)}
    people = day_people(engine, day)
    source = day_source(day, synthesis)
    produced = now_in_paris()
    if not synthesis.comptoirs:
        raise ValueError("Cette journée n'a pas encore de comptoir : ajoutez-en dans l'onglet "
                         "« Comptoirs » avant d'en préparer la restitution.")
    sections = [
        Section("La journée", [programme_table(day, synthesis, keys, source)]),
        Section("Où les salles s'accordent et divergent",
                dimension_blocks(synthesis, keys, source)),
        Section("Les propositions qui reviennent", [recurrences_block(synthesis, keys, source)]),
        *[Section(f"{keys[c.code]} · {c.title}", comptoir_blocks(c))
          for c in synthesis.comptoirs],
        Section("Méthode et sources", [method_paragraphs(), sources_table(day, synthesis, keys)]),
    ]
    every = all_proposals(synthesis, keys, source)
    if every is not None:
        sections.append(Section("Annexe : toutes les propositions des comptoirs", [every],
                                deck=False))
    return ReportContent(
        kind=KIND, code=day.code, title=f"Restitution de la journée « {day.title} »",
        subtitle=f"Journée nationale du {day.day_date:%d/%m/%Y}"
                 + (f", {day.place}" if day.place else "")
                 + f" · document produit par Essaim le {format_datetime(produced)} "
                   f"({PARIS_NOTE})",
        produced_at=produced, document_date=day.day_date, notice="",
        summary=day_summary(day, synthesis, people, source), sections=sections)


def day_source(day: Day, synthesis: DaySynthesis) -> str:
    joined = sum(c.participants for c in synthesis.comptoirs)
    return (f"Source : saisies des participants des {plural(len(synthesis.comptoirs), 'comptoir')} "
            f"de la journée du {day.day_date:%d/%m/%Y} ({plural(joined, 'participation')}).")


def headline(day: Day, synthesis: DaySynthesis) -> str:
    """The main finding: where the rooms differ most, else a proposal that recurs, else where
    they agree."""
    if synthesis.differing:
        first = synthesis.differing[0]
        return (f"Les salles divergent sur {quoted(first.label)} : de "
                f"{format_plain(first.low[1])} à {format_plain(first.high[1])} points sur 100")
    if synthesis.recurrences:
        first = synthesis.recurrences[0]
        kind = f" ({first.kind.lower()})" if first.kind else ""
        return (f"Une proposition revient dans {plural(len(first.comptoirs), 'comptoir')}{kind} : "
                f"{quoted(first.text)}")
    if synthesis.agreed:
        return f"Les salles s'accordent sur le poids de {quoted(synthesis.agreed[0].label)}"
    return f"{day.title} : {plural(len(synthesis.comptoirs), 'comptoir')}"


def day_summary(day: Day, synthesis: DaySynthesis, people: int, source: str) -> Summary:
    comptoirs = synthesis.comptoirs
    compared = [d for d in synthesis.dimensions if len(d.medians) > 1]
    proposals = sum(len(c.proposals) for c in comptoirs)
    witnessed = sum(1 for c in comptoirs if c.temoin_lines)
    figures = [
        KeyNumber("Comptoirs", plural(len(comptoirs), "comptoir"),
                  coverage=f"en {plural(len(day.rooms), 'salle')} et "
                           f"{plural(len(day.slots), 'créneau', 'créneaux')}"),
        KeyNumber("Participations", format_number(sum(c.participants for c in comptoirs)),
                  coverage=f"{plural(people, 'personne a', 'personnes ont')} rejoint la journée"),
        KeyNumber("Propositions et commentaires", format_number(proposals),
                  coverage=(f"{plural(len(synthesis.recurrences), 'idée revient', 'idées reviennent')}"
                            " d'un comptoir à l'autre") if synthesis.recurrences else
                  "aucune idée ne revient d'un comptoir à l'autre"),
        KeyNumber("Dimensions où les salles divergent",
                  f"{format_number(len(synthesis.differing))} sur "
                  f"{format_number(len(compared))}" if compared else NOT_AVAILABLE,
                  coverage=f"écart de {format_plain(DIFFER_POINTS)} points ou plus entre les "
                           "médianes des comptoirs"),
        KeyNumber("Lignes des grands témoins", f"{witnessed} sur {len(comptoirs)}",
                  coverage="comptoirs dont le grand témoin a écrit ses lignes"),
    ]
    slots = " ; ".join(s.text for s in day.slots)
    return Summary(
        headline=headline(day, synthesis), sentences=list(synthesis.sentences),
        what=f"Journée nationale « {day.title} », code {day.code}",
        where=day.place or NOT_AVAILABLE, when=f"{day.day_date:%d/%m/%Y} : {slots}",
        figures=figures, source=source)


def programme_table(day: Day, synthesis: DaySynthesis, keys: dict, source: str) -> Table:
    rows = [{"Repère": keys[c.code], "Créneau": c.slot, "Salle": c.room, "Comptoir": c.title,
             "Question": c.question or NOT_AVAILABLE,
             "Grand témoin": c.grand_temoin or NOT_AVAILABLE,
             "Participants": format_number(c.participants)} for c in synthesis.comptoirs]
    return Table(f"Le programme ({day.day_date:%d/%m/%Y}, {day.place})"
                 if day.place else f"Le programme ({day.day_date:%d/%m/%Y})",
                 pd.DataFrame(rows, columns=["Repère", "Créneau", "Salle", "Comptoir", "Question",
                                             "Grand témoin", "Participants"]),
                 widths=(0.8, 1.9, 1.2, 2.2, 3.4, 1.6, 1.1), numeric=("Participants",),
                 caption="Les repères C1, C2… désignent les comptoirs dans les tableaux qui "
                         "suivent ; heures de Paris.", source=source)


VERDICT = "Entre comptoirs"


def verdict(dimension: DimensionComparison) -> str:
    if len(dimension.medians) < 2:
        return "un seul comptoir"
    if not dimension.weighed:
        return "aucun point"
    if dimension.spread < AGREE_POINTS:
        return "accord"
    return "divergence" if dimension.spread >= DIFFER_POINTS else "entre les deux"


def dimension_blocks(synthesis: DaySynthesis, keys: dict, source: str) -> list:
    if not synthesis.dimensions:
        return [Paragraphs("Le poids des dimensions", [
            "Aucun comptoir n'a encore réparti ses 100 points."])]
    titles = {c.title: keys[c.code] for c in synthesis.comptoirs}
    columns = [keys[c.code] for c in synthesis.comptoirs]
    rows = []
    for dimension in synthesis.dimensions:
        row = {"Dimension": dimension.label}
        by_key = {titles[t]: v for t, v in dimension.medians.items()}
        row.update({k: format_plain(by_key[k], 1) if k in by_key else NOT_AVAILABLE
                    for k in columns})
        row["Écart"] = format_plain(dimension.spread, 1) if len(dimension.medians) > 1 \
            else NOT_AVAILABLE
        row[VERDICT] = verdict(dimension)
        rows.append(row)
    share = max(0.55, min(0.9, 5.4 / max(len(columns), 1)))
    table = Table("Le poids des dimensions, comptoir par comptoir", pd.DataFrame(rows),
                  widths=(3.0, *([share] * len(columns)), 0.8, 1.6),
                  numeric=(*columns, "Écart"),
                  caption=f"Médiane des points sur 100 donnés par les participants de chaque "
                          f"comptoir ; {NOT_AVAILABLE} : dimension absente de la grille du "
                          "comptoir, ou personne n'a réparti ses points. Dimensions de l'écart le "
                          f"plus grand au plus petit. Accord : écart sous {format_plain(AGREE_POINTS)} "
                          f"points ; divergence : {format_plain(DIFFER_POINTS)} points ou plus.",
                  source=source)
    compared = [d for d in synthesis.dimensions if len(d.medians) > 1 and d.weighed]
    if not compared:
        return [table]
    return [table, spread_chart(compared, source)]


def spread_chart(compared: list[DimensionComparison], source: str) -> Chart:
    def series(name: str, values: list[float]) -> Series:
        return Series(name, tuple(values), tuple(format_plain(v, 1) for v in values))

    return Chart("De la médiane la plus basse à la plus haute, par dimension",
                 [d.label for d in compared],
                 [series("Comptoir le plus bas", [d.low[1] for d in compared]),
                  series("Comptoir le plus haut", [d.high[1] for d in compared])],
                 kind="bars", axis_title="en points sur 100", decimals=1,
                 colours=(PREVIOUS_YEAR, SERIES_PALETTE[0]), number_format=number_format("pts"),
                 caption=f"Les salles s'accordent quand l'écart reste sous "
                         f"{format_plain(AGREE_POINTS)} points et divergent à "
                         f"{format_plain(DIFFER_POINTS)} points ou plus.", source=source)


def recurrences_block(synthesis: DaySynthesis, keys: dict, source: str) -> Table | Paragraphs:
    if not synthesis.recurrences:
        return Paragraphs("Les propositions qui reviennent", [
            "Aucune proposition ne revient d'un comptoir à l'autre."])
    key_of = {c.title: keys[c.code] for c in synthesis.comptoirs}
    frame = pd.DataFrame({
        "Type": [r.kind for r in synthesis.recurrences],
        "Proposition": [r.text for r in synthesis.recurrences],
        "Comptoirs": [", ".join(key_of.get(t, t) for t in r.comptoirs)
                      for r in synthesis.recurrences],
        "Nombre de comptoirs": [format_number(len(r.comptoirs)) for r in synthesis.recurrences]})
    return Table("Les propositions qui reviennent", frame, widths=(2.0, 5.0, 1.6, 1.4),
                 numeric=("Nombre de comptoirs",),
                 caption="La formulation la plus soutenue de chaque groupe de propositions "
                         "proches.", source=source)


def comptoir_blocks(comptoir: ComptoirSynthesis) -> list:
    """One block, one slide: what the comptoir asked, who came, what its room weighed most, its
    grand témoin's own words and its most supported proposals."""
    people = plural(comptoir.participants, "participant") if comptoir.participants else \
        "aucun participant"
    lines = [f"{comptoir.room} · {comptoir.slot} · {people}."]
    if comptoir.question:
        lines.insert(0, f"Question : {comptoir.question}")
    if comptoir.top_dimensions:
        lines.append("Dimensions au poids le plus fort : " + ", ".join(
            f"{quoted(label)} ({format_plain(comptoir.weights.at[label, 'median'], 1)} points)"
            for label in comptoir.top_dimensions) + ".")
    who = comptoir.grand_temoin or "Le grand témoin"
    lines.append(f"{who}, grand témoin : {quoted(' '.join(comptoir.temoin_lines))}"
                 if comptoir.temoin_lines else
                 f"{who}, grand témoin, n'a pas encore écrit ses lignes.")
    shown = comptoir.proposals[:PROPOSALS_IN_DECK]
    if shown:
        more = len(comptoir.proposals) - len(shown)
        lines.append("Propositions les plus soutenues : " + " ; ".join(
            f"{quoted(p.text)} ({p.kind.lower()}"
            + (f", {plural(p.votes, 'vote')})" if p.votes else ")") for p in shown)
            + (f" ; {plural(more, 'autre')} en annexe du rapport PDF." if more else "."))
    else:
        lines.append("Aucune proposition ni commentaire.")
    return [Paragraphs("Le comptoir", lines)]


def all_proposals(synthesis: DaySynthesis, keys: dict, source: str) -> Table | None:
    rows = [{"Comptoir": keys[c.code], "Type": p.kind, "Proposition": p.text,
             "Critère visé": p.about, "Votes": format_number(p.votes)}
            for c in synthesis.comptoirs for p in c.proposals]
    if not any(len(c.proposals) > PROPOSALS_IN_DECK for c in synthesis.comptoirs):
        return None  # every proposal is already in its comptoir's section
    return Table("Toutes les propositions des comptoirs", pd.DataFrame(rows),
                 widths=(0.9, 1.8, 5.0, 2.2, 0.8), numeric=("Votes",),
                 caption="Par comptoir (repères du programme), puis par votes décroissants.",
                 source=source)


def method_paragraphs() -> Paragraphs:
    return Paragraphs("Méthode", [
        RULE,
        ("Médiane : la réponse du milieu ; avec un nombre pair de réponses, le milieu des deux "
         "réponses centrales, d'où des demi-points (12,5)."),
        ("Chaque téléphone rejoint la journée une fois, avec un code unique ; dans chaque "
        "comptoir, ses saisies restent celles de ce comptoir. Une participation : une personne "
        "dans un comptoir (une personne qui suit trois comptoirs compte trois participations)."),
        ("Les lignes des grands témoins sont les leurs, reproduites telles qu'ils les ont "
        "écrites ; aucun participant n'est nommé dans ce document.")])


def sources_table(day: Day, synthesis: DaySynthesis, keys: dict) -> Table:
    slots = {s.text: s for s in day.slots}
    rows = [{"Comptoir": f"{keys[c.code]} · {c.title}",
             "Source": (f"saisies des {plural(c.participants, 'participant')}"
                        if c.participants else "aucune saisie")
                       + f" : {c.room}, {slots[c.slot].label.lower()}, {slots[c.slot].hours}",
             "Date": f"{day.day_date:%d/%m/%Y}"} for c in synthesis.comptoirs]
    return Table("Sources", pd.DataFrame(rows), widths=(3.6, 5.6, 1.4),
                 caption="Les saisies telles qu'enregistrées au moment où ce document a été "
                         "produit.", source=f"Source : journée {day.code}, enregistrée dans "
                                            "Essaim.")
