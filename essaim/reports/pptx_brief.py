"""Sections of the deck that say only a few lines (« Aucun désaccord… », « Pas encore de résultat à
valoriser… ») share one slide, each under its own heading, rather than leaving a row of nearly
empty slides."""

from __future__ import annotations

from essaim.reports import design
from essaim.reports.model import Paragraphs, Section, SideBySide
from essaim.reports.pptx_text import Para, block_paras, body_height, text_height


def section_text(section: Section) -> list[Paragraphs] | None:
    """The section's text blocks when it holds nothing else (no table, chart, card or map)."""
    found = []
    for block in section.blocks:
        parts = [block.left, block.right] if isinstance(block, SideBySide) else [block]
        if not all(isinstance(part, Paragraphs) for part in parts):
            return None
        found += parts
    return found


def brief_paras(sections: list[Section]) -> list[Para]:
    """The sections' text under their headings, at body size."""
    paras = []
    for section in sections:
        paras.append(Para.of(section.title, design.DECK_BODY_PT + 2, bold=True,
                             colour=design.NAVY, space_before=14 if paras else 0))
        for block in section_text(section):
            paras += block_paras(block, design.DECK_BODY_PT)
    return paras


def group_brief_sections(sections: list[Section]) -> list[list[Section]]:
    """Consecutive sections: runs of short text-only sections that fit one slide together become
    one group; every other section is a group of its own."""
    groups: list[list[Section]] = []
    for section in sections:
        previous = groups[-1] if groups else None
        if previous and section_text(section) is not None and all(
                section_text(s) is not None for s in previous) and text_height(
                brief_paras(previous + [section]), design.CONTENT_WIDTH) <= body_height():
            previous.append(section)
        else:
            groups.append([section])
    return groups
