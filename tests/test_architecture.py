"""The apps are a one-way stack (inspection <- cases <- reports), checked by import-linter.

Runs the same contract `make lint` runs, on the real tree and on a copy with one upward import
added, so the contract is shown to catch what it is there for.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("inspection", "cases", "reports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_stack_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("inspection/upward.py", "from cases.models import Case\n"),
        ("cases/upward.py", "from reports import dashboards\n"),
        # Hidden inside a function is still an import, and still refused.
        ("inspection/hidden.py", "def f():\n    from reports import findings\n"),
    ],
)
def test_an_upward_import_breaks_the_contract(tree_copy, module, upward_import):
    (tree_copy / module).write_text(upward_import)
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout or "broken" in result.stdout
