"""The jobs table: one DynamoDB table in a single-table design (jobs, idempotency records).

Keys are the generic strings ``pk``/``sk`` so each record kind picks its own key shapes;
``expires_at`` (epoch seconds) lets DynamoDB delete expired records on its own. The
``by_kind`` index (``gsi1pk``/``gsi1sk``) lists a tenant's jobs of one kind, newest first
(``api/adapters/aws/dynamo.py``); the sparse ``webhooks_due`` index (``wh_pk``/``wh_due``,
keys only) holds the jobs whose webhook delivery is pending, by due time; the sparse
``running`` index (``gsi2pk``/``gsi2sk``, set only while a job runs) lists running jobs by
their last move, for the hand-off sweep. (CloudFormation creates one GSI per update: a
deployed table without the last two gets them in two deployments.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at"
KIND_INDEX = "by_kind"
KIND_INDEX_PARTITION_KEY = "gsi1pk"
KIND_INDEX_SORT_KEY = "gsi1sk"
# Pending webhook deliveries by due time (sparse: only jobs whose delivery is pending carry
# its keys), read by the webhook sweep (api/adapters/aws/webhook_outbox.py).
WEBHOOK_INDEX = "webhooks_due"
WEBHOOK_INDEX_PARTITION_KEY = "wh_pk"
WEBHOOK_INDEX_SORT_KEY = "wh_due"
RUNNING_INDEX = "running"
RUNNING_INDEX_PARTITION_KEY = "gsi2pk"
RUNNING_INDEX_SORT_KEY = "gsi2sk"


class JobsTable(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, table_name: str, encryption_key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self,
            "Table",
            table_name=table_name,
            partition_key=dynamodb.Attribute(
                name=PARTITION_KEY, type=dynamodb.AttributeType.STRING
            ),
            sort_key=dynamodb.Attribute(name=SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=TTL_ATTRIBUTE,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=encryption_key,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.table.add_global_secondary_index(
            index_name=KIND_INDEX,
            partition_key=dynamodb.Attribute(
                name=KIND_INDEX_PARTITION_KEY, type=dynamodb.AttributeType.STRING
            ),
            sort_key=dynamodb.Attribute(
                name=KIND_INDEX_SORT_KEY, type=dynamodb.AttributeType.STRING
            ),
            projection_type=dynamodb.ProjectionType.ALL,
        )
        self.table.add_global_secondary_index(
            index_name=WEBHOOK_INDEX,
            partition_key=dynamodb.Attribute(
                name=WEBHOOK_INDEX_PARTITION_KEY, type=dynamodb.AttributeType.STRING
            ),
            sort_key=dynamodb.Attribute(
                name=WEBHOOK_INDEX_SORT_KEY, type=dynamodb.AttributeType.NUMBER
            ),
            projection_type=dynamodb.ProjectionType.KEYS_ONLY,
        )
        self.table.add_global_secondary_index(
            index_name=RUNNING_INDEX,
            partition_key=dynamodb.Attribute(
                name=RUNNING_INDEX_PARTITION_KEY, type=dynamodb.AttributeType.STRING
            ),
            sort_key=dynamodb.Attribute(
                name=RUNNING_INDEX_SORT_KEY, type=dynamodb.AttributeType.STRING
            ),
            projection_type=dynamodb.ProjectionType.ALL,
        )
