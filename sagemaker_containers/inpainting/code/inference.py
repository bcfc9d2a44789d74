"""Inpainting handler: the Hugging Face inference-toolkit contract over ``core``.

Imports: packed by ``model_artifacts``, ``core.py`` and ``common/`` sit beside this
file in ``code/`` (the toolkit puts ``code/`` on ``sys.path``), so they are imported as
siblings; in the repo (the local in-process runtime, the tests) this file stands alone
and they come from the ``sagemaker_containers`` package. The sibling check looks at
this file's own directory, so a stray ``core`` module elsewhere is never picked up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_CODE_DIR = Path(__file__).resolve().parent
if (_CODE_DIR / "core.py").is_file():  # packed
    if str(_CODE_DIR) not in sys.path:
        sys.path.insert(0, str(_CODE_DIR))
    import core  # type: ignore[import-not-found]
    from common import images, payload  # type: ignore[import-not-found]
    from common.errors import InvalidInput  # type: ignore[import-not-found]
else:  # in the repo
    from sagemaker_containers.common import images, payload
    from sagemaker_containers.common.errors import InvalidInput
    from sagemaker_containers.inpainting import core


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Request:
    """The inpainting request (``sagemaker_containers/README.md``); bad input → ValueError."""
    data = payload.parse_json(body, content_type)
    max_chars = payload.max_prompt_chars()
    prompt = payload.text(data, "prompt", max_chars=max_chars)
    image = images.decode_image(data.get("image"), field="image")
    mask = images.decode_image(data.get("mask"), field="mask", mode="L")
    if mask.size != image.size:
        raise InvalidInput(
            f"'mask' is {mask.size[0]}x{mask.size[1]} but 'image' is "
            f"{image.size[0]}x{image.size[1]}; they must match"
        )
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
    )


def predict_fn(data: core.Request, model: core.Model) -> core.Result:
    return core.predict(model, data)


def output_fn(prediction: core.Result, accept: str | None) -> str:
    payload.check_accept(accept)
    return json.dumps(
        {
            "images": [images.encode_png(image) for image in prediction.images],
            "seed": prediction.seed,
            "width": prediction.width,
            "height": prediction.height,
        }
    )
