"""Regenerate the fictional demonstration dataset in data/demo/ (deterministic, seeded).

Usage: python -m scripts.generate_demo
"""


from essaim.data.demo_generator import write_demo_files
from essaim.paths import DEMO_DIR

if __name__ == "__main__":
    for table, count in write_demo_files(DEMO_DIR).items():
        print(f"{table}: {count} lignes")
