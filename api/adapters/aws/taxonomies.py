"""DynamoDB ``TaxonomyStore``: taxonomy items in the jobs table (single-table).

==========  ===================================
item        pk / sk
==========  ===================================
taxonomy    ``TENANT#t`` / ``TAXONOMY#name``
==========  ===================================

No TTL: a taxonomy lives until its tenant deletes it. Listing is one ``Query`` on the
tenant's partition with ``begins_with(sk, "TAXONOMY#")``, so it reads no job items.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from api.adapters.aws import clients
from api.adapters.aws.dynamo import iso
from api.adapters.aws.dynamo_codec import tenant_pk, to_attr
from api.adapters.aws.errors import aws_errors
from api.domain.taxonomies import Taxonomy, TaxonomySpec

if TYPE_CHECKING:
    import builtins

    from mypy_boto3_dynamodb import DynamoDBClient

    from api.settings import Settings

_PREFIX = "TAXONOMY#"


def taxonomy_sk(name: str) -> str:
    return f"{_PREFIX}{name}"


class DynamoTaxonomyStore:
    """Taxonomies as items of the jobs table.

    Parameters
    ----------
    table
        Table name (``settings.jobs_table``).
    settings
        Region and retry policy.
    client
        A DynamoDB client to use; by default the cached one from ``clients.dynamodb``.
    """

    def __init__(
        self, table: str, *, settings: Settings, client: DynamoDBClient | None = None
    ) -> None:
        self.table = table
        self._settings = settings
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = clients.dynamodb(self._settings)
        return self._client

    def _key(self, tenant: str, name: str) -> dict[str, Any]:
        return {"pk": to_attr(tenant_pk(tenant)), "sk": to_attr(taxonomy_sk(name))}

    def put(self, taxonomy: Taxonomy) -> Taxonomy:
        # One write: a replacement keeps its created_at (if_not_exists).
        with aws_errors("dynamodb"):
            response = self.client.update_item(
                TableName=self.table,
                Key=self._key(taxonomy.tenant, taxonomy.name),
                UpdateExpression=(
                    "SET entity = :entity, tenant = :tenant, #name = :name, body = :body,"
                    " updated_at = :now, created_at = if_not_exists(created_at, :now)"
                ),
                ExpressionAttributeNames={"#name": "name"},
                ExpressionAttributeValues={
                    ":entity": to_attr("taxonomy"),
                    ":tenant": to_attr(taxonomy.tenant),
                    ":name": to_attr(taxonomy.name),
                    ":body": to_attr(json.dumps(taxonomy.spec.body())),
                    ":now": to_attr(iso(taxonomy.updated_at)),
                },
                ReturnValues="ALL_NEW",
            )
        return _taxonomy(response["Attributes"])

    def get(self, tenant: str, name: str) -> Taxonomy | None:
        with aws_errors("dynamodb"):
            response = self.client.get_item(
                TableName=self.table, Key=self._key(tenant, name), ConsistentRead=True
            )
        item = response.get("Item")
        return _taxonomy(item) if item else None

    def list(self, tenant: str, *, limit: int = 100) -> builtins.list[Taxonomy]:
        with aws_errors("dynamodb"):
            response = self.client.query(
                TableName=self.table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={
                    ":pk": to_attr(tenant_pk(tenant)),
                    ":prefix": to_attr(_PREFIX),
                },
                Limit=limit,
            )
        return [_taxonomy(item) for item in response.get("Items", [])]

    def delete(self, tenant: str, name: str) -> bool:
        with aws_errors("dynamodb"):
            response = self.client.delete_item(
                TableName=self.table, Key=self._key(tenant, name), ReturnValues="ALL_OLD"
            )
        return bool(response.get("Attributes"))


def _taxonomy(item: dict[str, Any]) -> Taxonomy:
    return Taxonomy(
        tenant=item["tenant"]["S"],
        name=item["name"]["S"],
        spec=TaxonomySpec.from_body(json.loads(item["body"]["S"])),
        created_at=datetime.fromisoformat(item["created_at"]["S"]),
        updated_at=datetime.fromisoformat(item["updated_at"]["S"]),
    )
