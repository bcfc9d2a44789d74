"""Smoke runs of the try-on benchmarks' code paths (toy sizes, CPU; no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def repo_on_path() -> Iterator[None]:
    sys.path.insert(0, str(ROOT))
    yield
    sys.path.remove(str(ROOT))


def test_gpu_benchmark_garment_inpainting_runs_at_toy_size(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks import gpu_models

    assert gpu_models.main(["--device", "cpu", "--allow-cpu", "--quick",
                            "--only", "garment_inpainting"]) == 0
    assert "| garment_inpainting | 64² x3, 2 steps, garment photo | fp32 | no |" in (
        capsys.readouterr().out)


def test_compositing_benchmark_prints_both_paths(
    tiny_models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import tryon_compositing

    assert tryon_compositing.main(["--models-dir", str(tiny_models_dir),
                                   "--megapixels", "0.05", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "| old: whole photo at the model's side |" in out
    assert "| new: crop at the model's side, full-size composite |" in out
    assert "new / old:" in out
