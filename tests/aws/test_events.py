"""Parsing the AWS events the Lambdas receive, with Powertools' parser.

Our SageMaker payloads are put into envelopes captured by Powertools
(``tests/events/powertools_*.json``), so the envelope is exactly what AWS delivers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.parser import ValidationError

from api.adapters.aws.events import (
    JobMessageRecord,
    parse_async_notifications,
    parse_job_messages,
    parse_training_event,
)
from api.domain.jobs import JobKind
from api.domain.outcomes import JobRef
from tests.aws.captured_events import in_eventbridge, in_sns, in_sqs, payload, training_detail
from tests.aws.events import load_event

PREFIX = "async-inputs/"
# The kind says which jobs a source can finish: async results try-ons, training events
# trainings; an SQS reference names any job.
OURS = JobRef(tenant="k7x2q9ab3c", job_id="job_REPLACEME", kind=JobKind.TRY_ON)
TRAINING = replace(OURS, kind=JobKind.AVATAR_TRAINING)
QUEUED = replace(OURS, kind=None)


def one(event: dict[str, Any]):
    (parsed,) = parse_async_notifications(event, async_input_prefix=PREFIX)
    return parsed


# --- SNS: async inference notifications ------------------------------------------------------


def test_a_success_notification_names_its_job_and_output():
    n = one(in_sns(payload("sagemaker_async_success")))

    assert n.job == OURS and n.succeeded is True
    assert n.output_location == (
        "s3://vitrine-results/async-outputs/9c1e0a4f-2b7d-4f7e-8c33-1f2a3b4c5d6e.out")
    assert (n.failure_location, n.failure_reason, n.model_status) == (None, "", None)


def test_a_failure_notification_carries_reason_status_and_failure_location():
    server = one(in_sns(payload("sagemaker_async_failure_5xx")))
    client = one(in_sns(payload("sagemaker_async_failure_4xx")))

    assert server.succeeded is False and server.model_status == 500
    assert "server error" in server.failure_reason and server.failure_location is None
    assert client.model_status == 422
    assert client.failure_location.endswith("-error.out")


def test_the_flow_tests_canned_sns_events_parse_the_same():
    success = one(load_event("sns_async_inference_success"))
    failure = one(load_event("sns_async_inference_failure"))

    assert success.job == failure.job == OURS
    assert (success.succeeded, failure.succeeded, failure.model_status) == (True, False, 500)


@pytest.mark.parametrize(
    "changes",
    [
        {"inferenceId": "job_someone_else"},  # forged: the id disagrees with the input key
        {"requestParameters": {"inputLocation": "s3://other/inputs/t/job_REPLACEME.json"}},
        {"requestParameters": {
            "inputLocation": "s3://vitrine-uploads/async-inputs/../x/job_REPLACEME.json"}},
        {"requestParameters": {  # not a valid tenant
            "inputLocation": "s3://vitrine-uploads/async-inputs/-bad tenant/job_REPLACEME.json"}},
        {"requestParameters": {  # not a request body we wrote
            "inputLocation": "s3://vitrine-uploads/async-inputs/k7x2q9ab3c/job_REPLACEME.bin"}},
        {"requestParameters": {"inputLocation": "https://x/async-inputs/k7x2q9ab3c/j.json"}},
        {"eventSource": "aws:s3"},
        {"invocationStatus": "InProgress"},
    ],
    ids=["forged-id", "other-prefix", "escaping-key", "bad-tenant", "not-json-input",
         "not-s3", "other-source", "not-final"],
)
def test_notifications_that_are_not_ours_parse_to_none(changes):
    assert one(in_sns(payload("sagemaker_async_success", **changes))) is None


def test_a_foreign_message_does_not_hide_the_others_in_the_event():
    # Given Powertools' captured SNS record as it is (plain text), between two of ours
    captured = load_event("powertools_snsEvent")["Records"][0]["Sns"]["Message"]
    event = in_sns(payload("sagemaker_async_success"), captured,
                   payload("sagemaker_async_failure_5xx"))

    parsed = parse_async_notifications(event, async_input_prefix=PREFIX)

    assert [p and p.succeeded for p in parsed] == [True, None, False]
    assert parse_async_notifications(
        load_event("powertools_snsEvent"), async_input_prefix=PREFIX) == [None]


def test_an_unreadable_notification_for_our_input_raises_for_retry():
    # Ours (input under our prefix) but without a status: retried, then the DLQ keeps it.
    broken = payload("sagemaker_async_success")
    del broken["invocationStatus"]
    with pytest.raises(ValidationError):
        parse_async_notifications(in_sns(broken), async_input_prefix=PREFIX)
    # The same defect on someone else's input is not ours: skipped.
    broken["requestParameters"]["inputLocation"] = "s3://other/inputs/t/j.json"
    assert parse_async_notifications(in_sns(broken), async_input_prefix=PREFIX) == [None]


def test_an_event_that_is_not_sns_raises():
    with pytest.raises(ValidationError):
        parse_async_notifications(load_event("powertools_sqsEvent"), async_input_prefix=PREFIX)


# --- EventBridge: training state changes -------------------------------------------------------


def test_training_events_are_read_from_the_tags():
    change = parse_training_event(in_eventbridge(training_detail()))

    assert (change.job, change.kind, change.status) == (TRAINING, "avatar", "Completed")
    assert change.training_job_name == "vitrine-avatar-job-REPLACEME-0a1b2c3d"
    assert change.model_artifacts.endswith("/output/model.tar.gz")
    failed = parse_training_event(load_event("eventbridge_training_failed"))
    assert failed.status == "Failed" and failed.model_artifacts is None
    assert failed.failure_reason.startswith("AlgorithmError")


def test_a_completed_event_without_model_artifacts_parses_with_none():
    detail = training_detail()
    del detail["ModelArtifacts"]
    assert parse_training_event(in_eventbridge(detail)).model_artifacts is None
    empty = parse_training_event(in_eventbridge(training_detail(ModelArtifacts={})))
    assert empty.model_artifacts is None


def test_tags_in_the_api_list_shape_are_accepted():
    tags = [{"Key": k, "Value": v} for k, v in training_detail()["Tags"].items()]
    assert parse_training_event(in_eventbridge(training_detail(Tags=tags))).job == TRAINING


@pytest.mark.parametrize(
    "event",
    [
        load_event("powertools_eventBridgeEvent"),  # EC2, as captured
        in_eventbridge(training_detail(), source="custom.forger"),  # only AWS emits aws.*
        in_eventbridge(training_detail(), detail_type="SageMaker Endpoint State Change"),
        in_eventbridge(training_detail(Tags={})),  # another team's untagged job
        in_eventbridge(training_detail(Tags={"vitrine:tenant": "k7x2q9ab3c"})),
        in_eventbridge(training_detail(Tags={"vitrine:tenant": "../x", "vitrine:job-id": "j"})),
        # a kind of run no job kind trains (it could otherwise finish an avatar's job)
        in_eventbridge(training_detail(Tags={**training_detail()["Tags"], "vitrine:kind": "x"})),
    ],
    ids=["ec2", "forged-source", "other-type", "untagged", "no-job-id", "bad-tenant",
         "unknown-run"],
)
def test_events_that_are_not_our_training_jobs_parse_to_none(event):
    assert parse_training_event(event) is None


def test_a_malformed_training_state_change_raises_for_retry():
    detail = training_detail()
    del detail["TrainingJobName"]
    with pytest.raises(ValidationError):
        parse_training_event(in_eventbridge(detail))
    with pytest.raises(ValidationError):  # not EventBridge at all
        parse_training_event(load_event("powertools_snsEvent"))


# --- SQS: job references -------------------------------------------------------------------------

REF = '{"v": 1, "tenant": "k7x2q9ab3c", "job_id": "job_REPLACEME", "kind": "try_on"}'


def test_job_messages_parse_from_the_sqs_batch():
    (message,) = parse_job_messages(load_event("sqs_job_batch"))
    assert (message.job, message.kind) == (QUEUED, "try_on")
    assert [m.job_id for m in parse_job_messages(in_sqs(REF, REF))] == ["job_REPLACEME"] * 2
    with pytest.raises(ValidationError):  # Powertools' captured bodies are not job refs
        parse_job_messages(load_event("powertools_sqsEvent"))


def test_a_poison_message_is_the_only_batch_item_failure_with_the_record_model():
    # Given a batch of a job reference, Powertools' captured text, and a wrong version
    event = in_sqs(REF, "Test message.", REF.replace('"v": 1', '"v": 2'))
    seen: list[JobRef] = []

    def run(record: JobMessageRecord) -> None:
        seen.append(record.body.job)

    processor = BatchProcessor(event_type=EventType.SQS, model=JobMessageRecord,
                               raise_on_entire_batch_failure=False)
    response = process_partial_response(event=event, record_handler=run, processor=processor)

    assert seen == [QUEUED]
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == [
        event["Records"][1]["messageId"], event["Records"][2]["messageId"]]


def test_canned_events_have_the_shapes_aws_sends():
    sqs = load_event("sqs_job_batch")["Records"][0]
    assert sqs.keys() == load_event("powertools_sqsEvent")["Records"][0].keys()
    for name in ("apigw_cognito_post_try_on", "apigw_api_key_post_try_on"):
        event = load_event(name)
        assert event["resource"] == "/{proxy+}" and event["requestContext"]["stage"] == "prod"
    captured = load_event("powertools_snsEvent")["Records"][0]
    for name in ("sns_async_inference_success", "sns_async_inference_failure"):
        record = load_event(name)["Records"][0]
        assert record.keys() == captured.keys()
        assert record["Sns"].keys() == captured["Sns"].keys()
        assert isinstance(record["Sns"]["Message"], str)
    for name in ("eventbridge_training_completed", "eventbridge_training_failed"):
        assert load_event(name).keys() <= load_event("powertools_eventBridgeEvent").keys()
