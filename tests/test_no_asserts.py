"""`assert` is not control flow: `python -O` removes it, and a failed one is a traceback for the user.
No module of the bot has one."""

from __future__ import annotations

import ast

import pytest

from bot.paths import ROOT

MODULES = sorted(
    str(path.relative_to(ROOT)) for path in (ROOT / "bot").rglob("*.py") if "__pycache__" not in path.parts
)


def test_modules_are_found() -> None:
    assert "bot/runners.py" in MODULES and len(MODULES) > 50


@pytest.mark.parametrize("path", MODULES)
def test_no_assert_statements(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    assert not lines, f"{path}: assert on lines {lines}"
