"""Text fields that never lose what was typed: over the limit, the text stays in the box, with
the limit and the count said (Streamlit's own `max_chars` cuts a pasted text silently)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from essaim.numbers.formatting import format_number


@dataclass(frozen=True)
class TextEntry:
    text: str
    limit: int

    @property
    def too_long(self) -> bool:
        return len(self.text) > self.limit

    @property
    def message(self) -> str:
        return (f"Texte trop long : {format_number(len(self.text))} caractères pour "
                f"{format_number(self.limit)} au plus. Raccourcissez-le : rien n'est effacé.")


def text_with_limit(label: str, key: str, limit: int, *, area: bool = True,
                    placeholder: str | None = None, container=None) -> TextEntry:
    """A text box with its limit: the count below it, and over the limit a French message —
    the text itself stays as typed. Returns the entry (stripped)."""
    where = container or st
    widget = where.text_area if area else where.text_input
    typed = widget(label, key=key, placeholder=placeholder,
                   help=f"{format_number(limit)} caractères au plus.")
    entry = TextEntry((typed or "").strip(), limit)
    if entry.too_long:
        where.error(entry.message, icon=":material/error:")
    elif area and entry.text:
        where.caption(f"{format_number(len(entry.text))} / {format_number(limit)} caractères")
    return entry
