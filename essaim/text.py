"""Text compared the way people type it: without accents, ligatures, case or punctuation."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into plain ones (NFKD leaves « œ » whole).
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o",
                            "Ø": "O", "đ": "d", "ł": "l", "Ł": "L"})


def fold_text(text: str) -> str:
    """Lower case, no accents or ligatures, hyphens and apostrophes as spaces:
    "Saint-Étienne" → "saint etienne", "Cœur de Lozère" → "coeur de lozere"."""
    text = str(text).translate(_LIGATURES)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("\u2019", " ")
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").split())


def quoted(text: str) -> str:
    """French quotation marks held to the text by no-break spaces (never alone at a line's end)."""
    return f"«\u00a0{text}\u00a0»"
