"""DynamoDB idempotency store: ``IDEMP#key`` items beside the tenant's jobs.

A claim is one conditional put: it succeeds when no record exists, the existing one has
expired (TTL deletion lags by up to days, so expiry is checked in the condition), or it
is an in-progress claim older than the lease (its Lambda died mid-request), so a retry
can run instead of a permanent 409.
Stored responses are zlib-compressed past a few KB to stay far below the 400 KB item cap.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.dynamo import epoch
from api.adapters.aws.dynamo_codec import from_item, tenant_pk, to_attr, to_item
from api.adapters.aws.errors import aws_errors, error_code, error_item
from api.domain.jobs import utcnow
from api.ports import IdempotencyRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from api.settings import Settings

log = logging.getLogger(__name__)

_COMPRESS_ABOVE = 4_096
# Leave room for the key, hash and headers under DynamoDB's 400 KB item limit.
_MAX_STORED_BODY = 350_000
_MAX_KEY_CHARS = 256


def idempotency_sk(key: str) -> str:
    """The sort key; very long client keys are hashed to respect the 1 KB key limit."""
    if len(key) > _MAX_KEY_CHARS:
        return "IDEMP#sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return f"IDEMP#{key}"


class DynamoIdempotencyStore:
    """``IdempotencyStore`` on the jobs table.

    Parameters
    ----------
    table
        Table name (``settings.jobs_table``).
    settings
        Region and retry policy.
    client
        A DynamoDB client to use; by default the cached one from ``clients.dynamodb``.
    in_progress_lease
        How long an unfinished claim blocks its key.
    """

    def __init__(
        self,
        table: str,
        *,
        settings: Settings,
        client: DynamoDBClient | None = None,
        in_progress_lease: timedelta = timedelta(minutes=15),
    ) -> None:
        self.table = table
        self._settings = settings
        self._client = client
        self._lease = in_progress_lease

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = clients.dynamodb(self._settings)
        return self._client

    def claim(self, record: IdempotencyRecord) -> IdempotencyRecord | None:
        now = utcnow()
        item = to_item({
            "pk": tenant_pk(record.tenant),
            "sk": idempotency_sk(record.key),
            "entity": "idempotency",
            "tenant": record.tenant,
            "key": record.key,
            "request_hash": record.request_hash,
            "expires_at": epoch(record.expires_at),
            "claimed_at": epoch(now),
        })
        with aws_errors("dynamodb"):
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(pk) OR expires_at <= :now OR "
                    "(attribute_not_exists(status_code) AND claimed_at <= :stale)",
                    ExpressionAttributeValues={
                        ":now": to_attr(epoch(now)),
                        ":stale": to_attr(epoch(now - self._lease)),
                    },
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                old = error_item(exc) or self._get_item(record.tenant, record.key)
                if not old:  # expired and removed between the two calls: claim again
                    return self.claim(record)
                return _record_from_item(old)
        return None

    def complete(
        self, tenant: str, key: str, *, status_code: int, body: bytes, headers: dict[str, str]
    ) -> None:
        stored, encoding = body, "identity"
        if len(body) > _COMPRESS_ABOVE:
            stored, encoding = zlib.compress(body, 6), "zlib"
        if len(stored) > _MAX_STORED_BODY:
            # Too big to replay: forget the claim so a retry runs the request again.
            log.warning("idempotent response too large to store (%d bytes)", len(body))
            self.release(tenant, key)
            return
        with aws_errors("dynamodb"):
            try:
                self.client.update_item(
                    TableName=self.table,
                    Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(idempotency_sk(key))},
                    UpdateExpression="SET status_code = :s, body = :b, body_encoding = :enc, "
                    "headers = :h",
                    # Never resurrect a released claim as a half-written record.
                    ConditionExpression="attribute_exists(pk)",
                    ExpressionAttributeValues={
                        ":s": to_attr(status_code),
                        ":b": to_attr(stored),
                        ":enc": to_attr(encoding),
                        ":h": to_attr(dict(headers)),
                    },
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
                log.warning("idempotency claim vanished before completion")

    def release(self, tenant: str, key: str) -> None:
        """Forget an in-progress claim; a completed record stays (it is the answer)."""
        with aws_errors("dynamodb"):
            try:
                self.client.delete_item(
                    TableName=self.table,
                    Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(idempotency_sk(key))},
                    ConditionExpression="attribute_not_exists(status_code)",
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise

    def _get_item(self, tenant: str, key: str) -> dict[str, Any] | None:
        response = self.client.get_item(
            TableName=self.table,
            Key={"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(idempotency_sk(key))},
            ConsistentRead=True,
        )
        return response.get("Item")


def _record_from_item(item: dict[str, Any]) -> IdempotencyRecord:
    values = from_item(item)
    body = values.get("body", b"")
    if values.get("body_encoding") == "zlib":
        body = zlib.decompress(body)
    status = values.get("status_code")
    return IdempotencyRecord(
        tenant=values["tenant"],
        key=values["key"],
        request_hash=values["request_hash"],
        expires_at=datetime.fromtimestamp(values["expires_at"], UTC),
        status_code=int(status) if status is not None else None,
        body=body,
        headers=values.get("headers") or {},
        claimed_at=datetime.fromtimestamp(values["claimed_at"], UTC)
        if values.get("claimed_at") is not None
        else None,
    )
