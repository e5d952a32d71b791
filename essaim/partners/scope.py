"""What a partner link may read and write: the essaimages the partner takes part in (its roles in
the active dataset) and the territories of those essaimages — nothing else, checked on the
server for every read and every declaration."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from essaim.data.dataset import Dataset


class OutOfScopeError(Exception):
    """A read or a write outside the partner's essaimages; the message is French."""


@dataclass(frozen=True)
class PartnerScope:
    partner_code: str
    partner_name: str
    essaimage_codes: frozenset[str]
    territory_codes: frozenset[str]

    def allows(self, territory_code: str, essaimage_code: str | None) -> bool:
        """True when a value of this cell is within the scope."""
        if essaimage_code:
            return essaimage_code in self.essaimage_codes
        return territory_code in self.territory_codes


def scope_of(dataset: Dataset, partner_code: str) -> PartnerScope:
    """The partner's scope in the active dataset (empty when it takes part in no essaimage)."""
    partners = dataset.partners.set_index("code")
    if partner_code not in partners.index:
        raise OutOfScopeError("Ce partenaire ne figure plus dans les données : demandez à l'ANSA "
                              "de mettre votre lien à jour.")
    roles = dataset.partner_roles[dataset.partner_roles["partner_code"] == partner_code]
    essaimages = dataset.essaimages[dataset.essaimages["code"].isin(roles["essaimage_code"])]
    return PartnerScope(partner_code=partner_code, partner_name=partners.at[partner_code, "name"],
                        essaimage_codes=frozenset(essaimages["code"]),
                        territory_codes=frozenset(essaimages["territory_code"]))


def values_in_scope(values: pd.DataFrame, scope: PartnerScope) -> pd.DataFrame:
    """Every partner's values of the scope's essaimages and territory-level values of its
    territories (the sharing the partners asked for)."""
    own = values["essaimage_code"].isin(scope.essaimage_codes)
    territorial = values["essaimage_code"].isna() & values["territory_code"].isin(
        scope.territory_codes)
    return values[own | territorial]


def essaimages_in_scope(dataset: Dataset, scope: PartnerScope) -> pd.DataFrame:
    """The scope's essaimages with innovation and territory names."""
    table = dataset.essaimage_table()
    return table[table["code"].isin(scope.essaimage_codes)]
