"""A hosted column: OpenAI's Images API (``POST /v1/images/generations``), the outside
reference the e-commerce case study used DALL-E for.

Runs only when ``OPENAI_API_KEY`` is set (else the column fails "not configured").
``OPENAI_BASE_URL`` points it at a compatible endpoint. GPT image models always answer
base64 (``b64_json``); DALL-E models are asked for it (``response_format``). The API
takes no seed, so these cells record none. Its moderation refuses with a 400 whose
``error.code`` is ``moderation_blocked`` (GPT image) or ``content_policy_violation``
(DALL-E): the cell's ``blocked_by_provider``.
"""

from __future__ import annotations

import base64
import io
import time
from typing import TYPE_CHECKING, Any

from sagemaker_containers.comparison.runners import Blocked, Generated, Unavailable

if TYPE_CHECKING:
    from sagemaker_containers.comparison.runners import Context
    from sagemaker_containers.comparison.spec import OpenAIModel, PromptItem

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Size per preset: GPT image models' three sizes, DALL-E 3's.
SIZES: dict[str, dict[str, str]] = {
    "gpt-image": {"square": "1024x1024", "portrait": "1024x1536", "landscape": "1536x1024"},
    "dall-e": {"square": "1024x1024", "portrait": "1024x1792", "landscape": "1792x1024"},
}
BLOCKED_CODES = frozenset({"moderation_blocked", "content_policy_violation"})
TIMEOUT_S = 180.0  # a high-quality GPT image takes up to a minute or two


def request_body(model: str, item: PromptItem, *, size: str) -> dict[str, Any]:
    dall_e = model.startswith("dall-e")
    body: dict[str, Any] = {"model": model, "prompt": item.prompt, "n": 1,
                            "size": SIZES["dall-e" if dall_e else "gpt-image"][size]}
    if dall_e:
        body["response_format"] = "b64_json"
    return body


class OpenAIRunner:
    def __init__(self, model: OpenAIModel, context: Context) -> None:
        import httpx

        key = context.env.get("OPENAI_API_KEY")
        if not key:
            raise Unavailable("OpenAI is not configured (no OPENAI_API_KEY)")
        self.model, self.context = model, context
        self.client: httpx.Client = (context.http_client() if context.http_client else
                                     httpx.Client(timeout=TIMEOUT_S))
        self.url = context.env.get("OPENAI_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
        self.headers = {"Authorization": f"Bearer {key}"}

    def generate(self, item: PromptItem) -> Generated:
        from PIL import Image

        body = request_body(self.model.model, item, size=self.context.spec.size)
        started = time.perf_counter()
        response = self.client.post(f"{self.url}/images/generations", json=body,
                                    headers=self.headers)
        seconds = time.perf_counter() - started
        answer = _json(response)
        if response.status_code >= 400:
            error = answer.get("error")
            error = error if isinstance(error, dict) else {}
            message = str(error.get("message") or f"HTTP {response.status_code}")
            if error.get("code") in BLOCKED_CODES:
                raise Blocked(message)
            raise RuntimeError(f"OpenAI answered {response.status_code}: {message[:300]}")
        data = answer.get("data") or []
        if not data or not data[0].get("b64_json"):
            raise RuntimeError("OpenAI returned no image")
        image = Image.open(io.BytesIO(base64.b64decode(data[0]["b64_json"])))
        image.load()
        return Generated(image.convert("RGB"), seconds, None, moderation="passed")


def _json(response: Any) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
