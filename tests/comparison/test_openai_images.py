"""The OpenAI column: off without a key; with one, the Images API request through httpx
(a ``MockTransport`` answers as the API does), and its moderation refusals."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
from hosted_answers import png_base64

from sagemaker_containers.comparison import spec as spec_module
from sagemaker_containers.comparison.run import Hosted, Paths, run

if TYPE_CHECKING:
    from pathlib import Path

SPEC = {"size": "landscape", "prompts": ["a red linen shirt", "a blue dress"],
        "models": [{"name": "gpt-image", "type": "openai", "model": "gpt-image-1",
                    "price": {"usd_per_image": 0.042}},
                   {"name": "dall-e", "type": "openai", "model": "dall-e-3"}]}


def test_without_a_key_the_column_fails_not_configured(tmp_path: Path) -> None:
    report = run(spec_module.parse(SPEC), Paths(spec_dir=tmp_path, output_dir=tmp_path),
                 hosted=Hosted(env={}))
    assert {c["status"] for c in report["cells"]} == {"failed"}
    assert {c["error"] for c in report["cells"]} == {
        "OpenAI is not configured (no OPENAI_API_KEY)"}
    assert report["models"][0]["error"] == "OpenAI is not configured (no OPENAI_API_KEY)"


def test_with_a_key_images_come_back_and_refusals_are_blocked(tmp_path: Path) -> None:
    sent: list[tuple[str, str, dict[str, object]]] = []

    def api(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append((str(request.url), request.headers["Authorization"], body))
        if body["prompt"] == "a blue dress" and body["model"] == "dall-e-3":
            return httpx.Response(400, json={"error": {
                "code": "content_policy_violation", "type": "image_generation_user_error",
                "message": "Your request was rejected by the safety system."}})
        return httpx.Response(200, json={"created": 1, "data": [{"b64_json": png_base64()}]})

    transport = httpx.MockTransport(api)
    report = run(spec_module.parse(SPEC), Paths(spec_dir=tmp_path, output_dir=tmp_path),
                 hosted=Hosted(env={"OPENAI_API_KEY": "sk-test"},
                               http_client=lambda: httpx.Client(transport=transport)))
    url, auth, body = sent[0]
    assert (url, auth) == ("https://api.openai.com/v1/images/generations", "Bearer sk-test")
    assert body == {"model": "gpt-image-1", "prompt": "a red linen shirt", "n": 1,
                    "size": "1536x1024"}  # GPT image models answer base64 unasked
    assert sent[2][2] == {"model": "dall-e-3", "prompt": "a red linen shirt", "n": 1,
                          "size": "1792x1024", "response_format": "b64_json"}
    cells = {(c["prompt"], c["model"]): c for c in report["cells"]}
    made = cells[0, "gpt-image"]
    assert (made["status"], made["moderation"], made["seed"]) == ("succeeded", "passed", None)
    assert made["cost_usd"] == 0.042 and (tmp_path / made["image"]).is_file()
    refused = cells[1, "dall-e"]
    assert (refused["status"], refused["moderation"]) == ("blocked", "blocked_by_provider")
    assert refused["error"] == "Your request was rejected by the safety system."
