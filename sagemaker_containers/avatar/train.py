"""DreamBooth with LoRA: teach a Stable Diffusion base one subject from 10-15 photos.

Only the UNet's attention projections get LoRA weights; the base stays frozen, so the
output is a small adapter (``pytorch_lora_weights.safetensors``) plus ``avatar.json``.
Runs as a SageMaker training job (channels ``base``, ``instance``, optional ``class``;
hyperparameters arrive as ``--name value``) or locally with plain paths::

    python sagemaker_containers/avatar/train.py --pretrained_model_name_or_path models/sd \\
        --instance_data_dir photos/ --output_dir out/ --max_train_steps 400

Exit status: 0 done, 2 bad configuration, 3 photo set rejected (every bad file listed).
On SageMaker the reason is also written to ``/opt/ml/output/failure`` (the job's
``FailureReason``).
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

from sagemaker_containers.avatar.archive import ADAPTER_WEIGHTS, METADATA_FILE
from sagemaker_containers.avatar.dreambooth import TrainingSet, diffusion_loss, to_pixels
from sagemaker_containers.avatar.photos import (
    EXIT_PHOTOS_REJECTED,
    PhotoSetRejected,
    load_photo_set,
    load_photos,
    square_crop,
)

if TYPE_CHECKING:
    import torch
    from PIL import Image

EXIT_BAD_CONFIG = 2
# The training toolkit exports SM_OUTPUT_DIR (/opt/ml/output); its "failure" file becomes
# the job's FailureReason, and the toolkit never overwrites one the script wrote.
SAGEMAKER_FAILURE_FILE = Path(os.environ.get("SM_OUTPUT_DIR", "/opt/ml/output")) / "failure"
LORA_TARGETS = ["to_q", "to_k", "to_v", "to_out.0"]


class TrainingConfigError(ValueError):
    """A hyperparameter combination this machine cannot run."""


def _flag(value: str | bool) -> bool:
    # SageMaker passes every hyperparameter as "--name value", booleans as "True"/"False".
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise argparse.ArgumentTypeError(f"expected a boolean, got {value!r}")


def _channel(name: str) -> str:
    return os.environ.get(f"SM_CHANNEL_{name.upper()}", f"/opt/ml/input/data/{name}")


def parse_args(input_args: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="DreamBooth-LoRA avatar training")
    add = parser.add_argument

    def flag(name: str) -> None:  # "--name", "--name true" and "--name False" all work
        parser.add_argument(name, type=_flag, nargs="?", const=True, default=False)

    add("--pretrained_model_name_or_path", default=_channel("base"),
        help="diffusers SD directory (SageMaker channel 'base')")
    add("--base_model_id", default=None, help="the base's hub id, recorded in avatar.json")
    add("--instance_data_dir", default=_channel("instance"), help="the subject's photos")
    add("--class_data_dir", default=_channel("class"),
        help="class images for prior preservation; missing ones are generated here")
    add("--output_dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    add("--instance_token", default="sks", help="the rare token that names the subject")
    add("--class_name", default="person", help="the subject's class, e.g. person, woman, man")
    add("--instance_prompt", default=None, help="default: 'a photo of {token} {class}'")
    add("--class_prompt", default=None, help="default: 'a photo of a {class}'")
    flag("--with_prior_preservation")
    add("--prior_loss_weight", type=float, default=1.0)
    add("--num_class_images", type=int, default=100)
    add("--class_inference_steps", type=int, default=25)
    add("--sample_batch_size", type=int, default=4)
    add("--min_photos", type=int, default=10)
    add("--max_photos", type=int, default=15)
    add("--min_photo_side", type=int, default=None, help="default: resolution // 2")
    add("--resolution", type=int, default=512)
    add("--train_batch_size", type=int, default=1)
    add("--max_train_steps", type=int, default=400)
    add("--gradient_accumulation_steps", type=int, default=1)
    add("--learning_rate", type=float, default=1e-4)
    add("--lr_scheduler", default="constant")
    add("--lr_warmup_steps", type=int, default=0)
    add("--max_grad_norm", type=float, default=1.0)
    add("--rank", type=int, default=4, help="LoRA rank")
    add("--lora_alpha", type=int, default=None, help="default: rank (scale 1.0)")
    add("--adapter_dtype", choices=["fp32", "fp16", "bf16"], default="fp16")
    add("--seed", type=int, default=0)
    flag("--gradient_checkpointing")
    flag("--use_8bit_adam")
    add("--mixed_precision", choices=["no", "fp16", "bf16"], default="no")
    add("--failure_file", type=Path, default=None,
        help="where to write the failure reason (default: SageMaker's, when present)")
    add("--progress_file", type=Path, default=None,
        help='where to keep {"done": steps, "total": steps} up to date (the local runner)')
    args = parser.parse_args(input_args)
    subject = f"{args.instance_token} {args.class_name}"
    args.instance_prompt = args.instance_prompt or f"a photo of {subject}"
    args.class_prompt = args.class_prompt or f"a photo of a {args.class_name}"
    args.min_photo_side = args.min_photo_side or max(1, args.resolution // 2)
    args.lora_alpha = args.lora_alpha or args.rank
    return args


def check_config(args: argparse.Namespace, *, cuda: bool) -> None:
    """Reject what cannot run here, before any photo or model is read."""
    if args.use_8bit_adam and not cuda:
        raise TrainingConfigError("--use_8bit_adam needs a CUDA GPU (bitsandbytes); none found")
    if args.mixed_precision == "fp16" and not cuda:
        raise TrainingConfigError("--mixed_precision fp16 needs a CUDA GPU; use 'no' or 'bf16'")
    if args.resolution % 8:
        raise TrainingConfigError("--resolution must be a multiple of 8 (the VAE's factor)")
    if not 1 <= args.min_photos <= args.max_photos:
        raise TrainingConfigError("need 1 <= --min_photos <= --max_photos")
    for name in ("max_train_steps", "rank", "train_batch_size", "gradient_accumulation_steps"):
        if getattr(args, name) < 1:
            raise TrainingConfigError(f"--{name} must be at least 1")


class FrozenBase:
    """The frozen SD parts; used once to cache latents and prompt embeddings."""

    def __init__(self, path: str, device: torch.device, dtype: torch.dtype) -> None:
        from diffusers import AutoencoderKL, DDPMScheduler, UNet2DConditionModel
        from transformers import CLIPTextModel, CLIPTokenizer

        self.path = path
        self.device, self.dtype = device, dtype
        self.tokenizer = CLIPTokenizer.from_pretrained(path, subfolder="tokenizer")
        self.text_encoder = CLIPTextModel.from_pretrained(
            path, subfolder="text_encoder", dtype=dtype)
        self.vae = AutoencoderKL.from_pretrained(path, subfolder="vae", dtype=dtype)
        self.unet = UNet2DConditionModel.from_pretrained(path, subfolder="unet", dtype=dtype)
        self.noise_scheduler = DDPMScheduler.from_pretrained(path, subfolder="scheduler")
        models: tuple[Any, ...] = (self.text_encoder, self.vae, self.unet)
        for model in models:
            model.requires_grad_(False)
            model.to(device)

    def embed(self, prompt: str) -> torch.Tensor:
        import torch

        tokens = self.tokenizer(prompt, padding="max_length", truncation=True,
                                max_length=self.tokenizer.model_max_length, return_tensors="pt")
        with torch.no_grad():
            embeds: torch.Tensor = self.text_encoder(tokens.input_ids.to(self.device))[0]
        return embeds

    def latent_moments(self, pixels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mean and std of each image's latent distribution (resampled every step)."""
        import torch

        means, stds = [], []
        with torch.no_grad():
            for chunk in pixels.split(4):
                dist = self.vae.encode(chunk.to(self.device, dtype=self.dtype)).latent_dist
                means.append(dist.mean)
                stds.append(dist.std)
        scale = float(self.vae.config.scaling_factor)
        return torch.cat(means) * scale, torch.cat(stds) * scale

    def generate_class_images(self, args: argparse.Namespace, count: int, into: Path) -> None:
        """Sample ``count`` prior-preservation images of the class with the base itself."""
        import torch
        from diffusers import DPMSolverMultistepScheduler, StableDiffusionPipeline

        pipeline = StableDiffusionPipeline(
            vae=self.vae, text_encoder=self.text_encoder, tokenizer=self.tokenizer,
            unet=self.unet,
            scheduler=DPMSolverMultistepScheduler.from_pretrained(self.path, subfolder="scheduler"),
            safety_checker=None, feature_extractor=None, requires_safety_checker=False,
        )
        pipeline.set_progress_bar_config(disable=True)
        into.mkdir(parents=True, exist_ok=True)
        generator = torch.Generator("cpu").manual_seed(args.seed)
        made = 0
        while made < count:
            batch = min(args.sample_batch_size, count - made)
            images = pipeline(args.class_prompt, num_images_per_prompt=batch,
                              num_inference_steps=args.class_inference_steps,
                              height=args.resolution, width=args.resolution,
                              generator=generator).images
            for image in images:
                image.save(into / f"generated-{made:05d}.png")
                made += 1
        print(f"generated {count} class image(s) in {into}", flush=True)


def _dtype(name: str) -> torch.dtype:
    import torch

    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(name, torch.float32)


def _optimizer(args: argparse.Namespace, params: list[torch.nn.Parameter]) -> torch.optim.Optimizer:
    import torch

    if args.use_8bit_adam:
        try:
            import bitsandbytes as bnb
        except ImportError as error:
            raise TrainingConfigError("--use_8bit_adam needs bitsandbytes installed") from error
        return bnb.optim.AdamW8bit(params, lr=args.learning_rate)  # type: ignore[no-any-return]
    return torch.optim.AdamW(params, lr=args.learning_rate, weight_decay=1e-2)


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Train and write the adapter + ``avatar.json`` to ``args.output_dir``; return the metadata."""
    import torch

    started = time.monotonic()
    # Everything that can be wrong with the request fails here, before the heavy
    # imports and before any model is read.
    check_config(args, cuda=torch.cuda.is_available())
    photos = load_photo_set(Path(args.instance_data_dir), min_count=args.min_photos,
                            max_count=args.max_photos, min_side=args.min_photo_side)

    from accelerate import Accelerator
    from diffusers import StableDiffusionPipeline
    from diffusers.optimization import get_scheduler
    from diffusers.training_utils import cast_training_params
    from diffusers.utils.state_dict_utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    torch.manual_seed(args.seed)
    accelerator = Accelerator(mixed_precision=args.mixed_precision,
                              gradient_accumulation_steps=args.gradient_accumulation_steps)
    weight_dtype = _dtype(args.mixed_precision)
    base = FrozenBase(args.pretrained_model_name_or_path, accelerator.device, weight_dtype)

    class_images: list[Image.Image] = []
    if args.with_prior_preservation:
        class_dir = Path(args.class_data_dir)
        existing = load_photos(class_dir, min_side=1)[0] if class_dir.is_dir() else []
        if len(existing) < args.num_class_images:
            base.generate_class_images(args, args.num_class_images - len(existing), class_dir)
        class_images, skipped = load_photos(class_dir, min_side=1)
        class_images = class_images[: args.num_class_images]
        for problem in skipped:
            print(f"skipping class image {problem}", file=sys.stderr, flush=True)

    # The text encoder and VAE are frozen: run them once, then free them.
    pixels = to_pixels([square_crop(photo, args.resolution) for photo in photos])
    data = TrainingSet(*base.latent_moments(pixels), embeds=base.embed(args.instance_prompt))
    if class_images:
        class_pixels = to_pixels([square_crop(image, args.resolution) for image in class_images])
        data.class_mean, data.class_std = base.latent_moments(class_pixels)
        data.class_embeds = base.embed(args.class_prompt)
    unet, noise_scheduler = base.unet, base.noise_scheduler
    del base

    unet.add_adapter(LoraConfig(r=args.rank, lora_alpha=args.lora_alpha,
                                init_lora_weights="gaussian", target_modules=LORA_TARGETS))
    if args.mixed_precision != "no":
        cast_training_params(unet, dtype=torch.float32)  # train the LoRA weights in fp32
    if args.gradient_checkpointing:
        unet.enable_gradient_checkpointing()
    params = [p for p in unet.parameters() if p.requires_grad]
    optimizer = _optimizer(args, params)
    lr_scheduler = get_scheduler(args.lr_scheduler, optimizer=optimizer,
                                 num_warmup_steps=args.lr_warmup_steps,
                                 num_training_steps=args.max_train_steps)
    unet, optimizer, lr_scheduler = accelerator.prepare(unet, optimizer, lr_scheduler)
    unet.train()

    picker = torch.Generator().manual_seed(args.seed)
    prior_weight = args.prior_loss_weight if class_images else None
    loss_curve: list[float] = []
    micro_losses: list[float] = []
    while len(loss_curve) < args.max_train_steps:
        with accelerator.accumulate(unet):
            latents, embeds = data.batch(args.train_batch_size, picker)
            loss = diffusion_loss(unet, noise_scheduler, latents, embeds,
                                  prior_weight=prior_weight)
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                accelerator.clip_grad_norm_(params, args.max_grad_norm)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
        micro_losses.append(float(loss.detach()))
        if accelerator.sync_gradients:
            loss_curve.append(sum(micro_losses) / len(micro_losses))
            micro_losses.clear()
            # "step=N loss=X" is what a SageMaker metric definition's regex picks up.
            print(f"step={len(loss_curve)} loss={loss_curve[-1]:.6f}", flush=True)
            if args.progress_file is not None:
                write_progress(args.progress_file, len(loss_curve), args.max_train_steps)

    output_dir = Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    save_dtype = _dtype(args.adapter_dtype)
    lora_state = convert_state_dict_to_diffusers(
        get_peft_model_state_dict(accelerator.unwrap_model(unet)))
    lora_state = {key: value.detach().to("cpu", save_dtype) for key, value in lora_state.items()}
    StableDiffusionPipeline.save_lora_weights(output_dir, unet_lora_layers=lora_state,
                                              weight_name=ADAPTER_WEIGHTS, safe_serialization=True)
    metadata = _metadata(args, photo_count=len(photos), class_count=len(class_images),
                         loss_curve=loss_curve, seconds=time.monotonic() - started,
                         adapter_bytes=(output_dir / ADAPTER_WEIGHTS).stat().st_size)
    (output_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return metadata


def write_progress(path: Path, done: int, total: int) -> None:
    """Replace ``path`` atomically, so a reader never sees half a file."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    os.replace(partial, path)


def _metadata(args: argparse.Namespace, *, photo_count: int, class_count: int,
              loss_curve: list[float], seconds: float, adapter_bytes: int) -> dict[str, Any]:
    # Keep avatar.json small for long runs: at most ~500 points of the curve.
    stride = max(1, math.ceil(len(loss_curve) / 500))
    return {
        "format": "vitrine-avatar-lora/1",
        "base_model": str(args.pretrained_model_name_or_path),
        "base_model_id": args.base_model_id,
        "instance_token": args.instance_token,
        "class_name": args.class_name,
        "instance_prompt": args.instance_prompt,
        "class_prompt": args.class_prompt if class_count else None,
        "prior_preservation": bool(class_count),
        "class_image_count": class_count,
        "photo_count": photo_count,
        "steps": args.max_train_steps,
        "rank": args.rank,
        "lora_alpha": args.lora_alpha,
        "learning_rate": args.learning_rate,
        "resolution": args.resolution,
        "seed": args.seed,
        "mixed_precision": args.mixed_precision,
        "adapter_file": ADAPTER_WEIGHTS,
        "adapter_bytes": adapter_bytes,
        "adapter_dtype": args.adapter_dtype,
        "loss_curve_stride": stride,
        "loss_curve": [round(value, 6) for value in loss_curve[::stride]],
        "final_loss": round(loss_curve[-1], 6),
        "seconds": round(seconds, 3),
    }


def _report_failure(args: argparse.Namespace, message: str) -> None:
    print(message, file=sys.stderr, flush=True)
    target = args.failure_file or (
        SAGEMAKER_FAILURE_FILE if SAGEMAKER_FAILURE_FILE.parent.is_dir() else None)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(message[:1000], encoding="utf-8")  # FailureReason is capped at 1 KB


def cli(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        main(args)
    except PhotoSetRejected as error:
        _report_failure(args, str(error))
        return EXIT_PHOTOS_REJECTED
    except TrainingConfigError as error:
        _report_failure(args, f"bad configuration: {error}")
        return EXIT_BAD_CONFIG
    return 0


if __name__ == "__main__":
    sys.exit(cli())
