"""Smoke run of the generation benchmark's code path (toy sizes, CPU; no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_gpu_benchmark_generation_runs_at_toy_size(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import gpu_models

    assert gpu_models.main(["--device", "cpu", "--allow-cpu", "--quick",
                            "--only", "generation"]) == 0
    assert "| generation | 64² x4, 2 steps | fp32 | no |" in capsys.readouterr().out
