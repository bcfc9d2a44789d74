"""SQS job queue under moto, and tenancy from the API Gateway request context."""

from __future__ import annotations

import json

import boto3
import pytest

from api.adapters.aws.events import JobRefMessage
from api.adapters.aws.sqs import SqsJobQueue
from api.adapters.aws.tenants import RequestContextTenantResolver
from api.domain.jobs import Job, JobKind
from api.domain.outcomes import JobRef as DomainJobRef
from tests.aws.conftest import REGION
from tests.aws.events import load_event


def test_enqueue_sends_a_reference_not_the_payload(aws):
    queue = SqsJobQueue(aws.jobs_queue_url, settings=aws)
    job = Job.new(tenant="t1", kind=JobKind.TRY_ON,
                  request={"image": "A" * 10_000, "prompt": "secret"}, ttl_days=1)

    queue.enqueue(job)

    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=aws.jobs_queue_url)["Messages"]
    body = json.loads(messages[0]["Body"])
    assert body == {"v": 1, "tenant": "t1", "job_id": job.id, "kind": "try_on"}
    # What the worker reads back (its BatchProcessor model) is the job reference.
    message = JobRefMessage.model_validate_json(messages[0]["Body"])
    assert message.job == DomainJobRef("t1", job.id)


def test_fifo_queues_group_by_tenant_and_deduplicate_by_job(aws):
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="jobs.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    queue = SqsJobQueue(url, settings=aws)
    job = Job.new(tenant="t1", kind=JobKind.TRY_ON, request={}, ttl_days=1)

    queue.enqueue(job)
    queue.enqueue(job)  # a retried enqueue of the same job

    messages = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["MessageGroupId"]
    )["Messages"]
    assert len(messages) == 1
    assert messages[0]["Attributes"]["MessageGroupId"] == "t1"


@pytest.mark.parametrize(
    "body", ['{"tenant": "t"}', "[]", "not json", '{"v": 2}',
             '{"v": 1, "tenant": "", "job_id": "j", "kind": "try_on"}'],
)  # fmt: skip
def test_foreign_messages_are_not_job_references(body):
    with pytest.raises(ValueError):  # pydantic's ValidationError is a ValueError
        JobRefMessage.model_validate_json(body)


resolver = RequestContextTenantResolver()


def test_cognito_sub_is_the_tenant_on_frontend_routes():
    event = load_event("apigw_cognito_post_try_on")
    assert resolver.resolve({}, event) == "7d1c2a58-91f4-4c1e-b3b5-2f0e6a9f4d11"


def test_api_key_id_is_the_tenant_on_partner_routes():
    event = load_event("apigw_api_key_post_try_on")
    assert resolver.resolve({}, event) == "k7x2q9ab3c"


def test_client_headers_alone_name_no_tenant():
    event = load_event("apigw_api_key_post_try_on")
    event["requestContext"]["identity"]["apiKeyId"] = None
    event["requestContext"]["identity"]["apiKey"] = None
    headers = {"x-api-key": "k7x2q9ab3c", "x-tenant": "victim"}
    event["headers"].update(headers)

    assert resolver.resolve(headers, event) is None
    assert resolver.resolve(headers, None) is None


@pytest.mark.parametrize("sub", ["", "../other", "a/b", "x" * 200, 42, None])
def test_malformed_identities_are_refused(sub):
    event = {"requestContext": {"authorizer": {"claims": {"sub": sub}}, "identity": {}}}
    assert resolver.resolve({}, event) is None
