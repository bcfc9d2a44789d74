"""Tiny-model timings of a full-resolution try-on (4 MP photo) against the old path.

The old path (before compositing) resized the whole photo to the model's side, inpainted
it and returned that small image. The new one (``sagemaker_containers/inpainting``)
refines the mask, inpaints a context crop at the model's side and blends it into the
full-size photo, so it adds full-resolution work (mask refinement, paste, a 4 MP PNG)
around the same model call. With the tiny models the model call is nearly free: these
figures isolate that added cost, which on a GPU sits beside seconds of denoising.

    python benchmarks/tryon_compositing.py [--models-dir models] [--megapixels 4]
                                          [--repeats 3] [--garment]

Builds the tiny inpainting model into ``--models-dir`` when it is not there.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image


def photo(megapixels: float) -> tuple[Image.Image, Image.Image]:
    """A 3:4 portrait (smooth shading plus sensor-like noise, so it compresses about as a
    photo does) and a torso mask."""
    import numpy as np
    from PIL import Image

    width = int((megapixels * 1e6 * 3 / 4) ** 0.5)
    height = int(width * 4 / 3)
    y, x = np.mgrid[0:height, 0:width]
    shade = np.stack([x / width, y / height, (x + y) / (width + height)], axis=-1) * 200 + 20
    noise = np.random.default_rng(0).normal(0, 6, (height, width, 3))
    pixels = np.clip(shade + noise, 0, 255).astype(np.uint8)
    mask = Image.new("L", (width, height), 0)
    mask.paste(255, (width // 4, height // 4, 3 * width // 4, 2 * height // 3))
    return Image.fromarray(pixels, "RGB"), mask


def b64png(image: Image.Image) -> str:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def timed(phases: dict[str, list[float]], name: str, run: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = run()
    phases.setdefault(name, []).append(time.perf_counter() - started)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--megapixels", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--garment", action="store_true",
                        help="also time the garment-photo path (SDXL + IP-Adapter)")
    args = parser.parse_args(argv)

    import torch

    from model_artifacts.tiny import build_all
    from sagemaker_containers.common import images
    from sagemaker_containers.inpainting import compositing
    from sagemaker_containers.inpainting.code import inference

    torch.set_num_threads(1)
    build_all(args.models_dir, names=["inpainting"], progress=False)
    model = inference.model_fn(str(args.models_dir / "inpainting"))
    image, mask = photo(args.megapixels)
    request: dict[str, Any] = {"image": b64png(image), "mask": b64png(mask),
                               "prompt": "a navy linen shirt", "steps": 2, "seed": 1}
    body = json.dumps(request)
    garment_body = json.dumps({**request, "garment_image": b64png(image.resize((384, 512)))})
    side = model.default_side

    def old_path(phases: dict[str, list[float]]) -> None:
        data = timed(phases, "decode", lambda: inference.input_fn(body, "application/json"))
        width, height = compositing.generation_size(data.image.size, side, (None, None))
        small = timed(phases, "resize", lambda: (
            data.image.resize((width, height)), data.mask.resize((width, height))))
        out = timed(phases, "generate", lambda: model.text.pipeline(
            prompt=data.prompt, image=small[0], mask_image=small[1], width=width,
            height=height, num_inference_steps=data.steps,
            generator=torch.Generator("cpu").manual_seed(1)).images)
        timed(phases, "encode", lambda: [images.encode_png(i) for i in out])

    def new_path(phases: dict[str, list[float]], payload: str = body) -> None:
        data = timed(phases, "decode", lambda: inference.input_fn(payload, "application/json"))
        result = timed(phases, "predict", lambda: inference.predict_fn(data, model))
        timed(phases, "encode", lambda: inference.output_fn(result, "application/json"))

    decoded = inference.input_fn(body, "application/json")

    def plan_only(phases: dict[str, list[float]]) -> None:
        data = decoded
        planned = timed(phases, "refine+crop", lambda: compositing.plan(
            data.image, data.mask, native_side=side, settings=model.compositing))
        generated = planned.crop_image  # stands in for the model's answer
        timed(phases, "paste", lambda: compositing.composite(planned, generated))

    runs: dict[str, Callable[[dict[str, list[float]]], None]] = {
        "old: whole photo at the model's side": old_path,
        "new: crop at the model's side, full-size composite": new_path,
        "  of which compositing alone": plan_only,
    }
    if args.garment:
        runs["new, garment photo (SDXL + IP-Adapter)"] = (
            lambda phases: new_path(phases, garment_body))
    print(f"photo {image.width}x{image.height} ({image.width * image.height / 1e6:.1f} MP), "
          f"mask {mask.getbbox()}, tiny models (side {side}), 2 steps, 1 thread, "
          f"median of {args.repeats}")
    print()
    print("| path | total s | phases (s) | output |")
    print("|---|---|---|---|")
    totals: dict[str, float] = {}
    for label, run in runs.items():
        run({})  # warm-up: first-call allocations
        phases: dict[str, list[float]] = {}
        started: list[float] = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            run(phases)
            started.append(time.perf_counter() - t)
        totals[label] = statistics.median(started)
        detail = ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in phases.items())
        output = (f"{image.width}x{image.height}" if label.startswith("new")
                  else "-" if label.startswith(" ") else
                  "x".join(map(str, compositing.generation_size(image.size, side, (None, None)))))
        print(f"| {label} | {totals[label]:.3f} | {detail} | {output} |")
    old, new = list(totals.values())[:2]
    print()
    print(f"new / old: {new / old:.1f}x on tiny models (the added cost is full-resolution "
          "image work, independent of the model)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
