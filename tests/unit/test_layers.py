"""The layers hold: import-linter's contracts (pyproject.toml) and no import cycles.

``make lint`` runs ``lint-imports`` too; this test is how CI, which runs ``make test``,
enforces the same contracts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import grimp

if TYPE_CHECKING:
    import pytest

ROOT = Path(__file__).resolve().parents[2]
# The packages checked for cycles (TYPE_CHECKING imports count: they are cycles for a
# reader and for mypy).
CYCLE_FREE = ("api", "lambdas", "cdk")


def test_import_linter_contracts_are_kept() -> None:
    # The CLI in its own process: in-process it reconfigures logging (dictConfig), which
    # disables every logger that already exists and silences later tests' log capture.
    lint_imports = Path(sys.executable).parent / "lint-imports"
    completed = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    assert "0 broken" in report


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm over the direct imports: every group of modules in a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return groups


def test_no_import_cycles() -> None:
    graph = grimp.build_graph(*CYCLE_FREE, cache_dir=None)  # TYPE_CHECKING imports included
    cycles = strongly_connected(graph)
    described = []
    for group in cycles:
        first, *rest = group
        # One concrete loop through the group, for the failure message.
        there = graph.find_shortest_chain(importer=first, imported=rest[0]) or ()
        back = graph.find_shortest_chain(importer=rest[0], imported=first) or ()
        described.append(" -> ".join([*there, *back[1:]]) + f"  ({len(group)} modules)")
    assert cycles == [], "import cycles:\n" + "\n".join(described)


def test_the_cycle_check_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a package whose modules import each other in a loop
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from loopy import b\n")
    (package / "b.py").write_text("from loopy import c\n")
    (package / "c.py").write_text("import loopy.a\n")
    (package / "d.py").write_text("from loopy import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    cycles = strongly_connected(grimp.build_graph("loopy", cache_dir=None))

    assert cycles == [["loopy.a", "loopy.b", "loopy.c"]]
