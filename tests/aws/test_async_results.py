"""Async inference notifications and training state changes → the core's outcome messages.

Real-shaped events (our payloads in Powertools' captured envelopes) are parsed first, so
each test runs the path a Lambda runs: event → parser → outcome.
"""

from __future__ import annotations

import json
from dataclasses import replace

import boto3
import pytest
from botocore.stub import Stubber

from api.adapters.aws import clients
from api.adapters.aws.async_results import (
    NO_ARTIFACTS,
    NO_OUTPUT,
    AsyncResultReader,
    training_outcome,
)
from api.adapters.aws.events import parse_async_notifications, parse_training_event
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher, training_job_name
from api.domain import errors as e
from api.domain.jobs import JobKind
from api.domain.outcomes import JobFailed, JobRef, JobStarted, OutputReady, TrainingFinished
from api.ports import TrainingSpec
from tests.aws.captured_events import in_eventbridge, in_sns, payload, training_detail
from tests.aws.conftest import REGION
from tests.aws.faults import Fault

PREFIX = "async-inputs/"
# The kind says which jobs a source can finish: async results try-ons, training events
# trainings; an SQS reference names any job.
OURS = JobRef(tenant="k7x2q9ab3c", job_id="job_REPLACEME", kind=JobKind.TRY_ON)
TRAINING = replace(OURS, kind=JobKind.AVATAR_TRAINING)
QUEUED = replace(OURS, kind=None)
SLOW_DOWN = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
XML = {"Content-Type": "application/xml"}
OUTPUT = {"images": ["aGk="], "seed": 7, "width": 32, "height": 32}


@pytest.fixture
def results(aws):
    return S3ObjectStore(aws.results_bucket, settings=aws)


def stored(aws, key: str, body: bytes) -> str:
    boto3.client("s3", region_name=REGION).put_object(
        Bucket=aws.results_bucket, Key=key, Body=body)
    return f"s3://{aws.results_bucket}/{key}"


def notification(name: str, **response_parameters):
    message = payload(name)
    if response_parameters:
        message["responseParameters"] = {
            **(message.get("responseParameters") or {}), **response_parameters}
    (parsed,) = parse_async_notifications(in_sns(message), async_input_prefix=PREFIX)
    return parsed


# --- async inference ---------------------------------------------------------------------------


def test_a_success_reads_and_decodes_the_output(aws, results):
    location = stored(aws, "async-outputs/out-1.out", json.dumps(OUTPUT).encode())
    n = notification("sagemaker_async_success", outputLocation=location)

    outcome = AsyncResultReader(results).to_outcome(n)

    assert outcome == OutputReady(job=OURS, output=OUTPUT, location=location)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (None, "the async output is missing"),
        (b"<html>oops</html>", "The model returned a response that is not JSON"),
        (b"[1, 2]", "The model returned JSON that is not an object"),
    ],
    ids=["missing", "not-json", "not-an-object"],
)
def test_an_unreadable_output_fails_the_job_as_a_model_error(aws, results, body, detail):
    location = f"s3://{aws.results_bucket}/async-outputs/out-2.out"
    if body is not None:
        stored(aws, "async-outputs/out-2.out", body)
    n = notification("sagemaker_async_success", outputLocation=location)

    outcome = AsyncResultReader(results).to_outcome(n)

    assert isinstance(outcome, JobFailed) and outcome.job == OURS
    assert (outcome.error.type, outcome.error.detail) == ("model-error", detail)


def test_a_success_without_an_output_location_fails_the_job(results):
    n = notification("sagemaker_async_success", outputLocation=None)
    outcome = AsyncResultReader(results).to_outcome(n)
    assert outcome.error.type == "model-error" and outcome.error.detail == NO_OUTPUT


def test_a_throttled_read_raises_so_the_notification_is_delivered_again(
    aws, results, no_backoff
):
    location = stored(aws, "async-outputs/out-3.out", json.dumps(OUTPUT).encode())
    n = notification("sagemaker_async_success", outputLocation=location)
    Fault(clients.s3(aws), "GetObject", status=503, times=99, headers=XML, body=SLOW_DOWN)

    with pytest.raises(e.DependencyUnavailable):
        AsyncResultReader(results).to_outcome(n)


def test_a_container_4xx_shows_the_containers_own_message(aws, results):
    # Given the container refused the input with its error body at the failure location
    body = {"error": {"type": "invalid-input", "message": "no person found in the photo"}}
    location = stored(aws, "async-failures/f-1-error.out", json.dumps(body).encode())
    n = notification("sagemaker_async_failure_4xx", failureLocation=location)

    outcome = AsyncResultReader(results).to_outcome(n)

    assert isinstance(outcome, JobFailed) and outcome.job == OURS
    assert outcome.error.type == "model-input-rejected"
    assert outcome.error.detail == "no person found in the photo"


def test_the_failure_location_recorded_at_submission_is_used_when_given(aws, results):
    body = {"error": {"type": "invalid-input", "message": "the garment prompt is empty"}}
    recorded = stored(aws, "async-failures/recorded-error.out", json.dumps(body).encode())
    n = notification("sagemaker_async_failure_4xx")  # its own failureLocation is absent in S3

    outcome = AsyncResultReader(results).to_outcome(n, failure_location=recorded)

    assert outcome.error.detail == "the garment prompt is empty"


def test_a_4xx_without_a_readable_failure_body_still_says_the_input_was_rejected(results):
    outcome = AsyncResultReader(results).to_outcome(notification("sagemaker_async_failure_4xx"))
    assert outcome.error.type == "model-input-rejected"
    assert outcome.error.detail == "The try-on model rejected the input"


def test_a_container_5xx_never_shows_the_container_text(aws, results):
    body = b'Traceback (most recent call last):\n  File "/opt/ml/secret.py" ... CUDA OOM'
    location = stored(aws, "async-failures/f-5-error.out", body)
    n = notification("sagemaker_async_failure_5xx", failureLocation=location)

    outcome = AsyncResultReader(results).to_outcome(n)

    assert outcome.error.type == "model-error"
    assert outcome.error.detail == "The try-on model failed (status 500)"
    assert "Traceback" not in outcome.error.title + outcome.error.detail


def test_a_failure_without_a_status_is_a_generic_model_error(results):
    message = payload("sagemaker_async_failure_5xx",
                      failureReason="InternalServerError: the request timed out")
    (n,) = parse_async_notifications(in_sns(message), async_input_prefix=PREFIX)

    outcome = AsyncResultReader(results).to_outcome(n)

    assert (outcome.error.type, outcome.error.detail) == ("model-error", "The try-on model failed")


# --- training ------------------------------------------------------------------------------------


def never(name: str) -> str | None:
    raise AssertionError(f"DescribeTrainingJob called for {name}")


def change(status: str = "Completed", **detail_changes):
    name = "eventbridge_training_failed" if status == "Failed" else "eventbridge_training_completed"
    detail = training_detail(name, TrainingJobStatus=status, **detail_changes)
    return parse_training_event(in_eventbridge(detail))


def test_training_states_become_outcomes():
    assert training_outcome(change("InProgress"), describe=never) == JobStarted(job=TRAINING)
    assert training_outcome(change("Stopping"), describe=never) is None

    failed = training_outcome(change("Failed"), describe=never)
    assert isinstance(failed, JobFailed) and failed.error.type == "model-error"
    # SageMaker's category prefix is not the client's business; the reason is
    assert failed.error.detail.startswith("Training failed: photo set rejected")
    stopped = training_outcome(change("Stopped", FailureReason=None), describe=never)
    assert stopped.error.detail == "Training stopped: training stopped"

    completed = change()
    assert training_outcome(completed, describe=never) == TrainingFinished(
        job=TRAINING, artifacts=completed.model_artifacts,
        training_job="vitrine-avatar-job-REPLACEME-0a1b2c3d")


def test_completed_without_model_artifacts_asks_describe_training_job(aws):
    # Given a training job launched on (moto's) SageMaker, which completes it
    launcher = SageMakerTrainingLauncher(settings=aws)
    launcher.launch(TrainingSpec(
        kind="avatar", job_id=OURS.job_id, tenant=OURS.tenant,
        input_prefix=f"{OURS.tenant}/avatars/{OURS.job_id}/photos/",
        output_prefix=f"{OURS.tenant}/avatars/{OURS.job_id}/training/",
        hyperparameters={"max_train_steps": "400"}))
    name = training_job_name("avatar", OURS.job_id)
    described = boto3.client("sagemaker", region_name=REGION).describe_training_job(
        TrainingJobName=name)["ModelArtifacts"]["S3ModelArtifacts"]
    # And its state change arrives without ModelArtifacts
    event = in_eventbridge(training_detail(TrainingJobName=name))
    del event["detail"]["ModelArtifacts"]

    outcome = training_outcome(parse_training_event(event), describe=launcher.model_artifacts)

    # Then the job finishes with the artifacts SageMaker describes
    assert outcome == TrainingFinished(job=TRAINING, artifacts=described, training_job=name)


def stubbed_launcher(aws) -> tuple[SageMakerTrainingLauncher, Stubber]:
    client = boto3.client("sagemaker", region_name=REGION)
    return SageMakerTrainingLauncher(settings=aws, client=client), Stubber(client)


def test_only_when_describe_has_no_artifacts_either_does_the_job_fail(aws):
    launcher, stub = stubbed_launcher(aws)
    stub.add_response("describe_training_job", {
        "TrainingJobName": "vitrine-avatar-job-REPLACEME-0a1b2c3d",
        "TrainingJobArn": "arn:aws:sagemaker:eu-west-1:123456789012:training-job/x",
        "TrainingJobStatus": "Completed", "SecondaryStatus": "Completed",
        "ModelArtifacts": {"S3ModelArtifacts": ""},
        "AlgorithmSpecification": {"TrainingInputMode": "File"},
        "ResourceConfig": {"VolumeSizeInGB": 50},
        "StoppingCondition": {}, "CreationTime": 0,
    }, {"TrainingJobName": "vitrine-avatar-job-REPLACEME-0a1b2c3d"})
    stub.add_client_error("describe_training_job", "ValidationException",
                          "Requested resource not found.", 400)

    with stub:
        first = training_outcome(change(ModelArtifacts=None), describe=launcher.model_artifacts)
        unknown = training_outcome(change(ModelArtifacts=None), describe=launcher.model_artifacts)

    assert isinstance(first, JobFailed) and first.error.detail == NO_ARTIFACTS
    assert isinstance(unknown, JobFailed) and unknown.error.detail == NO_ARTIFACTS


def test_a_throttled_describe_raises_so_the_event_is_delivered_again(aws):
    launcher, stub = stubbed_launcher(aws)
    stub.add_client_error("describe_training_job", "ThrottlingException", "Rate exceeded", 400)
    with stub, pytest.raises(e.DependencyUnavailable):
        training_outcome(change(ModelArtifacts=None), describe=launcher.model_artifacts)
