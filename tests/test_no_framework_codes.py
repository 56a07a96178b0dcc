"""No code knows a framework's shape: no standard, question or item-group code of any shipped
framework file appears as a string in the app's Python.

Scanned: every .py under inspection/, cases/, reports/ and bundles/, by the ast module (string
constants only, so comments never count), docstrings skipped (they may name a code as an example).

Left out, and why:
- tests (here), the framework files themselves (inspection/frameworks/*.json, not Python);
- migrations/: frozen history. 0002 loaded the 2021 framework and 0012-0013 convert it from a
  frozen format-2 copy (a JSON file); a migration must keep working as written, whatever the
  framework files later say;
- demo data (inspection/demo/) and benchmarks/ (not under the scanned folders): they are data
  about one framework, as a bundle is. The setup_demo command is scanned and holds no code.

A string counts when it equals a code of a shipped file and looks like one: it holds a digit or a
dot ("2.1", "2.2.3.d", "C1"), or it is an item group's code used as a key ("CW", "R": a bare
letter is only reported where it indexes or is compared, never in ordinary words).
"""

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("inspection", "cases", "reports", "bundles")
FRAMEWORK_FILES = sorted((ROOT / "inspection/frameworks").glob("*.json"))
EXCLUDED_PARTS = {"migrations", "demo"}
EXCLUDED_FILES: set[str] = set()  # setup_demo reads the demo bundle and holds no code itself
# Strings that spell a code by coincidence: (file, text) -> what they are.
COINCIDENCES = {
    ("reports/exports/workbook.py", "A2"): "a spreadsheet cell (freeze panes), not question A2",
}


def framework_codes() -> tuple[set[str], set[str]]:
    """(standard, question and domain codes; item group codes) of every shipped file."""
    codes, groups = set(), set()
    for path in FRAMEWORK_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for domain in data["domains"]:
            for standard in domain["standards"]:
                codes.add(standard["code"])
                for kq in standard.get("key_questions", []):
                    codes.add(kq["code"])
                    codes.update(p["code"] for p in kq.get("prompts", []))
        for group in data.get("item_groups", []):
            groups.add(group["code"])
            codes.update(item["code"] for item in group["items"])
    return codes, groups


def looks_like_code(text: str) -> bool:
    return any(c.isdigit() or c == "." for c in text)


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def used_as_key(node: ast.Constant, parents: dict[int, ast.AST]) -> bool:
    """Indexes something, is compared, is a dict key or a call's argument: how code uses a key."""
    parent = parents.get(id(node))
    if isinstance(parent, (ast.Subscript, ast.Compare)):
        return True
    if isinstance(parent, ast.Dict) and any(k is node for k in parent.keys):
        return True
    if isinstance(parent, ast.Call) and node in parent.args:
        return True
    return isinstance(parent, (ast.Tuple, ast.List, ast.Set)) and isinstance(
        parents.get(id(parent)), ast.Compare
    )


def python_files():
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if EXCLUDED_PARTS & set(relative.parts) or str(relative) in EXCLUDED_FILES:
                continue
            yield path, relative


def code_strings() -> list[str]:
    codes, groups = framework_codes()
    found = []
    for path, relative in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = docstrings(tree)
        parents = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in skip:
                continue
            text = node.value
            if (str(relative), text) in COINCIDENCES:
                continue
            if (text in codes and looks_like_code(text)) or (
                text in groups and used_as_key(node, parents)
            ):
                found.append(f"{relative}:{node.lineno}: {text!r}")
    return found


def test_the_scan_reads_the_shipped_files():
    codes, groups = framework_codes()
    assert len(FRAMEWORK_FILES) >= 4
    assert {"2.1", "2.2.3.d", "C1"} <= codes and {"R", "CW", "C"} <= groups
    assert any(relative.parts[0] == "reports" for _, relative in python_files())


def test_the_scan_would_find_a_code(tmp_path):
    """The check itself: a code as a string is found, in a docstring or comment it is not."""
    codes, groups = framework_codes()
    source = '"""Mentions 2.1 as an example."""\n# "2.1"\nx = ratings["2.1"]\ny = items["R"]\n'
    tree = ast.parse(source)
    skip = docstrings(tree)
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    hits = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and (
            (node.value in codes and looks_like_code(node.value))
            or (node.value in groups and used_as_key(node, parents))
        )
    ]
    assert hits == ["2.1", "R"]


def test_no_standard_or_question_code_in_the_apps_python():
    found = code_strings()
    assert not found, "Framework codes in Python (they belong in the framework files):\n" + (
        "\n".join(found)
    )
