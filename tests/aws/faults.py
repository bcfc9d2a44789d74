"""Inject HTTP-level faults into a boto3 client, ahead of moto.

The handler answers ``before-send`` for one operation, so botocore parses and retries
the canned response exactly as it would a real one. botocore calls every ``before-send``
handler (the first response wins), so moto's own handler is wrapped on that client to
skip the attempts answered here: a throttled write must not also be applied.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse
from moto.core.models import botocore_stubber

# ids of the prepared requests answered by a Fault (botocore builds one per attempt).
_answered: set[int] = set()
_guarded: set[int] = set()


def _moto_unless_answered(request: Any, **kwargs: Any) -> Any:
    if id(request) in _answered:
        _answered.discard(id(request))
        return None
    return botocore_stubber(request=request, **kwargs)


def _guard(client: Any) -> None:
    if id(client) in _guarded:
        return
    client.meta.events.unregister("before-send", botocore_stubber)
    client.meta.events.register("before-send", _moto_unless_answered)
    _guarded.add(id(client))


class _Raw:
    """The minimal raw-response object botocore reads a body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body

    def read(self, *_: Any, **__: Any) -> bytes:
        return self._body


class Fault:
    """Answers the first ``times`` calls of ``operation`` with a canned response.

    ``body`` is JSON (an error, its code in ``__type``) or raw bytes with ``headers``.
    """

    def __init__(
        self,
        client: Any,
        operation: str,
        *,
        status: int,
        body: dict[str, Any] | bytes,
        times: int,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.calls = 0
        self.remaining = times
        self._status = status
        if isinstance(body, bytes):
            self._body, self._headers = body, dict(headers or {})
        else:
            self._body = json.dumps(body).encode()
            self._headers = {
                "Content-Type": "application/x-amz-json-1.1",
                "x-amzn-ErrorType": str(body.get("__type", "")),
                **(headers or {}),
            }
        service_id = client.meta.service_model.service_id.hyphenize()
        _guard(client)
        client.meta.events.register_first(f"before-send.{service_id}.{operation}", self)

    def __call__(self, request: Any, **_: Any) -> AWSResponse | None:
        self.calls += 1
        if self.remaining <= 0:
            return None
        self.remaining -= 1
        _answered.add(id(request))
        return AWSResponse(request.url, self._status, self._headers, _Raw(self._body))  # type: ignore[arg-type]


def throttle(client: Any, operation: str, *, times: int) -> Fault:
    """``ThrottlingException`` (HTTP 400) for the first ``times`` calls."""
    return Fault(
        client,
        operation,
        status=400,
        body={"__type": "ThrottlingException", "message": "Rate exceeded"},
        times=times,
    )


def model_error(client: Any, *, original_status: int, original_message: str) -> Fault:
    """SageMaker's ``ModelError`` (HTTP 424): the container answered ``original_status``."""
    return Fault(
        client,
        "InvokeEndpoint",
        status=424,
        body={
            "__type": "ModelError",
            "ErrorCode": "CLIENT_ERROR_FROM_MODEL" if original_status < 500 else "SERVER_ERROR",
            "OriginalStatusCode": original_status,
            "OriginalMessage": original_message,
            "LogStreamArn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/sagemaker/x",
            "message": f"Received error ({original_status}) from primary",
        },
        times=1,
    )
