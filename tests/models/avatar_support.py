"""Helpers for the avatar tests: the tiny SD base, photo sets, a 2-step training run."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw

if TYPE_CHECKING:
    import pytest

RESOLUTION = 32  # training side; the tiny base samples 64 px by default


def ensure_avatar_base(models_dir: Path) -> Path:
    """``models_dir/avatar``: the tiny text-to-image SD, built once per folder."""
    from model_artifacts.tiny import is_tiny
    from model_artifacts.tiny.stable_diffusion import build

    target = models_dir / "avatar"
    if not is_tiny(target):
        build(target)
    return target


def avatar_base_dir(factory: pytest.TempPathFactory) -> Path:
    """The tiny base for one test module: in ``VITRINE_TEST_MODELS_DIR`` when set (built
    once, reused), else in a fresh temporary folder (~2 s to build)."""
    fixed = os.environ.get("VITRINE_TEST_MODELS_DIR")
    return ensure_avatar_base(Path(fixed) if fixed else factory.mktemp("models"))


def write_photos(directory: Path, count: int, *, seed: int = 0,
                 size: tuple[int, int] = (48, 40)) -> Path:
    """``count`` distinct JPEG "portraits" (a face-like blob on a coloured ground)."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        ground = tuple(rng.randrange(256) for _ in range(3))
        image = Image.new("RGB", size, ground)
        draw = ImageDraw.Draw(image)
        w, h = size
        draw.ellipse((w // 4, h // 6, 3 * w // 4, 5 * h // 6),
                     fill=(rng.randrange(150, 256), rng.randrange(100, 200), 120))
        image.save(directory / f"photo-{index:02d}.jpg", quality=90)
    return directory


def train_args(base: Path, photos: Path, out: Path, *extra: str) -> list[str]:
    return [
        "--pretrained_model_name_or_path", str(base),
        "--instance_data_dir", str(photos),
        "--output_dir", str(out),
        "--resolution", str(RESOLUTION),
        "--max_train_steps", "2",
        # A large rate so 2 steps move the LoRA weights far enough to change images.
        "--learning_rate", "0.05",
        "--adapter_dtype", "fp32",
        *extra,
    ]


def train_adapter(base: Path, photos: Path, out: Path, *extra: str) -> dict[str, Any]:
    from sagemaker_containers.avatar import train

    metadata: dict[str, Any] = train.main(train.parse_args(train_args(base, photos, out, *extra)))
    return metadata
