"""Inpainting handler: the SageMaker inference-toolkit contract over ``core``.

How the image finds it, and why bad input is ``InvalidInput`` (400) while anything else is
a 500: ``sagemaker_containers/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

from sagemaker_containers.common import images, payload
from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.inpainting import core
from sagemaker_containers.inpainting.compositing import MASK_THRESHOLD
from sagemaker_containers.inpainting.styles import style_of


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Request:
    """The inpainting request (``sagemaker_containers/README.md``); bad input → InvalidInput."""
    data = payload.parse_json(body, content_type)
    max_chars = payload.max_prompt_chars()
    garment = (
        images.decode_image(data["garment_image"], field="garment_image")
        if data.get("garment_image") is not None
        else None
    )
    # A garment photo may stand alone; text-only requests need the words.
    if garment is None:
        prompt = payload.text(data, "prompt", max_chars=max_chars)
    else:
        prompt = payload.optional_text(data, "prompt", max_chars=max_chars) or ""
    image = images.decode_image(data.get("image"), field="image")
    mask = images.decode_image(data.get("mask"), field="mask", mode="L")
    if mask.size != image.size:
        raise InvalidInput(
            f"'mask' is {mask.size[0]}x{mask.size[1]} but 'image' is "
            f"{image.size[0]}x{image.size[1]}; they must match"
        )
    if mask.point(lambda v: 255 if v >= MASK_THRESHOLD else 0).getbbox() is None:
        raise InvalidInput("'mask' selects no pixels; there is nothing to replace")
    return core.Request(
        image=image,
        mask=mask,
        prompt=prompt,
        negative_prompt=payload.optional_text(data, "negative_prompt", max_chars=max_chars),
        num_images=payload.integer(data, "num_images", default=1, low=1, high=core.MAX_IMAGES),
        seed=payload.optional_integer(data, "seed", low=0, high=core.MAX_SEED),
        steps=payload.integer(
            data, "steps", default=core.DEFAULT_STEPS, low=1, high=core.MAX_STEPS
        ),
        guidance_scale=payload.number(
            data, "guidance_scale", default=core.DEFAULT_GUIDANCE, low=0.0, high=30.0
        ),
        width=payload.optional_integer(data, "width", low=core.MIN_SIDE, high=core.MAX_SIDE),
        height=payload.optional_integer(data, "height", low=core.MIN_SIDE, high=core.MAX_SIDE),
        garment_image=garment,
        garment_strength=payload.number(
            data, "garment_strength", default=core.DEFAULT_GARMENT_STRENGTH, low=0.0, high=1.0
        ),
        style=style_of(data.get("adapters")),
    )


def predict_fn(data: core.Request, model: core.Model) -> core.Result:
    return core.predict(model, data)


# Full-resolution outputs: zlib level 1 encodes a 4 MP PNG about 3x faster than the
# default 6, for slightly larger files on the async endpoint's S3 hop.
PNG_LEVEL = 1


def output_fn(prediction: core.Result, accept: str | None) -> str:
    payload.check_accept(accept)
    return json.dumps(
        {
            "images": [images.encode_png(image, PNG_LEVEL) for image in prediction.images],
            "mask": images.encode_png(prediction.mask, PNG_LEVEL),
            "seed": prediction.seed,
            "width": prediction.width,
            "height": prediction.height,
            "generation_width": prediction.generation_width,
            "generation_height": prediction.generation_height,
        }
    )
