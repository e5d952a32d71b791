"""Write the README's page table from the site map (essaim.site_map): run it after adding or
describing a page.

Usage: python -m scripts.update_readme
"""

from __future__ import annotations

from pathlib import Path

from essaim.site_map import readme_page_table

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = "## Les pages"


def replace_page_table(text: str) -> str:
    """`text` (the README) with the table under « ## Les pages » replaced by the site map's."""
    lines = text.split("\n")
    start = lines.index(HEADING)
    first = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("|"))
    last = first
    while last + 1 < len(lines) and lines[last + 1].startswith("|"):
        last += 1
    return "\n".join(lines[:first] + readme_page_table().split("\n") + lines[last + 1:])


if __name__ == "__main__":
    README.write_text(replace_page_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md : tableau des pages réécrit depuis essaim/site_map.py")
