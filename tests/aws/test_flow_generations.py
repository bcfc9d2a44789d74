"""The generation flow on the aws profile, end to end under moto, through the Lambdas.

API POST with a tenant model in ``adapters`` → SQS → worker Lambda (async submit to the
generation endpoint, the adapter's artifacts key in the request body) → SNS success →
async-results Lambda → job succeeded with presigned URLs (images and the control image).
Another tenant's model is 404 before any job exists.
"""

from __future__ import annotations

import json

import boto3
import pytest
import requests

from api.domain.jobs import Job, JobKind, JobStatus
from tests.aws.conftest import MOTO_API, REGION
from tests.aws.flow_support import API_KEY_ID, COGNITO_SUB, CTX, Stack, submission
from tests.aws.lambdas_env import api_event, b64, png, response_json, sns_async_event, sqs_event

PRODUCT_KIND = JobKind.PRODUCT_TRAINING
ARTIFACTS = "s3://vitrine-models-test/t/product/job/output/model.tar.gz"


@pytest.fixture
def stack(aws, monkeypatch):
    built = Stack(aws, monkeypatch)
    yield built
    built.comprehend.deactivate()
    built.rekognition.deactivate()


def product_model(tenant: str) -> str:
    from lambdas._root import root

    jobs = root().adapters.jobs
    job = Job.new(tenant=tenant, kind=PRODUCT_KIND, request={}, ttl_days=1)
    jobs.create(job)
    jobs.transition(tenant, job.id, JobStatus.RUNNING)
    jobs.transition(tenant, job.id, JobStatus.SUCCEEDED,
                    result={"kind": "product", "artifacts": ARTIFACTS, "base": "sdxl"})
    return job.id


def post(stack, template: str, body: dict) -> dict:
    return stack.api(api_event(template, "POST", "/v1/generations", body), CTX)


def test_generation_flow_with_a_tenant_model_and_a_control_photo(stack):
    model_id = product_model(COGNITO_SUB)
    stack.text_is_clean()
    created = post(stack, "apigw_cognito_post_try_on", {
        "prompt": "a linen dress", "n": 1, "seed": 9, "size": "portrait",
        "adapters": [{"model_id": model_id, "weight": 0.7}],
        "control": {"image": {"base64": b64(png())}, "type": "canny"}})
    assert created["statusCode"] == 202, created["body"]
    job_id = response_json(created)["id"]

    image, edges = png(color=(200, 10, 10)), png(color=(255, 255, 255))
    requests.post(f"{MOTO_API}/async-endpoint-results", timeout=5, json={
        "account_id": "123456789012", "region": REGION, "results": [{"data": json.dumps({
            "images": [b64(image)], "control_image": b64(edges), "seed": 9,
            "width": 32, "height": 32})}]}).raise_for_status()
    assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}
    running = stack.job_record(COGNITO_SUB, job_id)
    assert running.status is JobStatus.RUNNING
    # What the container gets: the adapter by its artifacts key, the control photo inline.
    bucket, _, key = submission(running).input_location.removeprefix("s3://").partition("/")
    sent = json.loads(boto3.client("s3", region_name=REGION).get_object(
        Bucket=bucket, Key=key)["Body"].read())
    assert sent["adapters"] == [{"key": "t/product/job/output/model.tar.gz", "type": "lora",
                                 "weight": 0.7, "token": None}]
    assert (sent["size"], sent["variant"], sent["control"]["type"]) == ("portrait", "base",
                                                                         "canny")

    stack.images_are_clean()
    event = sns_async_event("sns_async_inference_success", job_id=job_id,
                            input_location=submission(running).input_location,
                            output=submission(running).output_location)
    assert stack.async_results(event, CTX) == {"outcomes": ["succeeded"]}
    job = response_json(stack.get_job("apigw_cognito_post_try_on", job_id))
    assert (job["status"], job["kind"]) == ("succeeded", "generation")
    assert job["result"]["adapters"] == [model_id]
    assert requests.get(job["result"]["images"][0]["url"], timeout=5).content == image
    assert requests.get(job["result"]["control_image"]["url"], timeout=5).content == edges
    stack.finish()


def test_another_tenants_model_is_404_and_no_job_is_made(stack):
    theirs = product_model(API_KEY_ID)
    stack.text_is_clean()
    response = post(stack, "apigw_cognito_post_try_on",
                    {"prompt": "a dress", "adapters": [{"model_id": theirs}]})
    assert response["statusCode"] == 404
    assert response_json(response)["type"].endswith("/not-found")
    assert stack.take_messages() == []
