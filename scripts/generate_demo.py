"""Regenerate the fictional demonstration dataset in data/demo/ (deterministic, seeded).

Usage: python scripts/generate_demo.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from essaim.demo_generator import write_demo_files  # noqa: E402
from essaim.paths import DEMO_DIR  # noqa: E402

if __name__ == "__main__":
    for table, count in write_demo_files(DEMO_DIR).items():
        print(f"{table}: {count} lignes")
