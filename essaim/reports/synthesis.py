"""The synthesis that opens a restitution, in the manner of an INSEE Première: a headline that
states the main finding, then three to five sentences made from the data — what changed, how sure
we are (coverage, how the values were settled), what partners disagree on, what the room decided
— before the key figures. Every sentence is built from figures computed elsewhere; nothing here
computes a figure of its own."""

from __future__ import annotations

import pandas as pd

from essaim.figures.counted import STATUS_SHORT
from essaim.methods.avoided_costs_summary import AvoidedCostSummary
from essaim.numbers.formatting import NOT_AVAILABLE, format_number, plural
from essaim.numbers.measures import ADDITIVE_MEASURES
from essaim.partners.provenance import figure_cells
from essaim.reports.figures import ComparedFigure
from essaim.reports.scope import Scope
from essaim.reports.units import change_text, value_text

MAX_SENTENCES = 5


def lower_first(text: str) -> str:
    """« Taux de sortie » → « taux de sortie » in a sentence; an acronym (« RSA ») stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _movement(compared: ComparedFigure) -> str:
    """« en hausse de 8,1 % », « en baisse de 2,3 points », « stable » — on the same territories;
    "" without a comparable year."""
    figure = compared.figure
    if figure.comparable == 0 or pd.isna(figure.previous_value) or pd.isna(figure.value):
        return ""
    delta = figure.value_on_same_base - figure.previous_value
    if figure.measure in ADDITIVE_MEASURES and figure.previous_value:
        relative = 100 * delta / abs(figure.previous_value)
        if round(relative, 1) == 0:
            return "stable"
        word = "en hausse" if relative > 0 else "en baisse"
        return f"{word} de {format_number(abs(relative), 1, '%')}"
    if round(delta, 1) == 0:
        return "stable"
    word = "en hausse" if delta > 0 else "en baisse"
    return f"{word} de {change_text(abs(delta), figure.unit, figure.measure).lstrip('+')}"


def main_figure(figures: list[ComparedFigure]) -> ComparedFigure | None:
    """The figure the headline states: the first key figure with a change on a year, else the
    first with a value."""
    reporting = [f for f in figures if f.figure.reporting]
    moving = [f for f in reporting if _movement(f)]
    return (moving or reporting or [None])[0]


def headline(scope: Scope, figures: list[ComparedFigure], decisions: list[str],
             places: dict) -> str:
    """The title of the synthesis: the main finding in one line."""
    if scope.kind == "atelier" and decisions:
        # The decision's first clause, its figures (« (médiane… ») left to the sentences below.
        clause = decisions[min(1, len(decisions) - 1)].split(" ; ")[0].rstrip(".")
        return clause.split(" (médiane ")[0]
    main = main_figure(figures)
    if main is None:
        return f"{scope.label} : pas encore de chiffre clé déclaré"
    movement = _movement(main)
    subject = places.get(scope.territory_code, scope.label) if scope.territory_code \
        else scope.label
    subject += f", {main.innovation}" if main.innovation else ""
    what = lower_first(main.figure.label)
    if movement and movement != "stable":
        return f"{subject} : {what} {movement} sur un an, à {main.value} en {main.figure.year}"
    return f"{subject} : {what}, {main.value} en {main.figure.year}" + (
        ", stable sur un an" if movement else "")


def _changes_sentence(figures: list[ComparedFigure], main: ComparedFigure | None) -> str:
    others = [f for f in figures if f.figure.reporting and f is not main and _movement(f)][:2]
    if not others:
        return ""
    parts = [f"{lower_first(f.label)} {_movement(f)} ({f.value})" for f in others]
    return f"Sur un an, à territoires comparables : {' ; '.join(parts)}."


def _totals_sentence(scope: Scope, figures: list[ComparedFigure]) -> str:
    """A territory running several innovations: its own totals, then each innovation's."""
    if scope.comparison != "territoire" or len({f.innovation for f in figures}) < 2:
        return ""
    additive = [f for f in figures if f.figure.measure in ADDITIVE_MEASURES and f.figure.reporting]
    if not additive:
        return ""
    code = additive[0].figure.indicator_code
    same = [f for f in additive if f.figure.indicator_code == code]
    if len({f.figure.year for f in same}) > 1:
        return ""
    total = sum(f.figure.value for f in same)
    figure = same[0].figure
    parts = ", ".join(f"{f.innovation} {value_text(f.figure.value, figure.unit, figure.measure)}"
                      for f in same)
    return (f"{figure.label} en {figure.year} : {value_text(total, figure.unit, figure.measure)} "
            f"pour l'ensemble du territoire ({parts}) ; chaque innovation est comparée aux autres "
            "territoires qui la portent.")


def _certainty_sentence(counted: pd.DataFrame, figures: list[ComparedFigure]) -> str:
    reporting = [f for f in figures if f.figure.reporting]
    if not reporting:
        return ""
    cells = pd.concat([figure_cells(counted, f.figure.indicator_code, f.figure.year,
                                    f.scope.essaimage_codes if f.scope else set())
                       for f in reporting])
    counts = cells["status"].map(STATUS_SHORT).value_counts()
    first = reporting[0].figure
    statuses = " ; ".join(f"{label} : {int(n)}" for label, n in counts.items())
    coverage = ""
    if first.in_scope > 1:
        verb = "a" if first.reporting < 2 else "ont"
        coverage = (f" ({plural(first.reporting, 'territoire')} sur {first.in_scope} {verb} "
                    f"déclaré en {first.year})")
    return (f"Ces chiffres reposent sur {plural(len(cells), 'valeur déclarée', 'valeurs déclarées')}"
            f" de {first.year}{coverage} ; statut des valeurs — {statuses}.")


def _disagreement_sentence(found: pd.DataFrame, counted: pd.DataFrame, labels: dict,
                           places: dict) -> str:
    if found.empty:
        return ("Aucun désaccord entre partenaires : quand plusieurs déclarent le même chiffre, "
                "ils concordent.")
    keys = ["indicator_code", "territory_code", "period"]
    merged = found.merge(counted[keys + ["status"]].drop_duplicates(keys), on=keys, how="left")
    outcomes = {"retenu": "la déclaration qui fait foi est retenue",
                "accord": STATUS_SHORT["accord"], "arbitrage": STATUS_SHORT["arbitrage"],
                "remis_en_cause": STATUS_SHORT["remis_en_cause"],
                "conteste": "non tranché, n.d. en attendant"}
    counts = merged["status"].map(outcomes).dropna().value_counts()
    how = " ; ".join(f"{text} : {int(n)}" for text, n in counts.items())
    first = found.iloc[0]
    example = (f"le plus grand écart porte sur {lower_first(labels.get(first.indicator_code, ''))}"
               f" à {places.get(first.territory_code, '')} en {first.period}")
    return (f"Les partenaires divergent sur {plural(len(found), 'chiffre')} ({how}) ; "
            f"{example}.")


def _costs_sentence(costs: AvoidedCostSummary | None) -> str:
    if costs is None or costs.period is None or pd.isna(costs.ratio["central"]):
        return ""
    return (f"Coûts publics évités : {format_number(costs.ratio['central'], 2, '€')} par euro "
            f"investi sur {costs.window} (de {format_number(costs.ratio['low'], 2, '€')} à "
            f"{format_number(costs.ratio['high'], 2, '€')} selon les hypothèses), un ordre de "
            "grandeur pour le dialogue.")


def sentences(scope: Scope, figures: list[ComparedFigure], counted: pd.DataFrame,
              disagreements: pd.DataFrame, labels: dict, places: dict,
              decisions: list[str], costs: AvoidedCostSummary | None) -> list[str]:
    """Three to five sentences: changes, the territory's own totals, how sure we are, the
    disagreements, the room's decisions or the avoided costs."""
    main = main_figure(figures)
    found = [_totals_sentence(scope, figures), _changes_sentence(figures, main),
             _certainty_sentence(counted, figures),
             _disagreement_sentence(disagreements, counted, labels, places)]
    if decisions:
        found += [line for line in decisions[:2] if line.split(" ; ")[0].rstrip(".")
                  != headline(scope, figures, decisions, places)] or decisions[:1]
    else:
        found.append(_costs_sentence(costs))
    kept = [s for s in found if s][:MAX_SENTENCES]
    if main is None and not scope.essaimages.empty:
        kept.insert(0, "Où en est l'essaimage : " + " ; ".join(
            f"{row.innovation}, {row.stage_label.lower()} depuis le "
            f"{pd.Timestamp(row.start_date):%d/%m/%Y}" for row in scope.essaimages.itertuples())
            + ".")
    if len(kept) < 3 and main is None:
        kept.append(_declared_sentence(scope, counted, labels))
    return kept


def _declared_sentence(scope: Scope, counted: pd.DataFrame, labels: dict) -> str:
    """Without key figures: which indicators already have values (« n.d. » elsewhere)."""
    codes = list(dict.fromkeys(counted.loc[counted["essaimage_code"].isin(
        scope.essaimage_codes) & counted["value"].notna(), "indicator_code"]))
    if not codes:
        return f"Aucune valeur n'est encore déclarée dans ce périmètre ({NOT_AVAILABLE} partout)."
    named = ", ".join(lower_first(labels.get(c, c)) for c in codes[:3])
    more = f" et {len(codes) - 3} autres" if len(codes) > 3 else ""
    return (f"Déjà déclarés : {plural(len(codes), 'indicateur')} ({named}{more}), dans le "
            "tableau « Tous les indicateurs » du rapport.")
