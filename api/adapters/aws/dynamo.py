"""DynamoDB job store: one table, the tenant in every partition key.

Layout (shared with the idempotency store, ``idempotency.py``):

====================  ============================  =================================
item                  pk / sk                        GSI ``by_kind``: gsi1pk / gsi1sk
====================  ============================  =================================
job                   ``TENANT#t`` / ``JOB#id``      ``TENANT#t#KIND#k`` / ``created#id``
idempotency record    ``TENANT#t`` / ``IDEMP#key``   (not indexed)
webhook secrets       ``TENANT#t`` / ``WHSECRET``    (not indexed; ``webhook_secrets.py``)
====================  ============================  =================================

A job also sits in the sparse GSI ``running`` while it runs: ``gsi2pk`` = ``RUNNING``,
``gsi2sk`` = ``updated_at#tenant#id``, set by every move to ``running`` and removed by the
move to a terminal state, so the hand-off sweep (``stalled``) reads only running jobs,
oldest first, instead of scanning the table.

``expires_at`` (epoch seconds) is the table's TTL attribute. Status changes are
conditional writes, so a terminal job never changes again, even under duplicate
deliveries racing each other.

The webhook outbox lives in the job item: a terminal transition with an event sets the
job's ``webhook`` map (event id, type, delivery state, attempts, when the next attempt is
due) in the same conditional update, so the move and its event are one write. While the
delivery is pending, ``wh_pk``/``wh_due`` put the job in the sparse GSI
``webhooks_due`` (keys only), which the sweeper reads (``webhook_outbox.py``).
"""

from __future__ import annotations

import heapq
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.dynamo_codec import from_item, job_sk, kind_pk, tenant_pk, to_attr, to_item
from api.adapters.aws.errors import aws_errors, error_code, error_item, error_message
from api.domain import errors as e
from api.domain.jobs import (
    TRANSITIONS,
    Job,
    JobError,
    JobKind,
    JobStatus,
    WebhookDelivery,
    utcnow,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb import DynamoDBClient

    from api.domain.jobs import WebhookEvent
    from api.settings import Settings

_CONDITION_FAILED = "ConditionalCheckFailedException"
RUNNING_PK, RUNNING_SK, RUNNING_PARTITION = "gsi2pk", "gsi2sk", "RUNNING"
# The sparse index of pending webhook deliveries: one partition, sorted by due time.
WEBHOOK_DUE_PK = "WEBHOOKS#PENDING"
PENDING = "pending"


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def job_to_item(job: Job) -> dict[str, Any]:
    return to_item({
        "pk": tenant_pk(job.tenant),
        "sk": job_sk(job.id),
        "gsi1pk": kind_pk(job.tenant, job.kind),
        "gsi1sk": f"{iso(job.created_at)}#{job.id}",
        "entity": "job",
        "id": job.id,
        "tenant": job.tenant,
        "kind": str(job.kind),
        "status": str(job.status),
        "request": job.request,
        "created_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
        "expires_at": epoch(job.expires_at),
        "callback_url": job.callback_url,
        "result": job.result,
        "error": _error_map(job.error),
        "internal": job.internal,
    })


def delivery_of(webhook: dict[str, Any] | None) -> WebhookDelivery | None:
    """The public delivery state of a job item's ``webhook`` map."""
    if not webhook:
        return None
    last = webhook.get("last_attempt_at")
    return WebhookDelivery(
        state=webhook["state"],
        attempts=int(webhook.get("attempts", 0)),
        last_attempt_at=None if last is None else datetime.fromtimestamp(last, UTC),
        last_error=webhook.get("last_error"),
    )


def job_from_item(item: dict[str, Any]) -> Job:
    values = from_item(item)
    error = values.get("error")
    return Job(
        id=values["id"],
        tenant=values["tenant"],
        kind=JobKind(values["kind"]),
        status=JobStatus(values["status"]),
        request=values.get("request") or {},
        created_at=datetime.fromisoformat(values["created_at"]),
        updated_at=datetime.fromisoformat(values["updated_at"]),
        expires_at=datetime.fromtimestamp(values["expires_at"], UTC),
        callback_url=values.get("callback_url"),
        result=values.get("result"),
        error=JobError(**error) if error else None,
        internal=values.get("internal") or {},
        webhook=delivery_of(values.get("webhook")),
    )


def _error_map(error: JobError | None) -> dict[str, str] | None:
    if error is None:
        return None
    return {"type": error.type, "title": error.title, "detail": error.detail}


class DynamoJobStore:
    """``JobStore`` on the single DynamoDB table.

    Parameters
    ----------
    table
        Table name (``settings.jobs_table``).
    settings
        Region, retry policy and the GSI name (``jobs_table_kind_index``).
    client
        A DynamoDB client to use; by default the cached one from ``clients.dynamodb``.
    """

    def __init__(
        self, table: str, *, settings: Settings, client: DynamoDBClient | None = None
    ) -> None:
        self.table = table
        self.index = settings.jobs_table_kind_index
        self.running_index = settings.jobs_table_running_index
        self._settings = settings
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = clients.dynamodb(self._settings)
        return self._client

    def create(self, job: Job) -> None:
        with aws_errors("dynamodb"):
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=job_to_item(job),
                    ConditionExpression="attribute_not_exists(pk)",
                )
            except ClientError as exc:
                if error_code(exc) == _CONDITION_FAILED:
                    raise e.Conflict(f"job {job.id} already exists") from exc
                _raise_if_too_large(exc)
                raise

    def get(self, tenant: str, job_id: str) -> Job | None:
        with aws_errors("dynamodb"):
            response = self.client.get_item(
                TableName=self.table,
                Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(job_sk(job_id))},
                ConsistentRead=True,
            )
        item = response.get("Item")
        return job_from_item(item) if item else None

    def transition(
        self,
        tenant: str,
        job_id: str,
        to: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error: JobError | None = None,
        internal: dict[str, Any] | None = None,
        event: WebhookEvent | None = None,
    ) -> Job:
        """Move the job if its current status allows ``to`` (one conditional update).

        ``internal`` keys are merged into the job's ``internal`` map, not replaced. An
        ``event`` becomes the job's pending ``webhook`` in the same update (the outbox).
        """
        sources = [s for s, targets in TRANSITIONS.items() if to in targets]
        if not sources:
            self._raise_missing_or_invalid(tenant, job_id, to)
        moved_at = iso(utcnow())
        names = {"#status": "status", "#updated": "updated_at"}
        values: dict[str, Any] = {":to": to_attr(str(to)), ":now": to_attr(moved_at)}
        sets = ["#status = :to", "#updated = :now"]
        removes: list[str] = []
        if to is JobStatus.RUNNING or to.terminal:  # the sparse ``running`` index
            names["#rpk"], names["#rsk"] = RUNNING_PK, RUNNING_SK
        if to is JobStatus.RUNNING:
            values[":rpk"] = to_attr(RUNNING_PARTITION)
            values[":rsk"] = to_attr(f"{moved_at}#{tenant}#{job_id}")
            sets += ["#rpk = :rpk", "#rsk = :rsk"]
        elif to.terminal:
            removes += ["#rpk", "#rsk"]
        if result is not None:
            names["#result"], values[":result"] = "result", to_attr(result)
            sets.append("#result = :result")
        if error is not None:
            names["#error"], values[":error"] = "error", to_attr(_error_map(error))
            sets.append("#error = :error")
        if internal:
            names["#internal"] = "internal"
            for n, (key, value) in enumerate(internal.items()):
                names[f"#i{n}"], values[f":i{n}"] = key, to_attr(value)
                sets.append(f"#internal.#i{n} = :i{n}")
        if event is not None:
            now = time.time()
            webhook = {"id": event.id, "type": event.type, "state": PENDING, "attempts": 0,
                       "created_at": now, "next_attempt_at": now}  # fmt: skip
            names |= {"#webhook": "webhook", "#wh_pk": "wh_pk", "#wh_due": "wh_due"}
            values |= {":webhook": to_attr(webhook), ":wh_pk": to_attr(WEBHOOK_DUE_PK),
                       ":wh_due": to_attr(now)}  # fmt: skip
            sets += ["#webhook = :webhook", "#wh_pk = :wh_pk", "#wh_due = :wh_due"]
        for n, status in enumerate(sources):
            values[f":from{n}"] = to_attr(str(status))
        allowed = ", ".join(f":from{n}" for n in range(len(sources)))
        with aws_errors("dynamodb"):
            try:
                response = self.client.update_item(
                    TableName=self.table,
                    Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(job_sk(job_id))},
                    UpdateExpression="SET " + ", ".join(sets)
                    + (" REMOVE " + ", ".join(removes) if removes else ""),
                    ConditionExpression=f"attribute_exists(pk) AND #status IN ({allowed})",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if error_code(exc) != _CONDITION_FAILED:
                    _raise_if_too_large(exc)
                    raise
                old = error_item(exc)
                if not old:
                    raise e.NotFound(f"job {job_id} not found") from exc
                current = from_item(old).get("status")
                raise e.InvalidJobTransition(
                    f"job {job_id} cannot go from {current} to {to}"
                ) from exc
        return job_from_item(response["Attributes"])

    def list(self, tenant: str, *, kind: JobKind | None = None, limit: int = 50) -> list[Job]:
        kinds = [kind] if kind is not None else list(JobKind)
        items: list[dict[str, Any]] = []
        with aws_errors("dynamodb"):
            for one in kinds:
                response = self.client.query(
                    TableName=self.table,
                    IndexName=self.index,
                    KeyConditionExpression="gsi1pk = :pk",
                    ExpressionAttributeValues={":pk": to_attr(kind_pk(tenant, one))},
                    ScanIndexForward=False,
                    Limit=limit,
                )
                items.extend(response.get("Items", []))
        newest = heapq.nlargest(limit, items, key=lambda item: item["gsi1sk"]["S"])
        return [job_from_item(item) for item in newest]

    def delete(self, tenant: str, job_id: str) -> bool:
        with aws_errors("dynamodb"):
            response = self.client.delete_item(
                TableName=self.table,
                Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(job_sk(job_id))},
                ReturnValues="ALL_OLD",
            )
        return bool(response.get("Attributes"))

    def stalled(self, before: datetime) -> Iterator[Job]:
        """Running jobs last moved before ``before``, oldest first, a page at a time (the
        ``running`` GSI, eventually consistent: the core re-reads a job before acting)."""
        query: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": self.running_index,
            "KeyConditionExpression": "#pk = :pk AND #sk < :before",
            "ExpressionAttributeNames": {"#pk": RUNNING_PK, "#sk": RUNNING_SK},
            "ExpressionAttributeValues": {
                ":pk": to_attr(RUNNING_PARTITION),
                ":before": to_attr(iso(before)),
            },
            "Limit": 100,
        }
        while True:
            with aws_errors("dynamodb"):
                response = self.client.query(**query)
            yield from map(job_from_item, response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def _raise_missing_or_invalid(self, tenant: str, job_id: str, to: JobStatus) -> None:
        job = self.get(tenant, job_id)
        if job is None:
            raise e.NotFound(f"job {job_id} not found")
        raise e.InvalidJobTransition(f"job {job_id} cannot go from {job.status} to {to}")


def _raise_if_too_large(exc: ClientError) -> None:
    if error_code(exc) == "ValidationException" and "size" in error_message(exc).lower():
        raise e.PayloadTooLarge("the job record exceeds DynamoDB's 400 KB item limit") from exc
