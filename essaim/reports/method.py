"""Method and limits of a restitution (where each figure comes from, coverage, what the
difference-in-differences can and cannot say, the demo notice) and the sources and vintages of
every figure."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.counted import STATUS_LABELS
from essaim.methods import did_text
from essaim.methods.did import StaggeredDidResult
from essaim.methods.did_analysis import DidAnalysis, analyse_did, territory_outcomes
from essaim.methods.did_design import DEFAULT_RULE, RULE_SENTENCES
from essaim.methods.did_plausibility import IMPLAUSIBLE
from essaim.methods.did_stages import DidError
from essaim.numbers.formatting import format_number, plural
from essaim.reports.context import FRANCE_NOTE
from essaim.reports.design import PREVIOUS_YEAR, SERIES_PALETTE
from essaim.reports.figures import ComparedFigure, previous_year
from essaim.reports.model import Chart, Paragraphs, Series, Table
from essaim.reports.scope import Scope
from essaim.reports.sources import dataset_description, declarations
from essaim.reports.units import axis_title, number_format

DID_STAGE = "III"  # a territory counts as treated from the year its essaimage reached Étape III


def _status_sentence(counted: pd.DataFrame, scope: Scope) -> str:
    cells = counted[counted["essaimage_code"].isin(scope.essaimage_codes)]
    counts = cells["status"].value_counts()
    parts = [f"{label} ({format_number(counts.get(status, 0))})"
             for status, label in STATUS_LABELS.items() if counts.get(status, 0)]
    return ("Dans ce périmètre, les valeurs déclarées se répartissent ainsi (nombre de "
            "valeurs) : " + " ; ".join(parts) + ".") if parts else ""


def method_paragraphs(counted: pd.DataFrame, scope: Scope, figures: list[ComparedFigure],
                      notice: str) -> Paragraphs:
    """Where the figures come from and how to read them, in plain French."""
    lines = [
        "Les chiffres de l'essaimage sont déclarés par les partenaires (structures relais, "
        "financeurs, France Travail…). Quand plusieurs partenaires déclarent le même chiffre, la "
        "déclaration du partenaire désigné pour l'indicateur (à défaut, de la structure relais) "
        "fait foi ; si leurs déclarations divergent sans qu'aucune ne soit désignée, le chiffre "
        "est « n.d. » tant que les partenaires ne l'ont pas tranché. " + _status_sentence(counted,
                                                                                         scope)]
    reporting = [f for f in figures if f.figure.reporting]
    if reporting:
        year = reporting[0].figure.year
        coverage = "; ".join(f"{f.figure.label} : {f.figure.reporting} sur {f.figure.in_scope}"
                             for f in reporting)
        lines.append(
            f"Les chiffres clés sont donnés pour {year}, la dernière année où au moins la moitié "
            "des territoires qui déclarent l'ont fait : un territoire en avance d'un an ne déplace "
            "pas les totaux. Effectifs et montants s'additionnent sur les territoires qui ont "
            "déclaré, taux et scores prennent la médiane. Couverture (territoires qui ont déclaré "
            f"sur territoires du périmètre) : {coverage}.")
    lines.append(
        "Points de comparaison : l'année précédente sur les mêmes territoires (l'évolution d'un "
        "taux est en points) ; les autres territoires de la même innovation, ou les autres "
        "innovations ; le département, la région et la France pour les statistiques publiques. "
        + FRANCE_NOTE + " « n.d. » : non disponible, jamais zéro.")
    lines.append(
        "Les coûts publics évités multiplient des résultats par des coûts unitaires publics "
        "sourcés, chacun sur sa durée déclarée (une seule fois pour un résultat ponctuel, comme "
        "une journée d'hospitalisation), puis retirent le poids mort, l'attribution à d'autres "
        "acteurs et le déplacement, et actualisent dès la première année comme le guide SROI "
        "(The SROI Network, édition révisée de 2012). Montants investis et coûts évités sont "
        "comptés sur les mêmes années. Seuls des coûts publics sont comptés : le ratio s'appelle "
        "« coûts publics évités par euro investi », pas SROI. La fourchette basse – haute montre "
        "la sensibilité aux hypothèses : c'est un ordre de grandeur, pas une évaluation "
        "certifiée.")
    if notice:
        lines.append(notice)
    return Paragraphs("Méthode et limites", lines)


def _estimate(dataset: Dataset, counted: pd.DataFrame, outcome: str, innovation: str,
              population: pd.Series) -> DidAnalysis | str:
    """The analysis under the clean comparison rule, or why there is none (French)."""
    try:
        return analyse_did(dataset, counted, outcome, innovation, DID_STAGE,
                           population=population)
    except DidError as error:
        return str(error)


def did_blocks(dataset: Dataset, counted: pd.DataFrame, scope: Scope) -> list:
    """The difference-in-differences of the scope's innovation(s), presented as evidence only
    where it has an interval and a verified pre-trend; otherwise one line each saying why."""
    from essaim.data.population import territory_population
    from essaim.data.reference import load_communes

    outcomes = territory_outcomes(dataset, counted)
    if scope.comparison == "territoire" or not outcomes:
        reason = ("elles comparent des territoires avec et sans une innovation : voir la "
                  "restitution de l'innovation" if outcomes else
                  "aucun indicateur n'est mesuré sur des territoires entiers, avant et après le "
                  "démarrage, dans les territoires avec et sans l'innovation")
        return [Paragraphs("Doubles différences", [
            f"Les doubles différences ne sont pas présentées ici : {reason}."])]
    innovations = [scope.innovation_code] if scope.innovation_code else \
        list(scope.essaimages["innovation_code"].value_counts().index)
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    population = territory_population(dataset.territories, load_communes())
    labels = dataset.indicators.set_index("code")["label"]
    valid, withheld, blocks = [], {}, []
    for innovation in innovations:
        for outcome in outcomes:
            analysis = _estimate(dataset, counted, outcome, innovation, population)
            what = names[innovation] + (f" ({labels[outcome]})" if len(outcomes) > 1 else "")
            reason = analysis if isinstance(analysis, str) else \
                did_text.evidence_reason(analysis.result)
            if reason:
                treated = 0 if isinstance(analysis, str) else analysis.result.n_treated
                withheld.setdefault(reason.rstrip("."), []).append(
                    what + (f" : {plural(treated, 'territoire')}" if treated else ""))
            else:
                valid.append((innovation, analysis))
    source = declarations(dataset, counted, None, outcomes, set(counted.loc[
        counted["indicator_code"].isin(outcomes), "period"]), territory_level=True,
        calculation=f"calcul Essaim (doubles différences échelonnées de Gardner, "
                    f"{did_text.LIBRARY})")
    if valid:
        blocks.append(_did_table(valid, names, source))
        for innovation, analysis in valid:
            blocks.append(_event_study_chart(
                analysis.result, f"{analysis.outcome_label} : effet année par année "
                                 f"({names[innovation]})", source, analysis.unit))
        blocks.append(Paragraphs("Ce que disent et ne disent pas les doubles différences",
                                 _did_lines(valid)))
    if withheld:
        blocks.append(Paragraphs("Doubles différences non présentées comme des preuves", [
            ("Les doubles différences ne sont présentées comme des preuves que lorsque les données "
             "donnent un intervalle de confiance fiable et que les années d'avant le démarrage "
             "permettent de vérifier que les territoires évoluaient de la même façon. "
             + RULE_SENTENCES[DEFAULT_RULE].format(stage=DID_STAGE) + " Ici :")] + [
            f"{reason[0].upper()}{reason[1:]} — {', '.join(which)}."
            for reason, which in withheld.items()], bullets=True))
    return blocks


def _did_lines(valid: list[tuple[str, DidAnalysis]]) -> list[str]:
    """The method, then per estimate its sensitivity and its size against the beneficiaries."""
    first = valid[0][1]
    lines = [did_text.method_text(first.result, first.design, DID_STAGE)
             + " Une méthode parmi d'autres, à croiser avec les méthodes qualitatives et le "
               "regard des acteurs."]
    for _innovation, analysis in valid:
        result = analysis.result
        lines.append(" ".join(part for part in (
            did_text.pretrend_sentence(result, analysis.unit),
            did_text.sensitivity_sentence(result, analysis.unit),
            did_text.detectable_sentence(result, analysis.unit)) if part))
        if analysis.plausibility is not None:
            found = analysis.plausibility
            lines.append((IMPLAUSIBLE + " " if found.exceeds else "")
                         + found.sentence(analysis.outcome_label))
    return lines


def _did_table(valid: list[tuple[str, DidAnalysis]], names: dict, source: str) -> Table:
    rows = []
    for innovation, analysis in valid:
        r, unit = analysis.result, analysis.unit
        shown = unit if unit in ("‰", "%") else ""
        found = analysis.plausibility
        rows.append({"Innovation": names[innovation], "Résultat observé": analysis.outcome_label,
                     "Effet moyen estimé": format_number(r.att, 2, shown),
                     "Intervalle à 95 %": f"{format_number(r.ci_low, 2)} à "
                                          f"{format_number(r.ci_high, 2)}",
                     "Territoires avec / comparaison": f"{r.n_treated} / {r.n_control}",
                     "Tendances antérieures": f"p = {format_number(r.pretrend.p_value, 2)}",
                     "En personnes": "n.d." if found is None else
                     format_number(found.people, 0) + (" (plus que les bénéficiaires)"
                                                      if found.exceeds else "")})
    return Table("Doubles différences : effet estimé après le démarrage (étape III)",
                 pd.DataFrame(rows), widths=(1.9, 2.6, 1.2, 1.6, 1.4, 1.3, 1.6),
                 numeric=("Effet moyen estimé", "Intervalle à 95 %",
                          "Territoires avec / comparaison", "En personnes"),
                 caption="Effet moyen sur les territoires qui ont démarré, dans l'unité du "
                         "résultat, face à des territoires sans innovation de l'accélérateur à "
                         "l'étape III (jamais, ou pas encore). Tendances antérieures : test de la "
                         "dérive avant le démarrage (p ≥ 0,05 ici). En personnes : l'effet × la "
                         "population des territoires qui ont démarré.",
                 source=source)


def _event_study_chart(result: StaggeredDidResult, title: str, source: str,
                       unit: str = "") -> Chart:
    """The effect year by year around the start, its 95 % interval drawn whole, and under each
    year the number of territories behind its point."""
    study = result.event_study
    units = study["units"] if "units" in study else pd.Series([None] * len(study))
    categories = []
    for k, n in zip(study["rel_time"], units):
        year = f"{format_number(k, 0, signed=True)} an{'s' if abs(k) > 1 else ''}"
        categories.append(f"{year}\n{plural(int(n), 'territoire')}" if pd.notna(n) else year)

    def series(name: str, column: str) -> Series:
        values = [None if pd.isna(v) else float(v) for v in study[column]]
        return Series(name, tuple(values), tuple(format_number(v, 2) for v in study[column]))

    return Chart(title, categories, [series("Effet estimé", "estimate"),
                                     series("Borne basse (95 %)", "ci_low"),
                                     series("Borne haute (95 %)", "ci_high")],
                 kind="lines", axis_title=f"écart estimé, {axis_title(unit)}" if unit
                 else "écart estimé, dans l'unité du résultat", decimals=2,
                 colours=(SERIES_PALETTE[0], PREVIOUS_YEAR, PREVIOUS_YEAR), interval=(1, 2),
                 caption="Années par rapport au démarrage (0 = année du démarrage ; l'année de "
                         "référence vaut 0). Sous chaque année : les territoires ayant démarré "
                         "qui y sont observés. Avant le démarrage, les écarts devraient rester "
                         "proches de zéro ; sans borne, trop peu de territoires pour un "
                         "intervalle.",
                 source=source, number_format=number_format("", "score", 2))


def sources_table(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                  figures: list[ComparedFigure], unit_costs) -> Table:
    """Every figure's source and vintage: the partners' reports behind the indicators of the
    years shown, the public statistics, the contours, the unit costs, the dataset."""
    year = next((f.figure.year for f in figures if f.figure.reporting), None)
    years = [y for y in (previous_year(year) if year else None, year) if y]
    labels = dataset.indicators.set_index("code")["label"]
    cells = counted[counted["essaimage_code"].isin(scope.essaimage_codes)
                    & counted["period"].isin(years) & counted["source"].astype(bool)]
    rows = []
    for code in [c for c in dataset.indicators["code"] if c in set(cells["indicator_code"])]:
        sources = sorted(set(cells.loc[cells["indicator_code"] == code, "source"]))
        shown = " ; ".join(sources) if len(sources) <= 2 else (
            f"{len(sources)} déclarations de partenaires, dont « {sources[0]} » (toutes en annexe "
            "du rapport PDF)")
        rows.append({"Chiffre": labels[code], "Source": shown, "Millésime": ", ".join(
            sorted(set(cells.loc[cells["indicator_code"] == code, "period"])))})
    for indicator in REFERENCE_INDICATORS.values():
        rows.append({"Chiffre": indicator.label, "Source": indicator.source,
                     "Millésime": indicator.vintage})
    rows.append({"Chiffre": "France et régions (moyennes)", "Source": "Calcul Essaim : "
                 "moyenne des départements pondérée par la population (INSEE)",
                 "Millésime": "1er janvier 2022"})
    for cost in unit_costs:
        rows.append({"Chiffre": f"Coût unitaire : {cost.label}", "Source": cost.source,
                     "Millésime": "déclaré dans le jeu de données"})
    rows.append({"Chiffre": "Carte", "Source": "IGN Admin Express, Licence Ouverte",
                 "Millésime": "2018"})
    rows.append({"Chiffre": "Jeu de données", "Source": dataset_description(dataset),
                 "Millésime": f"{dataset.created_at:%d/%m/%Y}"})
    return Table("Sources et millésimes", pd.DataFrame(rows), widths=(3.0, 6.0, 1.8),
                 caption="Déclarations des partenaires des années présentées"
                         + (f" ({' et '.join(years)})" if years else "") + ".",
                 source="Source : registre des déclarations du jeu de données, statistiques "
                        "publiques et coûts unitaires cités.")


def all_sources_table(counted: pd.DataFrame, dataset: Dataset, scope: Scope,
                      figures: list[ComparedFigure]) -> Table | None:
    """The annex: every report behind the values of the years shown, with what it documents."""
    year = next((f.figure.year for f in figures if f.figure.reporting), None)
    if year is None:
        return None
    years = [y for y in (previous_year(year), year) if y]
    cells = counted[counted["essaimage_code"].isin(scope.essaimage_codes)
                    & counted["period"].isin(years) & counted["source"].astype(bool)]
    if cells.empty or cells.groupby("indicator_code")["source"].nunique().max() <= 2:
        return None  # the sources table already names every report
    labels = dataset.indicators.set_index("code")["label"]
    grouped = cells.groupby("source").agg(indicators=("indicator_code", lambda s: sorted(set(s))),
                                          places=("territory_code", "nunique"))
    frame = pd.DataFrame({
        "Source": grouped.index,
        "Chiffres documentés": [", ".join(labels[c] for c in codes) if len(codes) <= 3 else
                                f"{len(codes)} indicateurs, dont {labels[codes[0]]}"
                                for codes in grouped["indicators"]],
        "Territoires": [str(n) for n in grouped["places"]]})
    return Table(f"Toutes les sources des valeurs de {' et '.join(years)}", frame,
                 widths=(5.5, 4.0, 1.0), numeric=("Territoires",),
                 caption=f"{plural(len(frame), 'document')} de partenaires.",
                 source="Source : registre des déclarations du jeu de données.")
