"""The avatar flow on the aws profile, through the Lambdas, under moto.

POST /v1/avatar-models → worker (CreateTrainingJob) → EventBridge "Completed" →
training-events Lambda (adapter packed under the MME prefix) → POST generations →
worker (MME invoke with ``TargetModel``) → images → DELETE removes the served model.
"""

from __future__ import annotations

import io
import json
import struct

import boto3
import pytest
import requests
from botocore.stub import ANY, Stubber
from PIL import Image

from api.adapters.aws import clients
from api.adapters.aws.sagemaker_training import training_job_name
from api.adapters.aws.triton import BINARY_JSON
from tests.aws.avatar_support import state_change, write_training_output
from tests.aws.conftest import REGION
from tests.aws.faults import Fault
from tests.aws.lambdas_env import (
    FakeContext,
    api_event,
    b64,
    export_settings,
    fresh_api_handler,
    png,
    response_json,
    sqs_event,
)

CTX = FakeContext()
TENANT = "k7x2q9ab3c"  # the API key id in the canned partner event
TEMPLATE = "apigw_api_key_post_try_on"


def photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (20 * n, 255 - 20 * n, 90)).save(out, format="JPEG")
    return out.getvalue()


def triton_images(images: list[bytes], seed: int) -> tuple[bytes, dict[str, str]]:
    blob = b"".join(struct.pack("<I", len(i)) + i for i in images)
    header = json.dumps({"outputs": [
        {"name": "images", "datatype": "BYTES", "shape": [len(images)],
         "parameters": {"binary_data_size": len(blob)}},
        {"name": "seed", "datatype": "INT64", "shape": [1], "data": [seed]},
    ]}).encode()
    return header + blob, {"Content-Type": f"{BINARY_JSON};json-header-size={len(header)}"}


@pytest.fixture
def deployed(aws, monkeypatch):
    export_settings(monkeypatch, aws)
    api = fresh_api_handler()
    from lambdas import training_events, worker

    comprehend = Stubber(clients.comprehend(aws))
    rekognition = Stubber(clients.rekognition(aws))
    with comprehend, rekognition:
        yield api, worker.handler, training_events.handler, comprehend, rekognition
        comprehend.assert_no_pending_responses()
        rekognition.assert_no_pending_responses()


def run_worker(worker, aws) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=aws.jobs_queue_url, MaxNumberOfMessages=10)
    assert worker(sqs_event(messages["Messages"]), CTX) == {"batchItemFailures": []}


def test_avatar_from_training_to_generation_on_the_multi_model_endpoint(aws, deployed):
    api, worker, training_events, comprehend, rekognition = deployed

    # Given a partner who submits 10 photos of a subject
    created = api(api_event(TEMPLATE, "POST", "/v1/avatar-models", {
        "name": "Ana", "subject_class": "woman",
        "photos": [{"base64": b64(photo(n))} for n in range(10)],
    }), CTX)
    assert created["statusCode"] == 202, created["body"]
    avatar_id = response_json(created)["id"]

    # When the worker launches the training job on SageMaker
    run_worker(worker, aws)
    name = training_job_name("avatar", avatar_id)
    described = boto3.client("sagemaker", region_name=REGION).describe_training_job(
        TrainingJobName=name)
    assert described["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] == (
        f"s3://{aws.uploads_bucket}/{TENANT}/avatars/{avatar_id}/")

    # And SageMaker reports it Completed, with the adapter it trained
    event = state_change(name)
    write_training_output(event, {
        "pytorch_lora_weights.safetensors": b"lora" * 100,
        "avatar.json": json.dumps({"loss_curve": [0.3, 0.2], "final_loss": 0.2,
                                   "adapter_bytes": 400, "seconds": 812.5}).encode(),
    })
    assert training_events(event, CTX) == {"outcome": "succeeded"}

    # Then the avatar is ready, its figures shown, its model under the MME prefix
    avatar = response_json(api(api_event(TEMPLATE, "GET", f"/v1/avatar-models/{avatar_id}"), CTX))
    assert avatar["status"] == "ready"
    assert avatar["training"]["final_loss"] == 0.2 and avatar["training"]["seconds"] == 812.5
    served_key = f"{aws.mme_prefix}{TENANT}/{avatar_id}.tar.gz"
    s3 = boto3.client("s3", region_name=REGION)
    s3.head_object(Bucket=aws.models_bucket, Key=served_key)

    # When a generation is requested and the worker runs it on the MME
    comprehend.add_response(
        "detect_toxic_content", {"ResultList": [{"Labels": [], "Toxicity": 0.0}]})
    generation = api(api_event(TEMPLATE, "POST", f"/v1/avatar-models/{avatar_id}/generations",
                               {"prompt": "in a red coat, studio light", "n": 2}), CTX)
    assert generation["statusCode"] == 202, generation["body"]
    job_id = response_json(generation)["id"]
    runtime = clients.sagemaker_runtime(aws)
    body, headers = triton_images([png(color=(1, 2, 3)), png(color=(4, 5, 6))], seed=11)
    Fault(runtime, "InvokeEndpoint", status=200, body=body, times=1, headers=headers)
    sent = []
    runtime.meta.events.register_first(
        "before-send.sagemaker-runtime.InvokeEndpoint", lambda request, **_: sent.append(request))
    for _ in range(2):
        rekognition.add_response("detect_moderation_labels", {"ModerationLabels": []},
                                 {"Image": {"Bytes": ANY}, "MinConfidence": ANY})
    run_worker(worker, aws)

    # Then the MME was asked for exactly this tenant's avatar, and the images are served
    assert sent[0].headers["X-Amzn-SageMaker-Target-Model"].decode() == (
        f"{TENANT}/{avatar_id}.tar.gz")
    assert sent[0].url.endswith(f"/endpoints/{aws.avatar_endpoint}/invocations")
    job = response_json(api(api_event(TEMPLATE, "GET", f"/v1/jobs/{job_id}"), CTX))
    assert job["status"] == "succeeded", job
    assert [requests.get(i["url"], timeout=5).content for i in job["result"]["images"]] == [
        png(color=(1, 2, 3)), png(color=(4, 5, 6))]

    # And deleting the avatar removes the model the endpoint serves
    deleted = api(api_event(TEMPLATE, "DELETE", f"/v1/avatar-models/{avatar_id}"), CTX)
    assert deleted["statusCode"] == 204
    listed = s3.list_objects_v2(Bucket=aws.models_bucket, Prefix=served_key)
    assert listed["KeyCount"] == 0


def test_another_tenant_cannot_generate_from_an_avatar(aws, deployed):
    api, worker, *_ = deployed
    created = api(api_event(TEMPLATE, "POST", "/v1/avatar-models", {
        "name": "Ana", "subject_class": "woman",
        "photos": [{"base64": b64(photo(n))} for n in range(10)],
    }), CTX)
    avatar_id = response_json(created)["id"]

    read = api(api_event("apigw_cognito_post_try_on", "GET",
                         f"/v1/avatar-models/{avatar_id}"), CTX)
    generate = api(api_event("apigw_cognito_post_try_on", "POST",
                             f"/v1/avatar-models/{avatar_id}/generations",
                             {"prompt": "in a red coat"}), CTX)

    assert read["statusCode"] == 404
    assert generate["statusCode"] == 404
