"""Control images for ControlNet, computed in the container from a reference photo.

- ``canny``: Canny edges (Gaussian blur, Sobel gradients, non-maximum suppression along
  the gradient direction, hysteresis between two thresholds) in numpy/scipy, white edges
  on black as the canny ControlNets were trained on (no OpenCV in the images).
- ``depth``: a transformers depth-estimation model (``AutoModelForDepthEstimation``, e.g.
  ``Intel/dpt-hybrid-midas``) in the model folder's ``depth/``, its prediction scaled to
  0-255 (near = bright), as the depth ControlNets were trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sagemaker_containers.common.errors import InvalidInput

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image

    from sagemaker_containers.common.device import DeviceProfile

# Fractions of the strongest gradient: weak edges count only when joined to strong ones.
LOW_THRESHOLD, HIGH_THRESHOLD = 0.1, 0.3


def control_image(image: Image.Image, kind: str, depth: DepthEstimator | None) -> Image.Image:
    if kind == "canny":
        return canny(image)
    if depth is None:
        raise InvalidInput("this endpoint has no depth estimator; use control type 'canny'")
    return depth.estimate(image)


def canny(image: Image.Image, sigma: float = 1.4) -> Image.Image:
    """Canny edges of ``image`` as an RGB picture (white edges on black)."""
    import numpy as np
    from PIL import Image
    from scipy import ndimage

    gray = np.asarray(image.convert("L"), dtype=np.float32)
    smooth = ndimage.gaussian_filter(gray, sigma)
    gx, gy = ndimage.sobel(smooth, axis=1), ndimage.sobel(smooth, axis=0)
    magnitude = np.hypot(gx, gy)
    # Non-maximum suppression: keep a pixel when it is the largest of its two neighbours
    # along the gradient direction (quantized to 0, 45, 90, 135 degrees).
    angle = (np.rad2deg(np.arctan2(gy, gx)) + 180.0) % 180.0
    sector = ((angle + 22.5) // 45).astype(np.int8) % 4
    offsets = {0: (0, 1), 1: (1, 1), 2: (1, 0), 3: (1, -1)}
    padded = np.pad(magnitude, 1)
    rows, cols = magnitude.shape
    keep = np.zeros_like(magnitude, dtype=bool)
    for index, (dy, dx) in offsets.items():
        ahead = padded[1 + dy:1 + dy + rows, 1 + dx:1 + dx + cols]
        behind = padded[1 - dy:1 - dy + rows, 1 - dx:1 - dx + cols]
        keep |= (sector == index) & (magnitude >= ahead) & (magnitude >= behind)
    thin = np.where(keep, magnitude, 0.0)
    peak = float(thin.max()) or 1.0
    strong, weak = thin >= HIGH_THRESHOLD * peak, thin >= LOW_THRESHOLD * peak
    # Hysteresis: weak edges survive in connected groups that hold a strong one.
    labels, count = ndimage.label(weak, structure=np.ones((3, 3)))
    has_strong = np.zeros(count + 1, dtype=bool)
    has_strong[np.unique(labels[strong])] = True
    has_strong[0] = False
    edges = has_strong[labels].astype(np.uint8) * 255
    return Image.fromarray(edges, mode="L").convert("RGB")


@dataclass(frozen=True, slots=True)
class DepthEstimator:
    model: Any
    processor: Any
    profile: DeviceProfile

    @classmethod
    def load(cls, folder: Path, profile: DeviceProfile) -> DepthEstimator:
        from transformers import AutoImageProcessor, AutoModelForDepthEstimation

        from sagemaker_containers.common import licences

        licences.check(folder)
        model = AutoModelForDepthEstimation.from_pretrained(folder, dtype=profile.dtype)
        return cls(model.to(profile.device).eval(), AutoImageProcessor.from_pretrained(folder),
                   profile)

    def estimate(self, image: Image.Image) -> Image.Image:
        """The depth map at the image's size, 0-255, near = bright, as RGB."""
        import torch
        from PIL import Image

        inputs = self.processor(images=image.convert("RGB"), return_tensors="pt")
        pixels = inputs["pixel_values"].to(self.profile.device, self.profile.dtype)
        with torch.inference_mode():
            depth = self.model(pixel_values=pixels).predicted_depth
        depth = torch.nn.functional.interpolate(
            depth.unsqueeze(1).float(), size=(image.height, image.width), mode="bicubic",
            align_corners=False)[0, 0]
        low, high = float(depth.min()), float(depth.max())
        scaled = (depth - low) / ((high - low) or 1.0) * 255.0
        return Image.fromarray(scaled.clamp(0, 255).byte().cpu().numpy(), mode="L").convert("RGB")
