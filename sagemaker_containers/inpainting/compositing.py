"""Full-resolution, identity-preserving compositing around an inpainting model.

A model repaints at its native size (512 px for SD 2, 1024 px for SDXL); a phone photo
is 12 MP. Regenerating the whole photo at the model's size would shrink it and alter the
face, hands and background through the VAE round trip. So:

1. **refine** the mask: fill its holes, dilate it by ``dilate_px`` (the garment's new
   edge rarely follows the old one), then a linear ``feather_px`` ramp outside it: the
   blend weight (``alpha``), 255 inside the dilated mask, 0 beyond the ramp;
2. **crop** a context window around the weighted region (``context`` of its size on each
   side) so the model sees the body around the garment;
3. the model inpaints the crop resized to its native size, aspect ratio kept;
4. **paste** the crop back, resized to the window, through ``alpha`` into the original.

Pixels where ``alpha`` is 0 are copied from the input untouched (byte-identical), and the
output has the input's size, unless the input's long side exceeds ``max_side``: then the
input is first scaled to that bound. The distance transform and hole filling run on the
window around the mask only, so a 12 MP photo costs what its garment region costs.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image

from sagemaker_containers.common.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Box = tuple[int, int, int, int]  # left, top, right, bottom (PIL's crop box)

# Same names and defaults as the API's settings (one env var configures both sides).
DEFAULT_DILATE_PX = 12
DEFAULT_FEATHER_PX = 16
DEFAULT_CONTEXT = 0.25
DEFAULT_MAX_SIDE = 4096
# Latents are 1/8 of the image; the pipelines refuse sizes that are not multiples of 8.
SIZE_MULTIPLE = 8
MIN_SIDE, MAX_SIDE = 64, 1024
# A mask pixel is "replace" from this grey level up (masks are resampled, hence grey).
MASK_THRESHOLD = 128


@dataclass(frozen=True, slots=True)
class Settings:
    """How the mask is refined and the crop chosen (``VITRINE_TRYON_*`` env vars)."""

    dilate_px: int = DEFAULT_DILATE_PX
    feather_px: int = DEFAULT_FEATHER_PX
    context: float = DEFAULT_CONTEXT
    max_side: int = DEFAULT_MAX_SIDE

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            dilate_px=int(env.get("VITRINE_TRYON_MASK_DILATE_PX", DEFAULT_DILATE_PX)),
            feather_px=int(env.get("VITRINE_TRYON_MASK_FEATHER_PX", DEFAULT_FEATHER_PX)),
            context=float(env.get("VITRINE_TRYON_CONTEXT", DEFAULT_CONTEXT)),
            max_side=int(env.get("VITRINE_TRYON_MAX_OUTPUT_SIDE", DEFAULT_MAX_SIDE)),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    """What to send to the model and how to put its answer back."""

    image: Image.Image  # RGB, the output's size (the input, bounded by max_side)
    alpha: Image.Image  # L, same size: the blend weight, 0 = keep the input pixel
    box: Box  # the context window in ``image``
    crop_image: Image.Image  # the window at the generation size
    crop_mask: Image.Image  # L, the dilated mask in the window at the generation size

    @property
    def generation_size(self) -> tuple[int, int]:
        return self.crop_image.size


def plan(
    image: Image.Image,
    mask: Image.Image,
    *,
    native_side: int,
    settings: Settings,
    asked: tuple[int | None, int | None] = (None, None),
) -> Plan:
    """Refine ``mask`` (white = replace) and choose the window the model repaints.

    ``asked`` overrides the model's size (width and/or height; the other side
    follows the window's aspect ratio). Raises ``InvalidInput`` for an empty mask.
    """
    import numpy as np

    image, mask = _bounded(image.convert("RGB"), mask.convert("L"), settings.max_side)
    # Thresholded and bounded in C: a 12 MP mask is a few milliseconds.
    binary = mask.point(lambda v: 255 if v >= MASK_THRESHOLD else 0)
    found = binary.getbbox()
    if found is None:
        raise InvalidInput("the mask selects no pixels; there is nothing to replace")
    reach = settings.dilate_px + settings.feather_px + 1
    window = (max(0, found[0] - reach), max(0, found[1] - reach),
              min(image.width, found[2] + reach), min(image.height, found[3] + reach))
    weight, dilated = _refine(np.asarray(binary.crop(window)) > 0, settings.dilate_px,
                              settings.feather_px)
    alpha = Image.new("L", image.size, 0)
    alpha.paste(Image.fromarray(weight, mode="L"), window[:2])
    weighted = alpha.getbbox() or window
    box = _context_box(weighted, image.size, settings.context)
    size = generation_size((box[2] - box[0], box[3] - box[1]), native_side, asked)
    crop_mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    crop_mask.paste(Image.fromarray(np.where(dilated, 255, 0).astype(np.uint8), mode="L"),
                    (window[0] - box[0], window[1] - box[1]))
    return Plan(
        image=image,
        alpha=alpha,
        box=box,
        crop_image=image.crop(box).resize(size, Image.Resampling.LANCZOS),
        crop_mask=crop_mask.resize(size, Image.Resampling.NEAREST),
    )


def composite(plan: Plan, generated: Image.Image) -> Image.Image:
    """``generated`` (the model's crop) pasted into the full image through ``alpha``."""
    left, top, right, bottom = plan.box
    patch = generated.convert("RGB").resize((right - left, bottom - top),
                                            Image.Resampling.LANCZOS)
    # composite() takes the second image where the mask is 0: those pixels stay exact.
    blended = Image.composite(patch, plan.image.crop(plan.box), plan.alpha.crop(plan.box))
    out = plan.image.copy()
    out.paste(blended, (left, top))
    return out


def _bounded(image: Image.Image, mask: Image.Image, max_side: int
             ) -> tuple[Image.Image, Image.Image]:
    if max(image.size) <= max_side:
        return image, mask
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return (image.resize(size, Image.Resampling.LANCZOS),
            mask.resize(size, Image.Resampling.NEAREST))


def _refine(replace: npt.NDArray[np.bool_], dilate_px: int, feather_px: int
            ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """The blend weight (uint8) and the dilated mask of a window around the mask.

    The window is the mask's bounding box grown by the reach of dilation and feathering:
    no pixel further away can get a weight, so nothing outside it is computed.
    """
    import numpy as np
    from scipy import ndimage

    filled = _fill_holes(replace)
    # Distance of each pixel to the nearest masked one (0 inside the mask).
    distance = ndimage.distance_transform_edt(~filled)
    if feather_px > 0:
        ramp = np.clip((dilate_px + feather_px - distance) / feather_px, 0.0, 1.0)
    else:
        ramp = (distance <= dilate_px).astype(np.float64)
    weight: npt.NDArray[np.uint8] = np.rint(ramp * 255).astype(np.uint8)
    dilated: npt.NDArray[np.bool_] = distance <= dilate_px
    return weight, dilated


def _fill_holes(replace: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """``replace`` with the enclosed background filled (a button, a logo's gap).

    Labelling is linear in the pixels, unlike ``binary_fill_holes``' iterated dilation.
    A background region touching the window's edge is outside the garment: kept.
    """
    import numpy as np
    from scipy import ndimage

    labels, _ = ndimage.label(~replace)
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    outside = np.isin(labels, np.unique(edge[edge > 0]))
    filled: npt.NDArray[np.bool_] = replace | ~outside
    return filled


def _context_box(region: Box, size: tuple[int, int], context: float) -> Box:
    """``region`` grown by ``context`` of its long side on every side, inside the image."""
    left, top, right, bottom = region
    pad = math.ceil(context * max(right - left, bottom - top))
    width, height = size
    return (max(0, left - pad), max(0, top - pad), min(width, right + pad),
            min(height, bottom + pad))


def generation_size(size: tuple[int, int], native_side: int,
                    override: tuple[int | None, int | None]) -> tuple[int, int]:
    """``size``'s aspect ratio at the model's native long side, in multiples of 8; or the
    asked width and/or height (the other side following the aspect ratio)."""
    width, height = size
    aspect = width / height
    asked_width, asked_height = override
    if asked_width is not None and asked_height is not None:
        return _snap(asked_width), _snap(asked_height)
    if asked_width is not None:
        return _snap(asked_width), _snap(asked_width / aspect)
    if asked_height is not None:
        return _snap(asked_height * aspect), _snap(asked_height)
    scale = native_side / max(width, height)
    return _snap(width * scale), _snap(height * scale)


def _snap(side: float) -> int:
    snapped = int(side / SIZE_MULTIPLE + 0.5) * SIZE_MULTIPLE
    return min(max(snapped, MIN_SIDE), MAX_SIDE)
