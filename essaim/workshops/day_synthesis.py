"""The grands témoins' synthesis of a national day: for each comptoir, what its room weighed and
proposed, and across comptoirs, where the rooms agreed or differed and which proposals recur.

- A dimension's weight in a comptoir is the median of its participants' points (out of 100).
- The rooms **agree** on a dimension when its medians lie within AGREE_POINTS points of each
  other across the comptoirs that weighed it, and **differ** when they lie DIFFER_POINTS points
  or more apart. Dimensions are matched by their label, so comptoirs with grids of their own
  compare on the dimensions they share.
- A proposal **recurs** when comptoirs other than its own made one that shares at least half
  of its meaningful words (accents and case ignored), or proposed a target for the same
  criterion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from essaim.numbers.formatting import format_plain, plural
from essaim.text import fold_text, quoted
from essaim.workshops.codes import PROPOSAL_KINDS
from essaim.workshops.days import Day
from essaim.workshops.facilitation import current_grid
from essaim.workshops.inputs import read_inputs
from essaim.workshops.room import aggregate_weights, weights_table

AGREE_POINTS = 5.0
DIFFER_POINTS = 10.0
TOP_PROPOSALS = 5
RULE = (f"Poids : médiane des points (sur 100) donnés par les participants de chaque comptoir. "
        f"Les salles s'accordent sur une dimension quand leurs médianes sont à moins de "
        f"{format_plain(AGREE_POINTS)} points les unes des autres, elles divergent à "
        f"{format_plain(DIFFER_POINTS)} points ou plus. Une proposition revient quand d'autres "
        "comptoirs en ont fait une qui partage au moins la moitié de ses mots, ou un objectif "
        "pour le même critère.")
_STOPWORDS = {"pour", "dans", "avec", "sans", "plus", "moins", "leur", "leurs", "entre", "mais",
              "aussi", "tous", "toutes", "comme", "faire", "être", "avoir", "cette", "ces", "sont",
              "nous", "vous", "elle", "elles", "ils", "une", "des", "les", "par", "sur", "qui",
              "que", "quoi", "dont", "chaque", "autre", "autres"}


@dataclass(frozen=True)
class Proposal:
    kind: str  # French label of its kind
    text: str
    votes: int
    about: str  # the criterion's label, "" when none
    value: float | None = None


@dataclass
class ComptoirSynthesis:
    code: str
    title: str
    room: str
    slot: str
    question: str
    grand_temoin: str
    temoin_lines: list[str]
    participants: int
    weights: pd.DataFrame  # dimension label → median, q1, q3, n
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def top_dimensions(self) -> list[str]:
        ranked = self.weights.sort_values("median", ascending=False)
        return list(ranked.index[:2]) if not ranked.empty else []


@dataclass(frozen=True)
class DimensionComparison:
    label: str
    medians: dict[str, float]  # comptoir title → median points
    low: tuple[str, float]
    high: tuple[str, float]

    @property
    def spread(self) -> float:
        return self.high[1] - self.low[1]

    @property
    def weighed(self) -> bool:
        """Some room gave it points: two rooms that both gave none do not « agree » on it."""
        return self.high[1] > 0


@dataclass(frozen=True)
class Recurrence:
    text: str  # the most supported wording
    comptoirs: tuple[str, ...]
    kind: str = ""  # French label of that wording's kind (« Effet pervers à surveiller »…)


@dataclass
class DaySynthesis:
    title: str
    comptoirs: list[ComptoirSynthesis]
    dimensions: list[DimensionComparison]
    recurrences: list[Recurrence]
    sentences: list[str]

    @property
    def agreed(self) -> list[DimensionComparison]:
        return [d for d in self.dimensions
                if len(d.medians) > 1 and d.spread < AGREE_POINTS and d.weighed]

    @property
    def differing(self) -> list[DimensionComparison]:
        return [d for d in self.dimensions if len(d.medians) > 1 and d.spread >= DIFFER_POINTS]


def _comptoir_synthesis(engine: Engine, day: Day, comptoir) -> ComptoirSynthesis:
    grid, _ = current_grid(engine, comptoir.code)
    inputs = read_inputs(engine, comptoir.code)
    labels = {d.id: d.label for d in grid.dimensions}
    aggregated = aggregate_weights(weights_table(inputs))
    weights = aggregated[aggregated.index.isin(labels)].rename(index=labels)
    criteria = {c.id: c.label for _, c in grid.criteria()}
    shown = inputs[inputs["kind"].isin(list(PROPOSAL_KINDS)) & ~inputs["hidden"]]
    shown = shown.sort_values(["votes", "created_at"], ascending=[False, True])
    proposals = [Proposal(PROPOSAL_KINDS[row.kind], row.payload.get("text") or "",
                          int(row.votes), criteria.get(row.payload.get("about") or "", ""),
                          row.payload.get("value"))
                 for row in shown.itertuples()]
    people = inputs["participant_id"].nunique() if not inputs.empty else 0
    from essaim.workshops.day_people import comptoir_participants

    joined = comptoir_participants(engine, day).get(comptoir.code, people)
    return ComptoirSynthesis(
        code=comptoir.code, title=comptoir.title, room=day.room(comptoir.room_id).name,
        slot=day.slot(comptoir.slot_id).text, question=comptoir.question,
        grand_temoin=comptoir.grand_temoin,
        temoin_lines=[line for line in comptoir.temoin_lines.splitlines() if line.strip()],
        participants=joined, weights=weights, proposals=proposals)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold_text(text)) if len(w) >= 4
            and w not in _STOPWORDS}


def _recurrences(comptoirs: list[ComptoirSynthesis]) -> list[Recurrence]:
    """Proposals made, in close words or as a target for the same criterion, in several
    comptoirs (union of the pairs that match across comptoirs)."""
    items = [(c.title, p) for c in comptoirs for p in c.proposals if p.text or p.about]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_words(p.text) for _, p in items]
    for i, (where_i, p_i) in enumerate(items):
        for j in range(i + 1, len(items)):
            where_j, p_j = items[j]
            if where_i == where_j:
                continue
            shared = words[i] & words[j]
            close = shared and len(shared) >= 0.5 * min(len(words[i]), len(words[j]))
            same_target = p_i.about and p_i.about == p_j.about and p_i.value is not None \
                and p_j.value is not None
            if close or same_target:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    found = []
    for members in groups.values():
        places = tuple(dict.fromkeys(items[i][0] for i in members))
        if len(places) < 2:
            continue
        best = max(members, key=lambda i: items[i][1].votes)
        proposal = items[best][1]
        text = proposal.text or f"objectif pour {quoted(proposal.about)}"
        found.append(Recurrence(text, places, proposal.kind))
    return sorted(found, key=lambda r: -len(r.comptoirs))


def _dimensions(comptoirs: list[ComptoirSynthesis]) -> list[DimensionComparison]:
    medians: dict[str, dict[str, float]] = {}
    for comptoir in comptoirs:
        for label, row in comptoir.weights.iterrows():
            medians.setdefault(label, {})[comptoir.title] = float(row["median"])
    compared = []
    for label, per_comptoir in medians.items():
        low = min(per_comptoir.items(), key=lambda kv: kv[1])
        high = max(per_comptoir.items(), key=lambda kv: kv[1])
        compared.append(DimensionComparison(label, per_comptoir, low, high))
    return sorted(compared, key=lambda d: -d.spread)


def quoted_list(labels: list[str]) -> str:
    """« A », « B » et « C »."""
    shown = [quoted(label) for label in labels]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " et " + shown[-1]


def _sentences(day: Day, comptoirs: list[ComptoirSynthesis], synthesis: DaySynthesis) -> list[str]:
    people = sum(c.participants for c in comptoirs)
    sentences = [(f"{plural(len(comptoirs), 'comptoir')} en {plural(len(day.rooms), 'salle')} "
                 f"et {plural(len(day.slots), 'créneau', 'créneaux')} ont réuni "
                 f"{plural(people, 'participation')}.")]
    weighed = [c for c in comptoirs if not c.weights.empty]
    if not weighed:
        sentences.append("Aucune salle n'a encore réparti ses 100 points.")
        return sentences
    if synthesis.agreed:
        sentences.append(f"Les salles s'accordent sur {quoted_list([d.label for d in synthesis.agreed])}.")
    for index, dimension in enumerate(synthesis.differing[:2]):
        subject = "Elles" if synthesis.agreed or index else "Les salles"
        sentences.append(
            f"{subject} divergent sur {quoted(dimension.label)} : de {format_plain(dimension.low[1])} "
            f"points ({dimension.low[0]}) à {format_plain(dimension.high[1])} "
            f"({dimension.high[0]}).")
    if synthesis.recurrences:
        first = synthesis.recurrences[0]
        kind = f" ({first.kind.lower()})" if first.kind else ""
        sentences.append(f"Une proposition revient dans {plural(len(first.comptoirs), 'comptoir')}"
                         f"{kind} : {quoted(first.text)}.")
    return sentences


def build_day_synthesis(engine: Engine, day: Day) -> DaySynthesis:
    """Everything the grands témoins need, from the store as it is now."""
    comptoirs = [_comptoir_synthesis(engine, day, c) for c in day.comptoirs]
    synthesis = DaySynthesis(day.title, comptoirs, _dimensions(comptoirs),
                             _recurrences(comptoirs), [])
    synthesis.sentences = _sentences(day, comptoirs, synthesis)
    return synthesis
