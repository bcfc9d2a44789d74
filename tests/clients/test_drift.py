"""The committed clients (and the playground bundle) are what ``make clients`` generates
from today's app: a route or schema change without regenerating them fails here."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.clients.conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

sys.path.insert(0, str(ROOT / "scripts"))
from generate_clients import OUTPUTS  # noqa: E402


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two generated trees."""
    if left.is_file() or right.is_file():
        same = left.is_file() and right.is_file() and filecmp.cmp(left, right, shallow=False)
        return [] if same else [str(left.relative_to(ROOT))]
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__", ".ruff_cache"])
    found = [f"{left}/{n}" for n in cmp.left_only + cmp.right_only + cmp.funny_files]
    found += [
        f"{left}/{n}" for n in cmp.common_files
        if not filecmp.cmp(left / n, right / n, shallow=False)
    ]
    for sub in cmp.common_dirs:
        found += differences(left / sub, right / sub)
    return found


def test_committed_clients_match_a_fresh_generation(node_tools: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "scripts/generate_clients.py", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    drift = [d for rel in OUTPUTS for d in differences(ROOT / rel, tmp_path / rel)]
    assert drift == [], f"run `make clients` and commit: {drift}"


def test_the_drift_check_sees_a_changed_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.py").write_text("one")
    (tmp_path / "b" / "x.py").write_text("two")
    assert differences(tmp_path / "a", tmp_path / "b") == [f"{tmp_path / 'a'}/x.py"]
