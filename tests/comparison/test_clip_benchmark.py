"""The GPU benchmark's CLIP-score scenario runs (toy size, on the CPU)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_gpu_benchmark_clip_score_runs_at_toy_size(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from benchmarks import gpu_models

    assert gpu_models.main(["--device", "cpu", "--allow-cpu", "--quick",
                            "--only", "clip_score"]) == 0
    assert "| clip_score | 9 images 64² → 32² | fp32 | no |" in capsys.readouterr().out
