"""Where the project's files live, found from this file rather than the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
GEO_DIR = DATA_DIR / "geo"
DEMO_DIR = DATA_DIR / "demo"
VAR_DIR = ROOT / "var"
STATIC_DIR = ROOT / "static"
