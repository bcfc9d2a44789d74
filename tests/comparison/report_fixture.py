"""A comparison report (the report.json contract) over small generated images: 3 prompts ×
3 models, one model column failed, one cell skipped, one prompt trying to inject markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PIL import Image

if TYPE_CHECKING:
    from pathlib import Path

# A prompt is user text: the page must show it, never run it.
HOSTILE_PROMPT = (
    'a red dress </script><script>window.__xss = 1</script>'
    '<img src=x onerror="window.__xss = 2"> & more'
)
PROMPTS = ["a linen shirt on a model", HOSTILE_PROMPT, "a denim jacket, studio light"]
COLORS = {"sdxl": (200, 40, 40), "sdxl-product": (40, 160, 60)}
CLIP = {  # prompt -> model -> score (nova never scores: its column failed)
    0: {"sdxl": 27.31, "sdxl-product": 29.02},
    1: {"sdxl": 31.5, "sdxl-product": 22.0},
    2: {"sdxl": 25.0},  # sdxl-product skipped: no reference image
}


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"mean": sum(values) / len(values), "p50": ordered[len(ordered) // 2],
            "p95": ordered[-1]}


def write_fixture_images(out_dir: Path) -> None:
    """One 64×64 solid image per succeeded cell, where the report names it."""
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    (out_dir / "inputs").mkdir(exist_ok=True)
    Image.new("RGB", (32, 32), (90, 90, 200)).save(out_dir / "inputs/ref-0.png")
    for prompt, scores in CLIP.items():
        for model in scores:
            image = Image.new("RGB", (64, 64), COLORS[model])
            image.save(out_dir / f"images/p{prompt}-{model}.png")


def fixture_report() -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    for index in range(len(PROMPTS)):
        for model in ("sdxl", "sdxl-product"):
            score = CLIP[index].get(model)
            cells.append({
                "prompt": index, "model": model,
                "status": "succeeded" if score is not None else "skipped",
                "image": f"images/p{index}-{model}.png" if score is not None else None,
                "seed": 42, "clip_score": score,
                "model_seconds": 1.2 + index, "wall_seconds": 3.4 + index,
                "cost_usd": 0.000505 if score is not None else None,
                "moderation": "passed" if score is not None else "not_checked",
                "error": None if score is not None else "no reference image for ControlNet",
            })
        cells.append({
            "prompt": index, "model": "nova", "status": "failed", "image": None, "seed": None,
            "clip_score": None, "model_seconds": None, "wall_seconds": 0.1, "cost_usd": None,
            "moderation": "not_checked", "error": "bedrock: not configured",
        })
    summary = [
        {"model": "sdxl", "images": 3, "failed": 0, "clip_score": _stats([27.31, 31.5, 25.0]),
         "model_seconds": _stats([1.2, 2.2, 3.2]), "wall_seconds": _stats([3.4, 4.4, 5.4]),
         "cost_usd": {"per_image": 0.000505, "total": 0.001515},
         "clip_win_rate": 0.5, "human_win_rate": None, "human_picks": 0},
        {"model": "sdxl-product", "images": 2, "failed": 0, "clip_score": _stats([29.02, 22.0]),
         "model_seconds": _stats([1.2, 2.2]), "wall_seconds": _stats([3.4, 4.4]),
         "cost_usd": {"per_image": 0.000505, "total": 0.00101},
         "clip_win_rate": 0.5, "human_win_rate": None, "human_picks": 0},
        {"model": "nova", "images": 0, "failed": 3,
         "clip_score": {"mean": None, "p50": None, "p95": None},
         "model_seconds": {"mean": None, "p50": None, "p95": None},
         "wall_seconds": _stats([0.1, 0.1, 0.1]),
         "cost_usd": {"per_image": None, "total": 0.0},
         "clip_win_rate": None, "human_win_rate": None, "human_picks": 0},
    ]
    return {
        "version": 1, "tiny_models": True, "seed": 42,
        "scorer": {"metric": "clip_score", "library": "torchmetrics 1.9.0", "model": "clip"},
        "prompts": [{"index": i, "prompt": p, "negative_prompt": "blurry" if i == 2 else None,
                     "reference_image": "inputs/ref-0.png" if i == 0 else None,
                     "person_image": None}
                    for i, p in enumerate(PROMPTS)],
        "models": [
            {"name": "sdxl", "type": "sdxl", "label": "SDXL base", "error": None},
            {"name": "sdxl-product", "type": "sdxl", "label": "SDXL + product LoRA",
             "error": None},
            {"name": "nova", "type": "bedrock", "label": "Nova Canvas",
             "error": "bedrock: not configured"},
        ],
        "cells": cells,
        "summary": summary,
        "ratings": {"raters": 0},
    }
