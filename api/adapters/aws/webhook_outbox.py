"""The AWS webhook outbox: events in the job items, an SQS queue, a sender Lambda, a sweep.

1. A terminal transition with an event writes the job's pending ``webhook`` in the same
   conditional update (``dynamo.py``): the move and its event cannot come apart.
2. Once that committed, ``notify`` sends a reference to the webhooks queue (never the
   payload). The send can be lost (the Lambda dies, SQS is down): the row is the truth.
3. The sender Lambda (``lambdas/webhook_sender.py``) makes ONE attempt per message
   (``deliver``: ``api/adapters/webhooks.deliver_once``, signed with the tenant's
   secrets) and records it with a conditional update on the attempt count, so a
   duplicate message cannot count twice. A retry is a new message whose ``DelaySeconds``
   grows (``backoff_seconds``: 4x per attempt up to ``webhook_outbox_max_backoff_seconds``);
   SQS delays stop at 15 minutes, so a longer wait is re-queued, 15 minutes at a time,
   until due. After ``webhook_outbox_attempts`` (hours in all) or a final answer, the
   delivery is ``failed``: the job shows it and the sender counts it (a CloudWatch alarm).
   Messages the sender itself fails on (DynamoDB down) go back to SQS, then to the DLQ
   (alarmed); the delivery stays pending for the sweep.
4. The sweep (``sweep``, an EventBridge schedule) reads the sparse GSI of pending
   deliveries and re-sends a message for each one ``webhook_sweep_after_seconds`` past
   due: their message was lost. Nothing sleeps in a Lambda; nothing waits in the worker.

Every message names the attempt it is for: a stale one (the attempt was recorded, the job
is gone, the delivery ended) is dropped. Duplicates that slip through (a sweep racing a
late message) are the same event under the same ``webhook-id``: receivers drop them.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.dynamo import PENDING, WEBHOOK_DUE_PK, job_from_item
from api.adapters.aws.dynamo_codec import from_item, job_sk, tenant_pk, to_attr
from api.adapters.aws.errors import aws_errors, error_code
from api.domain.errors import VitrineError

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

    from api.adapters.webhooks import Attempt, Resolver
    from api.domain.jobs import Job, WebhookEvent
    from api.ports import WebhookSecretStore
    from api.settings import Settings

log = logging.getLogger(__name__)

MESSAGE_VERSION = 1
MAX_DELAY_SECONDS = 900  # SQS's longest DelaySeconds
DELIVERED, RETRYING, FAILED = "delivered", "retrying", "failed"
DEFERRED, STALE, MISSING = "deferred", "stale", "missing"


@dataclass(frozen=True, slots=True)
class WebhookMessage:
    """The webhooks queue's message: which delivery attempt, of which job, when due.
    (``events.WebhookMessageModel`` reads it back in the sender.)"""

    tenant: str
    job_id: str
    event_id: str
    attempt: int  # attempts recorded before this one
    not_before: float  # unix seconds

    def to_json(self) -> str:
        return json.dumps({"v": MESSAGE_VERSION, **asdict(self)})


class DynamoWebhookOutbox:
    """The ``WebhookOutbox`` port on AWS, and the sender's and sweeper's work.

    Parameters
    ----------
    table, queue_url
        ``settings.jobs_table`` and ``settings.webhook_queue_url``.
    settings
        Attempts, backoff, timeout, the deployment's secret, the GSI, the sweep delay.
    secrets
        The tenants' webhook secrets (read with their values when sending).
    dynamodb, sqs, http, resolve, clock
        Clients, DNS and time; by default the cached clients and the real ones.
    """

    def __init__(
        self,
        table: str,
        queue_url: str,
        *,
        settings: Settings,
        secrets: WebhookSecretStore,
        dynamodb: DynamoDBClient | None = None,
        sqs: SQSClient | None = None,
        http: httpx.Client | None = None,
        resolve: Resolver = socket.getaddrinfo,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.table = table
        self.queue_url = queue_url
        self._settings = settings
        self._secrets = secrets
        self._dynamodb = dynamodb
        self._sqs = sqs
        self._resolve = resolve
        self._clock = clock
        self._present: Callable[[Job], dict[str, Any]] | None = None
        self._http = http

    @property
    def dynamodb(self) -> DynamoDBClient:
        if self._dynamodb is None:
            self._dynamodb = clients.dynamodb(self._settings)
        return self._dynamodb

    @property
    def sqs(self) -> SQSClient:
        if self._sqs is None:
            self._sqs = clients.sqs(self._settings)
        return self._sqs

    # --- the port: every Lambda that ends a job hands its event over ---
    def start(self, present: Callable[[Job], dict[str, Any]]) -> None:
        self._present = present

    def notify(self, job: Job, event: WebhookEvent) -> None:
        message = WebhookMessage(job.tenant, job.id, event.id, 0, self._clock())
        try:
            self.enqueue(message, delay=0)
        except VitrineError as err:  # the sweep sends it once it is overdue
            log.warning("webhook %s of job %s not queued: %s", event.id, job.id, err.detail)

    def enqueue(self, message: WebhookMessage, *, delay: float) -> None:
        seconds = max(0, min(MAX_DELAY_SECONDS, int(delay + 0.999)))
        with aws_errors("sqs"):
            self.sqs.send_message(
                QueueUrl=self.queue_url, MessageBody=message.to_json(), DelaySeconds=seconds
            )

    # --- the sender Lambda: one attempt per message ---
    def deliver(self, message: WebhookMessage) -> str:
        """Make the attempt ``message`` is for, record it, queue the next; return what
        happened (``delivered``, ``retrying``, ``failed``, or why nothing was sent)."""
        from api.adapters.webhooks import backoff_seconds  # deferred: the API's cold path

        now = self._clock()
        if message.not_before > now + 1:  # longer than SQS can delay: wait again
            self.enqueue(message, delay=message.not_before - now)
            return DEFERRED
        item = self._job_item(message.tenant, message.job_id)
        if item is None:
            return MISSING  # deleted with its job
        webhook = from_item(item).get("webhook") or {}
        if (
            webhook.get("id") != message.event_id
            or webhook.get("state") != PENDING
            or webhook.get("attempts") != message.attempt
        ):
            return STALE
        job = job_from_item(item)
        result = self._attempt(job, webhook)
        attempts = message.attempt + 1
        if result.delivered:
            state, next_at = DELIVERED, None
        elif result.retry and attempts < self._settings.webhook_outbox_attempts:
            state, next_at = PENDING, now + backoff_seconds(self._settings, attempts)
        else:
            state, next_at = FAILED, None
        error = None if result.delivered else result.outcome
        if not self._record(message, state=state, at=now, next_at=next_at, error=error):
            return STALE  # another copy of this message recorded the attempt first
        if next_at is None:
            log.log(
                logging.INFO if result.delivered else logging.WARNING,
                "webhook %s %s after %d attempt(s): %s",
                message.event_id, state, attempts, result.outcome,
            )  # fmt: skip
            return state
        follow = WebhookMessage(job.tenant, job.id, message.event_id, attempts, next_at)
        try:
            self.enqueue(follow, delay=next_at - now)
        except VitrineError as err:  # still pending: the sweep queues it once overdue
            log.warning("webhook %s retry not queued: %s", message.event_id, err.detail)
        return RETRYING

    def _attempt(self, job: Job, webhook: dict[str, Any]) -> Attempt:
        from api.adapters.webhooks import (  # deferred: the API's cold path never sends
            Attempt,
            client,
            deliver_once,
            event_body,
            tenant_signing_secrets,
        )

        if self._present is None:
            raise RuntimeError("the webhook outbox was not started")
        if job.callback_url is None:
            return Attempt(False, retry=False, outcome="no callback_url")
        try:
            body = event_body(
                webhook["type"], {"job": self._present(job)}, int(webhook["created_at"])
            )
            secrets = tenant_signing_secrets(self._secrets, self._settings, job.tenant)
        except Exception:  # counted as an attempt: retried on schedule, never in a loop
            log.exception("webhook %s could not be rendered or signed", webhook.get("id"))
            return Attempt(False, retry=True, outcome="internal error")
        if self._http is None:
            self._http = client(self._settings)
        return deliver_once(
            self._settings,
            self._http,
            job.callback_url,
            webhook["id"],
            body,
            resolve=self._resolve,
            secrets=secrets,
        )

    def _record(
        self,
        message: WebhookMessage,
        *,
        state: str,
        at: float,
        next_at: float | None,
        error: str | None,
    ) -> bool:
        """The attempt's outcome, if no one recorded it yet (conditional on the count)."""
        names = {"#w": "webhook", "#id": "id", "#state": "state", "#n": "attempts",
                 "#at": "last_attempt_at", "#err": "last_error",
                 "#next": "next_attempt_at"}  # fmt: skip
        values: dict[str, Any] = {
            ":id": to_attr(message.event_id),
            ":pending": to_attr(PENDING),
            ":n": to_attr(message.attempt),
            ":n1": to_attr(message.attempt + 1),
            ":state": to_attr(state),
            ":at": to_attr(at),
            ":err": to_attr(error),
            ":next": to_attr(at if next_at is None else next_at),
        }
        update = (
            "SET #w.#state = :state, #w.#n = :n1, #w.#at = :at, #w.#err = :err,"
            " #w.#next = :next"
        )
        if next_at is None:  # ended: out of the sparse index of pending deliveries
            names |= {"#pk": "wh_pk", "#due": "wh_due"}
            update += " REMOVE #pk, #due"
        else:
            names["#due"] = "wh_due"
            update += ", #due = :next"
        return self._conditional_update(message.tenant, message.job_id, update, names, values)

    # --- the sweeper: deliveries whose message was lost ---
    def sweep(self, *, limit: int = 200) -> int:
        """Queue again every pending delivery ``webhook_sweep_after_seconds`` past due;
        return how many. Each is marked due again then, so the next sweep waits."""
        now = self._clock()
        cutoff = now - self._settings.webhook_sweep_after_seconds
        swept = 0
        for tenant, job_id in self._overdue(cutoff, limit):
            item = self._job_item(tenant, job_id)
            webhook = from_item(item).get("webhook") if item else None
            if not webhook or webhook.get("state") != PENDING:
                continue
            message = WebhookMessage(tenant, job_id, webhook["id"], webhook["attempts"], now)
            names = {"#w": "webhook", "#id": "id", "#state": "state", "#n": "attempts",
                     "#due": "wh_due"}  # fmt: skip
            values = {":id": to_attr(message.event_id), ":pending": to_attr(PENDING),
                      ":n": to_attr(message.attempt), ":now": to_attr(now)}  # fmt: skip
            if self._conditional_update(tenant, job_id, "SET #due = :now", names, values):
                self.enqueue(message, delay=0)
                swept += 1
        return swept

    def _overdue(self, cutoff: float, limit: int) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        request: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": self._settings.jobs_table_webhook_index,
            "KeyConditionExpression": "wh_pk = :pk AND wh_due <= :cutoff",
            "ExpressionAttributeValues": {
                ":pk": to_attr(WEBHOOK_DUE_PK), ":cutoff": to_attr(cutoff),
            },
            "Limit": limit,
        }  # fmt: skip
        with aws_errors("dynamodb"):
            while len(found) < limit:
                page = self.dynamodb.query(**request)
                for key in page.get("Items", []):
                    keys = from_item(dict(key))
                    found.append(
                        (keys["pk"].removeprefix("TENANT#"), keys["sk"].removeprefix("JOB#"))
                    )
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return found[:limit]

    # --- the job item ---
    def _job_item(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        with aws_errors("dynamodb"):
            item = self.dynamodb.get_item(
                TableName=self.table,
                Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(job_sk(job_id))},
                ConsistentRead=True,
            ).get("Item")
        return dict(item) if item else None

    def _conditional_update(
        self,
        tenant: str,
        job_id: str,
        update: str,
        names: dict[str, str],
        values: dict[str, Any],
    ) -> bool:
        """``update`` if the job's delivery is still pending at the message's attempt."""
        with aws_errors("dynamodb"):
            try:
                self.dynamodb.update_item(
                    TableName=self.table,
                    Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(job_sk(job_id))},
                    UpdateExpression=update,
                    ConditionExpression="#w.#id = :id AND #w.#state = :pending AND #w.#n = :n",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
            except ClientError as exc:
                if error_code(exc) == "ConditionalCheckFailedException":
                    return False
                raise
        return True

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
