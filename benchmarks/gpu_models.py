"""GPU timings of the four models at full size (random weights, real architectures).

Scenarios (``benchmarks/model_configs.py`` has the architectures):

- ``inpainting``: SD 2 inpainting, 3 images at 512² / 25 steps and 768² / 45 steps
- ``garment_inpainting``: SDXL inpainting + IP-Adapter (a garment photo through the ViT-H
  image encoder), 3 images at 1024² / 25 steps
- ``clipseg``: CLIPSeg rd64-refined, one 352² image, a batch of 4 prompts
- ``clip_score``: CLIP ViT-L/14 scoring a 3×3 comparison's 9 images (1024²) against their
  prompt through the comparison's ``ClipScorer`` (torchmetrics ``CLIPScore``)
- ``blip2``: BLIP-2 Flan-T5-XL, 7 attribute questions about one image: one ``generate``,
  7 separate ones (the AWS sample's way), 7 taxonomy attributes x 5 values in one scoring pass
- ``avatar``: SD 2.1 base 512², 25 steps, through ``AvatarGenerator`` with adapter swaps
  (first use of avatar A, switch to B, back to A from the adapter cache)
- ``generation``: SDXL base 4 images at 1024² / 30 steps; SDXL-Turbo 4 images at 512² /
  4 steps; + a canny ControlNet; + 3 tenant LoRAs; a tenant adapter's swap on the warm
  base from memory and from disk (the container's ``Adapters``)

each as fp32 with classic attention vs fp16 with SDPA, with and without ``torch.compile``.
Prints seconds (warm run; the first run, which includes compilation, separately) and peak
GPU memory as a Markdown table; ``--json`` writes the rows.

    python benchmarks/gpu_models.py [--quick] [--only inpainting,avatar] [--compile both]

There is no point timing these on a CPU: without ``--allow-cpu`` it refuses, and with it
runs toy sizes so the code path can be smoke-tested.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import gpu_scenarios  # noqa: E402  (needs the repo root on the path)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

PRECISIONS = ("fp32", "fp16+sdpa")


@dataclass(frozen=True, slots=True)
class Row:
    scenario: str
    case: str
    precision: str
    compiled: bool
    seconds: float
    first_run_seconds: float
    peak_gib: float | None


@contextmanager
def _measure(device: str) -> Iterator[dict[str, float | None]]:
    import torch

    result: dict[str, float | None] = {}
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    yield result
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        result["peak_gib"] = torch.cuda.max_memory_allocated() / 2**30
    else:
        result["peak_gib"] = None
    result["seconds"] = time.perf_counter() - started


def run_case(scenario: str, case: str, precision: str, compiled: bool, device: str,
             run: Callable[[], object], repeats: int) -> Row:
    """First run (compilation, caches, adapter loads), then the best of ``repeats``."""
    with _measure(device) as first:
        run()
    timings = []
    peak: float | None = None
    for _ in range(repeats):
        with _measure(device) as warm:
            run()
        timings.append(float(warm["seconds"] or 0.0))
        peak = warm["peak_gib"] if peak is None else max(peak, warm["peak_gib"] or 0.0)
    return Row(scenario, case, precision, compiled, min(timings),
               float(first["seconds"] or 0.0), peak)


def render(rows: list[Row], device_name: str) -> str:
    lines = [f"device: {device_name}", "",
             "| scenario | case | precision | compile | seconds | first run s | peak GiB |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        peak = "-" if row.peak_gib is None else f"{row.peak_gib:.2f}"
        lines.append(f"| {row.scenario} | {row.case} | {row.precision} "
                     f"| {'yes' if row.compiled else 'no'} | {row.seconds:.2f} "
                     f"| {row.first_run_seconds:.2f} | {peak} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--allow-cpu", action="store_true",
                        help="run toy sizes on a CPU (a smoke test of this script)")
    parser.add_argument("--quick", action="store_true",
                        help="one case per scenario, one repeat, no compile")
    parser.add_argument("--only", default=",".join(gpu_scenarios.SCENARIOS),
                        help=f"comma-separated subset of {', '.join(gpu_scenarios.SCENARIOS)}")
    parser.add_argument("--precision", choices=[*PRECISIONS, "both"], default=None,
                        help="default: both on CUDA, fp32 on CPU")
    parser.add_argument("--compile", choices=["off", "on", "both"], default=None,
                        help="default: both (off with --quick or on CPU)")
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import torch
    from diffusers.utils import logging as diffusers_logging

    args = parse_args(argv)
    diffusers_logging.set_verbosity_error()  # per-adapter and dtype notices drown the table
    cuda = args.device.startswith("cuda")
    if cuda and not torch.cuda.is_available():
        print("No CUDA GPU here: this benchmark measures GPU inference. Run it on a GPU host, "
              "or pass --device cpu --allow-cpu for a toy-size smoke run.", file=sys.stderr)
        return 2
    if not cuda and not args.allow_cpu:
        print(f"Refusing to time full-size models on {args.device!r}: pass --allow-cpu for a "
              "toy-size smoke run of the code path.", file=sys.stderr)
        return 2
    tiny = not cuda
    precisions = list(PRECISIONS) if (args.precision or ("both" if cuda else "fp32")) == "both" \
        else [args.precision or "fp32"]
    compile_default = "off" if (args.quick or not cuda) else "both"
    compile_modes = {"off": [False], "on": [True], "both": [False, True]}
    compiles = compile_modes[args.compile or compile_default]
    repeats = args.repeats or (1 if args.quick else 3)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(gpu_scenarios.SCENARIOS)
    if unknown:
        print(f"unknown scenarios: {sorted(unknown)}", file=sys.stderr)
        return 2

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in only:
            for precision in precisions:
                for compiled in compiles:
                    setup = gpu_scenarios.SCENARIOS[name]
                    cases = setup(gpu_scenarios.Options(
                        device=args.device, half=precision != "fp32", compiled=compiled,
                        tiny=tiny, quick=args.quick, work=Path(scratch)))
                    for case, run in cases:
                        rows.append(run_case(name, case, precision, compiled, args.device,
                                             run, repeats))
                        print(f"{name} {case} {precision} compile={compiled}: "
                              f"{rows[-1].seconds:.2f} s", file=sys.stderr, flush=True)
                    del cases
                    if cuda:
                        torch.cuda.empty_cache()
    device_name = torch.cuda.get_device_name() if cuda else f"{args.device} (toy sizes)"
    print(render(rows, device_name))
    if args.json:
        args.json.write_text(json.dumps({"device": device_name, "rows": [asdict(r) for r in rows]},
                                        indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
