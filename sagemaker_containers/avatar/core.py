"""Avatar generation: one shared Stable Diffusion base, one small LoRA adapter per avatar.

The base pipeline is loaded once per process (``shared_generator``) from a local disk
directory; an avatar's adapter (``pytorch_lora_weights.safetensors`` + ``avatar.json``,
written by ``train.py``) is applied by name on top of it. A bounded LRU of adapters stays
attached to the UNet; the least recently used one is deleted when the bound is reached,
so switching avatars never reloads the base.

Both protocol wrappers use this module: the Triton Python backend (``triton_model/model.py``,
the GPU multi-model endpoint) and ``code/inference.py`` (the in-process local runtime).
It imports nothing from ``api/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.archive import ADAPTER_WEIGHTS, METADATA_FILE
from sagemaker_containers.common import licences, payload
from sagemaker_containers.common.device import select_device
from sagemaker_containers.common.images import png_bytes

__all__ = ["AvatarGenerator", "GenerationRequest", "parse_request", "png_bytes", "shared_generator"]

if TYPE_CHECKING:
    from collections.abc import Mapping

    from diffusers import StableDiffusionPipeline
    from PIL import Image

# Where the shared base lives on the serving host (a local disk cache, never the network).
BASE_DIR_ENV = "VITRINE_AVATAR_BASE_DIR"
MAX_ADAPTERS_ENV = "VITRINE_AVATAR_MAX_ADAPTERS"
DEFAULT_MAX_ADAPTERS = 8

MAX_IMAGES = 8
MAX_STEPS = 150
MAX_GUIDANCE = 30.0


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """A validated avatar generation request (the JSON contract in the README)."""

    prompt: str
    negative_prompt: str | None = None
    num_images: int = 1
    seed: int | None = None
    steps: int = 30
    guidance_scale: float = 7.5


def parse_request(data: Mapping[str, Any]) -> GenerationRequest:
    """Validate a decoded request body; raise ``InvalidInput`` (a ``ValueError``)."""
    body = dict(data)
    max_chars = payload.max_prompt_chars()
    return GenerationRequest(
        prompt=payload.text(body, "prompt", max_chars=max_chars),
        negative_prompt=payload.optional_text(body, "negative_prompt", max_chars=max_chars),
        num_images=payload.integer(body, "num_images", default=1, low=1, high=MAX_IMAGES),
        seed=payload.optional_integer(body, "seed", low=0, high=2**63 - 1),
        steps=payload.integer(body, "steps", default=30, low=1, high=MAX_STEPS),
        guidance_scale=payload.number(
            body, "guidance_scale", default=7.5, low=0.0, high=MAX_GUIDANCE
        ),
    )


def read_metadata(adapter_dir: Path) -> dict[str, Any]:
    """The adapter's ``avatar.json`` (``{}`` when absent: an adapter from elsewhere)."""
    path = adapter_dir / METADATA_FILE
    if not path.is_file():
        return {}
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


_load_lock = threading.Lock()
_base_loads = 0


def base_load_count() -> int:
    """How many times this process has loaded a base pipeline (tests and metrics)."""
    return _base_loads


def load_base_pipeline(base_dir: Path, *, device: str | None = None) -> StableDiffusionPipeline:
    """Load the SD base from a local diffusers directory: fp16 + SDPA on CUDA, fp32 on CPU."""
    global _base_loads
    from diffusers import DPMSolverMultistepScheduler, StableDiffusionPipeline
    from diffusers.models.attention_processor import AttnProcessor2_0

    if not (base_dir / "model_index.json").is_file():
        raise FileNotFoundError(f"no diffusers pipeline at {base_dir} (model_index.json missing)")
    licences.check(base_dir)
    profile = select_device(device)
    pipeline: StableDiffusionPipeline = StableDiffusionPipeline.from_pretrained(
        str(base_dir),
        dtype=profile.dtype,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    # A multistep solver gives good samples in 20-30 steps (vs ~50 for PNDM/DDIM).
    pipeline.scheduler = DPMSolverMultistepScheduler.from_config(pipeline.scheduler.config)
    # torch's scaled_dot_product_attention (flash / memory-efficient kernels on CUDA).
    pipeline.unet.set_attn_processor(AttnProcessor2_0())
    pipeline.set_progress_bar_config(disable=True)
    _base_loads += 1
    pipeline.to(profile.device)
    return pipeline


class AvatarGenerator:
    """A base pipeline plus a bounded LRU of avatar adapters attached to it.

    Parameters
    ----------
    pipeline:
        The loaded base ``StableDiffusionPipeline``; never reloaded by this class.
    max_adapters:
        How many adapters stay attached; the least recently used one is deleted first.
    """

    def __init__(self, pipeline: StableDiffusionPipeline, *, max_adapters: int) -> None:
        if max_adapters < 1:
            raise ValueError("max_adapters must be at least 1")
        self.pipeline = pipeline
        self.max_adapters = max_adapters
        # adapter name -> (adapter dir, weights mtime) of what is attached now
        self._attached: OrderedDict[str, tuple[Path, float]] = OrderedDict()
        self._metadata: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    @property
    def attached(self) -> list[str]:
        """Names of the attached adapters, least recently used first."""
        return list(self._attached)

    def generate(
        self, avatar_id: str, adapter_dir: Path, request: GenerationRequest
    ) -> tuple[list[Image.Image], int]:
        """Images for ``request`` with the avatar's adapter active; returns (images, seed)."""
        import torch

        seed = request.seed if request.seed is not None else random.randrange(2**31)
        # One pipeline, many callers (worker threads locally): the active adapter is
        # pipeline state, so activation and sampling happen under one lock.
        with self._lock:
            name = self._activate(avatar_id, adapter_dir)
            size = self._resolution(name)
            generator = torch.Generator(device="cpu").manual_seed(seed)
            result = self.pipeline(
                prompt=request.prompt,
                negative_prompt=request.negative_prompt,
                num_images_per_prompt=request.num_images,
                num_inference_steps=request.steps,
                guidance_scale=request.guidance_scale,
                height=size,
                width=size,
                generator=generator,
                output_type="pil",
            )
        return list(result.images), seed

    def attach(self, avatar_id: str, adapter_dir: Path) -> None:
        """Load the avatar's adapter now (a model load), so its first request is fast."""
        with self._lock:
            self._activate(avatar_id, adapter_dir)

    def evict(self, avatar_id: str) -> bool:
        """Detach an avatar's adapter (e.g. the avatar was deleted); ``False`` if absent."""
        name = adapter_name(avatar_id)
        with self._lock:
            if name not in self._attached:
                return False
            self._detach(name)
            return True

    def _activate(self, avatar_id: str, adapter_dir: Path) -> str:
        name = adapter_name(avatar_id)
        weights = adapter_dir / ADAPTER_WEIGHTS
        if not weights.is_file():
            raise FileNotFoundError(f"adapter {avatar_id!r} has no {ADAPTER_WEIGHTS}")
        stamp = (adapter_dir.resolve(), weights.stat().st_mtime)
        if self._attached.get(name) != stamp:
            if name in self._attached:  # retrained or moved: replace, don't stack
                self._detach(name)
            while len(self._attached) >= self.max_adapters:
                self._detach(next(iter(self._attached)))
            with warnings.catch_warnings():
                # peft warns on every adapter after the first; many adapters is the point.
                warnings.filterwarnings("ignore", message="Already found a `peft_config`")
                self.pipeline.load_lora_weights(
                    str(adapter_dir), weight_name=ADAPTER_WEIGHTS, adapter_name=name
                )
            self._attached[name] = stamp
            self._metadata[name] = read_metadata(adapter_dir)
        self._attached.move_to_end(name)
        self.pipeline.set_adapters([name], adapter_weights=[1.0])
        return name

    def _detach(self, name: str) -> None:
        with warnings.catch_warnings():
            # peft notes that the deleted adapter was the active one; the next request
            # activates its own adapter anyway.
            warnings.filterwarnings("ignore", message=".*was active which is now deleted")
            self.pipeline.delete_adapters([name])
        del self._attached[name]
        self._metadata.pop(name, None)

    def _resolution(self, name: str) -> int:
        trained = self._metadata.get(name, {}).get("resolution")
        if isinstance(trained, int) and trained > 0:
            return trained
        unet_size = int(self.pipeline.unet.config.sample_size)
        return unet_size * int(self.pipeline.vae_scale_factor)


def adapter_name(avatar_id: str) -> str:
    """A stable peft adapter name for any avatar id (ids hold '/' and '.', which peft
    module keys cannot)."""
    return "avatar_" + hashlib.sha256(avatar_id.encode("utf-8")).hexdigest()[:20]


_generators: dict[Path, AvatarGenerator] = {}


def shared_generator(
    base_dir: Path | None = None, *, max_adapters: int | None = None
) -> AvatarGenerator:
    """The process-wide generator for ``base_dir`` (default: ``$VITRINE_AVATAR_BASE_DIR``).

    The first call loads the base; every later call, for any avatar, reuses it.
    """
    if base_dir is None:
        configured = os.environ.get(BASE_DIR_ENV)
        if not configured:
            raise RuntimeError(f"set {BASE_DIR_ENV} to the local base model directory")
        base_dir = Path(configured)
    key = base_dir.resolve()
    with _load_lock:
        generator = _generators.get(key)
        if generator is None:
            bound = max_adapters or int(os.environ.get(MAX_ADAPTERS_ENV, DEFAULT_MAX_ADAPTERS))
            generator = AvatarGenerator(load_base_pipeline(key), max_adapters=bound)
            _generators[key] = generator
    return generator
