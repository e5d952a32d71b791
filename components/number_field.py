"""The one field for typing a number, French-style, used by every numeric entry of the app.

Streamlit's number widgets drop the decimal comma (« 49,8 » became 498): every figure is typed in
a text field instead and read by essaim.numbers.entry.read_number (comma or point, spaces or
non-breaking spaces between thousands, an optional « % », an ambiguous « 1.234 » refused) and
checked by the indicator's rule (essaim.numbers.ranges). The value read is shown back before
anything is saved: « Vous saisissez 49,8 % ».
"""

from __future__ import annotations

import streamlit as st

from essaim.numbers.entry import NumberEntry, read_number, shown_unit
from essaim.numbers.formatting import format_plain
from essaim.numbers.ranges import ValueRule


def french_number_field(label: str, key: str, *, rule: ValueRule | None = None,
                        unit: str = "", value: float | None = None, required: bool = True,
                        help: str | None = None, placeholder: str = "ex. 12,5",
                        container=None) -> NumberEntry:
    """A text field read as a French number: below it, the value read (« Vous saisissez 49,8 % »)
    or why it cannot be (the rule stated). Returns the entry; nothing is saved here. `value`
    prefills the field (written the French way). Reruns on Enter or when the field loses focus."""
    where = container or st
    if key not in st.session_state and value is not None:
        st.session_state[key] = format_plain(value).replace("\u00a0", " ")
    typed = where.text_input(label, key=key, help=help, placeholder=placeholder, max_chars=40)
    entry = read_number(typed, rule, required=required)
    if entry.error and entry.text:
        where.error(f"« {entry.text} » : {entry.error}.", icon=":material/error:")
    elif entry.ok:
        where.caption(f":material/check: Vous saisissez **{entry.shown(shown_unit(rule, unit))}**")
    return entry
