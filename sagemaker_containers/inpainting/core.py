"""Try-on inpainting: person photo + mask (white = replace) + garment → full-size images.

Pure model logic, no wire format. ``load`` takes a model directory:

- at its root, a Stable Diffusion inpainting pipeline for text-only garments (a real
  ``stabilityai/stable-diffusion-2-inpainting`` snapshot or a tiny one from
  ``model_artifacts``);
- optionally ``garment/``: an SDXL inpainting pipeline
  (``diffusers/stable-diffusion-xl-1.0-inpainting-0.1``) with ``garment/ip_adapter/``, the
  IP-Adapter weights and CLIP image encoder in ``h94/IP-Adapter``'s layout, loaded with
  diffusers' ``load_ip_adapter``: a garment photo conditions the generation through it.

Both run around ``compositing``: the model repaints a context crop at its native size and
the crop is blended back into the full-resolution photo, so everything outside the
(dilated, feathered) mask keeps its exact pixels. On CUDA the pipelines run in fp16 with
SDPA attention; on CPU in fp32. A multistep DPM-Solver replaces the shipped schedulers:
good quality in ~20-25 steps where DDIM/PNDM need ~50. Every folder's model card is
checked for a non-commercial licence (``common.licences``).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sagemaker_containers.common import licences
from sagemaker_containers.common.device import DeviceProfile, select_device
from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.inpainting import compositing
from sagemaker_containers.inpainting.styles import Style, StyleAdapters

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from diffusers import DiffusionPipeline
    from PIL import Image

MAX_IMAGES = 8
MAX_STEPS = 100
MAX_SEED = 2**32 - 1
DEFAULT_STEPS = 25
DEFAULT_GUIDANCE = 7.5
# How much the garment photo weighs against the text (the IP-Adapter scale).
DEFAULT_GARMENT_STRENGTH = 0.7
MIN_SIDE, MAX_SIDE = compositing.MIN_SIDE, compositing.MAX_SIDE
# The garment-photo model's folder, and the IP-Adapter inside it (h94/IP-Adapter's layout:
# SDXL weights in sdxl_models/, the ViT-H image encoder they were trained with in models/).
GARMENT_DIR = "garment"
IP_ADAPTER_DIR = "ip_adapter"
IP_ADAPTER_SUBFOLDER = "sdxl_models"
IP_ADAPTER_WEIGHTS = "ip-adapter_sdxl_vit-h.safetensors"
IMAGE_ENCODER_FOLDER = "models/image_encoder"


@dataclass(frozen=True, slots=True)
class Base:
    """One inpainting pipeline and the side of the square it was trained at."""

    pipeline: DiffusionPipeline
    default_side: int


@dataclass(frozen=True, slots=True)
class Model:
    text: Base  # SD 2 inpainting: garment_prompt only
    profile: DeviceProfile
    garment: Base | None = None  # SDXL inpainting + IP-Adapter: garment photos
    compositing: compositing.Settings = field(default_factory=compositing.Settings)
    # Tenant style LoRAs on the text pipeline, by key (an LRU on the warm base).
    styles: StyleAdapters = field(default_factory=StyleAdapters)
    # A scheduler keeps per-call state (its timesteps): one generation at a time.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pipeline(self) -> DiffusionPipeline:
        """The text pipeline (the one every request can use)."""
        return self.text.pipeline

    @property
    def default_side(self) -> int:
        return self.text.default_side


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
    # The generation size of the crop (default: its aspect at the model's native side).
    width: int | None = None
    height: int | None = None
    garment_image: Image.Image | None = None  # RGB: the product photo
    garment_strength: float = DEFAULT_GARMENT_STRENGTH
    # A tenant's style model (a LoRA on the text pipeline), by its adapter key.
    style: Style | None = None
    # Called with (steps done, steps in all) after each denoising step. Set in process
    # only (the API's local runtime reports job progress with it), never from JSON.
    on_step: Callable[[int, int], None] | None = None


@dataclass(frozen=True, slots=True)
class Result:
    images: list[Image.Image]  # the input's size (bounded by the compositing settings)
    mask: Image.Image  # L: the blend weight used; 0 = the input pixel, untouched
    seed: int
    width: int
    height: int
    generation_width: int
    generation_height: int


def load(model_dir: Path, profile: DeviceProfile | None = None) -> Model:
    profile = profile or select_device()
    licences.check(model_dir)
    text = _base(_load_sd(model_dir, profile))
    garment_dir = model_dir / GARMENT_DIR
    garment = _base(_load_sdxl(garment_dir, profile)) if garment_dir.is_dir() else None
    return Model(text=text, garment=garment, profile=profile,
                 compositing=compositing.Settings.from_env())


def _load_sd(model_dir: Path, profile: DeviceProfile) -> DiffusionPipeline:
    from diffusers import StableDiffusionInpaintPipeline

    options: dict[str, Any] = {}
    if not (model_dir / "safety_checker").is_dir():
        # SD 2 ships none; the feature extractor only feeds the safety checker.
        options.update(safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipeline = StableDiffusionInpaintPipeline.from_pretrained(
        model_dir, dtype=profile.dtype, **options
    )
    prepared: DiffusionPipeline = _prepare(pipeline, profile)
    return prepared


def _load_sdxl(garment_dir: Path, profile: DeviceProfile) -> DiffusionPipeline:
    from diffusers import StableDiffusionXLInpaintPipeline

    adapter_dir = garment_dir / IP_ADAPTER_DIR
    for folder in (garment_dir, adapter_dir):
        licences.check(folder)
    pipeline = StableDiffusionXLInpaintPipeline.from_pretrained(garment_dir, dtype=profile.dtype)
    # CLIP's preprocessing at the encoder's size, set before load_ip_adapter (which would
    # otherwise build the torchvision-backed processor the images do not install).
    pipeline.feature_extractor = _clip_preprocessor(adapter_dir / IMAGE_ENCODER_FOLDER)
    pipeline.load_ip_adapter(
        adapter_dir,
        subfolder=IP_ADAPTER_SUBFOLDER,
        weight_name=IP_ADAPTER_WEIGHTS,
        image_encoder_folder=IMAGE_ENCODER_FOLDER,
        local_files_only=True,
    )
    # load_ip_adapter sets its own attention processors (IPAdapterAttnProcessor2_0, SDPA).
    prepared: DiffusionPipeline = _prepare(pipeline, profile, unet_attention=False)
    return prepared


def _clip_preprocessor(encoder_dir: Path) -> Any:
    from transformers import CLIPImageProcessorPil

    if (encoder_dir / "preprocessor_config.json").is_file():
        return CLIPImageProcessorPil.from_pretrained(encoder_dir)
    config = json.loads((encoder_dir / "config.json").read_text(encoding="utf-8"))
    side = int(config.get("vision_config", config).get("image_size", 224))
    return CLIPImageProcessorPil(size={"shortest_edge": side},
                                 crop_size={"height": side, "width": side})


def _prepare(pipeline: Any, profile: DeviceProfile, *, unet_attention: bool = True) -> Any:
    from diffusers import DPMSolverMultistepScheduler
    from diffusers.models.attention_processor import AttnProcessor2_0

    pipeline.scheduler = DPMSolverMultistepScheduler.from_config(pipeline.scheduler.config)
    if unet_attention:
        pipeline.unet.set_attn_processor(AttnProcessor2_0())
    pipeline.vae.set_attn_processor(AttnProcessor2_0())
    pipeline.to(profile.device)
    pipeline.set_progress_bar_config(disable=True)
    return pipeline


def _base(pipeline: Any) -> Base:
    side = int(pipeline.unet.config.sample_size) * int(pipeline.vae_scale_factor)
    return Base(pipeline=pipeline, default_side=side)


def output_size(
    image_size: tuple[int, int], width: int | None, height: int | None, default_side: int
) -> tuple[int, int]:
    """The generation size for a crop of ``image_size``: as asked, else its aspect ratio
    fit to the model's default side (no distortion of the garment), multiples of 8."""
    return compositing.generation_size(image_size, default_side, (width, height))


def predict(model: Model, request: Request) -> Result:
    import torch

    base = model.text
    options: dict[str, Any] = {}
    if request.garment_image is not None:
        if model.garment is None:
            raise InvalidInput("this endpoint has no garment-photo model; "
                               "send a garment_prompt without garment_image")
        if request.style is not None:
            raise InvalidInput("a style applies to text-described garments; "
                               "send style_model_id without garment_image")
        base = model.garment
        # The image-prompt input: CLIP-encoded and projected into extra cross-attention
        # tokens by the IP-Adapter, weighed by its scale.
        options["ip_adapter_image"] = request.garment_image
    plan = compositing.plan(
        request.image,
        request.mask,
        native_side=base.default_side,
        settings=model.compositing,
        asked=(request.width, request.height),
    )
    width, height = plan.generation_size
    seed = request.seed if request.seed is not None else secrets.randbelow(MAX_SEED + 1)
    # A CPU generator: the same seed gives the same noise on any device.
    generator = torch.Generator("cpu").manual_seed(seed)
    with model.lock, torch.inference_mode():
        if request.garment_image is not None:
            base.pipeline.set_ip_adapter_scale(request.garment_strength)
        else:
            model.styles.apply(base.pipeline, request.style)
        output = base.pipeline(
            prompt=request.prompt,
            negative_prompt=request.negative_prompt,
            image=plan.crop_image,
            mask_image=plan.crop_mask,
            width=width,
            height=height,
            num_inference_steps=request.steps,
            guidance_scale=request.guidance_scale,
            num_images_per_prompt=request.num_images,
            generator=generator,
            output_type="pil",
            callback_on_step_end=_step_callback(request.on_step),
            **options,
        )
    images = [compositing.composite(plan, generated) for generated in output.images]
    return Result(
        images=images,
        mask=plan.alpha,
        seed=seed,
        width=plan.image.width,
        height=plan.image.height,
        generation_width=width,
        generation_height=height,
    )


def _step_callback(on_step: Callable[[int, int], None] | None) -> Any:
    """A diffusers ``callback_on_step_end`` that reports (done, total) to ``on_step``."""
    if on_step is None:
        return None

    def callback(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        on_step(step + 1, int(pipe.num_timesteps))
        return kwargs

    return callback
