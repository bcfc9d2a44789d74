"""CLIPSeg segmentation: text prompts → binary masks at the input image's size.

Pure model logic, no wire format: ``load`` a checkpoint directory (a real one such as
``CIDAS/clipseg-rd64-refined`` or a tiny one from ``model_artifacts``), ``predict`` on a
decoded image. All prompts share ONE forward pass (the image repeated per prompt).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image

from sagemaker_containers.common import licences
from sagemaker_containers.common.device import DeviceProfile, select_device

if TYPE_CHECKING:
    from pathlib import Path

    from transformers import CLIPSegForImageSegmentation, CLIPSegProcessor

log = logging.getLogger(__name__)

MAX_PROMPTS = 8
DEFAULT_THRESHOLD = 0.4


@dataclass(frozen=True, slots=True)
class Model:
    network: CLIPSegForImageSegmentation
    processor: CLIPSegProcessor
    profile: DeviceProfile


@dataclass(frozen=True, slots=True)
class Request:
    image: Image.Image  # RGB
    prompts: list[str]
    threshold: float = DEFAULT_THRESHOLD


@dataclass(frozen=True, slots=True)
class Mask:
    prompt: str
    mask: Image.Image  # L mode, 0 or 255, the input image's size
    coverage: float  # share of pixels set, 0..1


@dataclass(frozen=True, slots=True)
class Result:
    width: int
    height: int
    masks: list[Mask]


def load(model_dir: Path, profile: DeviceProfile | None = None) -> Model:
    from transformers import CLIPSegForImageSegmentation

    licences.check(model_dir)
    profile = profile or select_device()
    network = CLIPSegForImageSegmentation.from_pretrained(
        model_dir, dtype=profile.dtype, attn_implementation=profile.attention
    )
    # transformers types .to() through a decorator that mypy reads as taking a model.
    network.to(profile.device).eval()  # type: ignore[arg-type]
    return Model(network=network, processor=_load_processor(model_dir), profile=profile)


def _load_processor(model_dir: Path) -> CLIPSegProcessor:
    """The saved processor; without torchvision, rebuilt on the PIL image processor.

    transformers 5 maps ``ViTImageProcessor`` to a torchvision backend. Recent releases
    fall back to the PIL one themselves; older 5.x ones raise, hence this fallback.
    """
    from transformers import AutoTokenizer, CLIPSegProcessor

    try:
        return CLIPSegProcessor.from_pretrained(model_dir)
    except ImportError as exc:
        if "torchvision" not in str(exc):
            raise
        from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

        log.info("torchvision unavailable; using ViTImageProcessorPil")
        return CLIPSegProcessor(
            image_processor=ViTImageProcessorPil.from_pretrained(model_dir),
            tokenizer=AutoTokenizer.from_pretrained(model_dir),
        )


def predict(model: Model, request: Request) -> Result:
    import torch
    from torch.nn import functional

    count = len(request.prompts)
    inputs: dict[str, Any] = dict(
        model.processor(
            text=request.prompts,
            images=[request.image] * count,
            padding=True,
            truncation=True,
            return_tensors="pt",
        )
    )
    inputs = {key: value.to(model.profile.device) for key, value in inputs.items()}
    inputs["pixel_values"] = inputs["pixel_values"].to(model.profile.dtype)
    with torch.inference_mode():
        logits = model.network(**inputs).logits
    # CLIPSeg squeezes a batch of one away.
    logits = logits.reshape(count, 1, *logits.shape[-2:]).float()
    width, height = request.image.size
    masks: list[Mask] = []
    # Upsample one prompt at a time: a 16 MP image x 8 prompts would be 512 MB of floats.
    for index, prompt in enumerate(request.prompts):
        probability = functional.interpolate(
            torch.sigmoid(logits[index : index + 1]),
            size=(height, width),
            mode="bilinear",
            align_corners=False,
        )[0, 0]
        selected = probability > request.threshold
        pixels = (selected.to(torch.uint8) * 255).cpu().numpy()
        masks.append(
            Mask(
                prompt=prompt,
                mask=Image.fromarray(pixels),  # uint8 2-D -> mode L
                coverage=float(selected.float().mean().item()),
            )
        )
    return Result(width=width, height=height, masks=masks)
