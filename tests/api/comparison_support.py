"""A stand-in for ``sagemaker_containers/comparison/run.py`` with its CLI and its outputs
(``report.json``, ``images/``, a progress file), for API tests that need no models."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

FAKE_RUN = r'''
import argparse, json, pathlib, sys, time, zlib, struct

parser = argparse.ArgumentParser()
for name in ("spec", "models_dir", "adapters_dir", "output_dir", "progress_file",
             "failure_file"):
    parser.add_argument("--" + name)
args = parser.parse_args()
spec_path = pathlib.Path(args.spec)
spec = json.loads(spec_path.read_text())
out = pathlib.Path(args.output_dir)
(out / "images").mkdir(parents=True)
adapters = pathlib.Path(args.adapters_dir)


def png(seed):
    raw = b"".join(b"\x00" + bytes([seed % 256, 40, 90]) * 8 for _ in range(8))
    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


total = len(spec["prompts"]) * len(spec["models"])
cells, done = [], 0
for p, prompt in enumerate(spec["prompts"]):
    for m, model in enumerate(spec["models"]):
        missing = [a["key"] for a in model.get("adapters", [])
                   if not (adapters / a["key"]).is_dir()]
        control = model.get("control")
        if model["type"] == "openai":  # as the real run without OPENAI_API_KEY
            cell = {"status": "failed", "error": "OpenAI is not configured (no OPENAI_API_KEY)"}
        elif prompt.get("blocked"):
            cell = {"status": "blocked", "moderation": "blocked_prompt",
                    "error": prompt["blocked"]}
        elif control and not prompt["reference_image"]:
            cell = {"status": "skipped", "error": "no reference image"}
        elif control and not (spec_path.parent / prompt["reference_image"]).is_file():
            cell = {"status": "failed", "error": "reference image missing"}
        elif missing:
            cell = {"status": "failed", "error": "adapter not found: " + ", ".join(missing)}
        else:
            image = f"images/p{p}-{model['name']}.png"
            (out / image).write_bytes(png(p * 10 + m))
            cell = {"status": "succeeded", "image": image, "clip_score": 20.0 + m + p,
                    "model_seconds": 0.5, "wall_seconds": 1.0 + done,
                    "cost_usd": round(0.5 * model["price"].get("usd_per_hour", 0) / 3600, 8),
                    "moderation": "passed"}
        cells.append({"prompt": p, "model": model["name"], "seed": spec["seed"],
                      "image": None, "clip_score": None, "model_seconds": None,
                      "wall_seconds": None, "cost_usd": None, "moderation": "not_checked",
                      "error": None, **cell})
        done += 1
        pathlib.Path(args.progress_file).write_text(json.dumps({"done": done, "total": total}))
stats = {"mean": 1.0, "p50": 1.0, "p95": 1.0}
summary = [{"model": m["name"], "images": sum(1 for c in cells if c["model"] == m["name"]
                                              and c["status"] == "succeeded"),
            "failed": 0, "clip_score": stats, "model_seconds": stats, "wall_seconds": stats,
            "cost_usd": {"per_image": 0.0002, "total": 0.0006},
            "clip_win_rate": 1.0 if i == len(spec["models"]) - 1 else 0.0,
            "human_win_rate": None, "human_picks": 0} for i, m in enumerate(spec["models"])]
report = {"version": 1, "tiny_models": True, "seed": spec["seed"],
          "scorer": {"metric": "clip_score", "library": "torchmetrics 1.9.0", "model": "clip"},
          "prompts": [{"index": i, "prompt": p["prompt"], "negative_prompt": None,
                       "reference_image": f"inputs/ref-{i}.png" if p["reference_image"] else None,
                       "person_image": None}
                      for i, p in enumerate(spec["prompts"])],
          "models": [{"name": m["name"], "type": m["type"], "label": m["name"], "error": None}
                     for m in spec["models"]],
          "cells": cells, "summary": summary, "ratings": {"raters": 0}}
(out / "inputs").mkdir()
for i, p in enumerate(spec["prompts"]):
    if p["reference_image"]:
        source = spec_path.parent / p["reference_image"]
        (out / "inputs" / f"ref-{i}.png").write_bytes(source.read_bytes())
(out / "report.json").write_text(json.dumps(report))
(out / "contact-sheet.png").write_bytes(png(7))
time.sleep(float(__import__("os").environ.get("FAKE_RUN_SECONDS", "2.5")))
'''


def fake_run(folder: Path) -> str:
    """Write the stand-in run; return its path (the launcher's ``program``)."""
    path = folder / "fake_comparison_run.py"
    path.write_text(FAKE_RUN)
    return str(path)
