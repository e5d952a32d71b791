"""The figures Essaim shows: which report counts, key figures, comparison points,
normalisations, disagreements between partners and how a scope is summarised."""
