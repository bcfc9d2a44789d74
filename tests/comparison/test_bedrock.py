"""The Bedrock column against botocore's own client, stubbed with ``Stubber``: the request
is validated against bedrock-runtime's service model, and its JSON body is compared with
the TEXT_IMAGE shape Bedrock documents for Nova Canvas and Titan Image Generator v2."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from hosted_answers import png_base64

from sagemaker_containers.comparison import spec as spec_module
from sagemaker_containers.comparison.run import Hosted, Paths, run

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NOVA, TITAN = "amazon.nova-canvas-v1:0", "amazon.titan-image-generator-v2:0"
BLOCKED_INPUT = ("This request has been blocked by our content filters. Please adjust your "
                 "text prompt to submit a new request.")
BLOCKED_OUTPUT = "All of the generated images have been blocked by our content filters."


def answer(payload: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps(payload).encode()
    return {"body": StreamingBody(io.BytesIO(data), len(data)), "contentType": "application/json"}


def expected(model_id: str) -> dict[str, Any]:
    return {"modelId": model_id, "body": ANY, "contentType": "application/json",
            "accept": "application/json"}


@pytest.fixture
def bedrock() -> Iterator[tuple[Any, Stubber, list[dict[str, Any]]]]:
    client = boto3.client("bedrock-runtime", region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    bodies: list[dict[str, Any]] = []

    def keep(params: dict[str, Any], **_: Any) -> None:
        bodies.append(json.loads(params["body"]))

    client.meta.events.register("provide-client-params.bedrock-runtime.InvokeModel", keep)
    with Stubber(client) as stubber:
        yield client, stubber, bodies
        stubber.assert_no_pending_responses()


def test_nova_and_titan_columns_send_the_documented_body(
        bedrock: tuple[Any, Stubber, list[dict[str, Any]]], tiny_models_dir: Path,
        tmp_path: Path) -> None:
    client, stubber, bodies = bedrock
    # Given two prompts × Nova and Titan; Nova's filters refuse the second prompt
    spec = spec_module.parse({
        "seed": 900_000_000, "guidance": 7.0, "size": "portrait",
        "prompts": [{"prompt": "a red linen shirt", "negative_prompt": "blurry"},
                    {"prompt": "a blue dress"}],
        "models": [
            {"name": "nova", "type": "bedrock", "model_id": NOVA, "region": "us-east-1",
             "price": {"usd_per_image": 0.04}},
            {"name": "titan", "type": "bedrock", "model_id": TITAN,
             "price": {"usd_per_image": 0.01}}]})
    stubber.add_response("invoke_model", answer({"images": [png_base64()], "error": None}),
                         expected(NOVA))
    stubber.add_client_error("invoke_model", "ValidationException", BLOCKED_INPUT, 400,
                             expected_params=expected(NOVA))
    stubber.add_response("invoke_model", answer({"images": [png_base64(seed=1)]}),
                         expected(TITAN))
    stubber.add_response("invoke_model", answer({"images": [], "error": BLOCKED_OUTPUT}),
                         expected(TITAN))
    regions: list[str | None] = []

    def factory(region: str | None) -> Any:
        regions.append(region)
        return client

    # When the comparison runs with the stubbed client
    report = run(spec, Paths(spec_dir=tmp_path, output_dir=tmp_path / "out",
                             clip_dir=tiny_models_dir / "clip"),
                 hosted=Hosted(env={}, bedrock_client=factory))

    # Then each body is Bedrock's TEXT_IMAGE request, sizes and seeds in each model's range
    assert bodies[0] == {
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {"text": "a red linen shirt", "negativeText": "blurry"},
        "imageGenerationConfig": {"numberOfImages": 1, "quality": "standard", "width": 896,
                                  "height": 1120, "cfgScale": 7.0, "seed": 41_006_540}}
    assert "negativeText" not in bodies[1]["textToImageParams"]  # none: never an empty one
    assert bodies[2]["imageGenerationConfig"] | {"seed": 0} == {
        "numberOfImages": 1, "quality": "standard", "width": 896, "height": 1152,
        "cfgScale": 7.0, "seed": 0}
    assert bodies[2]["imageGenerationConfig"]["seed"] == 900_000_000  # within Titan's range
    assert regions == ["us-east-1", None]
    cells = {(c["prompt"], c["model"]): c for c in report["cells"]}
    made = cells[0, "nova"]
    assert (made["status"], made["moderation"], made["cost_usd"]) == ("succeeded", "passed", 0.04)
    assert made["seed"] == 41_006_540 and made["clip_score"] is not None
    assert (tmp_path / "out" / made["image"]).is_file()
    # And the filters' refusals, of the prompt and of the output, are blocked cells
    for key, why in (((1, "nova"), BLOCKED_INPUT), ((1, "titan"), BLOCKED_OUTPUT)):
        assert (cells[key]["status"], cells[key]["moderation"]) == ("blocked",
                                                                    "blocked_by_provider")
        assert cells[key]["error"] == why and cells[key]["cost_usd"] is None
    assert [row["cost_usd"]["total"] for row in report["summary"]] == [0.04, 0.01]


def test_other_bedrock_errors_fail_the_cell_and_unknown_models_the_column(
        bedrock: tuple[Any, Stubber, list[dict[str, Any]]], tmp_path: Path) -> None:
    client, stubber, _ = bedrock
    stubber.add_client_error("invoke_model", "AccessDeniedException",
                             "You don't have access to the model", 403,
                             expected_params=expected(NOVA))
    spec = spec_module.parse({
        "prompts": ["a red linen shirt"],
        "models": [{"name": "nova", "type": "bedrock", "model_id": NOVA},
                   {"name": "llm", "type": "bedrock", "model_id": "anthropic.claude-v2"}]})
    report = run(spec, Paths(spec_dir=tmp_path, output_dir=tmp_path),
                 hosted=Hosted(env={}, bedrock_client=lambda region: client))
    nova, llm = report["cells"]
    assert nova["status"] == "failed" and "access to the model" in nova["error"]
    assert llm["status"] == "failed" and "not a Bedrock text-to-image model" in llm["error"]
    assert report["models"][1]["error"] == llm["error"]
    assert report["scorer"]["error"].startswith("no CLIP model")
