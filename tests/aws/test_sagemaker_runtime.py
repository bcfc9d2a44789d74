"""SageMaker runtime adapter: real-time, multi-model (Triton) and async, with faults."""

from __future__ import annotations

import base64
import json
import struct

import boto3
import pytest

from api.adapters.aws import triton
from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime
from api.domain import errors as e
from api.domain.jobs import Job, JobKind, JobStatus
from api.domain.outcomes import JobRef
from tests.aws.conftest import REGION, queue_endpoint_results
from tests.aws.faults import Fault, model_error, throttle

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00fake-png\xff" * 3


@pytest.fixture
def jobs(aws):
    return DynamoJobStore(aws.jobs_table, settings=aws)


@pytest.fixture
def runtime(aws, jobs):
    async_inputs = S3ObjectStore(
        aws.uploads_bucket, settings=aws, prefix=aws.async_input_prefix
    )
    return SageMakerModelRuntime(settings=aws, async_inputs=async_inputs)


def test_invoke_posts_json_to_the_models_endpoint_and_decodes_the_answer(runtime):
    answer = {"width": 4, "height": 4, "masks": [{"prompt": "dress", "coverage": 0.25}]}
    queue_endpoint_results(json.dumps(answer))
    sent = []
    runtime.client.meta.events.register(
        "before-send.sagemaker-runtime.InvokeEndpoint",
        lambda request, **_: sent.append(request),
    )

    output = runtime.invoke("clipseg", {"image": "aGk=", "prompts": ["dress"]})

    assert output == answer
    assert sent[0].url.endswith("/endpoints/vitrine-clipseg/invocations")
    assert json.loads(sent[0].body) == {"image": "aGk=", "prompts": ["dress"]}
    assert sent[0].headers["Content-Type"] == b"application/json"


def test_unknown_model_or_unconfigured_endpoint_is_refused(aws, jobs):
    from tests.aws.conftest import aws_settings

    bare = SageMakerModelRuntime(
        settings=aws_settings(attributes_endpoint=""), async_inputs=None
    )
    with pytest.raises(e.DependencyUnavailable, match="VITRINE_ATTRIBUTES_ENDPOINT"):
        bare.invoke("blip2", {})
    with pytest.raises(e.VitrineError, match="unknown model"):
        bare.invoke("gpt", {})


# What the inference image's toolkit (sagemaker-pytorch-inference) answers: the error's
# message, then its traceback (tests/models/test_serving_toolkit.py serves the real one).
TOOLKIT_TRACE = "\nTraceback (most recent call last):\n  File \"/opt/vitrine/...\", line 1\n"


def test_container_4xx_is_input_rejected_with_its_message(runtime):
    envelope = json.dumps({"error": {"type": "invalid-input", "message": "prompts must be 1-8"}})
    model_error(runtime.client, original_status=400, original_message=envelope + TOOLKIT_TRACE)

    with pytest.raises(e.ModelInputRejected) as caught:
        runtime.invoke("clipseg", {"image": "x", "prompts": []})

    assert caught.value.detail == "prompts must be 1-8"


def test_container_5xx_is_model_failed_without_leaking_its_body(runtime, caplog, monkeypatch):
    # An import elsewhere in the session may dictConfig() existing loggers away.
    import logging

    monkeypatch.setattr(logging.getLogger("api.adapters.aws.errors"), "disabled", False)
    # An exception in predict_fn (here CUDA out of memory) is the toolkit's 500.
    model_error(runtime.client, original_status=500,
                original_message="CUDA out of memory. Tried to allocate 2.00 GiB" + TOOLKIT_TRACE)

    with pytest.raises(e.ModelInvocationFailed) as caught:
        runtime.invoke("clipseg", {"image": "x", "prompts": ["a"]})

    assert "Traceback" not in caught.value.detail and "CUDA" not in caught.value.detail
    assert "500" in caught.value.detail
    assert "CUDA out of memory" in caplog.text  # logged for operators


def test_model_server_busy_is_a_503_class_error(runtime):
    # TorchServe itself answers 503 when no worker is free: worth a retry.
    model_error(runtime.client, original_status=503, original_message="No worker is available")

    with pytest.raises(e.DependencyUnavailable, match="retry later"):
        runtime.invoke("clipseg", {"image": "x", "prompts": ["a"]})


def test_throttled_then_answered_is_retried(runtime, no_backoff):
    queue_endpoint_results(json.dumps({"answers": {"fabric": "cotton"}}))
    fault = throttle(runtime.client, "InvokeEndpoint", times=2)

    assert runtime.invoke("blip2", {"image": "x", "questions": {"fabric": "?"}}) == {
        "answers": {"fabric": "cotton"}
    }
    assert fault.calls == 3


def test_persistent_throttling_is_a_503_class_error(runtime, aws, no_backoff):
    fault = throttle(runtime.client, "InvokeEndpoint", times=50)

    with pytest.raises(e.DependencyUnavailable, match="throttling"):
        runtime.invoke("clipseg", {"image": "x", "prompts": ["a"]})
    assert fault.calls == aws.model_max_attempts


def test_non_json_model_output_is_a_model_failure(runtime):
    queue_endpoint_results("<html>oops</html>", content_type="text/html")
    with pytest.raises(e.ModelInvocationFailed, match="not JSON"):
        runtime.invoke("clipseg", {"image": "x", "prompts": ["a"]})


# --- multi-model endpoint (Triton) ---------------------------------------------------


def triton_response(images: list[bytes], seed: int) -> tuple[bytes, str]:
    blob = b"".join(struct.pack("<I", len(img)) + img for img in images)
    header = json.dumps({
        "model_name": "avatar-x",
        "outputs": [
            {"name": "images", "datatype": "BYTES", "shape": [len(images)],
             "parameters": {"binary_data_size": len(blob)}},
            {"name": "seed", "datatype": "INT64", "shape": [1], "data": [seed]},
        ],
    }).encode()
    return header + blob, f"{triton.BINARY_JSON};json-header-size={len(header)}"


def test_avatar_invoke_targets_the_tenants_model_and_speaks_triton(runtime):
    body, content_type = triton_response([PNG, PNG[::-1]], seed=42)
    Fault(runtime.client, "InvokeEndpoint", status=200, body=body, times=1,
          headers={"Content-Type": content_type})
    sent = []
    runtime.client.meta.events.register_first(
        "before-send.sagemaker-runtime.InvokeEndpoint", lambda request, **_: sent.append(request)
    )

    output = runtime.invoke(
        "avatar", {"prompt": "sks person in a red coat", "num_images": 2, "seed": 42,
                   "guidance_scale": 7.5}, target_model="t1/av_1.tar.gz"
    )

    assert output == {"images": [base64.b64encode(PNG).decode(),
                                 base64.b64encode(PNG[::-1]).decode()], "seed": 42}
    request = sent[0]
    assert request.url.endswith("/endpoints/vitrine-avatars-mme/invocations")
    assert request.headers["X-Amzn-SageMaker-Target-Model"] == b"t1/av_1.tar.gz"
    header = json.loads(request.body)
    inputs = {i["name"]: (i["datatype"], i["data"]) for i in header["inputs"]}
    assert inputs == {
        "prompt": ("BYTES", ["sks person in a red coat"]),
        "num_images": ("INT32", [2]),
        "seed": ("INT64", [42]),
        "guidance_scale": ("FP32", [7.5]),
    }
    content_type = request.headers["Content-Type"].decode()
    assert content_type.endswith(f"json-header-size={len(request.body)}")


def test_avatar_needs_a_target_model(runtime):
    with pytest.raises(e.VitrineError, match="target_model"):
        runtime.invoke("avatar", {"prompt": "x"})


def test_triton_codec_refuses_unknown_fields_and_truncated_binary():
    with pytest.raises(e.RequestValidationFailed):
        triton.encode_request({"prompt": "x", "model": "other"})
    body, content_type = triton_response([PNG], seed=1)
    with pytest.raises(e.ModelInvocationFailed, match="malformed"):
        triton.decode_response(body[:-3], content_type)


def test_mme_model_loading_is_a_503_class_error(runtime, no_backoff, caplog):
    Fault(runtime.client, "InvokeEndpoint", status=429, times=10,
          body={"__type": "ModelNotReadyException", "message": "model is loading"})
    with pytest.raises(e.DependencyUnavailable, match="unavailable; retry later"):
        runtime.invoke("avatar", {"prompt": "x"}, target_model="t1/a.tar.gz")
    assert "ModelNotReadyException" in caplog.text


# --- asynchronous endpoint -----------------------------------------------------------


def test_submit_writes_input_invokes_async_and_returns_its_locations(runtime, jobs, aws):
    job = Job.new(tenant="t1", kind=JobKind.TRY_ON, request={"prompt": "p"}, ttl_days=1)
    jobs.create(job)
    payload = {"image": "aW1n", "mask": "bWFzaw==", "prompt": "a red dress", "steps": 20}

    submission = runtime.submit_async("inpainting", payload, job=JobRef("t1", job.id))

    key = f"{aws.async_input_prefix}t1/{job.id}.json"
    s3 = boto3.client("s3", region_name=REGION)
    stored = s3.get_object(Bucket=aws.uploads_bucket, Key=key)
    assert json.loads(stored["Body"].read()) == payload
    assert stored["ServerSideEncryption"] == "AES256"
    assert submission.inference_id == job.id
    assert submission.input_location == f"s3://{aws.uploads_bucket}/{key}"
    assert submission.output_location.startswith("s3://")
    assert submission.failure_location.startswith("s3://")
    # The adapter never writes job state: recording the submission is the core's.
    recorded = jobs.get("t1", job.id)
    assert recorded.status is JobStatus.QUEUED and recorded.internal == {}


def test_only_models_with_an_async_endpoint_can_be_submitted(runtime):
    calls = []
    runtime.client.meta.events.register(
        "before-send.sagemaker-runtime.InvokeEndpoint", lambda **kw: calls.append(kw)
    )
    with pytest.raises(e.VitrineError, match="no asynchronous endpoint"):
        runtime.submit_async("blip2", {"image": "x"}, job=JobRef("t1", "job_1"))
    assert calls == []
