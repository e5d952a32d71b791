"""The content of a restitution (title, sections, figures, tables, sources) for one scope:
a workshop session, a territory, an innovation or the whole accelerator. Rendering to PowerPoint
and PDF is in essaim.report_render; the charts are plotly figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.engine import Engine

from essaim import workshops
from essaim.dataset import Dataset
from essaim.demo import demo_notice
from essaim.formatting import format_number, format_percent, format_value
from essaim.geo import CATEGORICAL_PALETTE, innovation_colours
from essaim.grid_io import grid_rows
from essaim.reference import REFERENCE_INDICATORS
from essaim.room import aggregate_weights, participation_by_role, proposals, weights_table
from essaim.counted import counted_values
from essaim.key_figures import key_figures, key_figures_table

SCOPES = {"accelerateur": "Tout l'accélérateur", "innovation": "Une innovation",
          "territoire": "Un territoire", "atelier": "Une séance d'atelier"}


@dataclass
class Figure:
    title: str
    figure: go.Figure
    caption: str


@dataclass
class TableBlock:
    title: str
    frame: pd.DataFrame
    caption: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)


@dataclass
class ReportContent:
    title: str
    subtitle: str
    notice: str
    sections: list[Section]
    sources: list[str]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


def _layout(fig: go.Figure, **extra) -> go.Figure:
    fig.update_layout(template="plotly_white", separators=", ", colorway=CATEGORICAL_PALETTE,
                      font={"family": "DejaVu Sans, Arial, sans-serif", "size": 14},
                      margin={"l": 20, "r": 20, "t": 50, "b": 20}, **extra)
    return fig


def map_figure(dataset: Dataset, territory_codes: set[str], contours: dict) -> Figure:
    """Metropolitan départements as outlines and the scope's territories, coloured by innovation
    (plain axes: no web map tiles or topojson needed)."""
    xs, ys = [], []
    for feature in contours["features"]:
        if len(feature["properties"]["code"]) > 2:  # overseas: listed in the caption
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#9e9e9e", "width": 0.6},
                               hoverinfo="skip", showlegend=False, fill="toself",
                               fillcolor="#f4f4f4"))
    essaimages = dataset.essaimage_table()
    essaimages = essaimages[essaimages["territory_code"].isin(territory_codes)]
    territories = dataset.territories.set_index("code")
    colours = innovation_colours(list(dataset.innovations["code"]))
    overseas = []
    for (code, name), group in essaimages.groupby(["innovation_code", "innovation"]):
        points = territories.loc[group["territory_code"]]
        metro = points[points["code_departement"].str.len() <= 2]
        overseas += list(points[points["code_departement"].str.len() > 2]["name"])
        fig.add_trace(go.Scatter(x=metro["longitude"], y=metro["latitude"], mode="markers",
                                 name=name, marker={"size": 11, "color": colours[code],
                                                    "line": {"width": 1, "color": "#111"}}))
    _layout(fig, height=620, width=720, legend={"orientation": "h", "y": -0.05},
            xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.45})
    caption = "Contours : IGN Admin Express 2018 (Licence Ouverte)."
    if overseas:
        caption += " Outre-mer : " + ", ".join(sorted(set(overseas))) + "."
    return Figure("Les territoires de l'essaimage", fig, caption)


def _scope(dataset: Dataset, kind: str, value: str | None,
           workshop: workshops.Workshop | None) -> tuple[str, pd.DataFrame]:
    essaimages = dataset.essaimage_table()
    if kind == "innovation":
        label = dataset.innovations.set_index("code").at[value, "name"]
        return label, essaimages[essaimages["innovation_code"] == value]
    if kind == "territoire":
        label = dataset.territories.set_index("code").at[value, "name"]
        return label, essaimages[essaimages["territory_code"] == value]
    if kind == "atelier" and workshop is not None:
        if workshop.scope_innovation:
            essaimages = essaimages[essaimages["innovation_code"] == workshop.scope_innovation]
        if workshop.scope_territories:
            essaimages = essaimages[essaimages["territory_code"].isin(workshop.scope_territories)]
        return workshop.title, essaimages
    return "l'Accélérateur d'innovation sociale #Emploi", essaimages


def _key_figures(dataset: Dataset, counted: pd.DataFrame,
                 essaimages: pd.DataFrame) -> tuple[Section, list[str]]:
    figures = key_figures(dataset, counted, set(essaimages["code"]),
                          set(essaimages["territory_code"]))
    table = pd.DataFrame({
        "Chiffre": ["Territoires", "Essaimages"],
        "Valeur": [format_number(essaimages["territory_code"].nunique()),
                   format_number(len(essaimages))],
    })
    table = pd.concat([table, key_figures_table(figures).rename(
        columns={"Chiffre clé": "Chiffre"})], ignore_index=True).fillna("")
    section = Section("Chiffres clés", tables=[TableBlock(
        "Chiffres clés", table, "Valeurs qui font foi (déclaration retenue quand des partenaires "
        "divergent), à l'année de référence commune ; évolution calculée sur les territoires qui "
        "ont déclaré les deux années.")])
    scoped = counted[counted["essaimage_code"].isin(essaimages["code"])]
    rate = next((f for f in figures if f.measure in ("rate", "score")), None)
    if rate is not None:
        by_innovation = scoped[scoped["indicator_code"] == rate.indicator_code].dropna(
            subset=["value"]).merge(essaimages[["code", "innovation"]], left_on="essaimage_code",
                                    right_on="code")
        if not by_innovation.empty:
            medians = by_innovation.groupby(["innovation", "period"])["value"].median().reset_index()
            fig = go.Figure([go.Bar(name=period, x=list(g["innovation"]), y=list(g["value"]),
                                    text=[format_value(v, rate.unit, rate.measure)
                                          for v in g["value"]])
                             for period, g in medians.groupby("period")])
            _layout(fig, barmode="group", height=460, width=900, yaxis_title=rate.unit,
                    title=f"{rate.label} (médiane des territoires)")
            section.figures.append(Figure(rate.label, fig,
                                          "Médiane des territoires par innovation et par année ; "
                                          "valeurs qui font foi."))
    year = figures[0].year if figures else None
    sources = sorted(set(scoped.loc[scoped["period"] == year, "source"].dropna()))[:8]
    return section, sources


def _territory_context(dataset: Dataset, code: str, departements: pd.DataFrame) -> Section:
    territory = dataset.territories.set_index("code").loc[code]
    dep = departements.set_index("code_departement").loc[territory["code_departement"]]
    rows = [{"Indicateur": i.label, "Valeur": format_percent(dep[i.column]),
             "Source": f"{i.source}, {i.vintage}"} for i in REFERENCE_INDICATORS.values()]
    return Section(f"Contexte : {dep['nom_departement']}",
                   tables=[TableBlock("Statistiques de référence du département", pd.DataFrame(rows),
                                      "n.d. : statistique non publiée pour ce département.")])


def _workshop_sections(engine: Engine, workshop: workshops.Workshop) -> list[Section]:
    grid, version = workshops.current_grid(engine, workshop.code)
    versions = workshops.list_grid_versions(engine, workshop.code)
    inputs = workshops.read_inputs(engine, workshop.code)
    people = workshops.read_participants(engine, workshop.code)
    sections = []
    rows = grid_rows(grid)[["Dimension", "Critère", "Poids", "Objectif", "Seuil", "Effets pervers"]]
    rows = rows.assign(Poids=[format_number(v, 1) for v in rows["Poids"]],
                       Objectif=[format_number(v, 1) for v in rows["Objectif"]],
                       Seuil=[format_number(v, 1) for v in rows["Seuil"]])
    sections.append(Section(f"Grille finale (version {version})", tables=[TableBlock(
        "Grille d'évaluation adoptée", rows, "Poids relatifs ; objectif et seuil : n.d. si aucun.")]))
    history = pd.DataFrame({
        "Version": versions["version"].astype(str), "Auteur": versions["author"],
        "Date": pd.to_datetime(versions["created_at"]).dt.strftime("%d/%m/%Y %H:%M"),
        "Changements": [s.replace("\n", " ; ")[:180] for s in versions["summary"]]})
    sections.append(Section("Historique de la grille", tables=[TableBlock("Versions", history)]))
    roles = participation_by_role(people)
    participation = Section("Participation", paragraphs=[
        f"{len(people)} participant(s), dont {int((inputs['kind'] == 'weights').sum())} ont "
        "réparti leurs 100 points."])
    if len(roles):
        fig = go.Figure(go.Bar(x=list(roles.values), y=list(roles.index), orientation="h",
                               text=[str(v) for v in roles.values]))
        _layout(fig, height=120 + 40 * len(roles), width=800, title="Participants par rôle")
        participation.figures.append(Figure("Participants par rôle", fig, "Rôles déclarés (facultatifs)."))
    sections.append(participation)
    aggregated = aggregate_weights(weights_table(inputs))
    if not aggregated.empty:
        labels = {d.id: d.label for d in grid.dimensions}
        table = aggregated.reindex(list(labels)).fillna(0)
        fig = go.Figure(go.Bar(y=[labels[i] for i in table.index], x=list(table["median"]),
                               orientation="h", error_x={"type": "data", "symmetric": False,
                                                         "array": list(table["q3"] - table["median"]),
                                                         "arrayminus": list(table["median"] - table["q1"])}))
        _layout(fig, height=140 + 50 * len(table), width=900, xaxis_title="points sur 100",
                yaxis={"autorange": "reversed"}, title="Poids médians de la salle et désaccords")
        widest = table["spread"].idxmax()
        sections.append(Section("Les poids de la salle", paragraphs=[
            f"Plus fort désaccord : {labels[widest]} (écart interquartile de "
            f"{format_number(table.at[widest, 'spread'], 0)} points)."],
            figures=[Figure("Poids de la salle", fig, "Médiane et quartiles des répartitions de "
                            "100 points des participants.")]))
    said = proposals(inputs)
    bullets = [f"{workshops.PROPOSAL_KINDS[r.kind]} — {r.text}"
               + (f" (objectif {format_number(r.value, 1)})" if pd.notna(r.value) else "")
               for r in said.itertuples()][:25]
    sections.append(Section("Propositions et verbatims de la séance",
                            bullets=bullets or ["Aucune proposition."]))
    return sections


def build_report(dataset: Dataset, departements: pd.DataFrame, contours: dict, kind: str,
                 value: str | None = None, engine: Engine | None = None) -> ReportContent:
    """Assemble the restitution for a scope (see SCOPES); `value` is the innovation, territory or
    workshop code. Raises ValueError (French) for an unknown scope value."""
    workshop = None
    if kind == "atelier":
        workshop = workshops.find_workshop(engine, value or "") if engine is not None else None
        if workshop is None:
            raise ValueError("Séance d'atelier introuvable.")
    elif kind in ("innovation", "territoire"):
        table = dataset.innovations if kind == "innovation" else dataset.territories
        if value not in set(table["code"]):
            raise ValueError("Choisissez une innovation ou un territoire de la liste.")
    label, essaimages = _scope(dataset, kind, value, workshop)
    sections = [Section("Les territoires", figures=[map_figure(
        dataset, set(essaimages["territory_code"]), contours)])]
    key, value_sources = _key_figures(dataset, counted_values(dataset), essaimages)
    sections.append(key)
    if kind == "territoire":
        sections.append(_territory_context(dataset, value, departements))
    if workshop is not None:
        sections += _workshop_sections(engine, workshop)
    quotes = dataset.verbatims[dataset.verbatims["essaimage_code"].isin(essaimages["code"])]
    if not quotes.empty:
        sections.append(Section("Paroles d'acteurs", bullets=[
            f"« {q.text} » — {q.speaker}, {q.period}" for q in quotes.head(6).itertuples()]))
    sources = [f"{i.label} : {i.source}, {i.vintage}" for i in REFERENCE_INDICATORS.values()]
    sources += ["Contours : IGN Admin Express 2018, Licence Ouverte.",
                f"Jeu de données : {dataset.label} ({dataset.source}), chargé le "
                f"{dataset.created_at:%d/%m/%Y}."]
    sources += [f"Indicateurs : {s}" for s in value_sources]
    return ReportContent(
        title=f"Restitution — {label}",
        subtitle=f"{SCOPES[kind]} · Essaim · {dt.date.today():%d/%m/%Y}",
        notice=demo_notice(dataset.demo_tables),
        sections=sections, sources=sources,
    )




def scope_dataset(dataset: Dataset, kind: str, value: str | None,
                  engine: Engine | None = None) -> Dataset:
    """The dataset restricted to the scope's essaimages and territories (for the data files)."""
    import dataclasses

    workshop = workshops.find_workshop(engine, value or "") if kind == "atelier" and engine else None
    _, essaimages = _scope(dataset, kind, value, workshop)
    codes, places = set(essaimages["code"]), set(essaimages["territory_code"])
    values = dataset.indicator_values
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"].isin(codes)]
    return dataclasses.replace(
        dataset,
        territories=dataset.territories[dataset.territories["code"].isin(places)],
        essaimages=dataset.essaimages[dataset.essaimages["code"].isin(codes)],
        partner_roles=roles,
        partners=dataset.partners[dataset.partners["code"].isin(set(roles["partner_code"])
                                                                | set(values["partner_code"]))],
        indicator_values=values[values["essaimage_code"].isin(codes)
                                | (values["essaimage_code"].isna() & values["territory_code"].isin(places))],
        verbatims=dataset.verbatims[dataset.verbatims["essaimage_code"].isin(codes)],
    )
