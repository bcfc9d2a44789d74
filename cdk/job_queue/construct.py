"""The jobs queue and its dead-letter queue.

A message that fails ``max_receive_count`` times (AWS's guidance for Lambda consumers: at
least 5) moves to the DLQ (kept 14 days) instead of blocking the queue; a consumer of the
DLQ fails its job. Both are encrypted (SQS-managed keys) and TLS-only.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

DLQ_RETENTION = Duration.days(14)
MAX_RECEIVE_COUNT = 5


class JobQueue(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        consumer_timeout: Duration,
        dead_letter_consumer_timeout: Duration,
        max_receive_count: int = MAX_RECEIVE_COUNT,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DLQ_RETENTION,
            visibility_timeout=Duration.seconds(dead_letter_consumer_timeout.to_seconds() * 6),
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            # AWS guidance for Lambda consumers: six times the function timeout, so a
            # batch being retried by Lambda is not redelivered meanwhile.
            visibility_timeout=Duration.seconds(consumer_timeout.to_seconds() * 6),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letter_queue, max_receive_count=max_receive_count
            ),
        )
