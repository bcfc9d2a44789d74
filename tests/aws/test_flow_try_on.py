"""The try-on flow on the aws profile, end to end under moto, through the Lambdas.

API POST (canned API Gateway event) → SQS → worker Lambda (segmentation + async
submit) → SNS success event → async-results Lambda → job succeeded, presigned URLs.
Rekognition and Comprehend, which moto lacks, answer through botocore Stubbers
attached to the very clients the adapters use (the cached ones).
"""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest
import requests

from api.adapters.aws import clients
from api.adapters.aws.dynamo import iso
from api.domain.jobs import JobStatus
from tests.aws.conftest import REGION, queue_endpoint_results
from tests.aws.events import load_event
from tests.aws.faults import model_error, throttle
from tests.aws.flow_support import API_KEY_ID, COGNITO_SUB, CTX, Stack, submission
from tests.aws.lambdas_env import (
    api_event,
    b64,
    header,
    mask_png,
    png,
    response_json,
    sns_async_event,
    sqs_event,
)


@pytest.fixture
def stack(aws, monkeypatch):
    built = Stack(aws, monkeypatch)
    yield built
    built.comprehend.deactivate()
    built.rekognition.deactivate()


def test_try_on_flow_from_api_to_presigned_results(stack):
    # Given a signed-in shopper (Cognito) posting a try-on with a callback
    stack.text_is_clean()
    created = stack.post_try_on("apigw_cognito_post_try_on",
                                callback_url="https://hooks.example.com/vitrine")
    assert created["statusCode"] == 202, created["body"]
    job_id = response_json(created)["id"]
    assert header(created, "location") == f"/v1/jobs/{job_id}"

    # When the worker takes the SQS message: CLIPSeg masks, the async endpoint is invoked
    messages = stack.take_messages()
    assert [json.loads(m["Body"])["job_id"] for m in messages] == [job_id]
    first, second = png(color=(10, 200, 10)), png(color=(10, 10, 200))
    stack.model_answers(images=[first, second])
    batch = stack.worker(sqs_event(messages), CTX)
    assert batch == {"batchItemFailures": []}
    running = stack.job_record(COGNITO_SUB, job_id)
    assert running.status.value == "running"
    assert submission(running).input_location.endswith(f"async-inputs/{COGNITO_SUB}/{job_id}.json")

    # A redelivered SQS message before the output arrives submits nothing twice
    submissions = stack.count_calls("InvokeEndpointAsync")
    assert stack.worker(sqs_event(messages), CTX) == {"batchItemFailures": []}
    assert submissions == []

    # And SageMaker announces the output on the success topic
    stack.images_are_clean(times=2)
    event = sns_async_event("sns_async_inference_success", job_id=job_id,
                            input_location=submission(running).input_location,
                            output=submission(running).output_location)
    assert stack.async_results(event, CTX) == {"outcomes": ["succeeded"]}

    # Then the job succeeded, with presigned URLs that serve the generated images
    fetched = stack.get_job("apigw_cognito_post_try_on", job_id)
    assert fetched["statusCode"] == 200
    job = response_json(fetched)
    assert job["status"] == "succeeded"
    urls = [image["url"] for image in job["result"]["images"]]
    assert all("X-Amz-Signature=" in url for url in urls)
    assert [requests.get(url, timeout=5).content for url in urls] == [first, second]
    assert requests.get(job["result"]["mask"]["url"], timeout=5).content == mask_png()
    assert stack.webhooks == [("https://hooks.example.com/vitrine", "job.succeeded")]
    # The async request body (the shopper's photo) is gone once the job has ended.
    _, _, input_key = submission(running).input_location.removeprefix("s3://").partition("/")
    listed = boto3.client("s3", region_name=REGION).list_objects_v2(
        Bucket=stack.settings.uploads_bucket, Prefix=input_key
    )
    assert listed["KeyCount"] == 0

    # And a duplicate SNS delivery and a duplicate SQS delivery change nothing
    assert stack.async_results(event, CTX) == {"outcomes": ["duplicate"]}
    assert stack.worker(sqs_event(messages), CTX) == {"batchItemFailures": []}
    assert stack.job_record(COGNITO_SUB, job_id).status.value == "succeeded"
    assert len(stack.webhooks) == 1
    stack.finish()


def test_presigned_upload_then_segmentation_by_upload_id(stack):
    # Given a partner that uploads a photo straight to S3 through a presigned PUT
    photo = png((48, 40))
    announced = stack.api(api_event("apigw_api_key_post_try_on", "POST", "/v1/uploads",
                                    {"content_type": "image/png", "size_bytes": len(photo)}), CTX)
    assert announced["statusCode"] in (200, 201), announced["body"]
    upload = response_json(announced)
    put = requests.put(upload["upload"]["url"], data=photo,
                       headers=upload["upload"]["headers"], timeout=5)
    assert put.status_code == 200

    # When it asks for a segmentation of that upload (CLIPSeg answers in real time)
    stack.text_is_clean()
    queue_endpoint_results(json.dumps({"width": 48, "height": 40, "masks": [
        {"prompt": "shirt", "mask": b64(mask_png((48, 40))), "coverage": 0.4}]}))
    response = stack.api(api_event("apigw_api_key_post_try_on", "POST", "/v1/segmentations",
                                   {"image": {"upload_id": upload["upload_id"]},
                                    "prompts": ["shirt"]}), CTX)

    # Then the mask comes back as a presigned URL in the partner's own key space
    assert response["statusCode"] == 200, response["body"]
    mask = response_json(response)["masks"][0]
    assert f"/{API_KEY_ID}/" in mask["url"] and "X-Amz-Signature=" in mask["url"]
    assert requests.get(mask["url"], timeout=5).content == mask_png((48, 40))
    stack.finish()


def test_another_tenants_job_is_404_on_both_auth_paths(stack):
    stack.text_is_clean(times=2)
    by_user = response_json(stack.post_try_on("apigw_cognito_post_try_on"))["id"]
    by_partner = response_json(stack.post_try_on("apigw_api_key_post_try_on"))["id"]

    partner_reads_user_job = stack.get_job("apigw_api_key_get_job", by_user)
    user_reads_partner_job = stack.get_job("apigw_cognito_post_try_on", by_partner)

    for response in (partner_reads_user_job, user_reads_partner_job):
        assert response["statusCode"] == 404
        assert response_json(response)["type"].endswith("/not-found")
    assert stack.get_job("apigw_api_key_get_job", by_partner)["statusCode"] == 200
    assert stack.get_job("apigw_cognito_post_try_on", by_user)["statusCode"] == 200
    stack.finish()


def test_client_headers_alone_get_401_on_aws(stack):
    event = api_event("apigw_api_key_post_try_on", "GET", "/v1/jobs/job_x")
    event["requestContext"]["identity"].update(apiKey=None, apiKeyId=None)
    event["headers"]["x-tenant"] = API_KEY_ID
    event["multiValueHeaders"]["x-tenant"] = [API_KEY_ID]

    response = stack.api(event, CTX)

    assert response["statusCode"] == 401
    assert response_json(response)["type"].endswith("/unauthorized")


def test_problem_json_reaches_api_gateway_as_text_not_base64(stack):
    # API Gateway passes a base64 body through undecoded unless binary media types are
    # configured: problem+json must leave the Lambda as plain text.
    response = stack.get_job("apigw_api_key_get_job", "job_missing")

    assert response["statusCode"] == 404
    assert response["isBase64Encoded"] is False
    assert json.loads(response["body"])["status"] == 404


def test_async_failure_notification_fails_the_job_with_the_reason(stack):
    stack.text_is_clean()
    job_id = response_json(stack.post_try_on("apigw_api_key_post_try_on"))["id"]
    stack.model_answers(images=[png()])
    stack.worker(sqs_event(stack.take_messages()), CTX)
    running = stack.job_record(API_KEY_ID, job_id)

    event = sns_async_event("sns_async_inference_failure", job_id=job_id,
                            input_location=submission(running).input_location, output=None)
    assert stack.async_results(event, CTX) == {"outcomes": ["failed"]}
    assert stack.async_results(event, CTX) == {"outcomes": ["duplicate"]}

    job = response_json(stack.get_job("apigw_api_key_get_job", job_id))
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/model-error")
    assert "500" in job["error"]["detail"]
    stack.finish()


def test_a_notification_for_another_endpoints_input_is_ignored(stack):
    event = sns_async_event("sns_async_inference_success", job_id="job_x",
                            input_location="s3://elsewhere/other-prefix/t/job_x.json",
                            output="s3://elsewhere/o.out")
    assert stack.async_results(event, CTX) == {"outcomes": ["ignored"]}


def test_flagged_outputs_are_withheld_not_served(stack):
    stack.text_is_clean()
    job_id = response_json(stack.post_try_on("apigw_api_key_post_try_on", n=1))["id"]
    stack.model_answers(images=[png()])
    stack.worker(sqs_event(stack.take_messages()), CTX)
    running = stack.job_record(API_KEY_ID, job_id)
    stack.images_are_clean(flagged="Explicit Nudity")

    stack.async_results(sns_async_event(
        "sns_async_inference_success", job_id=job_id,
        input_location=submission(running).input_location,
        output=submission(running).output_location), CTX)

    result = response_json(stack.get_job("apigw_api_key_get_job", job_id))["result"]
    assert result["images"] == []
    assert result["withheld"] == [{"index": 0, "reasons": ["Explicit Nudity"]}]
    stack.finish()


# --- faults ----------------------------------------------------------------------------


def test_persistent_model_throttling_fails_the_job_with_the_reason(stack, no_backoff):
    stack.text_is_clean()
    job_id = response_json(stack.post_try_on("apigw_api_key_post_try_on"))["id"]
    fault = throttle(clients.sagemaker_runtime(stack.settings), "InvokeEndpoint", times=99)

    batch = stack.worker(sqs_event(stack.take_messages()), CTX)

    # The message is done (the job's failure is recorded), so SQS does not retry it.
    assert batch == {"batchItemFailures": []}
    assert fault.calls == stack.settings.model_max_attempts
    job = response_json(stack.get_job("apigw_api_key_get_job", job_id))
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/service-unavailable")
    assert "throttling" in job["error"]["detail"]
    stack.finish()


def test_persistent_dynamodb_throttling_is_a_clear_503_problem(stack, no_backoff):
    throttle(clients.dynamodb(stack.settings), "PutItem", times=99)

    response = stack.api(api_event(
        "apigw_api_key_post_try_on", "POST", "/v1/try-ons",
        {"image": {"base64": b64(png())}, "garment_prompt": "a shirt"}, idempotency_key="k-1",
    ), CTX)

    assert response["statusCode"] == 503
    assert header(response, "content-type") == "application/problem+json"
    problem = response_json(response)
    assert problem["type"].endswith("/service-unavailable") and problem["status"] == 503


def test_throttled_then_ok_succeeds_for_the_client(stack, no_backoff):
    stack.text_is_clean()
    fault = throttle(clients.dynamodb(stack.settings), "PutItem", times=2)

    response = stack.post_try_on("apigw_api_key_post_try_on")

    assert response["statusCode"] == 202
    assert fault.calls >= 3
    stack.finish()


def test_model_error_on_a_sync_route_is_a_502_problem(stack):
    stack.text_is_clean()
    model_error(clients.sagemaker_runtime(stack.settings), original_status=500,
                original_message="CUDA out of memory")

    response = stack.api(api_event(
        "apigw_api_key_post_try_on", "POST", "/v1/segmentations",
        {"image": {"base64": b64(png())}, "prompts": ["shirt"]},
    ), CTX)

    assert response["statusCode"] == 502
    problem = response_json(response)
    assert problem["type"].endswith("/model-error")
    assert "CUDA" not in problem["detail"]


def test_a_running_job_without_a_submission_runs_again(stack):
    # Given a job whose worker died after marking it running, before submitting it
    stack.text_is_clean()
    job_id = response_json(stack.post_try_on("apigw_api_key_post_try_on"))["id"]
    from lambdas._root import root

    root().adapters.jobs.transition(API_KEY_ID, job_id, JobStatus.RUNNING)
    stack.model_answers(images=[png()])
    submissions = stack.count_calls("InvokeEndpointAsync")

    # When SQS redelivers its message, the job runs (and is submitted) once more
    assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}
    assert submissions == ["InvokeEndpointAsync"]
    assert submission(stack.job_record(API_KEY_ID, job_id)).inference_id == job_id
    stack.finish()


def test_a_poison_message_is_the_only_batch_failure(stack):
    stack.text_is_clean()
    response_json(stack.post_try_on("apigw_api_key_post_try_on"))
    good = stack.take_messages()
    stack.model_answers(images=[png()])
    poison = {"MessageId": "poison-1", "ReceiptHandle": "rh", "Body": "{not json"}

    batch = stack.worker(sqs_event([poison, *good]), CTX)

    assert batch == {"batchItemFailures": [{"itemIdentifier": "poison-1"}]}
    stack.finish()


def test_garment_photo_try_on_delivers_webp_and_variants_on_aws(stack):
    # Given a partner posting a try-on with a garment photo, WebP output and a thumbnail
    stack.text_is_clean()
    garment = png((24, 32), color=(20, 40, 200))
    created = stack.post_try_on("apigw_api_key_post_try_on", n=1,
                                garment_image={"base64": b64(garment)}, category="tops",
                                format="webp", quality=80, variants=["thumbnail"])
    assert created["statusCode"] == 202, created["body"]
    job_id = response_json(created)["id"]

    # When the worker submits it, the async request in S3 carries the garment photo
    blend = png(color=(128, 128, 128))  # not CLIPSeg's mask: the container's blend weight
    assert blend != mask_png()
    stack.model_answers(images=[png(color=(10, 200, 10))], mask=blend)
    assert stack.worker(sqs_event(stack.take_messages()), CTX) == {"batchItemFailures": []}
    running = stack.job_record(API_KEY_ID, job_id)
    bucket, _, key = submission(running).input_location.removeprefix("s3://").partition("/")
    sent = json.loads(boto3.client("s3", region_name=REGION).get_object(
        Bucket=bucket, Key=key)["Body"].read())
    assert sent["garment_image"] == b64(garment) and sent["garment_strength"] == 0.7
    assert sent["prompt"] == "a red linen shirt"

    # And the output arrives through SNS and the async-results Lambda
    stack.images_are_clean()
    event = sns_async_event("sns_async_inference_success", job_id=job_id,
                            input_location=submission(running).input_location,
                            output=submission(running).output_location)
    assert stack.async_results(event, CTX) == {"outcomes": ["succeeded"]}

    # Then the image and its thumbnail are WebP behind their own presigned URLs
    result = response_json(stack.get_job("apigw_api_key_get_job", job_id))["result"]
    assert result["format"] == "webp"
    (image,) = result["images"]
    thumbnail = image["variants"]["thumbnail"]
    for url in (image["url"], thumbnail["url"]):
        got = requests.get(url, timeout=5)
        assert "X-Amz-Signature=" in url and got.content[8:12] == b"WEBP"
        assert got.headers["content-type"] == "image/webp"
    assert image["url"] != thumbnail["url"]
    # The mask shown is the one the container blended through.
    assert requests.get(result["mask"]["url"], timeout=5).content == blend
    stack.finish()


def test_a_try_on_whose_notification_never_arrives_fails_after_the_timeout(stack):
    """Given a try-on handed to the async endpoint whose SNS notification is lost, when
    the scheduled hand-off sweep runs past the timeout, then the job fails (model-timeout)
    and its webhook fires; a late notification then changes nothing."""
    from lambdas import handoff_timeouts

    stack.text_is_clean()
    job_id = response_json(stack.post_try_on(
        "apigw_cognito_post_try_on", callback_url="https://hooks.example.com/v"))["id"]
    stack.model_answers(images=[png(), png()])
    stack.worker(sqs_event(stack.take_messages()), CTX)
    running = stack.job_record(COGNITO_SUB, job_id)
    assert running.status is JobStatus.RUNNING
    schedule = load_event("eventbridge_scheduled")

    # Not yet: the job was handed off just now
    assert handoff_timeouts.handler(schedule, CTX) == {"timed_out": []}

    # Time passes (the job's last move, in its record and in the index, is made older)
    older = (running.updated_at - timedelta(seconds=stack.settings.handoff_timeout_seconds + 60))
    boto3.client("dynamodb", region_name=REGION).update_item(
        TableName=stack.settings.jobs_table,
        Key={"pk": {"S": f"TENANT#{COGNITO_SUB}"}, "sk": {"S": f"JOB#{job_id}"}},
        UpdateExpression="SET gsi2sk = :sk, updated_at = :at",
        ExpressionAttributeValues={":sk": {"S": f"{iso(older)}#{COGNITO_SUB}#{job_id}"},
                                   ":at": {"S": iso(older)}},
    )
    assert handoff_timeouts.handler(schedule, CTX) == {"timed_out": [job_id]}

    job = response_json(stack.get_job("apigw_cognito_post_try_on", job_id))
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/model-timeout")
    assert stack.webhooks == [("https://hooks.example.com/v", "job.failed")]
    # The failed job left the index: the next run finds nothing
    assert handoff_timeouts.handler(schedule, CTX) == {"timed_out": []}
    late = sns_async_event("sns_async_inference_success", job_id=job_id,
                           input_location=submission(running).input_location,
                           output=submission(running).output_location)
    assert stack.async_results(late, CTX) == {"outcomes": ["duplicate"]}
    assert len(stack.webhooks) == 1
