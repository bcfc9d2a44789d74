"""The AWS webhook outbox (issue 16) under moto: the event written with the terminal
transition in one conditional update, a sender Lambda driven by real-shaped SQS events
(Powertools' captured envelope), growing SQS delays, bounded attempts, a visible
failure, the sweep for lost messages; per-tenant secrets sealed with KMS. Deliveries are
verified with the ``standardwebhooks`` library, as a receiver would."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.adapters.aws import clients
from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.webhook_outbox import MAX_DELAY_SECONDS, DynamoWebhookOutbox
from api.adapters.aws.webhook_secrets import DynamoWebhookSecretStore
from api.adapters.webhooks import signing_key
from api.bootstrap import build_adapters, build_root
from api.domain.errors import DependencyUnavailable, InvalidJobTransition, VitrineError
from api.domain.jobs import Job, JobError, JobKind, JobStatus, WebhookEvent, utcnow
from api.domain.webhook_secrets import TenantSecrets
from tests.aws.captured_events import in_eventbridge, in_sqs
from tests.aws.conftest import REGION, aws_settings
from tests.aws.lambdas_env import (
    FakeContext,
    api_event,
    export_settings,
    fresh_api_handler,
    response_json,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from api.settings import Settings

CTX = FakeContext()
API_KEY_TENANT = "k7x2q9ab3c"  # apigw_api_key_* events' apiKeyId
COGNITO_TENANT = "7d1c2a58-91f4-4c1e-b3b5-2f0e6a9f4d11"
CALLBACK = "https://hooks.example.com/vitrine"
PUBLIC_ADDRESS = "93.184.216.34"
HOUR = timedelta(hours=1)


def public_dns(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, port))]


class Receiver:
    """The partner's endpoint, as an httpx transport: records deliveries, answers the
    queued statuses, then 200."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.deliveries: list[tuple[dict[str, str], bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.deliveries.append((dict(request.headers), request.content))
        return httpx.Response(self.statuses.pop(0) if self.statuses else 200)


class Sent:
    """Every SendMessage to the webhooks queue (moto hides delayed messages)."""

    def __init__(self, settings: Settings) -> None:
        self.messages: list[dict[str, Any]] = []
        clients.sqs(settings).meta.events.register(
            "before-parameter-build.sqs.SendMessage",
            lambda params, **_: self.messages.append(dict(params)),
        )

    def take(self) -> dict[str, Any]:
        (message,) = self.messages
        self.messages.clear()
        return message


class Deployment:
    """The Lambdas over moto: the API, the webhook sender and its sweep, one root."""

    def __init__(self, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
        export_settings(monkeypatch, settings)
        self.settings = settings
        self.api = fresh_api_handler()
        from lambdas import _root, webhook_sender

        self.sender = webhook_sender
        self.receiver = Receiver()
        self.now = [time.time()]  # the job store stamps events with the real time
        adapters = build_adapters(settings)
        self.outbox = DynamoWebhookOutbox(
            settings.jobs_table,
            settings.webhook_queue_url,
            settings=settings,
            secrets=adapters.webhook_secrets,
            http=httpx.Client(transport=httpx.MockTransport(self.receiver)),
            resolve=public_dns,
            clock=lambda: self.now[0],
        )
        self.root = build_root(settings, replace(adapters, outbox=self.outbox))
        _root.reset(self.root)
        self.sent = Sent(settings)

    def end_job(self, tenant: str = API_KEY_TENANT) -> Job:
        job = Job.new(tenant=tenant, kind=JobKind.TRY_ON, request={}, ttl_days=1,
                      callback_url=CALLBACK)  # fmt: skip
        self.root.adapters.jobs.create(job)
        return self.root.services.jobs.fail(job, JobError("model-error", "Model error"))

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.sender.handler(in_sqs(message["MessageBody"]), CTX)
        return result

    def job_view(self, job_id: str) -> dict[str, Any]:
        response = self.api(api_event("apigw_api_key_get_job", "GET", f"/v1/jobs/{job_id}"), CTX)
        assert response["statusCode"] == 200, response["body"]
        view: dict[str, Any] = response_json(response)
        return view

    def secrets(self, template: str, method: str = "POST") -> dict[str, Any]:
        response = self.api(api_event(template, method, "/v1/webhook-secrets"), CTX)
        assert response["statusCode"] in (200, 201), response["body"]
        body: dict[str, Any] = response_json(response)
        return body


@pytest.fixture
def deployment(aws: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    yield Deployment(aws, monkeypatch)
    from lambdas import _root

    _root.reset()


def verifies(secret: str, delivery: tuple[dict[str, str], bytes]) -> bool:
    headers, raw = delivery
    try:
        Webhook(signing_key(secret)).verify(raw, headers)
    except WebhookVerificationError:
        return False
    return True


def test_the_event_is_written_in_the_terminal_transition_s_one_conditional_update(
    aws: Settings,
) -> None:
    store = DynamoJobStore(aws.jobs_table, settings=aws)
    job = Job.new(tenant="t", kind=JobKind.TRY_ON, request={}, ttl_days=1, callback_url=CALLBACK)
    store.create(job)
    writes: list[str] = []
    store.client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: writes.append(model.name)
    )
    event = WebhookEvent("msg_1", "job.succeeded", CALLBACK)
    done = store.transition("t", job.id, JobStatus.SUCCEEDED, result={}, event=event)
    assert writes == ["UpdateItem"]  # the move and its event: one write
    assert done.webhook is not None and (done.webhook.state, done.webhook.attempts) == (
        "pending", 0)  # fmt: skip
    # A refused move records no event.
    with pytest.raises(InvalidJobTransition):
        store.transition("t", job.id, JobStatus.FAILED, event=WebhookEvent("msg_2", "x", "u"))
    item = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=aws.jobs_table, Key={"pk": {"S": "TENANT#t"}, "sk": {"S": f"JOB#{job.id}"}}
    )["Item"]
    assert item["webhook"]["M"]["id"]["S"] == "msg_1"
    assert "wh_pk" in item and "wh_due" in item  # in the sparse index of pending ones


def test_the_sender_delivers_once_signed_with_the_tenants_secrets(
    deployment: Deployment,
) -> None:
    # Given a partner with its own secret (the deployment's still in its grace period)
    created = deployment.secrets("apigw_api_key_post_try_on")
    secret = created["secret"]
    listed = deployment.secrets("apigw_api_key_get_job", "GET")
    assert listed["current_id"] == created["id"] and secret not in json.dumps(listed)
    # When a job of theirs ends: one message on the webhooks queue, the delivery pending
    job = deployment.end_job()
    message = deployment.sent.take()
    assert message["DelaySeconds"] == 0
    assert deployment.job_view(job.id)["webhook"]["state"] == "pending"

    # Then the sender Lambda makes one signed attempt and records it
    assert deployment.send(message) == {"batchItemFailures": []}
    (delivery,) = deployment.receiver.deliveries
    assert verifies(secret, delivery)
    assert verifies(deployment.settings.webhook_secret.get_secret_value(), delivery)
    event = json.loads(delivery[1])
    assert event["type"] == "job.failed" and event["data"]["job"]["id"] == job.id
    shown = deployment.job_view(job.id)["webhook"]
    assert (shown["state"], shown["attempts"]) == ("delivered", 1)
    assert deployment.sent.messages == []

    # A duplicate message is stale: nothing is sent twice
    assert deployment.send(message) == {"batchItemFailures": []}
    assert len(deployment.receiver.deliveries) == 1

    # Another tenant's secret never verifies these events, nor do tenants see each other's
    other = deployment.secrets("apigw_cognito_post_try_on")
    assert not verifies(other["secret"], delivery)
    assert deployment.secrets("apigw_api_key_get_job", "GET")["current_id"] == created["id"]
    cognito_get = api_event("apigw_cognito_post_try_on", "GET", "/v1/webhook-secrets")
    assert response_json(deployment.api(cognito_get, CTX))["current_id"] == other["id"]


def test_failures_retry_with_growing_delays_then_the_delivery_fails_visibly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from moto import mock_aws

    from tests.aws.conftest import create_resources

    settings = aws_settings(webhook_outbox_attempts=4, webhook_backoff_seconds=100.0)
    with mock_aws():
        create_resources(settings)
        deployment = Deployment(settings, monkeypatch)
        deployment.receiver.statuses = [503] * 10
        job = deployment.end_job()
        message = deployment.sent.take()
        delays = []
        for attempt in range(1, 4):
            assert deployment.send(message) == {"batchItemFailures": []}
            message = deployment.sent.take()
            body = json.loads(message["MessageBody"])
            assert body["attempt"] == attempt
            delays.append(body["not_before"] - deployment.now[0])
            assert message["DelaySeconds"] == min(MAX_DELAY_SECONDS, int(delays[-1] + 0.999))
            if body["not_before"] - deployment.now[0] > MAX_DELAY_SECONDS:
                # Longer than SQS delays: the message comes back early and waits again.
                deployment.now[0] += MAX_DELAY_SECONDS
                assert deployment.send(message) == {"batchItemFailures": []}
                message = deployment.sent.take()
                assert json.loads(message["MessageBody"])["attempt"] == attempt
            deployment.now[0] = body["not_before"]
        assert delays[0] < delays[1] < delays[2] and delays[2] > MAX_DELAY_SECONDS

        assert deployment.send(message) == {"batchItemFailures": []}
        assert deployment.sent.messages == []  # bounded: no fifth attempt
        assert len(deployment.receiver.deliveries) == 4
        assert len({h["webhook-id"] for h, _ in deployment.receiver.deliveries}) == 1
        shown = deployment.job_view(job.id)["webhook"]
        assert (shown["state"], shown["attempts"], shown["last_error"]) == (
            "failed", 4, "HTTP 503")  # fmt: skip
        assert '"Webhooks_failed":[1.0]' in capsys.readouterr().out  # the alarm's metric
        from lambdas import _root

        _root.reset()


def test_the_sweep_queues_deliveries_whose_message_was_lost(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job whose webhook message could not be sent after its transition
    def down(*_: Any, **__: Any) -> None:
        raise DependencyUnavailable("sqs could not be reached")

    monkeypatch.setattr(deployment.outbox, "enqueue", down)
    job = deployment.end_job()
    monkeypatch.undo()
    deployment.now[0] = time.time()  # the transition stamped its due time before this
    assert deployment.sent.messages == []
    assert deployment.job_view(job.id)["webhook"]["state"] == "pending"
    tick = in_eventbridge({}, detail_type="Scheduled Event", source="aws.events")

    # The sweep leaves it while its message could still be on its way
    assert deployment.sender.sweep(tick, CTX) == {"swept": 0}
    # Once overdue, the sweep queues it, once
    deployment.now[0] += deployment.settings.webhook_sweep_after_seconds + 1
    assert deployment.sender.sweep(tick, CTX) == {"swept": 1}
    assert deployment.sender.sweep(tick, CTX) == {"swept": 0}
    message = deployment.sent.take()
    assert deployment.send(message) == {"batchItemFailures": []}
    assert len(deployment.receiver.deliveries) == 1
    assert deployment.job_view(job.id)["webhook"]["state"] == "delivered"
    # Delivered: out of the index, never swept again
    deployment.now[0] += 10 * deployment.settings.webhook_sweep_after_seconds
    assert deployment.sender.sweep(tick, CTX) == {"swept": 0}


def test_a_message_that_is_not_a_webhook_reference_fails_alone(deployment: Deployment) -> None:
    deployment.end_job()
    good = deployment.sent.take()["MessageBody"]
    result = deployment.sender.handler(in_sqs("not json", good), CTX)
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == [
        "059f36b4-87a3-44ab-83d2-6619758300" + "00"
    ]
    assert len(deployment.receiver.deliveries) == 1


def test_tenant_secrets_are_sealed_with_kms_bound_to_their_tenant(aws: Settings) -> None:
    store = DynamoWebhookSecretStore(aws.jobs_table, settings=aws)
    decrypts: list[str] = []
    store.kms.meta.events.register("before-call.kms.Decrypt", lambda **_: decrypts.append("d"))
    first = TenantSecrets.first("a", now=utcnow(), grace=HOUR)
    store.put(first, replaces=None)
    rotated = first.rotated(now=utcnow(), grace=HOUR)
    store.put(replace(rotated, previous=tuple(
        replace(r, secret=replace(r.secret, value="")) for r in rotated.previous
    )), replaces=first.current.id)  # fmt: skip
    assert decrypts == []  # a rotation (the API's) never decrypts
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    item = dynamodb.get_item(
        TableName=aws.jobs_table, Key={"pk": {"S": "TENANT#a"}, "sk": {"S": "WHSECRET"}}
    )["Item"]
    assert "whsec_" not in json.dumps(item, default=repr)
    opened = store.get("a", values=True)
    assert opened is not None
    assert [s.value for s in opened.signing(utcnow())][:2] == [
        rotated.current.value, first.current.value]  # fmt: skip
    assert store.get("a") is not None and store.get("a").current.value == ""  # type: ignore[union-attr]

    # A ciphertext copied into another tenant's item does not decrypt there.
    item["pk"] = {"S": "TENANT#b"}
    item["tenant"] = {"S": "b"}
    dynamodb.put_item(TableName=aws.jobs_table, Item=item)
    with pytest.raises(VitrineError):
        DynamoWebhookSecretStore(aws.jobs_table, settings=aws).get("b", values=True)
