"""Stable Diffusion inpainting: image + mask (white = replace) + prompt → images.

Pure model logic, no wire format. ``load`` takes a diffusers pipeline directory (a real
``stabilityai/stable-diffusion-2-inpainting`` snapshot or a tiny one from
``model_artifacts``). On CUDA the pipeline runs in fp16 with SDPA attention; on CPU in
fp32. Either way a multistep DPM-Solver replaces the shipped scheduler: it reaches
good quality in ~20-25 steps where DDIM/PNDM need ~50.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image

from sagemaker_containers.common.device import DeviceProfile, select_device

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from diffusers import StableDiffusionInpaintPipeline

MAX_IMAGES = 8
MAX_STEPS = 100
MAX_SEED = 2**32 - 1
DEFAULT_STEPS = 25
DEFAULT_GUIDANCE = 7.5
MIN_SIDE, MAX_SIDE = 64, 1024
# Latents are 1/8 of the image; the pipeline refuses sizes that are not multiples of 8.
SIZE_MULTIPLE = 8


@dataclass(frozen=True, slots=True)
class Model:
    pipeline: StableDiffusionInpaintPipeline
    profile: DeviceProfile
    # The side of the square the model was trained at (512 for SD 2 inpainting).
    default_side: int
    # A scheduler keeps per-call state (its timesteps): one generation at a time.
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True, slots=True)
class Request:
    image: Image.Image  # RGB
    mask: Image.Image  # L, same size as image; white = repaint
    prompt: str
    negative_prompt: str | None = None
    num_images: int = 1
    seed: int | None = None
    steps: int = DEFAULT_STEPS
    guidance_scale: float = DEFAULT_GUIDANCE
    width: int | None = None
    height: int | None = None
    # Called with (steps done, steps in all) after each denoising step. Set in process
    # only (the API's local runtime reports job progress with it), never from JSON.
    on_step: Callable[[int, int], None] | None = None


@dataclass(frozen=True, slots=True)
class Result:
    images: list[Image.Image]
    seed: int
    width: int
    height: int


def load(model_dir: Path, profile: DeviceProfile | None = None) -> Model:
    from diffusers import DPMSolverMultistepScheduler, StableDiffusionInpaintPipeline
    from diffusers.models.attention_processor import AttnProcessor2_0

    profile = profile or select_device()
    options: dict[str, Any] = {}
    if not (model_dir / "safety_checker").is_dir():
        # SD 2 ships none; the feature extractor only feeds the safety checker.
        options.update(safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipeline = StableDiffusionInpaintPipeline.from_pretrained(
        model_dir, dtype=profile.dtype, **options
    )
    pipeline.scheduler = DPMSolverMultistepScheduler.from_config(pipeline.scheduler.config)
    pipeline.unet.set_attn_processor(AttnProcessor2_0())
    pipeline.vae.set_attn_processor(AttnProcessor2_0())
    pipeline.to(profile.device)
    pipeline.set_progress_bar_config(disable=True)
    side = int(pipeline.unet.config.sample_size) * int(pipeline.vae_scale_factor)
    return Model(pipeline=pipeline, profile=profile, default_side=side)


def output_size(
    image_size: tuple[int, int], width: int | None, height: int | None, default_side: int
) -> tuple[int, int]:
    """The generation size: as asked, else the image's aspect ratio fit to the model's
    default side (no distortion of the garment), rounded to multiples of 8."""
    source_width, source_height = image_size
    aspect = source_width / source_height
    if width is not None and height is not None:
        return _snap(width), _snap(height)
    if width is not None:
        return _snap(width), _snap(width / aspect)
    if height is not None:
        return _snap(height * aspect), _snap(height)
    scale = default_side / max(source_width, source_height)
    return _snap(source_width * scale), _snap(source_height * scale)


def _snap(side: float) -> int:
    snapped = int(side / SIZE_MULTIPLE + 0.5) * SIZE_MULTIPLE
    return min(max(snapped, MIN_SIDE), MAX_SIDE)


def predict(model: Model, request: Request) -> Result:
    import torch

    width, height = output_size(
        request.image.size, request.width, request.height, model.default_side
    )
    seed = request.seed if request.seed is not None else secrets.randbelow(MAX_SEED + 1)
    # A CPU generator: the same seed gives the same noise on any device.
    generator = torch.Generator("cpu").manual_seed(seed)
    image = request.image.resize((width, height), Image.Resampling.LANCZOS)
    mask = request.mask.resize((width, height), Image.Resampling.NEAREST)
    with model.lock, torch.inference_mode():
        output = model.pipeline(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            image=image,
            mask_image=mask,
            width=width,
            height=height,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance_scale,
            num_images_per_prompt=request.num_images,
            generator=generator,
            output_type="pil",
            callback_on_step_end=_step_callback(request.on_step),
        )
    return Result(images=list(output.images), seed=seed, width=width, height=height)


def _step_callback(on_step: Callable[[int, int], None] | None) -> Any:
    """A diffusers ``callback_on_step_end`` that reports (done, total) to ``on_step``."""
    if on_step is None:
        return None

    def callback(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        on_step(step + 1, int(pipe.num_timesteps))
        return kwargs

    return callback
