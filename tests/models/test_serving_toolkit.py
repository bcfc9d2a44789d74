"""The judges: each model packed by ``model_artifacts`` and served by the real toolkit.

For clipseg, inpainting and blip2: build the tiny model, ``model_artifacts pack`` it,
extract the archive as ``/opt/ml/model``, and serve it through
``sagemaker-pytorch-inference``'s own ``HandlerService`` (the inference image's toolkit,
in process; only TorchServe around it is emulated, see ``toolkit_support``). Then:

- the archive holds weights and configs only (no ``code/``, nothing the toolkit would
  pip-install at start);
- a good request decodes;
- invalid base64 is the toolkit's 400 with the ``invalid-input`` envelope, which the
  SageMaker runtime adapter turns into the API's 422 with that message;
- ``RuntimeError("CUDA out of memory")`` raised inside ``predict`` is the toolkit's 500,
  which the adapter turns into the API's 502, never 422, without the container's text.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber
from tiny_helpers import garment_image, png_b64
from toolkit_support import Response, ServedModel, pack_and_extract

from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime
from api.domain import errors as e
from api.errors import status_of
from api.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow

REGION = "eu-west-1"
MODELS = ("clipseg", "inpainting", "blip2", "generation")


def good_request(model: str) -> dict[str, Any]:
    image = garment_image(48, 40)
    if model == "clipseg":
        return {"image": png_b64(image), "prompts": ["the dress", "the background"]}
    if model == "inpainting":
        return {"image": png_b64(image), "mask": png_b64(image.convert("L")),
                "prompt": "a red dress", "steps": 1, "seed": 7, "width": 64, "height": 64}
    if model == "generation":
        # img2img: the one generation request that carries an 'image'.
        return {"prompt": "a red dress", "image": png_b64(image), "strength": 1.0,
                "steps": 1, "seed": 7}
    return {"image": png_b64(image), "questions": {"fabric": "What is the fabric?"},
            "max_new_tokens": 2}


EXPECTED_KEYS = {
    "clipseg": {"width", "height", "masks"},
    "inpainting": {"images", "mask", "seed", "width", "height", "generation_width",
                   "generation_height"},
    "blip2": {"answers", "confidence", "scores"},
    "generation": {"images", "seed", "width", "height"},
}


@pytest.fixture(scope="module", params=MODELS)
def served(request: pytest.FixtureRequest, tiny_models_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> tuple[ServedModel, list[str]]:
    model: str = request.param
    model_dir, members = pack_and_extract(model, tiny_models_dir / model,
                                          tmp_path_factory.mktemp(model))
    return ServedModel(model, model_dir), members


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def runtime_answering(status: int, body: str) -> SageMakerModelRuntime:
    """The API's SageMaker runtime adapter, its endpoint answering as the container did.

    SageMaker wraps a container's error status in ``ModelError`` (HTTP 424) with
    ``OriginalStatusCode`` and ``OriginalMessage`` (the container's body).
    """
    client = boto3.client("sagemaker-runtime", region_name=REGION,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(client)
    stubber.add_client_error(
        "invoke_endpoint", service_error_code="ModelError", http_status_code=424,
        service_message=f"Received server error ({status}) from primary with message ...",
        modeled_fields={
            "OriginalStatusCode": status,
            "OriginalMessage": body,
            "LogStreamArn": f"arn:aws:logs:{REGION}:123456789012:log-group:/aws/sagemaker/x",
        },
    )
    stubber.activate()
    settings = Settings(profile="aws", aws_region=REGION, segmentation_endpoint="seg",
                        attributes_endpoint="attr", tryon_endpoint="tryon",
                        generation_endpoint="gen",
                        webhook_secret="test-webhook-secret-0123456789abcdef")
    return SageMakerModelRuntime(settings=settings, async_inputs=None, client=client)


def api_error_for(model: str, response: Response) -> e.VitrineError:
    runtime = runtime_answering(response.status, response.body)
    with pytest.raises(e.VitrineError) as caught:
        runtime.invoke(model, good_request(model))
    return caught.value


def test_the_archive_is_weights_only(served: tuple[ServedModel, list[str]]) -> None:
    model, members = served
    assert members, "empty archive"
    assert not [name for name in members if name.split("/")[0] == "code"]
    assert not [name for name in members if name.endswith(".py") or "requirements" in name]
    assert not (model.model_dir / "code").exists()


def test_a_good_request_decodes(served: tuple[ServedModel, list[str]]) -> None:
    model, _ = served
    response = model.invoke(body_of(good_request(model.model)))
    assert response.status == 200, response.body[:2000]
    assert response.content_type == "application/json"
    assert set(json.loads(response.body)) == EXPECTED_KEYS[model.model]


def test_invalid_base64_is_a_400_envelope_and_the_apis_422(
    served: tuple[ServedModel, list[str]],
) -> None:
    model, _ = served
    response = model.invoke(body_of({**good_request(model.model), "image": "not base64!"}))

    assert response.status == 400
    first_line = response.body.splitlines()[0]
    assert json.loads(first_line) == {
        "error": {"type": "invalid-input", "message": "'image' is not valid base64"}
    }
    error = api_error_for(model.model, response)
    assert isinstance(error, e.ModelInputRejected)
    assert (status_of(error), error.detail) == (422, "'image' is not valid base64")


def test_other_refusals_are_400s_too(served: tuple[ServedModel, list[str]]) -> None:
    model, _ = served
    not_json = model.invoke(b"{not json", content_type="application/json")
    wrong_type = model.invoke(b"x", content_type="text/plain")
    assert (not_json.status, wrong_type.status) == (400, 400)
    assert json.loads(wrong_type.body.splitlines()[0])["error"]["type"] == "invalid-input"


def failing_predict(message: str) -> Callable[..., Any]:
    def predict(*_: Any, **__: Any) -> Any:
        raise RuntimeError(message)
    return predict


def test_cuda_out_of_memory_is_a_500_and_the_apis_502(
    served: tuple[ServedModel, list[str]], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    model, _ = served
    core = __import__(f"sagemaker_containers.{model.model}.core", fromlist=["predict"])
    monkeypatch.setattr(core, "predict", failing_predict(
        "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.20 GiB total capacity)"
    ))

    response = model.invoke(body_of(good_request(model.model)))

    assert response.status == 500
    assert "CUDA out of memory" in response.body  # the container's own text...
    with caplog.at_level(logging.WARNING, logger="api.adapters.aws.errors"):
        error = api_error_for(model.model, response)
    assert isinstance(error, e.ModelInvocationFailed)
    assert status_of(error) == 502
    assert "CUDA" not in error.detail and "Traceback" not in error.detail  # ...never shown
    assert "CUDA out of memory" in caplog.text  # ...but logged


def test_a_failing_model_server_status_is_retryable(served: tuple[ServedModel, list[str]]) -> None:
    # TorchServe answers 503 itself when no worker is free; that is worth a retry.
    model, _ = served
    error = api_error_for(model.model, Response(503, None, "No worker is available"))
    assert isinstance(error, e.DependencyUnavailable)
    assert status_of(error) == 503


@pytest.fixture(scope="module")
def served_inpainting(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
                      ) -> tuple[ServedModel, list[str]]:
    model_dir, members = pack_and_extract("inpainting", tiny_models_dir / "inpainting",
                                          tmp_path_factory.mktemp("garment"))
    return ServedModel("inpainting", model_dir), members


def test_a_garment_photo_is_served_from_the_packed_archive(
    served_inpainting: tuple[ServedModel, list[str]],
) -> None:
    """The packed inpainting archive carries the SDXL + IP-Adapter model in the layout the
    loader reads, and the toolkit serves a garment-photo request from it at full size."""
    model, members = served_inpainting
    assert "garment/model_index.json" in members
    assert "garment/ip_adapter/sdxl_models/ip-adapter_sdxl_vit-h.safetensors" in members
    assert "garment/ip_adapter/models/image_encoder/config.json" in members
    body = {**good_request("inpainting"), "garment_image": png_b64(garment_image(24, 32)),
            "garment_strength": 0.5, "steps": 2}
    response = model.invoke(body_of(body))
    assert response.status == 200, response.body[:2000]
    output = json.loads(response.body)
    assert (output["width"], output["height"]) == (48, 40)
