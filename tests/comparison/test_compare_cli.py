"""``python -m model_artifacts compare`` end to end on a 2×2: prompts.csv + models.yaml
(an adapter given as a local folder) → spec.json, images, report.json, a progress bar."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from model_artifacts.cli import main

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def test_compare_two_prompts_by_two_models(tiny_models_dir: Path, adapters_dir: Path,
                                           spec_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # Given a prompt set with a reference photo, and a base + a LoRA from a local folder
    (tmp_path / "prompts.csv").write_text(
        f"prompt,reference_image\na red linen shirt,{spec_dir / 'ref.png'}\n"
        "a blue dress on a model,\n")
    (tmp_path / "models.yaml").write_text(f"""
steps: 2
width: 64
height: 64
models:
  - {{name: sdxl, type: sdxl}}
  - name: sdxl-product
    type: sdxl
    adapters: [{{path: {adapters_dir / 't1/models/lora-a'}, weight: 0.8}}]
    price: {{usd_per_image: 0.5}}
""")
    # When the CLI runs it
    status = main(["compare", "--prompts", str(tmp_path / "prompts.csv"),
                   "--models", str(tmp_path / "models.yaml"), "--out", str(tmp_path / "out"),
                   "--models-dir", str(tiny_models_dir), "--seed", "11",
                   "--usd-per-hour", "3.6"])
    # Then the report has the 2×2 grid, priced per hour by the flag or per image by the file
    assert status == 0
    out = capsys.readouterr()
    assert "comparison: 100%" in out.err and "4/4" in out.err  # tqdm's bar
    assert "sdxl-product" in out.out and "report: " in out.out
    report = json.loads((tmp_path / "out/report.json").read_text())
    cells = {(c["prompt"], c["model"]): c for c in report["cells"]}
    assert all(c["status"] == "succeeded" and c["seed"] == 11 for c in cells.values())
    assert cells[0, "sdxl"]["cost_usd"] == pytest.approx(  # $3.6/h = $0.001/s
        cells[0, "sdxl"]["model_seconds"] / 1000, abs=1e-8)
    assert cells[0, "sdxl-product"]["cost_usd"] == 0.5
    assert report["prompts"][0]["reference_image"] == "inputs/ref-0.png"
    assert report["tiny_models"] is True  # not in the spec: the models' tiny markers say so
    # And spec.json beside it records what ran (the local adapter under a key of its own)
    spec = json.loads((tmp_path / "out/spec.json").read_text())
    assert spec["models"][1]["adapters"][0]["key"] == "sdxl-product-0"
    assert spec["models"][0]["price"] == {"instance_type": "ml.g5.2xlarge",
                                          "usd_per_hour": 3.6, "usd_per_image": None}


def test_compare_refuses_a_bad_models_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "prompts.txt").write_text("a shirt\n")
    (tmp_path / "models.yaml").write_text("models:\n  - {name: x, type: sdxl, colour: red}\n")
    status = main(["compare", "--prompts", str(tmp_path / "prompts.txt"),
                   "--models", str(tmp_path / "models.yaml"), "--out", str(tmp_path / "out")])
    assert status == 2
    assert "colour" in capsys.readouterr().err


def test_adapters_by_key_are_copied_from_the_adapters_dir(tmp_path: Path) -> None:
    from argparse import Namespace

    from model_artifacts.compare import build_spec
    from sagemaker_containers.comparison.spec import SpecError

    # Given an artifacts store with one adapter, and a models.yaml naming it by key
    store = tmp_path / "artifacts"
    (store / "t1/models/m1").mkdir(parents=True)
    (store / "t1/models/m1/pytorch_lora_weights.safetensors").write_bytes(b"weights")
    (store / "t1/models/m2").mkdir(parents=True)  # not named: not copied
    (tmp_path / "prompts.txt").write_text("a shirt\n")

    def spec_for(yaml_text: str, run_root: Path) -> object:
        (tmp_path / "models.yaml").write_text(yaml_text)
        args = Namespace(models=tmp_path / "models.yaml", prompts=tmp_path / "prompts.txt",
                         adapters_dir=store, instance_type="ml.g5.2xlarge", usd_per_hour=1.0,
                         seed=None, steps=None, guidance=None, size=None, width=None,
                         height=None)
        return build_spec(args, run_root)

    root = tmp_path / "run"
    spec = spec_for("- {name: p, type: sdxl, adapters: [{key: t1/models/m1}]}\n", root)
    assert spec.models[0].adapters[0].key == "t1/models/m1"  # type: ignore[attr-defined]
    assert (root / "t1/models/m1/pytorch_lora_weights.safetensors").read_bytes() == b"weights"
    assert not (root / "t1/models/m2").exists()
    # A key that leaves the adapters folder is refused before anything runs
    with pytest.raises(SpecError, match="leaves --adapters-dir"):
        spec_for("- {name: p, type: sdxl, adapters: [{key: ../../etc}]}\n", tmp_path / "r2")
