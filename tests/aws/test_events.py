"""Parsing the AWS events the Lambdas receive (canned, as AWS sends them)."""

from __future__ import annotations

import json

from api.adapters.aws.events import parse_async_result, parse_training_event, sns_messages
from tests.aws.events import load_event

PREFIX = "async-inputs/"


def async_message(name: str) -> dict:
    return sns_messages(load_event(name))[0][1]


def test_success_notification_names_tenant_job_and_output():
    result = parse_async_result(async_message("sns_async_inference_success"), PREFIX)
    assert (result.tenant, result.job_id, result.succeeded) == ("k7x2q9ab3c", "job_REPLACEME", True)
    assert result.output_location.startswith("s3://vitrine-results/async-outputs/")


def test_failure_notification_carries_the_reason_and_model_status():
    result = parse_async_result(async_message("sns_async_inference_failure"), PREFIX)
    assert result.succeeded is False
    assert result.model_status == 500
    assert "server error" in result.failure_reason


def test_notifications_that_do_not_match_their_job_are_refused():
    forged = async_message("sns_async_inference_success")
    forged["inferenceId"] = "job_someone_else"
    assert parse_async_result(forged, PREFIX) is None
    foreign = async_message("sns_async_inference_success")
    foreign["requestParameters"]["inputLocation"] = "s3://other/inputs/t/job_REPLACEME.json"
    assert parse_async_result(foreign, PREFIX) is None
    escaping = async_message("sns_async_inference_success")
    escaping["requestParameters"]["inputLocation"] = (
        "s3://vitrine-uploads/async-inputs/../x/job_REPLACEME.json"
    )
    assert parse_async_result(escaping, PREFIX) is None


def test_training_events_are_read_from_the_tags():
    change = parse_training_event(load_event("eventbridge_training_completed"))
    assert (change.tenant, change.job_id, change.kind, change.status) == (
        "k7x2q9ab3c", "job_REPLACEME", "avatar", "Completed"
    )
    assert change.model_artifacts.endswith("/output/model.tar.gz")
    failed = parse_training_event(load_event("eventbridge_training_failed"))
    assert failed.status == "Failed" and failed.model_artifacts is None
    assert failed.failure_reason.startswith("AlgorithmError")


def test_canned_events_have_the_shapes_aws_sends():
    sqs = load_event("sqs_job_batch")["Records"][0]
    assert sqs["eventSource"] == "aws:sqs" and json.loads(sqs["body"])["v"] == 1
    for name in ("apigw_cognito_post_try_on", "apigw_api_key_post_try_on"):
        event = load_event(name)
        assert event["resource"] == "/{proxy+}" and event["requestContext"]["stage"] == "prod"
    sns = load_event("sns_async_inference_success")["Records"][0]
    assert sns["EventSource"] == "aws:sns" and isinstance(sns["Sns"]["Message"], str)
