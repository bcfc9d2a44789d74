"""The deployed Lambdas over moto, shared by the flow tests (try-on, time budgets)."""

from __future__ import annotations

import json
from dataclasses import replace

import boto3
import requests
from botocore.stub import ANY, Stubber

from api.adapters.aws import clients
from api.bootstrap import build_adapters, build_root
from api.domain.job_data import AsyncSubmission, TryOnState
from tests.aws.conftest import MOTO_API, REGION, queue_endpoint_results
from tests.aws.lambdas_env import (
    FakeContext,
    api_event,
    b64,
    export_settings,
    fresh_api_handler,
    mask_png,
    png,
    response_json,
)

__all__ = ["CTX", "Stack", "response_json", "submission"]

COGNITO_SUB = "7d1c2a58-91f4-4c1e-b3b5-2f0e6a9f4d11"
API_KEY_ID = "k7x2q9ab3c"
CTX = FakeContext()


class RecordingWebhooks:
    """A ``WebhookSender`` that records what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict]] = []

    def send(self, url: str, event: str, data: dict) -> bool:
        self.sent.append((url, event, data))
        return True


def submission(job) -> AsyncSubmission:
    """The async submission the core recorded in a try-on's typed state."""
    recorded = TryOnState.model_validate(job.internal).submission
    assert recorded is not None
    return recorded


class Stack:
    """The deployed Lambdas over moto, with the stubbed moderation services."""

    def __init__(self, settings, monkeypatch) -> None:
        export_settings(monkeypatch, settings)
        self.settings = settings
        self.api = fresh_api_handler()
        from lambdas import async_results, worker

        self.worker, self.async_results = worker.handler, async_results.handler
        self.comprehend = Stubber(clients.comprehend(settings))
        self.rekognition = Stubber(clients.rekognition(settings))
        self.comprehend.activate()
        self.rekognition.activate()
        # The Lambdas' root, over the aws adapters with a recording webhook sender.
        self.sender = RecordingWebhooks()
        from lambdas import _root

        _root.reset(build_root(settings, replace(build_adapters(settings), webhooks=self.sender)))
        self.sqs = boto3.client("sqs", region_name=REGION)
        self._webhook_messages: list[tuple[str, str, str]] = []

    def text_is_clean(self, times: int = 1) -> None:
        for _ in range(times):
            self.comprehend.add_response(
                "detect_toxic_content", {"ResultList": [{"Labels": [], "Toxicity": 0.01}]}
            )

    def images_are_clean(self, times: int = 1, flagged: str | None = None) -> None:
        labels = [{"Name": flagged, "Confidence": 97.0}] if flagged else []
        for _ in range(times):
            self.rekognition.add_response(
                "detect_moderation_labels", {"ModerationLabels": labels},
                {"Image": {"Bytes": ANY}, "MinConfidence": ANY},
            )

    def post_try_on(self, template: str, **overrides) -> dict:
        body = {"image": {"base64": b64(png())}, "garment_prompt": "a red linen shirt",
                "n": 2, "steps": 20, "seed": 7, **overrides}
        return self.api(api_event(template, "POST", "/v1/try-ons", body), CTX)

    def get_job(self, template: str, job_id: str) -> dict:
        return self.api(api_event(template, "GET", f"/v1/jobs/{job_id}"), CTX)

    def take_messages(self) -> list[dict]:
        return self.sqs.receive_message(
            QueueUrl=self.settings.jobs_queue_url, MaxNumberOfMessages=10
        ).get("Messages", [])

    def model_answers(self, *, images: list[bytes], mask: bytes | None = None) -> None:
        """CLIPSeg's mask (real-time) and the inpainting output (async, in S3), with the
        blend mask the container used when given."""
        queue_endpoint_results(json.dumps({
            "width": 32, "height": 32,
            "masks": [{"prompt": "shirt", "mask": b64(mask_png()), "coverage": 0.37}],
        }))
        output = {"images": [b64(i) for i in images], "seed": 7, "width": 32, "height": 32}
        if mask is not None:
            output["mask"] = b64(mask)
        requests.post(f"{MOTO_API}/async-endpoint-results", timeout=5, json={
            "account_id": "123456789012", "region": REGION,
            "results": [{"data": json.dumps(output)}],
        }).raise_for_status()

    def count_calls(self, operation: str) -> list[str]:
        """Every later ``operation`` call on the runtime client appends to the list."""
        calls: list[str] = []
        clients.sagemaker_runtime(self.settings).meta.events.register(
            f"before-call.sagemaker-runtime.{operation}", lambda **_: calls.append(operation)
        )
        return calls

    @property
    def webhooks(self) -> list[tuple[str, str]]:
        """The webhook events handed to the outbox's queue so far (callback, type)."""
        while messages := self.sqs.receive_message(
            QueueUrl=self.settings.webhook_queue_url, MaxNumberOfMessages=10
        ).get("Messages", []):
            for message in messages:
                body = json.loads(message["Body"])
                self._webhook_messages.append((body["tenant"], body["job_id"], body["event_id"]))
        assert self.sender.sent == []  # the outbox sends them (its own Lambda), not the core
        sent = []
        for tenant, job_id, event_id in self._webhook_messages:
            item = clients.dynamodb(self.settings).get_item(
                TableName=self.settings.jobs_table,
                Key={"pk": {"S": f"TENANT#{tenant}"}, "sk": {"S": f"JOB#{job_id}"}},
            )["Item"]
            assert item["webhook"]["M"]["id"]["S"] == event_id
            sent.append((item["callback_url"]["S"], item["webhook"]["M"]["type"]["S"]))
        return sent

    def job_record(self, tenant: str, job_id: str):
        from lambdas._root import root

        return root().adapters.jobs.get(tenant, job_id)

    def finish(self) -> None:
        self.comprehend.assert_no_pending_responses()
        self.rekognition.assert_no_pending_responses()
