"""Tenant models on the aws profile, through the Lambdas, under moto.

POST /v1/models (a style) → worker (CreateTrainingJob: the captioned set as ``train``,
style/train.py) → EventBridge "Completed" → training-events Lambda (the output archive
unpacked under the model's prefix, where the endpoints fetch adapters by key) → the
model ready with its figures → another tenant sees nothing → DELETE removes the adapter.
"""

from __future__ import annotations

import io
import json

import boto3
import pytest
from PIL import Image

from api.adapters.aws.sagemaker_training import training_job_name
from tests.aws.avatar_support import state_change, write_training_output
from tests.aws.conftest import REGION
from tests.aws.lambdas_env import (
    FakeContext,
    api_event,
    b64,
    export_settings,
    fresh_api_handler,
    response_json,
    sqs_event,
)

CTX = FakeContext()
TENANT = "k7x2q9ab3c"  # the API key id in the canned partner event
TEMPLATE = "apigw_api_key_post_try_on"
OTHER = "apigw_cognito_post_try_on"


def photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (40 * n, 200 - 40 * n, 90)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def deployed(aws, monkeypatch):
    export_settings(monkeypatch, aws)
    api = fresh_api_handler()
    from lambdas import training_events, worker

    return api, worker.handler, training_events.handler


def run_worker(worker, aws) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=aws.jobs_queue_url, MaxNumberOfMessages=10)
    assert worker(sqs_event(messages["Messages"]), CTX) == {"batchItemFailures": []}


def test_style_model_from_training_event_to_ready_and_deleted(aws, deployed):
    api, worker, training_events = deployed
    s3 = boto3.client("s3", region_name=REGION)

    # Given a partner who submits three captioned skirts
    created = api(api_event(TEMPLATE, "POST", "/v1/models", {
        "kind": "style", "name": "summer skirts", "class_name": "skirt",
        "images": [{"image": {"base64": b64(photo(n))},
                    "caption": f"a long floral chiffon summer skirt, shade {n}"} for n in range(3)],
    }), CTX)
    assert created["statusCode"] == 202, created["body"]
    model_id = response_json(created)["id"]

    # When the worker launches style/train.py on SageMaker with the set as its channel
    run_worker(worker, aws)
    name = training_job_name("style", model_id)
    described = boto3.client("sagemaker", region_name=REGION).describe_training_job(
        TrainingJobName=name)
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in described["InputDataConfig"]}
    data = f"{TENANT}/models/{model_id}/data/"
    assert channels["train"] == f"s3://{aws.uploads_bucket}/{data}"
    assert described["HyperParameters"]["sagemaker_program"] == "style/train.py"
    stored = s3.get_object(Bucket=aws.uploads_bucket, Key=data + "metadata.jsonl")["Body"].read()
    assert [json.loads(line)["text"] for line in stored.splitlines()][0].startswith("a long")

    # And SageMaker reports it Completed, with the adapter it trained
    event = state_change(name)
    figures = {"kind": "style", "steps": 800, "loss_curve": [0.3, 0.2], "final_loss": 0.2,
               "adapter_bytes": 400, "seconds": 1234.5, "token": "sks"}
    write_training_output(event, {"pytorch_lora_weights.safetensors": b"lora" * 100,
                                  "model.json": json.dumps(figures).encode()})
    assert training_events(event, CTX) == {"outcome": "succeeded"}

    # Then the model is ready with its figures, and its files are loose under its prefix
    model = response_json(api(api_event(TEMPLATE, "GET", f"/v1/models/{model_id}"), CTX))
    assert model["status"] == "ready" and model["kind"] == "style"
    assert model["training"]["final_loss"] == 0.2 and model["training"]["seconds"] == 1234.5
    prefix = f"{TENANT}/models/{model_id}/"
    weights = s3.get_object(Bucket=aws.models_bucket,
                            Key=prefix + "pytorch_lora_weights.safetensors")["Body"].read()
    assert weights == b"lora" * 100
    job = response_json(api(api_event(TEMPLATE, "GET", f"/v1/jobs/{model_id}"), CTX))
    assert job["kind"] == "style_training"
    assert (job["result"]["artifacts"], job["result"]["adapter_type"]) == (prefix, "lora")
    assert job["result"]["training_job"] == name

    # Another tenant sees nothing of it, nor can it try on in that style
    assert api(api_event(OTHER, "GET", f"/v1/models/{model_id}"), CTX)["statusCode"] == 404
    assert api(api_event(OTHER, "DELETE", f"/v1/models/{model_id}"), CTX)["statusCode"] == 404
    try_on = api(api_event(OTHER, "POST", "/v1/try-ons", {
        "image": {"base64": b64(photo(1))}, "garment_prompt": "a long skirt",
        "style_model_id": model_id}), CTX)
    assert try_on["statusCode"] == 404, try_on["body"]

    # And DELETE removes the adapter and the training set
    assert api(api_event(TEMPLATE, "DELETE", f"/v1/models/{model_id}"), CTX)["statusCode"] == 204
    for bucket in (aws.models_bucket, aws.uploads_bucket):
        assert s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["KeyCount"] == 0


def test_a_style_try_on_sends_the_style_adapter_to_the_async_endpoint(aws, monkeypatch):
    from lambdas import training_events
    from tests.aws.flow_support import Stack, submission
    from tests.aws.lambdas_env import mask_png, png

    stack = Stack(aws, monkeypatch)
    try:
        # Given a ready style model (trained on SageMaker, finished by its event)
        created = stack.api(api_event(TEMPLATE, "POST", "/v1/models", {
            "kind": "style", "name": "skirts", "images": [
                {"image": {"base64": b64(photo(n))}, "caption": f"a long skirt {n}"}
                for n in range(3)]}), CTX)
        model_id = response_json(created)["id"]
        assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}
        event = state_change(training_job_name("style", model_id))
        write_training_output(event, {"pytorch_lora_weights.safetensors": b"w",
                                      "model.json": b'{"kind": "style", "steps": 2}'})
        assert training_events.handler(event, CTX) == {"outcome": "succeeded"}

        # When its owner asks for a try-on in that style (a supplied mask: no CLIPSeg)
        stack.text_is_clean()
        resp = stack.post_try_on(TEMPLATE, style_model_id=model_id, style_weight=0.8,
                                 image={"base64": b64(png())}, mask={"base64": b64(mask_png())},
                                 n=1)
        assert resp["statusCode"] == 202, resp["body"]
        job_id = response_json(resp)["id"]
        assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}

        # Then the async request names the style's adapter by its key, and its token
        sent = submission(stack.job_record(TENANT, job_id))
        bucket, _, key = sent.input_location.removeprefix("s3://").partition("/")
        body = json.loads(boto3.client("s3", region_name=REGION).get_object(
            Bucket=bucket, Key=key)["Body"].read())
        assert body["adapters"] == [{"key": f"{TENANT}/models/{model_id}", "type": "lora",
                                     "weight": 0.8, "token": "sks"}]
        assert body["prompt"] == "sks, a red linen shirt"
        stack.finish()
    finally:
        stack.comprehend.deactivate()
        stack.rekognition.deactivate()


@pytest.mark.parametrize(("kind", "setting"), [("style", "style_base_model_uri"),
                                               ("product", "sdxl_base_model_uri"),
                                               ("concept", "sdxl_base_model_uri")])
def test_each_kind_trains_its_script_on_its_base(kind, setting):
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
    from api.ports import TrainingSpec
    from tests.aws.conftest import aws_settings

    base = f"s3://vitrine-models-test/base-models/{kind}/"
    settings = aws_settings(**{setting: base})
    spec = TrainingSpec(kind=kind, job_id="sty_1", tenant="t1", input_prefix="t1/models/x/data/",
                        output_prefix="t1/models/x/", hyperparameters={"token": "sks"})
    request = SageMakerTrainingLauncher(settings=settings).request(spec)
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in request["InputDataConfig"]}
    assert channels == {"train": f"s3://{settings.uploads_bucket}/t1/models/x/data/",
                        "base": base}
    assert request["HyperParameters"]["sagemaker_program"] == f"{kind}/train.py"
    assert {"Key": "vitrine:kind", "Value": kind} in request["Tags"]
