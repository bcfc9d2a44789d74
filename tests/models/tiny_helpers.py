"""Helpers for the model tests: load a handler, make and read images."""

from __future__ import annotations

import base64
import importlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

if TYPE_CHECKING:
    from types import ModuleType

CONTAINERS = Path(__file__).resolve().parents[2] / "sagemaker_containers"


def load_handler(model: str) -> ModuleType:
    """``sagemaker_containers.<model>.code.inference``: the module ``SAGEMAKER_PROGRAM`` names."""
    return importlib.import_module(f"sagemaker_containers.{model}.code.inference")


def png_b64(image: Image.Image, fmt: str = "PNG") -> str:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return base64.b64encode(buffer.getvalue()).decode()


def decode_png(value: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(value)))
    assert image.format == "PNG"
    return image


def garment_image(width: int = 48, height: int = 40) -> Image.Image:
    """A non-uniform picture (a red block on grey) so models see some structure."""
    image = Image.new("RGB", (width, height), (128, 128, 128))
    image.paste((200, 20, 30), (width // 4, height // 4, 3 * width // 4, 3 * height // 4))
    return image


def run(handler: ModuleType, model: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The toolkit's sequence, with the body as the toolkit passes JSON: a str."""
    data = handler.input_fn(json.dumps(request), "application/json")
    prediction = handler.predict_fn(data, model)
    output: dict[str, Any] = json.loads(handler.output_fn(prediction, "application/json"))
    return output
