"""Promises about the package as a whole: public APIs only, and types that check."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = sorted((ROOT / "zqparse").glob("*.py"))
#: modules that are the standard library's own internals under a public-looking name
INTERNAL_MODULES = {"sre_parse", "sre_compile", "sre_constants"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(source: str) -> Iterator[Tuple[int, str]]:
    """(line, what) for each use of a private name of another module or object in ``source``:
    an import of a private module or name, ``obj._name`` on anything but ``self``/``cls``,
    and ``getattr(obj, "_name")``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in INTERNAL_MODULES or any(_private(part) for part in alias.name.split(".")):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in INTERNAL_MODULES or any(_private(part) for part in module.split(".")):
                yield node.lineno, f"from {module} import …"
            for alias in node.names:
                if _private(alias.name):
                    yield node.lineno, f"from {'.' * node.level}{module} import {alias.name}"
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                yield node.lineno, f"…{node.attr}"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
              and _private(node.args[1].value)):
            yield node.lineno, f"{node.func.id}(…, {node.args[1].value!r})"


@pytest.mark.parametrize("source, found", [
    ("from re import _parser", ["from re import _parser"]),
    ("import sre_parse", ["import sre_parse"]),
    ("from .figures import _Sections", ["from .figures import _Sections"]),
    ("tok = jieba.Tokenizer(); tok.FREQ; tok._lock", ["…_lock"]),
    ("getattr(state, '_robots')", ["getattr(…, '_robots')"]),
    ("self._cache; cls._made; x.__class__; from os import path", []),
])
def test_the_scan_finds_private_uses(source, found):
    assert [what for _, what in private_uses(source)] == found


@pytest.mark.parametrize("path", PACKAGE, ids=lambda p: p.name)
def test_no_private_names_of_other_modules_or_objects(path):
    """The package uses public APIs only: of the standard library, of its dependencies, of its own modules."""
    uses = [f"{path.name}:{line}: {what}" for line, what in private_uses(path.read_text(encoding="utf-8"))]
    assert uses == []


def test_the_package_type_checks():
    """py.typed promises types: mypy (strict, configured in pyproject.toml) finds no error."""
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
