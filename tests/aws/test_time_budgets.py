"""Time budgets on the aws profile, through the Lambdas under moto: the API's model calls
end before API Gateway's 29 s, the worker never starts a job it has no time for, and a
job whose message reaches the dead-letter queue ends ``failed`` (issue 15, item 7)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from api.adapters.aws import budgets, clients
from tests.aws.flow_support import CTX, Stack, response_json
from tests.aws.lambdas_env import FakeContext, api_event, b64, png, sqs_event


@dataclass
class ShortContext(FakeContext):
    remaining_ms: int = 300_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def stack(aws, monkeypatch):
    built = Stack(aws, monkeypatch)
    yield built
    built.comprehend.deactivate()
    built.rekognition.deactivate()


def test_api_model_calls_fit_api_gateway(stack, monkeypatch):
    """Whatever the settings say (60 s, 3 attempts here), a model call made for an API
    request is cut to end 3 s before API Gateway gives up, counted from the request."""
    seen = []
    real = clients.sagemaker_runtime

    def spy(settings):
        client = real(settings)
        seen.append((clients.remaining_seconds(), client.meta.config.read_timeout,
                     client.meta.config.retries["total_max_attempts"]))  # fmt: skip
        return client

    monkeypatch.setattr(clients, "sagemaker_runtime", spy)
    stack.text_is_clean()
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"]}
    stack.api(api_event("apigw_api_key_post_try_on", "POST", "/v1/segmentations", body), CTX)

    (left, read, attempts), *_ = seen
    assert left is not None and left <= budgets.API_GATEWAY_TIMEOUT_SECONDS - 3
    connect = stack.settings.aws_connect_timeout_seconds
    assert attempts * (connect + read) + budgets.backoff_seconds(attempts) <= left + 1


def test_the_worker_defers_a_job_it_has_no_time_for(stack):
    stack.text_is_clean()
    job_id = response_json(stack.post_try_on("apigw_api_key_post_try_on"))["id"]
    messages = stack.take_messages()

    batch = stack.worker(sqs_event(messages), ShortContext(remaining_ms=20_000))

    # Not started: SQS redelivers it later; the job is still queued, not failed.
    assert batch == {"batchItemFailures": [{"itemIdentifier": messages[0]["MessageId"]}]}
    job = response_json(stack.get_job("apigw_api_key_get_job", job_id))
    assert job["status"] == "queued"


def test_a_dead_lettered_job_ends_failed_and_notifies(stack):
    """Given a job whose message failed every receive, when the DLQ consumer gets it,
    then the job is failed with a retry-later reason and its webhook fires."""
    from lambdas import dead_jobs

    stack.text_is_clean()
    job_id = response_json(stack.post_try_on(
        "apigw_api_key_post_try_on", callback_url="https://hooks.example.com/v"))["id"]
    messages = stack.take_messages()

    batch = dead_jobs.handler(sqs_event(messages), CTX)

    assert batch == {"batchItemFailures": []}
    job = response_json(stack.get_job("apigw_api_key_get_job", job_id))
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/service-unavailable")
    assert stack.webhooks == [("https://hooks.example.com/v", "job.failed")]

    # A second delivery (SQS is at least once) changes nothing and sends nothing.
    assert dead_jobs.handler(sqs_event(messages), CTX) == {"batchItemFailures": []}
    assert len(stack.webhooks) == 1


def test_an_unreadable_dead_letter_is_dropped_not_retried_forever(stack):
    from lambdas import dead_jobs

    event = sqs_event([{"MessageId": "m-1", "ReceiptHandle": "r", "Body": "not json",
                        "MD5OfBody": "x", "Attributes": {}}])  # fmt: skip
    assert dead_jobs.handler(event, CTX) == {"batchItemFailures": []}


def test_elapsed_time_is_read_from_api_gateways_request_time():
    from lambdas.api_handler import elapsed_seconds

    event = {"requestContext": {"requestTimeEpoch": 1_000_000_000_000}}
    assert elapsed_seconds(event, now=1_000_000_004.5) == pytest.approx(4.5)
    assert elapsed_seconds(event, now=1_000_000_100.0) == 0.0  # replayed or skewed: unknown
    assert elapsed_seconds({}, now=1.0) == 0.0
