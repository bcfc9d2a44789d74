"""Text-to-image generation on a warm SDXL base: tenant adapters, ControlNet, img2img.

Pure model logic, no wire format. ``load`` takes a model directory:

- at its root, an SDXL text-to-image pipeline (``stabilityai/stable-diffusion-xl-base-1.0``
  or a tiny one from ``model_artifacts``);
- optionally ``turbo/``: an SDXL-Turbo pipeline (``stabilityai/sdxl-turbo``), chosen per
  request with ``variant="turbo"`` (1-4 steps, no classifier-free guidance);
- optionally ``controlnet/canny/`` and ``controlnet/depth/``: SDXL ControlNets
  (``diffusers/controlnet-canny-sdxl-1.0``, ``diffusers/controlnet-depth-sdxl-1.0``); the
  control image is computed here from the reference photo (``control.py``), the depth map
  by ``depth/`` (a transformers depth-estimation model, ``Intel/dpt-hybrid-midas``) when
  that folder exists; without it a depth request is refused as invalid input.

img2img and ControlNet pipelines are views of the loaded base (``from_pipe``: the same
modules, no second copy), so a tenant adapter loaded once applies to every mode. Adapters
(``adapters.py``) stay loaded by key in an LRU per base. One lock per model: the scheduler
and the active adapters are per-call state.
"""

from __future__ import annotations

import math
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sagemaker_containers.common import licences
from sagemaker_containers.common.device import DeviceProfile, select_device
from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.generation import control
from sagemaker_containers.generation.adapters import AdapterRequest, Adapters

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PIL import Image

MAX_IMAGES = 8
MAX_STEPS = 100
MAX_SEED = 2**32 - 1
MAX_ADAPTERS_PER_REQUEST = 5
DEFAULT_STEPS = 30
DEFAULT_GUIDANCE = 7.0
DEFAULT_STRENGTH = 0.6  # img2img: how far from the input photo
DEFAULT_CONTROL_STRENGTH = 0.8  # ControlNet conditioning scale
TURBO_DEFAULT_STEPS = 4
TURBO_MAX_STEPS = 8
MIN_SIDE, MAX_SIDE = 32, 2048
TURBO_DIR = "turbo"
CONTROLNET_DIR = "controlnet"
DEPTH_DIR = "depth"
ControlType = Literal["canny", "depth"]
CONTROL_TYPES: tuple[ControlType, ...] = ("canny", "depth")
Variant = Literal["base", "turbo"]
# Size presets: the aspect ratio at the model's native area (SDXL: about 1024²).
SIZE_PRESETS: dict[str, tuple[int, int]] = {"square": (1, 1), "portrait": (4, 5),
                                            "landscape": (16, 9)}


@dataclass(slots=True)
class Base:
    """One SDXL pipeline, its ControlNet views, and the adapters loaded on it."""

    pipeline: Any  # StableDiffusionXLPipeline
    default_side: int
    adapters: Adapters
    controlnets: dict[str, Any] = field(default_factory=dict)  # type -> ControlNet pipeline
    img2img: Any = None


@dataclass(slots=True)
class Model:
    base: Base
    profile: DeviceProfile
    turbo: Base | None = None
    depth: Any = None  # control.DepthEstimator
    lock: threading.Lock = field(default_factory=threading.Lock)

    def variant(self, name: Variant) -> Base:
        if name == "base":
            return self.base
        if self.turbo is None:
            raise InvalidInput("this endpoint has no turbo model; use variant 'base'")
        return self.turbo


@dataclass(frozen=True, slots=True)
class Control:
    image: Image.Image  # RGB reference photo
    type: ControlType = "canny"
    strength: float = DEFAULT_CONTROL_STRENGTH


@dataclass(frozen=True, slots=True)
class Request:
    prompt: str
    negative_prompt: str | None = None
    num_images: int = 1
    seed: int | None = None
    steps: int | None = None  # per variant when absent
    guidance_scale: float | None = None
    width: int | None = None
    height: int | None = None
    size: str | None = None  # a SIZE_PRESETS name (width/height win when given)
    variant: Variant = "base"
    adapters: tuple[AdapterRequest, ...] = ()
    control: Control | None = None
    image: Image.Image | None = None  # img2img input
    strength: float = DEFAULT_STRENGTH
    # Called with (steps done, steps in all) after each denoising step; in process only.
    on_step: Callable[[int, int], None] | None = None


@dataclass(frozen=True, slots=True)
class Result:
    images: list[Image.Image]
    seed: int
    width: int
    height: int
    control_image: Image.Image | None = None


def load(model_dir: Path, profile: DeviceProfile | None = None,
         adapters_root: Path | None = None, adapters_uri: str | None = None) -> Model:
    profile = profile or select_device()
    nets = _controlnets(model_dir / CONTROLNET_DIR, profile)
    base = _base(model_dir, profile, nets, adapters_root, adapters_uri)
    turbo_dir = model_dir / TURBO_DIR
    turbo = (_base(turbo_dir, profile, nets, adapters_root, adapters_uri, turbo=True)
             if turbo_dir.is_dir() else None)
    depth_dir = model_dir / DEPTH_DIR
    depth = control.DepthEstimator.load(depth_dir, profile) if depth_dir.is_dir() else None
    return Model(base=base, turbo=turbo, profile=profile, depth=depth)


def _controlnets(folder: Path, profile: DeviceProfile) -> dict[str, Any]:
    """The ControlNets present (one per control type), shared by both variants."""
    from diffusers import ControlNetModel

    nets: dict[str, Any] = {}
    for kind in CONTROL_TYPES:
        if (folder / kind).is_dir():
            licences.check(folder / kind)
            nets[kind] = ControlNetModel.from_pretrained(
                folder / kind, dtype=profile.dtype).to(profile.device)
    return nets


def _base(folder: Path, profile: DeviceProfile, nets: dict[str, Any],
          adapters_root: Path | None, adapters_uri: str | None, *, turbo: bool = False
          ) -> Base:
    from diffusers import (
        DPMSolverMultistepScheduler,
        EulerAncestralDiscreteScheduler,
        StableDiffusionXLControlNetPipeline,
        StableDiffusionXLImg2ImgPipeline,
        StableDiffusionXLPipeline,
    )
    from diffusers.models.attention_processor import AttnProcessor2_0

    licences.check(folder)
    pipeline = StableDiffusionXLPipeline.from_pretrained(folder, dtype=profile.dtype)
    if turbo:
        # SDXL-Turbo's sampler: few steps from the last timestep ("trailing").
        pipeline.scheduler = EulerAncestralDiscreteScheduler.from_config(
            pipeline.scheduler.config, timestep_spacing="trailing")
    else:
        # A multistep solver: good samples in 20-30 steps.
        pipeline.scheduler = DPMSolverMultistepScheduler.from_config(pipeline.scheduler.config)
    pipeline.unet.set_attn_processor(AttnProcessor2_0())
    pipeline.vae.set_attn_processor(AttnProcessor2_0())
    pipeline.to(profile.device)
    pipeline.set_progress_bar_config(disable=True)
    side = int(pipeline.unet.config.sample_size) * int(pipeline.vae_scale_factor)
    base = Base(pipeline=pipeline, default_side=side,
                adapters=Adapters(pipeline, root=adapters_root, uri=adapters_uri),
                img2img=StableDiffusionXLImg2ImgPipeline.from_pipe(pipeline))
    base.img2img.set_progress_bar_config(disable=True)
    for kind, net in nets.items():
        view = StableDiffusionXLControlNetPipeline.from_pipe(pipeline, controlnet=net)
        view.set_progress_bar_config(disable=True)
        base.controlnets[kind] = view
    return base


def generation_size(request: Request, default_side: int) -> tuple[int, int]:
    """The output size: width/height as asked, else the preset's (or the input photo's)
    aspect at the model's native area; multiples of 8 (the VAE's factor)."""
    if request.width and request.height:
        return _multiple_of_8(request.width), _multiple_of_8(request.height)
    reference = request.image or (request.control.image if request.control else None)
    if request.size is not None:
        aspect_w, aspect_h = SIZE_PRESETS[request.size]
    elif reference is not None:
        aspect_w, aspect_h = reference.size
    else:
        aspect_w, aspect_h = 1, 1
    ratio = aspect_w / aspect_h
    width = default_side * math.sqrt(ratio)
    height = default_side / math.sqrt(ratio)
    if request.width:
        width, height = request.width, request.width / ratio
    elif request.height:
        width, height = request.height * ratio, request.height
    return _multiple_of_8(width), _multiple_of_8(height)


def _multiple_of_8(value: float) -> int:
    return int(min(MAX_SIDE, max(MIN_SIDE, round(value / 8) * 8)))


def predict(model: Model, request: Request) -> Result:
    import torch

    base = model.variant(request.variant)
    turbo = request.variant == "turbo"
    steps = request.steps or (TURBO_DEFAULT_STEPS if turbo else DEFAULT_STEPS)
    if turbo and steps > TURBO_MAX_STEPS:
        raise InvalidInput(f"'steps' is at most {TURBO_MAX_STEPS} with variant 'turbo'")
    guidance = request.guidance_scale if request.guidance_scale is not None else (
        0.0 if turbo else DEFAULT_GUIDANCE)
    if request.control is not None and request.image is not None:
        raise InvalidInput("send 'control' or 'image' (img2img), not both")
    width, height = generation_size(request, base.default_side)
    options: dict[str, Any] = {}
    pipeline = base.pipeline
    control_image = None
    if request.control is not None:
        kind = request.control.type
        if kind not in base.controlnets:
            raise InvalidInput(f"this endpoint has no '{kind}' ControlNet")
        control_image = control.control_image(request.control.image, kind, model.depth)
        pipeline = base.controlnets[kind]
        options.update(image=control_image.resize((width, height)),
                       controlnet_conditioning_scale=request.control.strength)
    elif request.image is not None:
        if int(steps * request.strength) < 1:
            # img2img runs the last steps × strength steps of the schedule.
            raise InvalidInput("'steps' × 'strength' must be at least 1 step")
        pipeline = base.img2img
        options.update(image=request.image.resize((width, height)), strength=request.strength)
    seed = request.seed if request.seed is not None else secrets.randbelow(MAX_SEED + 1)
    generator = torch.Generator("cpu").manual_seed(seed)
    with model.lock:
        # Loaded outside inference mode: adapter weights made as inference tensors could
        # never be switched (set_adapters toggles their requires_grad) afterwards.
        prompt = base.adapters.activate(request.adapters, request.prompt)
        with torch.inference_mode():
            output = _run(pipeline, request, prompt, width, height, steps, guidance,
                          generator, options)
    return Result(images=list(output.images), seed=seed, width=width, height=height,
                  control_image=control_image)


def _run(pipeline: Any, request: Request, prompt: str, width: int, height: int, steps: int,
         guidance: float, generator: Any, options: dict[str, Any]) -> Any:
    return pipeline(
        prompt=prompt,
        negative_prompt=request.negative_prompt,
        width=width,
        height=height,
        num_inference_steps=steps,
        guidance_scale=guidance,
        num_images_per_prompt=request.num_images,
        generator=generator,
        output_type="pil",
        callback_on_step_end=_step_callback(request.on_step),
        **options,
    )


def _step_callback(on_step: Callable[[int, int], None] | None) -> Any:
    """A diffusers ``callback_on_step_end`` that reports (done, total) to ``on_step``."""
    if on_step is None:
        return None

    def callback(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        on_step(step + 1, int(pipe.num_timesteps))
        return kwargs

    return callback
