"""Full-resolution compositing: the input survives byte for byte outside the blend.

Pure image code (no model): a stand-in "model answer" of pure green is composited, and
every pixel the returned blend weight leaves at 0 must equal the input pixel.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.inpainting import compositing
from sagemaker_containers.inpainting.compositing import Settings, composite, plan

SETTINGS = Settings(dilate_px=6, feather_px=8, context=0.25, max_side=4096)


def photo(width: int, height: int) -> Image.Image:
    """Noise, so any resampling or re-encoding of an untouched pixel would show."""
    rng = np.random.default_rng(width * 7919 + height)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


def rectangle_mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    mask.paste(255, box)
    return mask


def run(image: Image.Image, mask: Image.Image, settings: Settings = SETTINGS,
        native_side: int = 64) -> tuple[Image.Image, Image.Image, compositing.Plan]:
    planned = plan(image, mask, native_side=native_side, settings=settings)
    generated = Image.new("RGB", planned.generation_size, (0, 255, 0))
    return composite(planned, generated), planned.alpha, planned


def assert_identical_outside(image: Image.Image, out: Image.Image, alpha: Image.Image) -> None:
    assert out.size == image.size == alpha.size
    keep = np.asarray(alpha) == 0
    assert keep.any()
    assert np.array_equal(np.asarray(out)[keep], np.asarray(image)[keep])


@pytest.mark.parametrize(
    ("size", "box"),
    [
        ((640, 480), (200, 150, 400, 330)),  # landscape 4:3
        ((480, 854), (120, 300, 360, 600)),  # portrait 9:16 (a phone photo)
        ((1000, 1000), (100, 100, 300, 900)),  # square, tall region
        ((1200, 300), (500, 20, 700, 280)),  # panorama
    ],
)
def test_pixels_outside_the_blend_are_the_input_at_full_size(
    size: tuple[int, int], box: tuple[int, int, int, int]
) -> None:
    image = photo(*size)
    out, alpha, planned = run(image, rectangle_mask(size, box))
    assert_identical_outside(image, out, alpha)
    weight = np.asarray(alpha)
    # Inside the mask the model's answer replaces the input entirely.
    inner = np.asarray(out)[box[1] + 2:box[3] - 2, box[0] + 2:box[2] - 2]
    assert (inner == (0, 255, 0)).all()
    # The dilated margin is fully replaced, then the feather ramps down to 0.
    left, top = box[0], (box[1] + box[3]) // 2
    assert weight[top, left - SETTINGS.dilate_px] == 255
    assert 0 < weight[top, left - SETTINGS.dilate_px - SETTINGS.feather_px // 2] < 255
    assert weight[top, left - SETTINGS.dilate_px - SETTINGS.feather_px - 1] == 0
    # The model worked on a crop around the region, at its native long side, aspect kept.
    gen_w, gen_h = planned.generation_size
    assert max(gen_w, gen_h) == 64 or min(gen_w, gen_h) == compositing.MIN_SIDE
    crop_w, crop_h = planned.box[2] - planned.box[0], planned.box[3] - planned.box[1]
    assert crop_w < size[0] or crop_h < size[1]


def test_a_mask_touching_the_border() -> None:
    size = (300, 400)
    image = photo(*size)
    out, alpha, planned = run(image, rectangle_mask(size, (0, 250, 300, 400)))
    assert_identical_outside(image, out, alpha)
    assert planned.box[0] == 0 and planned.box[2] == 300 and planned.box[3] == 400


def test_a_mask_covering_most_of_the_photo() -> None:
    size = (500, 400)
    image = photo(*size)
    mask = rectangle_mask(size, (20, 20, 480, 390))
    assert (np.asarray(mask) > 0).mean() > 0.8
    out, alpha, _ = run(image, mask)
    assert_identical_outside(image, out, alpha)
    assert (np.asarray(alpha) == 255).mean() > 0.8


def test_holes_are_filled_and_specks_outside_untouched() -> None:
    size = (200, 200)
    mask = rectangle_mask(size, (40, 40, 160, 160))
    mask.paste(0, (90, 90, 110, 110))  # a hole (a logo CLIPSeg missed)
    _, alpha, planned = run(photo(*size), mask)
    assert np.asarray(alpha)[100, 100] == 255
    assert np.asarray(planned.crop_mask).min() == 0  # the context around is kept


def test_an_oversized_photo_is_bounded_by_the_setting() -> None:
    image = photo(900, 600)
    mask = rectangle_mask(image.size, (300, 200, 600, 400))
    bounded = Settings(dilate_px=4, feather_px=4, context=0.1, max_side=450)
    out, alpha, _ = run(image, mask, bounded)
    assert out.size == alpha.size == (450, 300)


def test_an_empty_mask_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="selects no pixels"):
        run(photo(64, 64), Image.new("L", (64, 64), 0))


def test_no_feather_is_a_hard_edge() -> None:
    size = (120, 120)
    hard = Settings(dilate_px=3, feather_px=0, context=0.2, max_side=4096)
    _, alpha, _ = run(photo(*size), rectangle_mask(size, (30, 30, 90, 90)), hard)
    assert set(np.unique(np.asarray(alpha)).tolist()) == {0, 255}


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITRINE_TRYON_MASK_DILATE_PX", "3")
    monkeypatch.setenv("VITRINE_TRYON_MAX_OUTPUT_SIDE", "2048")
    settings = Settings.from_env()
    assert (settings.dilate_px, settings.max_side) == (3, 2048)
    assert settings.feather_px == compositing.DEFAULT_FEATHER_PX
