"""Préparer une restitution: a PowerPoint deck, a PDF report and the data behind them, for the
whole accelerator, an innovation, a territory, a workshop session or a national day. Sessions and
days are never listed to anonymous visitors (components.restitution_access)."""

import streamlit as st

from components.data_access import counted, current_dataset, current_engine, departements
from components.restitution_access import LOCKED_SCOPES, choose_locked
from components.restitution_documents import draw_documents
from components.routing import route_page_through_app
from components.tables import show_dataset_downloads
from components.territory_map import contours
from essaim.numbers.dates import now_in_paris
from essaim.reports.content import SCOPES, build_report, file_stem, scope_dataset

route_page_through_app()

dataset = current_dataset()
engine = current_engine()
st.title("Préparer une restitution")
st.caption("Un diaporama PowerPoint (16:9, graphiques modifiables) et un rapport PDF accessible "
           "(balisé, avec signets et sommaire), en français : une synthèse d'une page qui dit le "
           "constat principal, les chiffres clés avec leur statut (accordé, en désaccord, "
           "arbitré, source unique) et leurs points de "
           "comparaison (année précédente, autres territoires, département, région, France), "
           "les impacts indirects et les paroles d'acteurs, les désaccords entre partenaires, "
           "les coûts évités, la méthode et ses limites, les sources et millésimes ; pour un "
           "atelier, la séance, les poids et notes de la salle, les propositions et les versions "
           "de la grille ; pour une journée nationale, la synthèse des grands témoins (où les "
           "comptoirs s'accordent et divergent, les propositions qui reviennent, les lignes de "
           "chaque grand témoin).")

kind = st.segmented_control("Périmètre", list(SCOPES), format_func=SCOPES.get,
                            default="accelerateur", key="restitution_kind") or "accelerateur"
value = None
if kind == "innovation":
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    value = st.selectbox("Innovation", list(names), format_func=names.get,
                         key="restitution_innovation")
elif kind == "territoire":
    places = dataset.territories.set_index("code")
    labels = {c: f"{r['name']} ({r['code_departement']})" for c, r in places.iterrows()}
    value = st.selectbox("Territoire", sorted(labels, key=labels.get), format_func=labels.get,
                         key="restitution_territory")
elif kind in LOCKED_SCOPES:
    value = choose_locked(engine, LOCKED_SCOPES[kind])

draw_documents((dataset.cache_key, kind, value), lambda: build_report(
    dataset, departements(), contours("departements-web.geojson"), kind, value, engine,
    counted=counted(dataset)))

st.subheader("Les données du périmètre")
scoped = scope_dataset(dataset, kind, value, engine)
show_dataset_downloads(scoped, file_stem("donnees", kind, value, now_in_paris().date()),
                       "Tables (XLSX, une feuille par table)",
                       "Tables (CSV, archive ZIP)", cache_key=f"{dataset.cache_key}:{kind}:{value}")
