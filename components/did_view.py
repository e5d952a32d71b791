"""The difference-in-differences on screen: the comparison group and why, the average effect with
its interval and the effect that could have been detected, the event study with the number of
territories behind each point, the pre-trend check, the sensitivity to a drift and the effect in
people beside the beneficiaries."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show_chart, wrap_label
from components.tables import show_table_with_download
from essaim.data.dataset import Dataset
from essaim.methods import did_text
from essaim.methods.did_analysis import DidAnalysis, analyse_did
from essaim.methods.did_design import RULE_SENTENCES, ComparisonDesign
from essaim.methods.did_plausibility import IMPLAUSIBLE
from essaim.methods.did_stages import DidError
from essaim.numbers.formatting import format_number

SOURCE = ("valeurs qui font foi (déclaration retenue quand des partenaires divergent) ; dates "
          "d'étape des essaimages")


def draw_did(dataset: Dataset, counted: pd.DataFrame, population: pd.Series, outcome: str,
             innovation: str, stage: str, rule: str) -> None:
    """Estimate and show one difference-in-differences (or a French message saying why not)."""
    innovation_name = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))[innovation]
    try:
        analysis = analyse_did(dataset, counted, outcome, innovation, stage, rule, population)
    except DidError as error:
        st.info(f"Estimation impossible : {error}", icon=":material/info:")
        return
    result, unit = analysis.result, analysis.unit
    if rule != "propre":
        st.warning(RULE_SENTENCES[rule].format(stage=stage), icon=":material/group_add:")
    shown = f" ({unit})" if unit in ("‰", "%") else ""
    columns = st.columns(2)
    columns[0].metric(f"Effet moyen estimé après le démarrage{shown}",
                      format_number(result.att, 2))
    columns[1].metric(f"Intervalle de confiance à 95 %{shown}",
                      "non calculé" if not result.interval_shown else
                      f"{format_number(result.ci_low, 2)} à {format_number(result.ci_high, 2)}")
    columns = st.columns(2)
    columns[0].metric("Territoires avec l'innovation / de comparaison",
                      f"{result.n_treated} / {result.n_control}")
    columns[1].metric(f"Effet détectable à 80 %{shown}",
                      "n.d." if result.detectable_effect is None else
                      "± " + format_number(result.detectable_effect, 2),
                      help="Le plus petit effet, dans un sens ou dans l'autre, que l'estimation "
                           "avait 80 % de chances de distinguer du hasard avec ces territoires.")
    if result.interval_withheld_reason:
        st.warning(result.interval_withheld_reason, icon=":material/warning:")
    elif not result.excludes_zero:
        st.info(did_text.detectable_sentence(result, unit), icon=":material/info:")
    _draw_checks(analysis)
    _draw_event_study(analysis, innovation_name, stage)
    _draw_groups(analysis.design, dataset, stage)
    st.caption(did_text.method_text(result, None, stage) + " **Une méthode parmi d'autres**, à "
               "croiser avec les méthodes qualitatives et le regard des acteurs.")


def _number(value: float, unit: str) -> str:
    return format_number(value, 2, unit if unit in ("‰", "%") else "")


def _draw_checks(analysis: DidAnalysis) -> None:
    """Pre-trend test, sensitivity and plausibility: warnings when they call for caution."""
    result, unit = analysis.result, analysis.unit
    pretrend = did_text.pretrend_sentence(result, unit)
    if result.pretrend is None or result.pretrend.rejected:
        st.warning(pretrend, icon=":material/trending_up:")
    else:
        st.success(pretrend, icon=":material/check:")
    sensitivity = did_text.sensitivity_sentence(result, unit)
    if sensitivity:
        fragile = result.sensitivity and result.sensitivity.excluded_by_pre_period is False
        (st.warning if fragile else st.info)(sensitivity, icon=":material/tune:")
    found = analysis.plausibility
    if found is not None:
        sentence = found.sentence(analysis.outcome_label)
        if found.exceeds:
            st.error(f"**{IMPLAUSIBLE}** {sentence}", icon=":material/groups:")
        else:
            st.info(sentence, icon=":material/groups:")


def _draw_event_study(analysis: DidAnalysis, innovation_name: str, stage: str) -> None:
    study = analysis.result.event_study
    unit = analysis.unit
    has_ci = study["ci_low"].notna()
    fig = go.Figure(go.Scatter(
        x=list(study["rel_time"]), y=list(study["estimate"]), mode="markers+lines",
        name="Effet estimé", marker={"size": 10, "color": "#0072B2"},
        error_y={"type": "data", "symmetric": False, "color": "#0072B2",
                 "array": list((study["ci_high"] - study["estimate"]).where(has_ci, 0)),
                 "arrayminus": list((study["estimate"] - study["ci_low"]).where(has_ci, 0))},
        customdata=list(study["units"]),
        hovertemplate="%{x} an(s) par rapport au démarrage : %{y:,.2f}<br>"
                      "%{customdata} territoire(s)<extra></extra>"))
    fig.add_hline(y=0, line_color="#555")
    # Stopping short of the top and labelled at the bottom: the source line sits under the
    # title, just above the plot, and neither may cross it.
    fig.add_shape(type="line", x0=-0.5, x1=-0.5, y0=0, y1=0.92, xref="x", yref="paper",
                  line={"dash": "dash", "color": "#555"})
    fig.add_annotation(x=-0.5, y=0, xref="x", yref="paper", text="démarrage", showarrow=False,
                       xanchor="left", yanchor="bottom", font={"size": 12, "color": "#3d3d3d"})
    fig.update_layout(
        # Wrapped: on a phone a one-line title runs off the chart.
        title=wrap_label(f"{analysis.outcome_label} : effet par année depuis le démarrage de "
                         f"{innovation_name} (étape {stage})", 40),
        # The territories behind each point under its year: a point resting on 2 territories
        # does not read like one resting on 20.
        xaxis={"title": "Années depuis le démarrage<br>(0 : son année ; n : territoires)",
               "tickvals": list(study["rel_time"]),
               "ticktext": [f"{format_number(k, 0, signed=True)}<br>n = {n}"
                            for k, n in zip(study["rel_time"], study["units"])]},
        yaxis_title=f"Écart estimé ({unit})" if unit else "Écart estimé", showlegend=False,
        height=460)
    show_chart(fig, study.assign(reference=study["reference"].map({True: "oui", False: ""}))
               .rename(columns={
                   "rel_time": "Années depuis le démarrage", "estimate": "Effet estimé",
                   "ci_low": "Borne basse (95 %)", "ci_high": "Borne haute (95 %)",
                   "units": "Territoires", "reference": "Année de référence"}),
               "doubles_differences", "cmp_did", SOURCE)
    st.caption("n = nombre de territoires derrière chaque point ; sans trait, trop peu de "
               "territoires (moins de 4) pour un intervalle. L'année de référence (la dernière "
               "avant le démarrage) vaut 0.")


def _draw_groups(design: ComparisonDesign, dataset: Dataset, stage: str) -> None:
    names = dataset.territories.set_index("code")["name"]
    with st.expander(f"Qui est comparé à qui : {len(design.treated)} territoires avec "
                     f"l'innovation, {design.n_comparison} de comparaison"):
        st.markdown(did_text.design_sentence(design, stage))
        rows = ([(t, "Avec l'innovation", "") for t in design.treated]
                + [(t, "Comparaison : jamais à cette étape", "") for t in design.never_treated]
                + [(t, "Comparaison : années d'avant seulement", design.not_counted.get(t, ""))
                   for t in design.not_yet_treated]
                + [(t, "Écarté", r) for t, r in {**design.not_counted, **design.left_out}.items()
                   if t not in design.not_yet_treated])
        show_table_with_download(pd.DataFrame(
            [(names.get(t, t), group, reason) for t, group, reason in rows],
            columns=["Territoire", "Groupe", "Pourquoi"]), "doubles_differences_groupes",
            key="cmp_did_groups")
