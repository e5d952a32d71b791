"""The house rules a newcomer relies on, checked: the layers (import-linter's contracts in
pyproject.toml), ruff, modules of one job, pages declared in one place, browser scripts linted."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from essaim.site_map import SITE_MAP, readme_page_table

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
LINT_DIR = ROOT / "tools" / "lint"


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py")
                  if "node_modules" not in p.parts)


def test_the_layer_contracts_hold():
    """pages → components → essaim; essaim without Streamlit; the domain's own layers (web on top,
    data and numbers at the bottom): `lint-imports` reads the contracts from pyproject.toml."""
    linter = shutil.which("lint-imports") or pytest.fail("import-linter absent : pip install -r "
                                                         "requirements-test.txt")
    completed = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "BROKEN" not in completed.stdout and completed.stdout.count("KEPT") >= 3


def test_the_layer_contracts_would_catch_streamlit_in_the_domain(tmp_path):
    """The contract is not a test that cannot fail: a copy of the package with one forbidden
    import breaks it."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "essaim", copy / "essaim", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "components", copy / "components",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("bench", "deploy", "tests"):
        (copy / name).mkdir()
        (copy / name / "__init__.py").write_text("")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "essaim" / "numbers" / "leak.py").write_text("import streamlit\n")
    completed = subprocess.run([shutil.which("lint-imports")], cwd=copy, capture_output=True,
                               text=True, check=False)
    assert completed.returncode != 0 and "essaim.numbers.leak" in completed.stdout


def test_pages_import_no_other_page_and_nothing_imports_pages():
    for path in _python_files("pages", "components", "essaim"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "pages" or n.startswith("pages.") for n in names), path


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or pytest.fail("ruff absent : pip install -r requirements-test.txt")
    completed = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:]


def test_every_module_has_one_job():
    """A module past about 400 lines has two jobs: split it by capability."""
    long = {str(p.relative_to(ROOT)): n for p in _python_files("essaim", "components", "pages")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_every_page_file_is_listed_once_in_the_site_map():
    files = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    listed = [spec.file for spec in SITE_MAP]
    assert sorted(listed) == files and len(set(listed)) == len(listed)
    assert len({spec.url_path for spec in SITE_MAP}) == len(SITE_MAP)


def test_no_page_file_is_named_by_hand_outside_the_site_map():
    """Pages, components, the app and the benches find a page through the site map
    (`page_file`, `SITE_MAP`); only tests name the page they test."""
    pattern = re.compile(r"pages/[a-z_]+\.py")
    found = []
    for path in _python_files("essaim", "components", "pages", "bench") + [ROOT / "app.py"]:
        if path.name == "site_map.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and pattern.search(node.value) and "\n" not in node.value:
                found.append(f"{path.relative_to(ROOT)}: {node.value}")
    assert found == []


def test_the_readme_page_table_is_written_from_the_site_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_page_table() in readme, "Lancez `python -m scripts.update_readme`."


def test_the_browser_scripts_pass_eslint():
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm absent : ESLint n'est pas lancé (la CI l'installe).")
    if not (LINT_DIR / "node_modules" / ".bin" / "eslint").exists():
        install = subprocess.run([npm, "ci", "--prefix", str(LINT_DIR), "--no-audit", "--no-fund"],
                                 capture_output=True, text=True, timeout=300, check=False)
        assert install.returncode == 0, install.stderr[-2000:]
    completed = subprocess.run([str(LINT_DIR / "node_modules" / ".bin" / "eslint"),
                                "--config", str(LINT_DIR / "eslint.config.mjs"), "--max-warnings",
                                "0", *map(str, _browser_scripts())],
                               cwd=ROOT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-1000:]


def _browser_scripts() -> list[Path]:
    return sorted(p for folder in ("essaim", "components", "static")
                  for p in (ROOT / folder).rglob("*.js")
                  if "vendor" not in p.parts and "node_modules" not in p.parts)


def test_python_is_the_one_the_project_declares():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"].startswith(">=3.11") and sys.version_info[:2] == (3, 11)
