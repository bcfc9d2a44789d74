"""A comparison over the tiny models, end to end: the grid, CLIP scores (checked against a
direct transformers computation), costs from the spec's prices, a failing column that
does not fail the report, and ``run.py`` as the launcher runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sagemaker_containers.comparison import spec as spec_module
from sagemaker_containers.comparison.run import Hosted, Paths, run

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HOURLY = {"instance_type": "ml.g5.2xlarge", "usd_per_hour": 1.515}
SPEC: dict[str, Any] = {
    "seed": 7, "steps": 2, "guidance": 5.0, "width": 64, "height": 64, "tiny_models": True,
    "prompts": [
        {"prompt": "a red linen shirt", "reference_image": "ref.png",
         "person_image": "person.png", "mask_image": "mask.png"},
        {"prompt": "a blue dress on a model", "person_image": "person.png"},
        {"prompt": "a white cotton shirt", "blocked": "the prompt was refused by moderation"},
    ],
    "models": [
        {"name": "sdxl", "type": "sdxl", "price": HOURLY},
        {"name": "sdxl-product", "type": "sdxl", "price": HOURLY,
         "adapters": [{"key": "t1/models/lora-a", "weight": 0.8}]},
        {"name": "canny", "type": "sdxl", "control": {"type": "canny"}, "price": HOURLY},
        {"name": "try-on", "type": "try_on", "price": HOURLY},
        {"name": "broken", "type": "sdxl", "adapters": [{"key": "t2/models/gone"}]},
        {"name": "gpt-image", "type": "openai"},
    ],
}


@pytest.fixture(scope="module")
def compared(tiny_models_dir: Path, spec_dir: Path, adapters_dir: Path,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, list[Any]]:
    out = tmp_path_factory.mktemp("report")
    ticks: list[tuple[int, int]] = []
    paths = Paths.from_models_dir(tiny_models_dir, spec_dir=spec_dir, output_dir=out,
                                  adapters_dir=adapters_dir)
    report = run(spec_module.parse(SPEC), paths, on_progress=lambda d, t: ticks.append((d, t)),
                 hosted=Hosted(env={}))
    return report, out, ticks


def by_cell(report: dict[str, Any]) -> dict[tuple[int, str], dict[str, Any]]:
    return {(c["prompt"], c["model"]): c for c in report["cells"]}


def test_the_grid_has_every_prompt_by_every_model(compared: tuple[Any, Path, Any]) -> None:
    report, out, ticks = compared
    names = [m["name"] for m in SPEC["models"]]
    assert [m["name"] for m in report["models"]] == names
    # In the spec's order, whatever order the columns ran in
    assert [(c["model"], c["prompt"]) for c in report["cells"]] == [
        (m, p) for m in names for p in range(3)]
    assert ticks[0] == (0, 18) and ticks[-1] == (18, 18)
    assert [d for d, _ in ticks] == list(range(19))
    assert json.loads((out / "report.json").read_text()) == report
    assert report["tiny_models"] is True and report["seed"] == 7
    assert report["scorer"] == {"metric": "clip_score", "library": "torchmetrics 1.9.0",
                                "model": "clip", "error": None}
    # The rows' photos are copied beside the report
    assert report["prompts"][0]["reference_image"] == "inputs/ref-0.png"
    assert (out / "inputs/person-1.png").is_file()


def test_cells_carry_images_scores_seeds_and_costs(compared: tuple[Any, Path, Any]) -> None:
    report, out, _ = compared
    cells = by_cell(report)
    made = [cells[0, m] for m in ("sdxl", "sdxl-product", "canny", "try-on")]
    made.append(cells[1, "sdxl"])
    for cell in made:
        assert cell["status"] == "succeeded", cell
        assert (out / cell["image"]).is_file() and cell["seed"] == 7  # one seed for all
        assert cell["clip_score"] is not None and cell["clip_score"] >= 0
        assert 0 < cell["model_seconds"] <= cell["wall_seconds"]
        # Cost: the instance's hourly price × the seconds inside the model, as shown
        # (the report rounds dollars to 8 digits)
        assert cell["cost_usd"] == pytest.approx(1.515 * cell["model_seconds"] / 3600, abs=1e-8)
        assert cell["moderation"] == "not_checked"
    # A LoRA changes the picture the same seed makes
    from PIL import Image, ImageChops

    base, product = (Image.open(out / cells[0, m]["image"]) for m in ("sdxl", "sdxl-product"))
    assert ImageChops.difference(base.convert("RGB"), product.convert("RGB")).getbbox()
    # The try-on keeps the person photo's size (composited at full resolution)
    assert Image.open(out / cells[0, "try-on"]["image"]).size == (64, 80)


def test_rows_that_do_not_apply_are_skipped_and_blocked_rows_not_generated(
        compared: tuple[Any, Path, Any]) -> None:
    cells = by_cell(compared[0])
    assert cells[1, "canny"]["status"] == "skipped"
    assert "reference_image" in cells[1, "canny"]["error"]
    for model in ("sdxl", "canny", "try-on", "gpt-image"):
        blocked = cells[2, model]
        assert (blocked["status"], blocked["moderation"]) == ("blocked", "blocked_prompt")
        assert blocked["image"] is None
    # Without a mask_image, CLIPSeg finds the region: the row is generated (tiny: noise)
    assert cells[1, "try-on"]["status"] in {"succeeded", "failed"}


def test_failing_columns_say_why_and_the_report_stands(compared: tuple[Any, Path, Any]) -> None:
    report, _, _ = compared
    cells = by_cell(report)
    models = {m["name"]: m for m in report["models"]}
    assert "t2/models/gone" in models["broken"]["error"]
    assert models["gpt-image"]["error"] == "OpenAI is not configured (no OPENAI_API_KEY)"
    for prompt in (0, 1):
        assert cells[prompt, "broken"]["status"] == "failed"
        assert cells[prompt, "broken"]["error"] == models["broken"]["error"]
    rows = {row["model"]: row for row in report["summary"]}
    assert (rows["broken"]["images"], rows["broken"]["failed"]) == (0, 2)
    assert rows["broken"]["clip_win_rate"] == 0.0
    assert rows["sdxl"]["images"] == 2 and rows["sdxl"]["cost_usd"]["total"] == pytest.approx(
        cells[0, "sdxl"]["cost_usd"] + cells[1, "sdxl"]["cost_usd"], abs=1e-7)
    won = [rows[m]["clip_win_rate"] for m in rows if rows[m]["clip_win_rate"] is not None]
    assert sum(won) == pytest.approx(1.0)
    assert rows["sdxl"]["human_win_rate"] is None and report["ratings"] == {"raters": 0}


def test_clip_score_is_the_clip_models_own(compared: tuple[Any, Path, Any],
                                           tiny_models_dir: Path) -> None:
    """The best-scored cell's image, scored directly with transformers' CLIPModel."""
    import torch
    from PIL import Image
    from transformers import AutoTokenizer, CLIPImageProcessorPil, CLIPModel

    report, out, _ = compared
    best = max((c for c in report["cells"] if c["clip_score"] is not None),
               key=lambda c: c["clip_score"])
    assert best["clip_score"] > 0  # a score the clamp at 0 did not decide
    prompt = report["prompts"][best["prompt"]]["prompt"]
    folder = tiny_models_dir / "clip"
    model = CLIPModel.from_pretrained(folder).eval()
    pixels = CLIPImageProcessorPil.from_pretrained(folder)(
        images=Image.open(out / best["image"]).convert("RGB"), return_tensors="pt")
    tokens = AutoTokenizer.from_pretrained(folder)([prompt], return_tensors="pt", padding=True)
    with torch.no_grad():
        image = model.get_image_features(**pixels).pooler_output
        text = model.get_text_features(**tokens).pooler_output
    direct = 100 * torch.nn.functional.cosine_similarity(image, text).item()
    assert best["clip_score"] == pytest.approx(max(direct, 0.0), abs=1e-3)


def test_run_py_as_the_launcher_runs_it(tiny_models_dir: Path, spec_dir: Path,
                                        tmp_path: Path) -> None:
    # Given a spec.json beside its photos, and one that is not a spec
    (spec_dir / "small.json").write_text(json.dumps({
        **SPEC, "prompts": SPEC["prompts"][:1], "models": SPEC["models"][:2]}))
    (tmp_path / "bad.json").write_text(json.dumps({"prompts": [], "models": []}))
    command = [sys.executable, "-m", "sagemaker_containers.comparison.run",
               "--models_dir", str(tiny_models_dir), "--adapters_dir", str(tmp_path),
               "--progress_file", str(tmp_path / "progress.json"),
               "--failure_file", str(tmp_path / "failure")]
    # When run.py runs each, as the local launcher's child process does
    done = subprocess.run([*command, "--spec", str(spec_dir / "small.json"),
                           "--output_dir", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    refused = subprocess.run([*command, "--spec", str(tmp_path / "bad.json"),
                              "--output_dir", str(tmp_path / "none")],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    # Then the good one reports its cells done (the adapter is not under this adapters
    # folder: that column fails, the run does not), the bad one exits 3 with why
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads((tmp_path / "progress.json").read_text()) == {"done": 2, "total": 2}
    report = json.loads((tmp_path / "out/report.json").read_text())
    assert [c["status"] for c in report["cells"]] == ["succeeded", "failed"]
    assert refused.returncode == 3
    assert (tmp_path / "failure").read_text().startswith("invalid comparison spec: prompts")
    assert not (tmp_path / "none/report.json").exists()


def test_each_model_family_is_freed_before_the_next_loads(
        tiny_models_dir: Path, spec_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from sagemaker_containers.comparison import runners

    # Given a spy on the loaded models: a weak reference to the SDXL base's UNet
    unets: list[weakref.ref[Any]] = []
    alive_when_try_on_loads: list[bool] = []
    load_once = runners.Context.load_once

    def spy(self: runners.Context, name: str, loader: Any) -> Any:
        def load() -> Any:
            if name == "try_on":
                gc.collect()
                alive_when_try_on_loads.append(unets[0]() is not None)
            value = loader()
            if name == "sdxl":
                unets.append(weakref.ref(value.base.pipeline.unet))
            return value

        return load_once(self, name, load)

    monkeypatch.setattr(runners.Context, "load_once", spy)
    spec = spec_module.parse({**SPEC, "prompts": SPEC["prompts"][:1], "models": [
        {"name": "sdxl", "type": "sdxl"}, {"name": "try-on", "type": "try_on"},
        {"name": "lora", "type": "sdxl"}]})
    # When the comparison runs (both SDXL columns first, then the try-on)
    report = run(spec, Paths.from_models_dir(tiny_models_dir, spec_dir=spec_dir,
                                             output_dir=tmp_path), hosted=Hosted(env={}))
    # Then the SDXL base was loaded once and gone before the try-on model loaded
    assert len(unets) == 1 and alive_when_try_on_loads == [False]
    assert [c["status"] for c in report["cells"]] == ["succeeded"] * 3
