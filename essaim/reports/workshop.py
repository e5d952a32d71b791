"""The workshop part of a restitution: the session (date, duration, participation by role),
answers per question, the room's weights with their spread, relevance ratings, every proposal
and comment with who made it and its votes, the grid's versions with their changes and authors,
the final grid, and the raw inputs as an annex. What the room decided opens the document."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from essaim import workshops
from essaim.numbers.dates import (
    PARIS_NOTE,
    format_datetime,
    format_duration,
    format_time,
    to_paris,
)
from essaim.numbers.formatting import NOT_AVAILABLE, format_number, format_plain, plural
from essaim.reports.model import Chart, Paragraphs, Section, Series, SideBySide, Table
from essaim.reports.sources import workshop as workshop_source
from essaim.reports.units import number_format, value_text
from essaim.workshops.grid import (
    Grid,
    criterion_points,
    diff_grids,
    grid_from_json,
    points_out_of_100,
)
from essaim.workshops.grid_io import grid_rows
from essaim.workshops.room import (
    AGGREGATION_RULE,
    aggregate_ratings,
    aggregate_weights,
    format_points,
    participation_by_role,
    proposals,
    quoted_names,
    weights_table,
)

ANONYMOUS = "anonyme"
RAW_KINDS = {"weights": "Répartition des points", "rating": "Notes de pertinence (1 à 5)",
             **workshops.PROPOSAL_KINDS}
# Moderation states a proposal may carry (issue 10); only visible ones reach a document.
SHOWN_MODERATION = "visible"


@dataclass(frozen=True)
class WorkshopRecord:
    """Everything stored about a session, read once."""

    workshop: workshops.Workshop
    grid: Grid
    version: int
    versions: pd.DataFrame
    inputs: pd.DataFrame
    people: pd.DataFrame
    units: dict = field(default_factory=dict)  # indicator code → (unit, measure)

    @classmethod
    def read(cls, engine: Engine, workshop: workshops.Workshop,
             indicators: pd.DataFrame | None = None) -> WorkshopRecord:
        grid, version = workshops.current_grid(engine, workshop.code)
        units = {} if indicators is None else {
            r.code: (r.unit, r.measure) for r in indicators.itertuples()}
        return cls(workshop, grid, version, workshops.list_grid_versions(engine, workshop.code),
                   workshops.read_inputs(engine, workshop.code),
                   workshops.read_participants(engine, workshop.code), units)

    def target_text(self, criterion_id: str, value) -> str:
        """A criterion's target or threshold with the unit of its indicator (« 45,0 % »)."""
        indicator = next((c.indicator_code for _, c in self.grid.criteria()
                          if c.id == criterion_id), None)
        unit, measure = self.units.get(indicator, ("", None))
        if not unit:
            return format_plain(value)
        return value_text(value, unit, measure)

    def source(self) -> str:
        """« Source : saisies des 40 participants de la séance du 21/11/2026. »"""
        return workshop_source(f"{to_paris(self.start()):%d/%m/%Y}", len(self.people))

    def start(self):
        return self.workshop.created_at

    def end(self):
        """The last thing that happened: an input, a join or a grid version."""
        moments = [self.workshop.created_at]
        for frame, column in ((self.inputs, "updated_at"), (self.people, "joined_at"),
                              (self.versions, "created_at")):
            if not frame.empty:
                moments.append(max(frame[column]))
        return max(moments, key=lambda m: to_paris(m))


def who(pseudonym, role) -> str:
    """"Camille (Élu·e)", "anonyme (Financeur)", "anonyme"."""
    name = pseudonym.strip() if isinstance(pseudonym, str) and pseudonym.strip() else ANONYMOUS
    return f"{name} ({role})" if isinstance(role, str) and role else name


def shown_proposals(inputs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The proposals and comments a document may show (moderated ones left out) and how many
    were left out."""
    said = proposals(inputs, include_hidden=True)
    if "moderation" in said.columns:
        kept = said[said["moderation"].fillna(SHOWN_MODERATION) == SHOWN_MODERATION]
        return kept, len(said) - len(kept)
    return said, 0


def when_line(record: WorkshopRecord) -> str:
    """"Le 21/11/2026, de 14 h 05 à 16 h 20 (2 h 15), heure de Paris"."""
    start, end = record.start(), record.end()
    day = f"{to_paris(start):%d/%m/%Y}"
    if to_paris(end).date() != to_paris(start).date():
        return (f"Du {format_datetime(start)} au {format_datetime(end)} "
                f"({format_duration(to_paris(end) - to_paris(start))}), {PARIS_NOTE}")
    return (f"Le {day}, de {format_time(start)} à {format_time(end)} "
            f"({format_duration(to_paris(end) - to_paris(start))}), {PARIS_NOTE}")


def _dimension_labels(grid: Grid) -> dict[str, str]:
    return {d.id: d.label for d in grid.dimensions}


def _criterion_labels(grid: Grid) -> dict[str, str]:
    return {c.id: c.label for _, c in grid.criteria()}


def _which(labels: dict[str, str], ids, among: int) -> str:
    """Tied dimensions, named when two at most, counted beyond (a sentence, not a list)."""
    if len(ids) <= 2:
        return quoted_names(labels, ids)
    return f"ses {among} dimensions" if len(ids) == among else \
        f"{len(ids)} dimensions à égalité ({quoted_names(labels, ids)})"


def decisions(record: WorkshopRecord) -> list[str]:
    """What the room decided, in a few sentences for the summary."""
    lines = []
    first = grid_from_json(record.versions.iloc[0]["grid_json"]) if len(record.versions) else None
    changes = diff_grids(first, record.grid) if first is not None else []
    last = record.versions.iloc[-1] if len(record.versions) else None
    if last is not None and record.version > 1:
        lines.append(f"Grille adoptée : version {record.version} ({last['author']}, "
                     f"{format_datetime(last['created_at'])}), "
                     f"{plural(len(changes), 'changement')} depuis la grille de départ"
                     + (" : " + " ; ".join(changes[:3]) + ("…" if len(changes) > 3 else "")
                        if changes else "") + ".")
    else:
        lines.append("La grille de départ n'a pas été modifiée pendant la séance.")
    aggregated = aggregate_weights(weights_table(record.inputs))
    labels = _dimension_labels(record.grid)
    aggregated = aggregated[aggregated.index.isin(labels)]
    if not aggregated.empty:
        top = aggregated.index[aggregated["median"] == aggregated["median"].max()]
        widest = aggregated.index[aggregated["spread"] == aggregated["spread"].max()]
        median = format_points(aggregated.at[top[0], "median"])
        spread = format_points(aggregated.at[widest[0], "spread"])
        most = "autant de" if len(top) == len(aggregated) > 1 else "le plus de"
        lines.append(f"La salle donne {most} poids à {_which(labels, top, len(aggregated))} "
                     f"(médiane {median} points sur 100{' chacune' if len(top) > 1 else ''}) ; "
                     f"plus fort désaccord sur {_which(labels, widest, len(aggregated))} (écart "
                     f"interquartile de {spread} points{' chacune' if len(widest) > 1 else ''}).")
    ratings = aggregate_ratings(record.inputs)
    criteria = _criterion_labels(record.grid)
    ratings = ratings[ratings.index.isin(criteria)]
    if not ratings.empty:
        best = ratings.sort_values(["median", "n"], ascending=False).index[0]
        lines.append(f"Critère jugé le plus pertinent : « {criteria[best]} » (médiane "
                     f"{format_number(ratings.at[best, 'median'], 1)} sur 5, "
                     f"{plural(int(ratings.at[best, 'n']), 'note')}).")
    said, _ = shown_proposals(record.inputs)
    if not said.empty:
        counts = said["kind"].value_counts()
        parts = [f"{format_number(n)} × {workshops.PROPOSAL_KINDS[kind].lower()}"
                 for kind, n in counts.items()]
        line = f"{plural(len(said), 'proposition ou commentaire', 'propositions et commentaires')} " \
               f"({', '.join(parts)})"
        if "votes" in said.columns and said["votes"].fillna(0).max() > 0:
            top = said.sort_values("votes", ascending=False).iloc[0]
            line += f" ; la plus soutenue : « {top['text']} » ({plural(int(top['votes']), 'vote')})"
        lines.append(line + ".")
    return lines


def session_facts(record: WorkshopRecord, scope_line: str) -> Table:
    workshop = record.workshop
    weights = int((record.inputs["kind"] == "weights").sum())
    rows = [("Séance", workshop.title), ("Type", workshops.KINDS.get(workshop.kind, workshop.kind)),
            ("Code de la séance", workshop.code), ("Date et horaires", when_line(record)),
            ("Périmètre", scope_line),
            ("Participants", (f"{plural(len(record.people), 'participant')}, dont {weights} "
                             "ont réparti leurs 100 points")),
            ("Grille", f"version {record.version} sur {len(record.versions)}"),
            ("État", "ouverte" if workshop.is_open else "close")]
    return Table("La séance", pd.DataFrame(rows, columns=["", "Détail"]), widths=(2.2, 8.0),
                 source=record.source())


def participation(record: WorkshopRecord) -> list:
    roles = participation_by_role(record.people)
    if roles.empty:
        return [Paragraphs("Participation", ["Personne n'a rejoint la séance."])]
    table = Table("Participation par rôle", pd.DataFrame({
        "Rôle déclaré": list(roles.index), "Participants": [format_number(v) for v in roles],
        "Part": [format_number(100 * v / roles.sum(), 0, "%") for v in roles]}),
        widths=(4.0, 1.5, 1.2), numeric=("Participants", "Part"),
        caption="Rôle choisi par chaque participant en rejoignant la séance (facultatif).",
        source=record.source())
    chart = Chart("Participants par rôle", list(roles.index), [Series(
        "Participants", tuple(float(v) for v in roles), tuple(format_number(v) for v in roles))],
        kind="bars", axis_title="en participants", number_format=number_format("participants"),
        caption="Rôles déclarés ; « Non précisé » : rôle non indiqué.", source=record.source())
    return [SideBySide("Participation par rôle", table, chart)]


def answers_per_question(record: WorkshopRecord) -> Table:
    inputs = record.inputs
    criteria = _criterion_labels(record.grid)
    rows = [("Répartition des 100 points entre les dimensions",
             int((inputs["kind"] == "weights").sum()))]
    ratings = inputs[inputs["kind"] == "rating"]
    for criterion_id, label in criteria.items():
        count = int((ratings["slot"] == criterion_id).sum())
        if count:
            rows.append((f"Pertinence : {label}", count))
    said, _ = shown_proposals(inputs)
    for kind, label in workshops.PROPOSAL_KINDS.items():
        rows.append((label, int((said["kind"] == kind).sum())))
    frame = pd.DataFrame({"Question": [q for q, _ in rows],
                          "Réponses": [format_number(n) for _, n in rows]})
    return Table("Réponses par question", frame, widths=(7.0, 1.3), numeric=("Réponses",),
                 caption="Une réponse par participant et par question (la dernière saisie compte).",
                 source=record.source())


def room_weights(record: WorkshopRecord) -> list:
    aggregated = aggregate_weights(weights_table(record.inputs))
    labels = _dimension_labels(record.grid)
    aggregated = aggregated.reindex([i for i in labels if i in aggregated.index])
    if aggregated.empty:
        return [Paragraphs("Les poids de la salle", [("Personne n'a encore réparti ses 100 "
                                                     "points.")])]
    adopted = points_out_of_100({d.id: d.weight for d in record.grid.dimensions})
    names = [labels[i] for i in aggregated.index]
    table = Table("Les poids de la salle et leur dispersion", pd.DataFrame({
        "Dimension": names,
        "Grille adoptée": [format_points(adopted[i]) for i in aggregated.index],
        "Médiane de la salle": [format_points(v) for v in aggregated["median"]],
        "1er – 3e quartile": [f"{format_points(a)} – {format_points(b)}"
                              for a, b in zip(aggregated["q1"], aggregated["q3"])],
        "Écart interquartile": [format_points(v) for v in aggregated["spread"]],
        "Participants": [format_number(v) for v in aggregated["n"]]}),
        widths=(3.6, 1.3, 1.4, 1.5, 1.4, 1.3),
        numeric=("Grille adoptée", "Médiane de la salle", "1er – 3e quartile",
                 "Écart interquartile", "Participants"),
        caption="Points sur 100 (la grille adoptée aussi). Un écart interquartile large : la salle "
                "est partagée. " + AGGREGATION_RULE,
        source=record.source())
    chart = Chart("Poids médians de la salle et dispersion", names, [
        Series(name, tuple(float(v) for v in aggregated[column]),
               tuple(format_points(v) for v in aggregated[column]))
        for name, column in (("1er quartile", "q1"), ("Médiane", "median"),
                             ("3e quartile", "q3"))],
        kind="bars", axis_title="en points sur 100", colours=("#9CC3E4", "#0072B2", "#1F3A5F"),
        number_format=number_format("pts"),
        caption="Pour chaque dimension : un quart de la salle donne moins que le 1er quartile, "
                "un quart plus que le 3e.", source=record.source())
    return [table, chart]


def room_ratings(record: WorkshopRecord) -> list:
    ratings = aggregate_ratings(record.inputs)
    criteria = _criterion_labels(record.grid)
    dimension_of = {c.id: d.label for d, c in record.grid.criteria()}
    ratings = ratings.reindex([c for c in criteria if c in ratings.index])
    if ratings.empty:
        return [Paragraphs("Pertinence des critères", ["Aucun critère n'a été noté."])]
    ordered = ratings.sort_values("median", ascending=False)
    table = Table("Pertinence des critères selon la salle", pd.DataFrame({
        "Critère": [criteria[c] for c in ordered.index],
        "Dimension": [dimension_of[c] for c in ordered.index],
        "Médiane (1 à 5)": [format_points(v) for v in ordered["median"]],
        "Écart interquartile": [format_points(v) for v in ordered["spread"]],
        "Notes": [format_number(v) for v in ordered["n"]]}),
        widths=(4.2, 2.8, 1.4, 1.4, 0.9),
        numeric=("Médiane (1 à 5)", "Écart interquartile", "Notes"),
        caption="Chaque participant note la pertinence de chaque critère de 1 (peu pertinent) à "
                "5 (très pertinent).", source=record.source())
    top = ordered.head(14)
    chart = Chart("Pertinence médiane des critères (1 à 5)", [criteria[c] for c in top.index], [
        Series("Médiane", tuple(float(v) for v in top["median"]),
               tuple(format_number(v, 1) for v in top["median"]))],
        kind="bars", axis_title="note de 1 à 5", decimals=1,
        number_format=number_format("note /5", "score"), source=record.source(),
        caption="Les critères les mieux notés" + (" (les 14 premiers)." if len(ordered) > 14
                                                  else "."))
    return [table, chart]


def proposals_table(record: WorkshopRecord) -> Table | Paragraphs:
    said, left_out = shown_proposals(record.inputs)
    note = (" " + plural(left_out, "proposition masquée ou en attente",
                         "propositions masquées ou en attente")
            + " de modération n'y figure" + ("nt" if left_out > 1 else "") + " pas."
            if left_out else "")
    if said.empty:
        return Paragraphs("Propositions et commentaires", ["Aucune proposition ni commentaire."
                                                           + note])
    criteria = _criterion_labels(record.grid)
    said = said.sort_values("updated_at")
    frame = pd.DataFrame({
        "Type": [workshops.PROPOSAL_KINDS.get(k, k) for k in said["kind"]],
        "Proposition": [t + (f" (objectif {record.target_text(a, v)})" if pd.notna(v) else "")
                        for t, v, a in zip(said["text"], said["value"], said["about"])],
        "Critère visé": [criteria.get(a, a) if a else "" for a in said["about"]],
        "Par": [who(p, r) for p, r in zip(said["pseudonym"], said["role"])],
        "Heure": [format_time(t) for t in said["updated_at"]]})
    widths = [1.7, 4.6, 2.0, 1.9, 0.8]
    numeric = ("Heure",)
    if "votes" in said.columns:
        frame["Votes"] = [format_number(v) for v in said["votes"].fillna(0)]
        widths.append(0.7)
        numeric += ("Votes",)
    return Table("Ce que la salle a proposé", frame, widths=tuple(widths),
                 numeric=numeric, caption=f"{plural(len(said), 'proposition ou commentaire', 'propositions et commentaires')}, "
                                          "dans l'ordre où ils ont été faits ; heure de Paris. "
                                          f"« anonyme » : participant sans pseudonyme.{note}",
                 source=record.source())


def versions_table(record: WorkshopRecord) -> Table:
    rows, previous = [], None
    for version in record.versions.itertuples():
        grid = grid_from_json(version.grid_json)
        changes = diff_grids(previous, grid) if previous is not None else []
        rows.append({"Version": str(version.version), "Auteur": version.author,
                     "Date et heure": format_datetime(version.created_at),
                     "Raison": version.summary.replace("\n", " ; "),
                     "Changements": "\n".join(changes) if changes else
                     ("Grille de départ" if previous is None else "aucun changement de critère")})
        previous = grid
    return Table("Les versions de la grille", pd.DataFrame(rows),
                 widths=(0.8, 1.5, 1.9, 2.6, 5.0), numeric=("Version",),
                 caption="Chaque version garde son auteur et l'heure (heure de Paris) ; les "
                         "changements sont calculés entre versions successives, les poids en "
                         "points sur 100 comme dans la grille adoptée.",
                 source="Source : historique des versions de la grille de la séance.")


def final_grid(record: WorkshopRecord) -> Table:
    rows = grid_rows(record.grid)
    points = list(criterion_points(record.grid).values())
    frame = pd.DataFrame({
        "Dimension": rows["Dimension"], "Critère": rows["Critère"],
        "Poids (sur 100)": [format_points(p) for p in points],
        "Objectif": [record.target_text(c, v) if pd.notna(v) else NOT_AVAILABLE
                     for c, v in zip(rows["Identifiant critère"], rows["Objectif"])],
        "Seuil": [record.target_text(c, v) if pd.notna(v) else NOT_AVAILABLE
                  for c, v in zip(rows["Identifiant critère"], rows["Seuil"])],
        "Effets pervers à surveiller": rows["Effets pervers"].fillna("")})
    return Table(f"La grille adoptée (version {record.version})", frame,
                 widths=(2.2, 3.4, 1.1, 1.2, 1.2, 3.0),
                 numeric=("Poids (sur 100)", "Objectif", "Seuil"),
                 caption="Poids rapportés à 100 (la colonne fait 100), comme dans les versions "
                         "ci-dessous ; objectif et seuil dans l'unité de l'indicateur du critère, "
                         f"{NOT_AVAILABLE} si aucun.",
                 source="Source : grille adoptée pendant la séance.")


def workshop_sections(record: WorkshopRecord, scope_line: str) -> list[Section]:
    """The sections of a workshop restitution (its raw inputs are an annex of their own:
    essaim.reports.workshop_annex)."""
    return [
        Section("La séance", [session_facts(record, scope_line), *participation(record),
                              answers_per_question(record)]),
        Section("Ce que dit la salle", [*room_weights(record), *room_ratings(record)]),
        Section("Propositions et commentaires", [proposals_table(record)]),
        Section("La grille et ses versions", [final_grid(record), versions_table(record)]),
    ]
