"""CLIPSeg handler: the Hugging Face inference-toolkit contract over ``core``.

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
else:  # in the repo
    from sagemaker_containers.clipseg import core
    from sagemaker_containers.common import images, payload


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Request:
    """``{"image": b64, "prompts": [str, ...], "threshold": float?}``; bad input → ValueError."""
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
