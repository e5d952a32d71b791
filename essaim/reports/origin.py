"""The annex « Origine des chiffres »: for each key figure of a restitution, every cell behind it —
territory, innovation, value, status, which partner's report counts and its source, the
disagreement thread when partners discussed it (essaim.partners.provenance)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.figures.counted import STATUS_SHORT
from essaim.partners.provenance import (
    ProvenanceInputs,
    cell_provenance,
    figure_cells,
    read_provenance_inputs,
)
from essaim.reports.figures import ComparedFigure
from essaim.reports.model import Table
from essaim.reports.units import value_text

SOURCE = ("Source : déclarations des partenaires (toutes conservées), accords et arbitrages des "
          "fils de désaccord de l'espace partenaire.")


def provenance_inputs(engine) -> ProvenanceInputs:
    """The partners' declarations and threads of the store (none without a store)."""
    return read_provenance_inputs(engine) if engine is not None else ProvenanceInputs()


def _single_report(cell, partners: dict) -> str:
    """A cell reported once: its only report counts (essaim.figures.counted)."""
    partner = partners.get(cell.partner_code, cell.partner_code) \
        if isinstance(cell.partner_code, str) else ""
    return f"{partner} — {cell.source}" if cell.source else partner


def _counting_report(provenance) -> str:
    counting = [r for r in provenance.reports if r.counts]
    if counting:
        report = counting[0]
        return f"{report.partner} — {report.source}" if report.source else report.partner
    if provenance.status in ("accord", "arbitrage", "remis_en_cause"):
        return provenance.rule
    if provenance.status == "conteste":
        return "aucune : désaccord non tranché"
    return provenance.rule


def origin_tables(dataset: Dataset, counted: pd.DataFrame, inputs: ProvenanceInputs,
                  figures: list[ComparedFigure]) -> list[Table]:
    """One table per key figure with a value: the cells it adds up or summarises."""
    essaimages = dataset.essaimage_table().set_index("code")
    places = dict(zip(dataset.territories["code"], dataset.territories["name"]))
    tables = []
    for compared in figures:
        figure = compared.figure
        if not figure.reporting or compared.scope is None:
            continue
        cells = figure_cells(counted, figure.indicator_code, figure.year,
                             compared.scope.essaimage_codes)
        # Provenance reads only this figure's reports (a far smaller frame per cell).
        values = dataset.indicator_values
        narrowed = dataclasses.replace(dataset, indicator_values=values[
            (values["indicator_code"] == figure.indicator_code)
            & (values["period"].astype(str) == str(figure.year))])
        partners = dict(zip(dataset.partners["code"], dataset.partners["name"]))
        rows = []
        for cell in cells.sort_values(["territory_code", "essaimage_code"]).itertuples():
            innovation = essaimages["innovation"].get(cell.essaimage_code, "") \
                if isinstance(cell.essaimage_code, str) else "tout le territoire"
            row = {"Territoire": places.get(cell.territory_code, cell.territory_code),
                   "Innovation": innovation,
                   "Valeur": value_text(cell.value, figure.unit, figure.measure),
                   "Statut": STATUS_SHORT.get(cell.status, cell.status),
                   "Déclaration qui compte et sa source": _single_report(cell, partners),
                   "Fil de désaccord": "—"}
            if cell.status != "unique":  # reported several times: the full way back
                key = {"indicator_code": cell.indicator_code,
                       "territory_code": cell.territory_code,
                       "essaimage_code": cell.essaimage_code, "period": cell.period}
                provenance = cell_provenance(narrowed, cells, inputs, key)
                row.update({"Valeur": provenance.value,
                            "Déclaration qui compte et sa source": _counting_report(provenance),
                            "Fil de désaccord": provenance.thread or "—"})
            rows.append(row)
        tables.append(Table(
            f"{compared.label} en {figure.year}", pd.DataFrame(rows),
            caption=f"{compared.value} : {figure.aggregation} des valeurs ci-dessous ; "
                    f"{figure.coverage}. Statut : {compared.status}.",
            widths=(1.8, 1.8, 1.2, 1.3, 3.6, 1.8), numeric=("Valeur",), source=SOURCE))
    return tables
