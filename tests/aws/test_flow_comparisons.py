"""Comparisons on the aws profile, through the Lambdas, under moto.

POST /v1/comparisons (three prompts, one flagged by Comprehend) → worker
(CreateTrainingJob: spec.json as ``train``, the SDXL/inpainting/CLIP bases, the tenant's
own artifacts as ``adapters``, comparison/run.py, network isolation off for the hosted
models) → EventBridge "Completed" → training-events Lambda (report.json and images out of
the output archive, each image through Rekognition, stored in results) → the grid with
presigned URLs → a rating → another tenant sees nothing → DELETE removes it all.
"""

from __future__ import annotations

import io
import json

import boto3
import pytest
from PIL import Image

from api.adapters.aws.sagemaker_training import training_job_name
from tests.aws.avatar_support import state_change, write_training_output
from tests.aws.conftest import REGION, aws_settings
from tests.aws.lambdas_env import FakeContext, api_event, response_json, sqs_event

CTX = FakeContext()
TENANT = "k7x2q9ab3c"  # the API key id in the canned partner event
TEMPLATE = "apigw_api_key_post_try_on"
OTHER = "apigw_cognito_post_try_on"


@pytest.fixture
def settings():
    return aws_settings(
        sdxl_base_model_uri="s3://vitrine-models-test/base-models/sdxl/",
        style_base_model_uri="s3://vitrine-models-test/base-models/sd2-inpainting/",
        clip_model_uri="s3://vitrine-models-test/base-models/clip/",
        clipseg_model_uri="s3://vitrine-models-test/base-models/clipseg/",
    )


def image(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (60 * n, 90, 120)).save(out, format="PNG")
    return out.getvalue()


def report(models: list[str]) -> dict:
    cells = [{"prompt": p, "model": m, "status": "succeeded", "image": f"images/p{p}-{m}.png",
              "seed": 42, "clip_score": 25.0 + p, "model_seconds": 1.0, "wall_seconds": 2.0,
              "cost_usd": 0.0004, "moderation": "passed", "error": None}
             for p in (0, 2) for m in models]
    cells += [{"prompt": 1, "model": m, "status": "blocked", "moderation": "blocked_prompt",
               "error": "flagged: SEXUAL"} for m in models]
    stats = {"mean": 1.0, "p50": 1.0, "p95": 1.0}
    return {"version": 1, "tiny_models": False, "seed": 42,
            "scorer": {"metric": "clip_score", "library": "torchmetrics 1.9.0", "model": "clip"},
            "prompts": [{"index": 0, "prompt": "a linen shirt"},
                        {"index": 1, "prompt": "something flagged", "blocked": "flagged: SEXUAL"},
                        {"index": 2, "prompt": "a scarf"}],
            "models": [{"name": m, "type": "sdxl", "label": m, "error": None} for m in models],
            "cells": cells,
            "summary": [{"model": m, "images": 2, "failed": 0, "clip_score": stats,
                         "model_seconds": stats, "wall_seconds": stats,
                         "cost_usd": {"per_image": 0.0004, "total": 0.0008},
                         "clip_win_rate": 0.5, "human_win_rate": None, "human_picks": 0}
                        for m in models],
            "ratings": {"raters": 0}}  # fmt: skip


def test_a_comparison_from_request_to_rated_and_deleted(aws, monkeypatch):
    from lambdas import training_events
    from tests.aws.flow_support import Stack

    stack = Stack(aws, monkeypatch)
    s3 = boto3.client("s3", region_name=REGION)
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    # Given a partner's comparison of two models over three prompts, the second flagged
    stack.text_is_clean()
    stack.comprehend.add_response("detect_toxic_content", {"ResultList": [
        {"Labels": [{"Name": "SEXUAL", "Score": 0.97}], "Toxicity": 0.97}]})
    stack.text_is_clean()
    created = stack.api(api_event(TEMPLATE, "POST", "/v1/comparisons", {
        "prompts": [{"prompt": "a linen shirt"}, {"prompt": "something flagged"},
                    {"prompt": "a scarf"}],
        "models": [{"name": "sdxl", "type": "sdxl"},
                   {"name": "nova", "type": "bedrock", "model_id": "amazon.nova-canvas-v1:0"}],
        "seed": 42}), CTX)
    assert created["statusCode"] == 202, created["body"]
    comparison_id = response_json(created)["id"]

    # When the worker starts comparison/run.py as a SageMaker training job
    assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}
    name = training_job_name("comparison", comparison_id)
    described = sagemaker.describe_training_job(TrainingJobName=name)
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in described["InputDataConfig"]}
    spec_prefix = f"{TENANT}/jobs/{comparison_id}/spec/"
    assert channels == {
        "train": f"s3://{aws.uploads_bucket}/{spec_prefix}",
        "base": aws.sdxl_base_model_uri,
        "inpainting": aws.style_base_model_uri,
        "clip": aws.clip_model_uri,
        "clipseg": aws.clipseg_model_uri,
        "adapters": f"s3://{aws.models_bucket}/{TENANT}/",
    }
    assert described["HyperParameters"]["sagemaker_program"] == "comparison/run.py"
    assert described["EnableNetworkIsolation"] is False
    assert described["ResourceConfig"]["InstanceType"] == aws.comparison_instance_type
    spec = json.loads(s3.get_object(Bucket=aws.uploads_bucket,
                                    Key=spec_prefix + "spec.json")["Body"].read())
    assert [(p["prompt"], p["blocked"]) for p in spec["prompts"]] == [
        ("a linen shirt", None), ("something flagged", "flagged: SEXUAL"), ("a scarf", None)]
    assert spec["models"][1] == {"name": "nova", "type": "bedrock",
                                 "model_id": "amazon.nova-canvas-v1:0",
                                 "price": {"usd_per_image": 0.04}}

    # And SageMaker reports it Completed with report.json and the images
    event = state_change(name)
    files = {"report.json": json.dumps(report(["sdxl", "nova"])).encode(),
             "contact-sheet.png": image(9)}
    files |= {f"images/p{p}-{m}.png": image(p) for p in (0, 2) for m in ("sdxl", "nova")}
    write_training_output(event, files)
    stack.images_are_clean(times=4)
    assert training_events.handler(event, CTX) == {"outcome": "succeeded"}

    # Then the comparison has the grid, the blocked row put back, presigned image URLs
    view = response_json(stack.api(api_event(TEMPLATE, "GET",
                                              f"/v1/comparisons/{comparison_id}"), CTX))
    assert view["status"] == "succeeded"
    cells = {(c["prompt"], c["model"]): c for c in view["result"]["cells"]}
    assert cells[1, "sdxl"]["status"] == "blocked"
    assert cells[2, "nova"]["status"] == "succeeded"
    url = cells[2, "nova"]["image"]
    assert f"/{TENANT}/jobs/{comparison_id}/images/p2-nova.png" in url and "Signature" in url
    assert s3.list_objects_v2(Bucket=aws.models_bucket,
                              Prefix=f"{TENANT}/comparisons/")["KeyCount"] == 0

    # And a rating sets the human win rates
    rated = stack.api(api_event(TEMPLATE, "POST", f"/v1/comparisons/{comparison_id}/ratings", {
        "rater": "alice", "picks": [{"prompt": 0, "model": "nova"}]}), CTX)
    assert rated["statusCode"] == 200, rated["body"]
    rates = {s["model"]: s["human_win_rate"] for s in response_json(rated)["result"]["summary"]}
    assert rates == {"sdxl": 0.0, "nova": 1.0}

    # Another tenant sees nothing; DELETE removes the images, ratings and inputs
    path = f"/v1/comparisons/{comparison_id}"
    assert stack.api(api_event(OTHER, "GET", path), CTX)["statusCode"] == 404
    assert stack.api(api_event(TEMPLATE, "DELETE", path), CTX)["statusCode"] == 204
    for bucket in (aws.results_bucket, aws.uploads_bucket):
        assert s3.list_objects_v2(Bucket=bucket, Prefix=f"{TENANT}/jobs/{comparison_id}/")[
            "KeyCount"] == 0
    stack.finish()


def test_a_comparison_without_its_model_channels_is_a_503_class_error():
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
    from api.domain import errors as e
    from api.ports import TrainingSpec

    run = TrainingSpec(kind="comparison", job_id="cmp_1", tenant="t1",
                       input_prefix="t1/jobs/cmp_1/spec/", output_prefix="t1/comparisons/cmp_1/",
                       hyperparameters={})
    launcher = SageMakerTrainingLauncher(settings=aws_settings(sdxl_base_model_uri="s3://m/b/"))
    with pytest.raises(e.DependencyUnavailable, match="inpainting, clip"):
        launcher.request(run)
