"""SQS job queue: the message is a reference (tenant + job id), never the payload.

The worker reads the job from the store, so a message cannot smuggle a request in, and
stays far below SQS's 256 KB limit whatever the job holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.adapters.aws import clients
from api.adapters.aws.errors import aws_errors

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

    from api.domain.jobs import Job
    from api.settings import Settings

MESSAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class JobRef:
    """The message the worker receives; ``events.JobRefMessage`` is how it is read back
    (kept apart so the API Lambda, which only writes it, never imports the parser)."""

    tenant: str
    job_id: str
    kind: str

    def to_json(self) -> str:
        return json.dumps(
            {"v": MESSAGE_VERSION, "tenant": self.tenant, "job_id": self.job_id, "kind": self.kind}
        )


class SqsJobQueue:
    """``JobQueue`` on SQS (standard or FIFO: FIFO queues group by tenant).

    Parameters
    ----------
    queue_url
        ``settings.jobs_queue_url``.
    settings
        Region and retry policy.
    client
        An SQS client; by default the cached one.
    """

    def __init__(self, queue_url: str, *, settings: Settings, client: SQSClient | None = None):
        self.queue_url = queue_url
        self._settings = settings
        self._client = client

    @property
    def client(self) -> SQSClient:
        if self._client is None:
            self._client = clients.sqs(self._settings)
        return self._client

    def enqueue(self, job: Job) -> None:
        ref = JobRef(tenant=job.tenant, job_id=job.id, kind=str(job.kind))
        request: dict[str, Any] = {"QueueUrl": self.queue_url, "MessageBody": ref.to_json()}
        if self.queue_url.endswith(".fifo"):
            request["MessageGroupId"] = job.tenant
            request["MessageDeduplicationId"] = job.id
        with aws_errors("sqs"):
            self.client.send_message(**request)
