"""Smoke runs of the model benchmarks' code paths (toy sizes, CPU; no timing asserted)."""

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
    # The benchmark scripts import their siblings as ``benchmarks.*``, from the repo root.
    sys.path.insert(0, str(ROOT))
    yield
    sys.path.remove(str(ROOT))


def test_gpu_benchmark_refuses_a_cpu_without_allow_cpu(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks import gpu_models

    assert gpu_models.main(["--device", "cpu"]) == 2
    assert "--allow-cpu" in capsys.readouterr().err


def test_gpu_benchmark_avatar_path_runs_at_toy_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from benchmarks import gpu_models

    out = tmp_path / "rows.json"
    assert gpu_models.main(["--device", "cpu", "--allow-cpu", "--quick", "--only", "avatar",
                            "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "| avatar | 64², load adapter + generate | fp32 | no |" in table
    rows = json.loads(out.read_text())["rows"]
    assert [row["scenario"] for row in rows] == ["avatar"] and rows[0]["seconds"] > 0


def test_adapter_size_matches_what_training_writes(tmp_path: Path) -> None:
    from benchmarks import adapter_size

    (row,) = adapter_size.measure(True, [4], tmp_path)
    # The tiny base's fp32 files hold ~4 bytes per counted parameter (+ headers)
    assert row.base_disk_bytes is not None
    assert 1.0 <= row.base_disk_bytes / (4 * row.pipeline_params) < 1.05
    # A rank-4 fp16 adapter: 2 bytes per LoRA parameter plus a small header
    assert 2 * row.adapter_params < row.adapter_file_bytes < 2 * row.adapter_params + 16_384
    assert row.pipeline_fp16_bytes > 50 * row.adapter_file_bytes


def test_gpu_benchmark_blip2_cases_run_at_toy_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import gpu_models

    assert gpu_models.main(["--device", "cpu", "--allow-cpu", "--quick", "--only", "blip2"]) == 0
    table = capsys.readouterr().out
    for case in ("7 questions, one generate", "7 questions, 7 separate generates",
                 "7 taxonomy attributes x 5 values, one scoring pass"):
        assert f"| blip2 | 32², {case} | fp32 | no |" in table
