"""The apps are a one-way stack (inspection <- cases <- reports <- bundles), kept by import-linter.

Runs the same contract `make lint` runs, on the real tree and on a copy with one upward import
added, so the contract is shown to catch what it is there for. Then reads the source itself: no
lower package names a higher one's tables (in SQL) or imports it, and no callback list filled in
an app's ready() is left; each check is shown to find what it looks for.
"""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("inspection", "cases", "reports", "bundles", "api")


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
        # The read API is on top: nothing below may import it.
        ("reports/upward.py", "from api.models import ApiToken\n"),
    ],
)
def test_an_upward_import_breaks_the_contract(tree_copy, module, upward_import):
    (tree_copy / module).write_text(upward_import)
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout or "broken" in result.stdout


# The same stack, read from the source itself: what import-linter cannot see (a table named in
# SQL) and what it does not look for (a list of callbacks a higher app fills at start-up).
STACK = ("inspection", "cases", "reports", "bundles")  # lowest first


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def strings_in(tree: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def higher_than(package: str) -> tuple[str, ...]:
    return STACK[STACK.index(package) + 1 :]


def test_no_lower_package_names_a_higher_ones_tables_or_imports_it():
    found = []
    for package in STACK:
        higher = higher_than(package)
        if not higher:
            continue
        table = re.compile(rf"\b({'|'.join(higher)})_[a-z]")
        for path in sources(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = path.relative_to(ROOT)
            found += [f"{where}: names {text!r}" for text in strings_in(tree) if table.search(text)]
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                found += [
                    f"{where}:{node.lineno}: imports {name}"
                    for name in names
                    if name.split(".")[0] in higher
                ]
    assert found == []


def test_the_check_sees_a_table_named_in_sql():
    tree = ast.parse('SQL = f"SELECT inspection_id FROM cases_case WHERE id = {1}"')
    table = re.compile(rf"\b({'|'.join(higher_than('inspection'))})_[a-z]")
    assert any(table.search(text) for text in strings_in(tree))


def callback_registries(path: Path, root: Path = ROOT) -> list[str]:
    """A `register_...` function, a module-level list or dict of callables, and any call of a
    `register...` function in an app's ready(): the hand-rolled callback list, in its parts."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(root)
    found = [
        f"{where}:{node.lineno}: def {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("register_")
    ]
    for node in tree.body:  # module level only
        if (
            isinstance(node, ast.AnnAssign)
            and "Callable" in ast.unparse(node.annotation)
            and isinstance(node.value, ast.List | ast.Dict)
        ):
            found.append(f"{where}:{node.lineno}: {ast.unparse(node.target)} holds callables")
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "ready":
            found += [
                f"{where}:{call.lineno}: ready() calls {ast.unparse(call.func)}"
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr.startswith("register")
            ]
    return found


def test_no_callback_lists_are_filled_at_start_up():
    """The upper layer calls the lower one directly (reports.publishing calls the cases' checks,
    reports.report_writing the cases' case-reference check); a lower layer that must announce
    something sends a Django signal."""
    assert [
        found for package in STACK for p in sources(package) for found in callback_registries(p)
    ] == []


def test_the_callback_check_sees_a_list_filled_in_ready(tmp_path):
    (tmp_path / "lower.py").write_text(
        "from collections.abc import Callable\n"
        "_checks: list[Callable[[object], list[str]]] = []\n"
        "def register_check(check):\n    _checks.append(check)\n"
    )
    (tmp_path / "apps.py").write_text(
        "class Config:\n    def ready(self):\n        lower.register_check(print)\n"
    )
    found = [
        *callback_registries(tmp_path / "lower.py", tmp_path),
        *callback_registries(tmp_path / "apps.py", tmp_path),
    ]
    assert len(found) == 3, found
