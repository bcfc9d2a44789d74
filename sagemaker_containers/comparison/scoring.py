"""Prompt alignment: CLIP score (torchmetrics ``CLIPScore``) on a local CLIP folder.

``CLIPScore`` computes ``max(100 · cos(image embedding, text embedding), 0)`` with the
model and processor it is given; it is handed a loader for the folder (real:
``openai/clip-vit-large-patch14``, the model the metric's literature reports with; tests:
the tiny one from ``model_artifacts``) instead of a hub id, so nothing is downloaded. The
processor is built with CLIP's PIL image preprocessing (the images install no
torchvision). Prompts longer than CLIP's 77 tokens are cut there by the metric.

torchmetrics 1.9.0 (the latest release) reads ``get_image_features`` as a tensor, which
transformers 5 made an output object (fixed upstream in Lightning-AI/torchmetrics#3408,
unreleased): ``_Features`` hands the metric the projected embeddings it expects.

What the score is and is not: how well the picture matches the words, as CLIP sees
them; not whether the product in it is the right product (fidelity), nor its quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from sagemaker_containers.common.device import DeviceProfile, select_device

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image

METRIC = "clip_score"


def load_clip(folder: Path) -> tuple[Any, Any]:
    """The CLIP model and processor in ``folder``."""
    import torch
    from transformers import AutoTokenizer, CLIPImageProcessorPil, CLIPModel, CLIPProcessor

    # fp32 on every device: scores stay comparable between runs on a GPU and a laptop.
    model = CLIPModel.from_pretrained(folder, dtype=torch.float32).eval()
    processor = CLIPProcessor(image_processor=CLIPImageProcessorPil.from_pretrained(folder),
                              tokenizer=AutoTokenizer.from_pretrained(folder))
    return model, processor


def for_metric(model: Any) -> Any:
    """``model`` as ``CLIPScore`` reads it: embeddings as tensors, pixels in its dtype."""
    import torch

    class _Features(torch.nn.Module):
        def __init__(self, clip: Any) -> None:
            super().__init__()
            self.clip = clip
            self.config = clip.config  # the metric reads the text length from it

        @staticmethod
        def _tensor(output: Any) -> Any:
            return output if isinstance(output, torch.Tensor) else output.pooler_output

        def get_image_features(self, pixel_values: Any) -> Any:
            # The processor makes fp32 pixels; a half-precision model takes its own dtype.
            pixels = pixel_values.to(self.clip.dtype)
            return self._tensor(self.clip.get_image_features(pixel_values=pixels))

        def get_text_features(self, *args: Any, **kwargs: Any) -> Any:
            return self._tensor(self.clip.get_text_features(*args, **kwargs))

    return _Features(model)


@dataclass(slots=True)
class ClipScorer:
    metric: Any  # torchmetrics.multimodal.CLIPScore
    profile: DeviceProfile
    model_name: str

    @classmethod
    def load(cls, folder: Path, profile: DeviceProfile | None = None) -> ClipScorer:
        from sagemaker_containers.common import licences

        licences.check(folder)
        model, processor = load_clip(folder)
        return cls.of(model, processor, profile or select_device(), folder.name)

    @classmethod
    def of(cls, model: Any, processor: Any, profile: DeviceProfile, name: str) -> ClipScorer:
        """A scorer over a loaded CLIP model and processor (the benchmark's way in)."""
        from torchmetrics.multimodal import CLIPScore

        metric = CLIPScore(model_name_or_path=lambda: (for_metric(model), processor))
        return cls(metric=metric.to(profile.device), profile=profile, model_name=name)

    def describe(self) -> dict[str, str]:
        """The report's ``scorer``."""
        return {"metric": METRIC, "library": f"torchmetrics {version('torchmetrics')}",
                "model": self.model_name}

    def score(self, image: Image.Image, prompt: str) -> float:
        import numpy as np
        import torch

        pixels = torch.from_numpy(np.asarray(image.convert("RGB")).copy()).permute(2, 0, 1)
        self.metric.reset()
        with torch.inference_mode():
            self.metric.update(pixels.to(self.profile.device), prompt)
            return float(self.metric.compute())
