"""CLIPSeg handler: the SageMaker inference-toolkit contract over ``core``.

How the image finds it, and why bad input is ``InvalidInput`` (400) while anything else is
a 500: ``sagemaker_containers/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

from sagemaker_containers.clipseg import core
from sagemaker_containers.common import images, payload


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Request:
    """``{"image": b64, "prompts": [str, ...], "threshold": float?}``; bad input → InvalidInput."""
    data = payload.parse_json(body, content_type)
    prompts = payload.text_list(
        data, "prompts", max_items=core.MAX_PROMPTS, max_chars=payload.max_prompt_chars()
    )
    threshold = payload.number(
        data, "threshold", default=core.DEFAULT_THRESHOLD, low=0.0, high=1.0
    )
    return core.Request(image=images.decode_image(data.get("image")), prompts=prompts,
                        threshold=threshold)


def predict_fn(data: core.Request, model: core.Model) -> core.Result:
    return core.predict(model, data)


def output_fn(prediction: core.Result, accept: str | None) -> str:
    payload.check_accept(accept)
    return json.dumps(
        {
            "width": prediction.width,
            "height": prediction.height,
            "masks": [
                {
                    "prompt": mask.prompt,
                    "mask": images.encode_png(mask.mask),
                    "coverage": round(mask.coverage, 6),
                }
                for mask in prediction.masks
            ],
        }
    )
