"""Generation handler: the SageMaker inference-toolkit contract over ``core``.

How the image finds it, and why bad input is ``InvalidInput`` (400) while anything else is
a 500: ``sagemaker_containers/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagemaker_containers.common import images, payload
from sagemaker_containers.common.adapters import AdapterNotFound, check_key
from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.generation import core
from sagemaker_containers.generation.adapters import FILES, AdapterRequest

PNG_LEVEL = 1  # full-size outputs: fast zlib level (see inpainting)


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Request:
    """The generation request (``sagemaker_containers/README.md``); bad input → InvalidInput."""
    data = payload.parse_json(body, content_type)
    max_chars = payload.max_prompt_chars()
    variant = _choice(data, "variant", ("base", "turbo"), "base")
    size = data.get("size")
    if size is not None and size not in core.SIZE_PRESETS:
        raise InvalidInput(f"'size' must be one of {', '.join(core.SIZE_PRESETS)}")
    image = (images.decode_image(data["image"], field="image")
             if data.get("image") is not None else None)
    return core.Request(
        prompt=payload.text(data, "prompt", max_chars=max_chars),
        negative_prompt=payload.optional_text(data, "negative_prompt", max_chars=max_chars),
        num_images=payload.integer(data, "num_images", default=1, low=1, high=core.MAX_IMAGES),
        seed=payload.optional_integer(data, "seed", low=0, high=core.MAX_SEED),
        steps=payload.optional_integer(data, "steps", low=1, high=core.MAX_STEPS),
        guidance_scale=(payload.number(data, "guidance_scale", default=0.0, low=0.0, high=30.0)
                        if data.get("guidance_scale") is not None else None),
        width=payload.optional_integer(data, "width", low=core.MIN_SIDE, high=core.MAX_SIDE),
        height=payload.optional_integer(data, "height", low=core.MIN_SIDE, high=core.MAX_SIDE),
        size=size,
        variant=variant,  # type: ignore[arg-type]
        adapters=_adapters(data.get("adapters")),
        control=_control(data.get("control")),
        image=image,
        strength=payload.number(data, "strength", default=core.DEFAULT_STRENGTH,
                                low=0.01, high=1.0),
    )


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise InvalidInput(f"'{key}' must be one of {', '.join(allowed)}")
    return str(value)


def _adapters(value: object) -> tuple[AdapterRequest, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > core.MAX_ADAPTERS_PER_REQUEST:
        raise InvalidInput(f"'adapters' must be a list of at most "
                           f"{core.MAX_ADAPTERS_PER_REQUEST} objects")
    parsed: list[AdapterRequest] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise InvalidInput("each adapter needs a string 'key'")
        try:
            key = check_key(item["key"])
        except AdapterNotFound as error:
            raise InvalidInput(str(error)) from error
        kind = _choice(item, "type", tuple(FILES), "lora")
        token = payload.optional_text(item, "token", max_chars=100)
        parsed.append(AdapterRequest(
            key=key, type=kind, token=token,  # type: ignore[arg-type]
            weight=payload.number(item, "weight", default=1.0, low=-2.0, high=2.0)))
    if len({a.key for a in parsed}) != len(parsed):
        raise InvalidInput("each adapter may appear once in 'adapters'")
    return tuple(parsed)


def _control(value: object) -> core.Control | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("'control' must be an object with 'image' and 'type'")
    return core.Control(
        image=images.decode_image(value.get("image"), field="control.image"),
        type=_choice(value, "type", core.CONTROL_TYPES, "canny"),  # type: ignore[arg-type]
        strength=payload.number(value, "strength", default=core.DEFAULT_CONTROL_STRENGTH,
                                low=0.0, high=2.0),
    )


def predict_fn(data: core.Request, model: core.Model) -> core.Result:
    return core.predict(model, data)


def output_fn(prediction: core.Result, accept: str | None) -> str:
    payload.check_accept(accept)
    body: dict[str, Any] = {
        "images": [images.encode_png(image, PNG_LEVEL) for image in prediction.images],
        "seed": prediction.seed,
        "width": prediction.width,
        "height": prediction.height,
    }
    if prediction.control_image is not None:
        body["control_image"] = images.encode_png(prediction.control_image, PNG_LEVEL)
    return json.dumps(body)
