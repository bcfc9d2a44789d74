"""DynamoDB ``WebhookSecretStore``: one ``WHSECRET`` item per tenant in the jobs table.

====================  ==============================  ===================================
item                  pk / sk                         attributes
====================  ==============================  ===================================
webhook secrets       ``TENANT#t`` / ``WHSECRET``     ``current_id``, ``metadata`` (ids,
                                                      times), ``sealed`` (id: ciphertext)
====================  ==============================  ===================================

The values are encrypted with KMS before they reach the table (``sealed``: one ciphertext
per secret), under a key of their own (``webhook_secrets_key_id``) and an encryption
context naming the tenant and the secret. A rotation seals only the new value and keeps
the earlier ciphertexts as they are, so the API encrypts but never decrypts. The table's
own encryption (the data key) protects the disk; this protects the values from whoever
may read the table (every Lambda, exports, point-in-time restores), since decrypting
needs ``kms:Decrypt`` on this key, which only the webhook sender has. A ciphertext copied
into another tenant's item does not decrypt (its context names the other tenant).
Secrets Manager was the alternative: a secret per tenant (USD 0.40 a month each, wildcard
policies over secret names) for a value that needs no rotation schedule of its own; KMS
costs a call per rotation and one per delivery (cached per ciphertext in a warm sender).

A rotation is one conditional put on ``current_id``: of two concurrent ones, one wins and
the other gets ``Conflict``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.dynamo_codec import from_item, tenant_pk, to_attr, to_item
from api.adapters.aws.errors import aws_errors, error_code
from api.domain import errors as e
from api.domain.webhook_secrets import from_stored, metadata_of, values_of

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient

    from api.domain.webhook_secrets import TenantSecrets
    from api.settings import Settings

SECRETS_SK = "WHSECRET"
PURPOSE = "vitrine-webhook-secrets"


def encryption_context(tenant: str, secret_id: str) -> dict[str, str]:
    """Binds a ciphertext to its tenant and secret (and IAM conditions to this purpose)."""
    return {"purpose": PURPOSE, "tenant": tenant, "secret": secret_id}


class DynamoWebhookSecretStore:
    """``WebhookSecretStore`` on the jobs table, values sealed with KMS.

    Parameters
    ----------
    table
        ``settings.jobs_table``.
    settings
        Region, retry policy and ``webhook_secrets_key_id``.
    dynamodb, kms
        Clients to use; by default the cached ones.
    """

    def __init__(
        self,
        table: str,
        *,
        settings: Settings,
        dynamodb: DynamoDBClient | None = None,
        kms: KMSClient | None = None,
    ) -> None:
        self.table = table
        self._settings = settings
        self._dynamodb = dynamodb
        self._kms = kms
        # Decrypted values by (tenant, ciphertext): a sealed value never changes.
        self._opened: dict[tuple[str, bytes], str] = {}

    @property
    def dynamodb(self) -> DynamoDBClient:
        if self._dynamodb is None:
            self._dynamodb = clients.dynamodb(self._settings)
        return self._dynamodb

    @property
    def kms(self) -> KMSClient:
        if self._kms is None:
            self._kms = clients.kms(self._settings)
        return self._kms

    def _key(self, tenant: str) -> dict[str, Any]:
        return {"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(SECRETS_SK)}

    def get(self, tenant: str, *, values: bool = False) -> TenantSecrets | None:
        item = self._item(tenant)
        if item is None:
            return None
        opened = (
            {sid: self._open(tenant, sid, blob) for sid, blob in item["sealed"].items()}
            if values
            else {}
        )
        return from_stored(tenant, item["metadata"], opened)

    def put(self, secrets: TenantSecrets, *, replaces: str | None) -> None:
        tenant = secrets.tenant
        ids = {secrets.current.id, *(r.secret.id for r in secrets.previous)}
        existing = self._item(tenant) if replaces is not None else None
        # Earlier secrets keep their ciphertexts (never decrypted here); new values sealed.
        sealed: dict[str, bytes] = {
            sid: blob
            for sid, blob in (existing or {}).get("sealed", {}).items()
            if sid in ids
        }
        for sid, value in values_of(secrets).items():
            sealed[sid] = self._seal(tenant, sid, value)
        item = to_item({
            "pk": tenant_pk(tenant),
            "sk": SECRETS_SK,
            "entity": "webhook_secrets",
            "tenant": tenant,
            "current_id": secrets.current.id,
            "metadata": metadata_of(secrets),
            "sealed": sealed,
        })
        if replaces is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {
                "ConditionExpression": "current_id = :replaces",
                "ExpressionAttributeValues": {":replaces": to_attr(replaces)},
            }
        with aws_errors("dynamodb"):
            try:
                self.dynamodb.put_item(TableName=self.table, Item=item, **condition)
            except ClientError as exc:
                if error_code(exc) == "ConditionalCheckFailedException":
                    raise e.Conflict(
                        "the webhook secret was rotated concurrently; try again"
                    ) from exc
                raise

    def _item(self, tenant: str) -> dict[str, Any] | None:
        with aws_errors("dynamodb"):
            item = self.dynamodb.get_item(
                TableName=self.table, Key=self._key(tenant), ConsistentRead=True
            ).get("Item")
        return from_item(item) if item else None

    def _seal(self, tenant: str, secret_id: str, value: str) -> bytes:
        with aws_errors("kms"):
            return self.kms.encrypt(
                KeyId=self._key_id(),
                Plaintext=value.encode(),
                EncryptionContext=encryption_context(tenant, secret_id),
            )["CiphertextBlob"]

    def _open(self, tenant: str, secret_id: str, sealed: bytes) -> str:
        cached = self._opened.get((tenant, sealed))
        if cached is not None:
            return cached
        with aws_errors("kms"):
            plain = self.kms.decrypt(
                KeyId=self._key_id(),
                CiphertextBlob=sealed,
                EncryptionContext=encryption_context(tenant, secret_id),
            )["Plaintext"]
        value = plain.decode()
        self._opened[(tenant, sealed)] = value
        return value

    def _key_id(self) -> str:
        if not self._settings.webhook_secrets_key_id:
            raise e.DependencyUnavailable("webhook secrets are not configured here")
        return self._settings.webhook_secrets_key_id
