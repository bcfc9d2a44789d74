"""A hosted column: an Amazon Bedrock image model through ``bedrock-runtime`` ``InvokeModel``.

Amazon Nova Canvas (``amazon.nova-canvas-v1:0``) and Titan Image Generator v2
(``amazon.titan-image-generator-v2:0``) take the same text-to-image body (Bedrock's
"image generation request and response structure"):

    {"taskType": "TEXT_IMAGE",
     "textToImageParams": {"text": ..., "negativeText": ...},
     "imageGenerationConfig": {"numberOfImages": 1, "quality": "standard",
                               "width": W, "height": H, "cfgScale": G, "seed": S}}

and answer ``{"images": [base64 PNG], "error": ...}``. Their content filters answer
either a ``ValidationException`` ("…blocked by our content filters…", the prompt) or a
success whose ``error`` says the generated images were blocked (the output): both are the
cell's ``blocked_by_provider``. Sizes differ: Nova takes any multiple of 16 (320–4096),
Titan a fixed list; each family's size per preset is below. Seeds: Nova 0–858,993,459,
Titan 0–2,147,483,646 (the spec's seed is reduced into the range; the cell records it).
"""

from __future__ import annotations

import base64
import io
import json
import time
from typing import TYPE_CHECKING, Any

from sagemaker_containers.comparison.runners import Blocked, Generated, Unavailable

if TYPE_CHECKING:
    from sagemaker_containers.comparison.runners import Context
    from sagemaker_containers.comparison.spec import BedrockModel, PromptItem

NOVA_CANVAS = "amazon.nova-canvas-v1:0"
TITAN_IMAGE_V2 = "amazon.titan-image-generator-v2:0"
# (width, height) per size preset: Nova's at its 1024² area in multiples of 16, Titan's
# from its list of supported sizes.
SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "nova": {"square": (1024, 1024), "portrait": (896, 1120), "landscape": (1280, 720)},
    "titan": {"square": (1024, 1024), "portrait": (896, 1152), "landscape": (1152, 640)},
}
MAX_SEED = {"nova": 858_993_459, "titan": 2_147_483_646}
MIN_CFG, MAX_CFG = 1.1, 10.0
MAX_TEXT = {"nova": 1024, "titan": 512}
CONTENT_FILTERS = "blocked by our content filters"


def family(model_id: str) -> str:
    """``nova`` or ``titan`` (the body is the same; sizes and ranges differ)."""
    # Cross-region inference profiles prefix the id ("us.amazon.nova-canvas-v1:0").
    if "nova-canvas" in model_id:
        return "nova"
    if "titan-image-generator" in model_id:
        return "titan"
    raise Unavailable(f"{model_id}: not a Bedrock text-to-image model this runner knows "
                      f"({NOVA_CANVAS}, {TITAN_IMAGE_V2})")


def request_body(model_id: str, item: PromptItem, *, seed: int, guidance: float,
                 size: str) -> dict[str, Any]:
    """The TEXT_IMAGE body for one image (``negativeText`` only when there is one: the
    models refuse an empty one)."""
    kind = family(model_id)
    text_params: dict[str, Any] = {"text": item.prompt[: MAX_TEXT[kind]]}
    if item.negative_prompt:
        text_params["negativeText"] = item.negative_prompt[: MAX_TEXT[kind]]
    width, height = SIZES[kind][size]
    return {
        "taskType": "TEXT_IMAGE",
        "textToImageParams": text_params,
        "imageGenerationConfig": {
            "numberOfImages": 1,
            "quality": "standard",
            "width": width,
            "height": height,
            "cfgScale": round(min(MAX_CFG, max(MIN_CFG, guidance)), 2),
            "seed": seed % (MAX_SEED[kind] + 1),
        },
    }


def default_client(region: str | None) -> Any:
    import boto3
    from botocore.config import Config

    # One image takes seconds to tens of seconds; standard retries cover throttling.
    config = Config(read_timeout=120, connect_timeout=10,
                    retries={"max_attempts": 4, "mode": "standard"})
    return boto3.client("bedrock-runtime", region_name=region, config=config)


class BedrockRunner:
    def __init__(self, model: BedrockModel, context: Context) -> None:
        family(model.model_id)  # an unknown model fails the column before any call
        self.model, self.context = model, context
        factory = context.bedrock_client or default_client
        try:
            self.client = factory(model.region)
        except Exception as error:  # no region or credentials: botocore's own errors
            raise Unavailable(f"no Bedrock client: {error}") from error

    def generate(self, item: PromptItem) -> Generated:
        from botocore.exceptions import ClientError
        from PIL import Image

        spec = self.context.spec
        body = request_body(self.model.model_id, item, seed=spec.seed, guidance=spec.guidance,
                            size=spec.size)
        started = time.perf_counter()
        try:
            response = self.client.invoke_model(
                modelId=self.model.model_id, body=json.dumps(body),
                contentType="application/json", accept="application/json")
            answer = json.loads(response["body"].read())
        except ClientError as error:
            message = error.response.get("Error", {}).get("Message", str(error))
            if CONTENT_FILTERS in message:
                raise Blocked(message) from error
            raise
        seconds = time.perf_counter() - started
        images = answer.get("images") or []
        if not images:
            reason = answer.get("error") or "the model returned no image"
            if CONTENT_FILTERS in reason:
                raise Blocked(reason)
            raise RuntimeError(reason)
        image = Image.open(io.BytesIO(base64.b64decode(images[0])))
        image.load()
        seed = int(body["imageGenerationConfig"]["seed"])
        return Generated(image.convert("RGB"), seconds, seed, moderation="passed")
