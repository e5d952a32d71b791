"""« D'où vient ce chiffre ? » — the way back from a figure to who said it.

For one cell (indicator, territory, essaimage, period): every report of it (partner, value,
source document, who declared it and when, by which way — an import n°, the partner's form or
template, a restoration), the rule that chose the one that counts (one source, concordant
sources, the declaration that prevails, an agreement, an arbitration, a settlement called into
question), its thread if partners discussed it, the definition agreed locally if any, and the
dataset version. For a key figure (a total or a median over territories): every cell it adds up
or summarises, each with its status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.figures.counted import CELL, STATUS_LABELS, STATUS_SHORT
from essaim.numbers.dates import format_datetime
from essaim.numbers.formatting import NOT_AVAILABLE, format_value

CHANNELS = {"formulaire": "formulaire de l'espace partenaire",
            "modèle": "modèle rempli, déposé dans l'espace partenaire",
            "restauration": "restauration d'une valeur antérieure"}


@dataclass(frozen=True)
class Report:
    """One partner's report of a cell."""

    partner: str  # its name
    value: str  # formatted, with its unit
    source: str
    way: str  # « import n°3 (Données réelles 2024, par Anaïs, le 05/12/2026) », or a declaration
    counts: bool  # the one that counts
    unusual_confirmed: bool = False


@dataclass(frozen=True)
class CellProvenance:
    indicator: str
    where: str  # « TAPAJ à Rennes » or « Rennes (tout le territoire) »
    period: str
    value: str  # what counts, formatted (« n.d. » when contested)
    status: str  # counted status code (essaim.figures.counted)
    rule: str  # the rule in words
    reports: tuple[Report, ...]
    thread: str = ""  # « fil n°4 : valeur convenue … »
    local_definition: str = ""
    dataset_version: str = ""

    @property
    def status_short(self) -> str:
        return STATUS_SHORT.get(self.status, "")


@dataclass(frozen=True)
class ProvenanceInputs:
    """What provenance reads beyond the dataset: the partners' current declarations, the threads
    and the local definitions (essaim.partners.declarations / threads / settlements)."""

    declarations: pd.DataFrame = field(default_factory=pd.DataFrame)
    threads: pd.DataFrame = field(default_factory=pd.DataFrame)
    definitions: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_provenance_inputs(engine) -> ProvenanceInputs:
    """The declarations, threads and definitions of the store (three queries)."""
    from essaim.partners.declarations import read_declarations
    from essaim.partners.settlements import definition_history
    from essaim.partners.threads import list_threads

    return ProvenanceInputs(read_declarations(engine), list_threads(engine),
                            definition_history(engine))


def dataset_version(dataset: Dataset) -> str:
    """« jeu de données n°3 « Données réelles 2024 », importé le 05/12/2026 par Anaïs »."""
    how = "importé" if dataset.kind == "import" else "chargé"
    who = f" par {dataset.created_by}" if dataset.created_by else ""
    return (f"jeu de données n°{dataset.id} « {dataset.label} », {how} le "
            f"{format_datetime(dataset.created_at)}{who}")


def _same_cell(frame: pd.DataFrame, cell: dict) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column in CELL:
        if column == "essaimage_code":
            wanted = cell.get(column) or ""
            mask &= frame[column].fillna("").astype(str) == wanted
        else:
            mask &= frame[column].astype(str) == str(cell[column])
    return mask


def _where(dataset: Dataset, cell: dict) -> str:
    territories = dict(zip(dataset.territories["code"], dataset.territories["name"]))
    place = territories.get(cell["territory_code"], cell["territory_code"])
    if not cell.get("essaimage_code"):
        return f"{place} (tout le territoire)"
    essaimages = dataset.essaimage_table().set_index("code")
    if cell["essaimage_code"] in essaimages.index:
        return f"{essaimages.at[cell['essaimage_code'], 'innovation']} à {place}"
    return f"{cell['essaimage_code']} à {place}"


def _way(row, declared: pd.DataFrame, dataset: Dataset) -> str:
    """How a report came: the partner's current declaration of the cell, else the import."""
    mine = declared[declared["partner_code"] == row.partner_code] if not declared.empty else declared
    if not mine.empty:
        latest = mine.iloc[0]
        channel = CHANNELS.get(latest.get("channel", ""), latest.get("channel", ""))
        return (f"déclaration n°{int(latest['id'])} ({channel}) par {latest['declared_by']}, le "
                f"{format_datetime(latest['declared_at'])}")
    how = "import" if dataset.kind == "import" else "chargement"
    return f"{how} : {dataset_version(dataset)}"


def cell_provenance(dataset: Dataset, counted: pd.DataFrame, inputs: ProvenanceInputs,
                    cell: dict) -> CellProvenance:
    """Where the figure of one cell (keys of CELL) comes from."""
    definitions = dataset.indicators.set_index("code")
    code = cell["indicator_code"]
    unit = definitions.at[code, "unit"] if code in definitions.index else ""
    measure = definitions.at[code, "measure"] if code in definitions.index else "count"
    label = definitions.at[code, "label"] if code in definitions.index else code
    names = dict(zip(dataset.partners["code"], dataset.partners["name"]))
    values = dataset.indicator_values[_same_cell(dataset.indicator_values, cell)]
    counted_row = counted[_same_cell(counted, cell)]
    status = counted_row["status"].iloc[0] if len(counted_row) else "unique"
    value = counted_row["value"].iloc[0] if len(counted_row) else float("nan")
    chooser = counted_row["partner_code"].iloc[0] if len(counted_row) else None
    declared = inputs.declarations
    if not declared.empty:
        declared = declared[_same_cell(declared, cell) & declared["replaced_at"].isna()
                            & declared["withdrawn_at"].isna()]
    reports = tuple(Report(
        partner=names.get(row.partner_code, row.partner_code),
        value=format_value(row.value, unit, measure), source=row.source,
        way=_way(row, declared, dataset),
        counts=status in ("unique", "concordant", "retenu") and row.partner_code == chooser,
        unusual_confirmed=bool(getattr(row, "unusual_confirmed", False)))
        for row in values.itertuples())
    return CellProvenance(
        indicator=label, where=_where(dataset, cell), period=str(cell["period"]),
        value=format_value(value, unit, measure) if pd.notna(value) else NOT_AVAILABLE,
        status=status, rule=_rule(status, definitions, code, names, chooser),
        reports=reports, thread=_thread(inputs.threads, cell, unit, measure),
        local_definition=_local_definition(inputs.definitions, cell),
        dataset_version=dataset_version(dataset))


def _rule(status: str, definitions: pd.DataFrame, code: str, names: dict, chooser) -> str:
    from essaim.data.model import PARTNER_TYPES
    from essaim.data.roles import counted_partner_type

    text = STATUS_LABELS.get(status, status)
    if status == "retenu" and code in definitions.index:
        kind = PARTNER_TYPES.get(counted_partner_type(definitions.loc[code]), "")
        text += f" (celle du partenaire de type « {kind} » : {names.get(chooser, chooser)})"
    return text


def _thread(threads: pd.DataFrame, cell: dict, unit: str, measure: str) -> str:
    from essaim.partners.threads import STATUSES

    if threads.empty:
        return ""
    mine = threads[_same_cell(threads, cell)]
    if mine.empty:
        return ""
    thread = mine.iloc[0]
    text = f"fil de désaccord n°{int(thread['id'])} : {STATUSES.get(thread['status'], '')}"
    if pd.notna(thread.get("resolved_value")):
        text += (f" — {format_value(thread['resolved_value'], unit, measure)} "
                 f"({thread['resolved_by']}"
                 + (f" ; raison : {thread['reason']}" if thread.get("reason") else "") + ")")
    return text


def _local_definition(definitions: pd.DataFrame, cell: dict) -> str:
    if definitions.empty or not cell.get("essaimage_code"):
        return ""
    local = definitions[(definitions["indicator_code"] == cell["indicator_code"])
                        & (definitions["essaimage_code"] == cell["essaimage_code"])
                        & (definitions["status"] == "locale")]
    if local.empty:
        return ""
    latest = local.iloc[0]
    return f"« {latest['definition']} » (convenue par {latest['agreed_by']}, proposée à l'ANSA)"


def figure_cells(counted: pd.DataFrame, indicator_code: str, period: str,
                 essaimage_codes: set[str]) -> pd.DataFrame:
    """The cells a key figure adds up or summarises (essaim.figures.key_figures): the counted
    values of the indicator that year over the scope's essaimages, with their status."""
    return counted[(counted["indicator_code"] == indicator_code)
                   & (counted["period"].astype(str) == str(period))
                   & counted["essaimage_code"].isin(essaimage_codes)]


def status_summary(statuses: pd.Series) -> str:
    """« 35 source unique, 2 accordés, 1 en désaccord » — how the values behind a figure were
    settled, most frequent first."""
    from essaim.numbers.formatting import plural

    counts = statuses.map(STATUS_SHORT).value_counts()
    return ", ".join(f"{plural(int(n), 'valeur')} {label}" for label, n in counts.items())
