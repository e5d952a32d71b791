"""A number typed by a person, read and checked in one step, the same way on every entry path
(pages, the phone API, files): what was typed, the number read, and why it cannot be."""

from __future__ import annotations

from dataclasses import dataclass

from essaim.numbers.formatting import format_plain
from essaim.numbers.ranges import ValueRule
from essaim.numbers.reading import parse_french_number


@dataclass(frozen=True)
class NumberEntry:
    """What was typed, the number read (None when nothing or nothing valid) and why not."""

    text: str
    value: float | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.value is not None and self.error is None

    def shown(self, unit: str = "") -> str:
        """The value read, as it is shown back: « 49,8 % », « 1 234,5 »."""
        return format_plain(self.value, unit=unit)


def read_number(text, rule: ValueRule | None = None, *, required: bool = True) -> NumberEntry:
    """`text` read as a French number (essaim.numbers.reading) and checked by `rule`
    (essaim.numbers.ranges); an empty entry is an error only when `required`."""
    text = str(text if text is not None else "").strip()
    if not text:
        return NumberEntry(text, None, "valeur à saisir" if required else None)
    try:
        value = parse_french_number(text)
    except ValueError as error:
        return NumberEntry(text, None, str(error))
    problem = rule.check(value) if rule is not None else None
    return NumberEntry(text, None if problem else value, problem)


def shown_unit(rule: ValueRule | None, unit: str = "") -> str:
    """The unit written after a value read back: the given one, else the rule's if it is a
    symbol (« % », « ‰ », « € »)."""
    if unit:
        return unit
    symbol = rule.unit.strip() if rule else ""
    return symbol if symbol in ("%", "‰", "€") else ""
