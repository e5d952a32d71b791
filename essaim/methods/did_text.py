"""What the difference-in-differences says, in French, for a non-specialist reader: the method,
the comparison group, the pre-trend check, the sensitivity to a drift, the detectable effect,
and whether the estimate may be presented as evidence in a document."""

from __future__ import annotations

from essaim.methods.did import StaggeredDidResult
from essaim.methods.did_design import RULE_SENTENCES, ComparisonDesign
from essaim.numbers.formatting import format_number, plural

LIBRARY = "pyfixest 0.60"


def _number(value: float, unit: str = "", signed: bool = False) -> str:
    decimals = 2 if abs(value) < 10 else 1
    return format_number(value, decimals, unit if unit in ("‰", "%") else "", signed=signed)


def design_sentence(design: ComparisonDesign, stage_label: str) -> str:
    """The rule, the count of territories in each group and why others were left out."""
    text = RULE_SENTENCES[design.rule].format(stage=stage_label)
    groups = (f" Territoires qui ont démarré l'innovation, avec au moins une année mesurée "
              f"avant : {len(design.treated)} ; jamais à cette étape : "
              f"{len(design.never_treated)} ; à cette étape plus tard (années d'avant seulement) "
              f": {len(design.not_yet_treated)}.")
    reasons = design.reasons()
    if reasons:
        groups += " Écartés : " + " ; ".join(
            f"{plural(count, 'territoire')} ({reason})" for reason, count in reasons.items()) + "."
    return text + groups


def interval_sentence(result: StaggeredDidResult) -> str:
    """How the interval was made, or that there is none."""
    if not result.interval_shown:
        return "L'incertitude n'est pas chiffrée ici : l'estimation est indicative."
    return (f"L'intervalle à 95 % vient de la variance de l'estimateur en deux étapes de Gardner "
            f"(did2s), calculée par la bibliothèque {LIBRARY} en regroupant les années de chaque "
            f"territoire, avec une loi de Student à {result.degrees_of_freedom} degrés de liberté "
            "(le plus petit des deux groupes, moins un) pour tenir compte du petit nombre de "
            "territoires ; il ne mesure que l'effet du hasard.")


def detectable_sentence(result: StaggeredDidResult, unit: str = "") -> str:
    """Which effect could have been detected (empty without an interval)."""
    if result.detectable_effect is None:
        return ""
    size = _number(result.detectable_effect, unit)
    if result.excludes_zero:
        return (f"Avec ces territoires, un effet d'au moins {size} (dans un sens ou dans l'autre) "
                "avait 80 % de chances d'être détecté.")
    return (f"L'intervalle contient zéro : les données ne montrent pas d'effet, mais avec ces "
            f"territoires seul un effet d'au moins {size} (dans un sens ou dans l'autre) avait "
            "80 % de chances d'être détecté ; un effet plus petit passerait inaperçu. Absence de "
            "preuve n'est pas preuve d'absence.")


def pretrend_sentence(result: StaggeredDidResult, unit: str = "") -> str:
    """The pre-trend test in one or two sentences."""
    check = result.pretrend
    if check is None:
        return (f"Tendances antérieures non vérifiables : {result.pretrend_withheld_reason} "
                "L'effet ne peut pas être présenté comme une preuve.")
    drift = (f"Avant le démarrage, les territoires de l'innovation s'écartaient des autres de "
             f"{_number(check.slope, unit, signed=True)} par an (intervalle "
             f"{_number(check.ci_low, unit)} à {_number(check.ci_high, unit)}, p = "
             f"{format_number(check.p_value, 2)}, {plural(check.n_units, 'territoire')} avec au "
             "moins deux années avant).")
    if check.rejected:
        return drift + (" Ils évoluaient déjà différemment : l'hypothèse de tendances parallèles "
                        "n'est pas crédible, prudence.")
    return drift + (f" Pas d'écart net ; ce test détecte 80 % du temps une dérive de "
                    f"{_number(check.detectable_slope, unit)} par an.")


def sensitivity_sentence(result: StaggeredDidResult, unit: str = "") -> str:
    """How large a drift of the treated territories would overturn the conclusion (in the spirit
    of Rambachan & Roth 2023)."""
    found = result.sensitivity
    if found is None:
        return ""
    # A drift the same way as the estimate would produce it without any effect: a fall in the
    # outcome explains a negative estimate (bias = slope × bias_per_drift, bias_per_drift > 0).
    same_way = (result.att < 0) == (found.bias_per_drift > 0)
    direction = "baisse" if same_way else "hausse"
    text = ("Sensibilité (dans l'esprit de Rambachan et Roth, 2023) : si les territoires de "
            "l'innovation avaient suivi, indépendamment d'elle, une tendance propre en "
            f"{direction} par rapport aux autres, l'effet serait surestimé. ")
    overturn = abs(found.overturning_slope)
    if found.interval_slope is None:
        return text + (f"Une dérive de {_number(overturn, unit)} par an suffirait à ramener "
                       "l'estimation à zéro.")
    text += (f"Il faudrait une dérive de {_number(abs(found.interval_slope), unit)} par an pour "
             f"que l'intervalle contienne zéro, de {_number(overturn, unit)} par an pour annuler "
             "l'estimation.")
    if found.excluded_by_pre_period is True:
        text += " Les années d'avant le démarrage excluent une dérive de cette taille."
    elif found.excluded_by_pre_period is False:
        text += (" Les années d'avant le démarrage ne l'excluent pas : la conclusion reste "
                 "fragile.")
    return text


def evidence_reason(result: StaggeredDidResult) -> str | None:
    """Why the estimate may not be presented as evidence in a document (None when it may)."""
    if not result.interval_shown:
        return result.interval_withheld_reason
    if result.pretrend is None:
        return ("tendances antérieures non vérifiables : " + (result.pretrend_withheld_reason
                                                              or "").rstrip(".").lower()) + "."
    if result.pretrend.rejected:
        return ("les territoires évoluaient déjà différemment avant le démarrage (test des "
                f"tendances antérieures, p = {format_number(result.pretrend.p_value, 2)}).")
    return None


def method_text(result: StaggeredDidResult, design: ComparisonDesign | None,
                stage_label: str = "III") -> str:
    """One paragraph, in French, for an elected official: what, how, and what it cannot say."""
    first_year, last_year = result.first_year, result.last_year
    text = (
        f"Nous comparons l'évolution de l'indicateur, de {first_year} à {last_year}, dans les "
        f"{result.n_treated} territoires qui ont démarré l'innovation et dans "
        f"{plural(result.n_control, 'territoire')} de comparaison. Pour chaque territoire et "
        "chaque année après son démarrage, nous estimons la valeur qu'aurait eue l'indicateur "
        "sans l'innovation : le niveau habituel du territoire, mesuré avant son démarrage, plus "
        "l'évolution de cette année-là dans les territoires de comparaison (méthode de Gardner, "
        "2021, et de Borusyak, Jaravel et Spiess, 2024). L'effet estimé est l'écart moyen entre la "
        "valeur observée et cette valeur attendue ; il est aussi donné année par année depuis le "
        "démarrage. ")
    if design is not None:
        text += design_sentence(design, stage_label) + " "
    text += interval_sentence(result) + (
        " La méthode ne prouve pas que l'innovation est la cause de l'écart : d'autres "
        "changements survenus au même moment, ou les raisons pour lesquelles ces territoires ont "
        "choisi l'innovation, peuvent l'expliquer.")
    if result.n_units_without_pre_period:
        text += (f" Sans année mesurée avant le démarrage : "
                 f"{plural(result.n_units_without_pre_period, 'territoire écarté', 'territoires écartés')}.")
    if result.n_cells_not_imputable:
        text += (" Valeurs écartées faute de territoire de comparaison mesuré la même année : "
                 f"{result.n_cells_not_imputable}.")
    return text
