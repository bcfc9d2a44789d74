"""What the tenant-model train.py scripts share (style, product, concept): arguments,
the step loop with its loss curve and progress file, ``model.json``, and the CLI's exit
statuses (0 done, 2 bad configuration, 3 training set rejected, with the reason in
``--failure_file`` or SageMaker's ``/opt/ml/output/failure``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.photos import EXIT_PHOTOS_REJECTED, PhotoSetRejected
from sagemaker_containers.avatar.train import (
    EXIT_BAD_CONFIG,
    TrainingConfigError,
    _channel,
    _flag,
    _report_failure,
    write_progress,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import torch

METADATA_FILE = "model.json"
LORA_WEIGHTS = "pytorch_lora_weights.safetensors"
EMBEDDINGS = "learned_embeds.safetensors"
UNET_LORA_TARGETS = ["to_q", "to_k", "to_v", "to_out.0"]
TEXT_LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "out_proj"]

__all__ = ["EXIT_BAD_CONFIG", "TrainingConfigError", "parser", "run_cli"]


def parser(description: str, *, resolution: int, steps: int, learning_rate: float,
           token: str) -> argparse.ArgumentParser:
    """The arguments every kind takes (SageMaker passes each as ``--name value``)."""
    p = argparse.ArgumentParser(description=description)
    add = p.add_argument
    add("--pretrained_model_name_or_path", default=_channel("base"),
        help="the diffusers base pipeline folder (SageMaker channel 'base')")
    add("--base_model_id", default=None, help="the base's hub id, recorded in model.json")
    add("--instance_data_dir", default=_channel("train"),
        help="images + metadata.jsonl (file_name, text) (SageMaker channel 'train')")
    add("--output_dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    add("--token", default=token, help="the word the captions name the model by")
    add("--min_images", type=int, default=1)
    add("--max_images", type=int, default=1000)
    add("--min_image_side", type=int, default=None, help="default: resolution // 2")
    add("--resolution", type=int, default=resolution)
    add("--train_batch_size", type=int, default=1)
    add("--max_train_steps", type=int, default=steps)
    add("--learning_rate", type=float, default=learning_rate)
    add("--max_grad_norm", type=float, default=1.0)
    add("--seed", type=int, default=0)
    add("--failure_file", type=Path, default=None)
    add("--progress_file", type=Path, default=None)
    return p


def lora_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rank", type=int, default=4, help="LoRA rank")
    p.add_argument("--lora_alpha", type=int, default=None, help="default: rank (scale 1.0)")


def flag(p: argparse.ArgumentParser, name: str) -> None:
    """``--name``, ``--name true`` and ``--name False`` all work."""
    p.add_argument(name, type=_flag, nargs="?", const=True, default=False)


def finish_args(args: argparse.Namespace) -> argparse.Namespace:
    args.min_image_side = args.min_image_side or max(1, args.resolution // 2)
    if getattr(args, "rank", None) is not None:
        args.lora_alpha = args.lora_alpha or args.rank
    return args


def check_config(args: argparse.Namespace) -> None:
    """Reject what cannot run, before any image or model is read."""
    if args.resolution % 8:
        raise TrainingConfigError("--resolution must be a multiple of 8 (the VAE's factor)")
    if not 1 <= args.min_images <= args.max_images:
        raise TrainingConfigError("need 1 <= --min_images <= --max_images")
    for name in ("max_train_steps", "train_batch_size", "rank"):
        if getattr(args, name, 1) < 1:
            raise TrainingConfigError(f"--{name} must be at least 1")


def train_loop(args: argparse.Namespace, params: list[torch.nn.Parameter],
               step: Callable[[], torch.Tensor], *, weight_decay: float = 1e-2) -> list[float]:
    """``max_train_steps`` AdamW steps on ``params``; the loss curve."""
    import torch

    optimizer = torch.optim.AdamW(params, lr=args.learning_rate, weight_decay=weight_decay)
    curve: list[float] = []
    while len(curve) < args.max_train_steps:
        loss = step()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad()
        curve.append(float(loss.detach()))
        # "step=N loss=X" is what a SageMaker metric definition's regex picks up.
        print(f"step={len(curve)} loss={curve[-1]:.6f}", flush=True)
        if args.progress_file is not None:
            write_progress(args.progress_file, len(curve), args.max_train_steps)
    return curve


def denoising_target(scheduler: Any, latents: torch.Tensor, noise: torch.Tensor,
                     timesteps: torch.Tensor) -> torch.Tensor:
    if scheduler.config.prediction_type == "v_prediction":  # SD 2 at 768 px
        return scheduler.get_velocity(latents, noise, timesteps).float()  # type: ignore[no-any-return]
    return noise.float()


def write_metadata(args: argparse.Namespace, kind: str, *, started: float, images: int,
                   curve: list[float], adapter: str, **extra: Any) -> dict[str, Any]:
    """``model.json`` beside the adapter: base, token, steps, loss curve, seconds, size."""
    output = Path(args.output_dir)
    stride = max(1, math.ceil(len(curve) / 500))  # at most ~500 points for long runs
    metadata = {
        "format": f"vitrine-{kind}/1",
        "kind": kind,
        "base_model": str(args.pretrained_model_name_or_path),
        "base_model_id": args.base_model_id,
        "token": args.token,
        "images": images,
        "steps": args.max_train_steps,
        "learning_rate": args.learning_rate,
        "resolution": args.resolution,
        "seed": args.seed,
        **extra,
        "adapter_file": adapter,
        "adapter_bytes": (output / adapter).stat().st_size,
        "loss_curve_stride": stride,
        "loss_curve": [round(v, 6) if math.isfinite(v) else None for v in curve[::stride]],
        "final_loss": round(curve[-1], 6) if curve and math.isfinite(curve[-1]) else None,
        "seconds": round(time.monotonic() - started, 3),
    }
    (output / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return metadata


def run_cli(parse: Callable[[list[str] | None], argparse.Namespace],
            main: Callable[[argparse.Namespace], Any], argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        main(args)
    except PhotoSetRejected as error:
        _report_failure(args, str(error))
        return EXIT_PHOTOS_REJECTED
    except TrainingConfigError as error:
        _report_failure(args, f"bad configuration: {error}")
        return EXIT_BAD_CONFIG
    return 0


def exit_with(code: int) -> None:
    sys.exit(code)
