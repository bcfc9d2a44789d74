"""Translate botocore failures into domain errors, once, for every AWS adapter.

Retries happen inside botocore (``clients.py``); whatever reaches this module has
already exhausted them, so throttling here means "still throttled: retry later".

A domain error's detail reaches clients (problem+json, a job's ``error``): it names the
service and what to do, never an error code, an exception class, a provider's message
or a path. Those go to the log, once, here (``client_text`` cleans text that must pass).
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ParamValidationError,
    ReadTimeoutError,
)

from api.domain import errors as e

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

log = logging.getLogger(__name__)

THROTTLING_CODES = frozenset({
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "LimitExceededException",
    "SlowDown",
    "ServiceQuotaExceededException",
})
UNAVAILABLE_CODES = frozenset({
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalServerError",
    "InternalServerException",
    "InternalServiceError",
    "ModelNotReadyException",  # a multi-model endpoint still loading the model
    "ModelStreamErrorException",
})
TIMEOUT_CODES = frozenset({"RequestTimeout", "RequestTimeoutException", "ModelTimeoutException"})
# A model container's statuses that mean "busy, loading or slow": retry later (503).
TRANSIENT_MODEL_STATUSES = frozenset({503, 504})
# Only object lookups: a missing table or endpoint is a deployment fault, not a 404.
NOT_FOUND_CODES = frozenset({"NoSuchKey", "NotFound", "404"})


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def error_message(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Message", ""))


def error_item(exc: ClientError) -> dict[str, Any] | None:
    """The item a failed DynamoDB condition returns (``ReturnValuesOnConditionCheckFailure``)."""
    item = cast("Mapping[str, Any]", exc.response).get("Item")
    return dict(item) if item else None


def translate(exc: Exception, service: str) -> e.VitrineError:
    """The domain error for a botocore failure of ``service`` (retries already spent);
    the failure's specifics are logged, not put in the error's detail."""
    if isinstance(exc, ClientError):
        log.warning(
            "%s %s failed: %s (HTTP %s): %s",
            service,
            exc.operation_name,
            error_code(exc) or "no code",
            exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?"),
            error_message(exc)[:1000],
        )
        return _from_client_error(exc, service)
    log.warning("%s call failed: %s: %s", service, type(exc).__name__, str(exc)[:1000])
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        return e.DependencyTimeout(f"{service} did not answer in time")
    if isinstance(exc, EndpointConnectionError | ConnectionClosedError):
        return e.DependencyUnavailable(f"{service} could not be reached; retry later")
    if isinstance(exc, ParamValidationError):  # our request was malformed: a bug, a 500
        return e.VitrineError(f"{service}: the request was built with invalid parameters")
    return e.DependencyUnavailable(f"{service} could not be called; retry later")


@contextmanager
def aws_errors(service: str) -> Iterator[None]:
    """Run a block of AWS calls; re-raise any botocore failure as a domain error."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise translate(exc, service) from exc


def _from_client_error(exc: ClientError, service: str) -> e.VitrineError:
    code = error_code(exc)
    if code == "ModelError":
        return model_error(exc.response)
    if code == "ModelErrorException":  # Bedrock: the model itself failed
        return e.ModelInvocationFailed(f"{service}: the model failed")
    if code in THROTTLING_CODES:
        return e.DependencyUnavailable(f"{service} is throttling requests; retry later")
    if code in UNAVAILABLE_CODES:
        return e.DependencyUnavailable(f"{service} is unavailable; retry later")
    if code in TIMEOUT_CODES:
        return e.DependencyTimeout(f"{service} timed out")
    if code in NOT_FOUND_CODES:
        return e.NotFound(f"{service}: not found")
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if status >= 500:
        return e.DependencyUnavailable(f"{service} failed; retry later")
    # A 4xx we did not expect is our bug or a deployment fault (permissions, a missing
    # resource): an internal error, named by service only (the code is in the log).
    return e.VitrineError(f"{service} rejected the call")


def model_error(response: Mapping[str, Any]) -> e.VitrineError:
    """A SageMaker ``ModelError``: the container answered with an error status.

    The inference containers answer bad input with a 4xx whose body starts with the
    ``{"error": {"type": "invalid-input", "message": ...}}`` envelope (the serving toolkit
    appends its traceback on the next lines): that message is meant for the client, and
    becomes ``ModelInputRejected`` (422). Anything else is a model failure: 503 and 504
    (the model server is busy, loading or timed out) are worth a retry
    (``DependencyUnavailable``, 503); other statuses (500 for an exception such as CUDA out
    of memory, 507, none at all) are ``ModelInvocationFailed`` (502). The body of a
    failure may hold internals: it is logged here, never shown.
    """
    status = int(response.get("OriginalStatusCode") or 0)
    raw = str(response.get("OriginalMessage") or "")
    if 400 <= status < 500:
        detail = container_message(raw)
        return e.ModelInputRejected(detail or "The model rejected the input")
    log.warning(
        "model container failed with status %s (logs: %s): %s",
        status or "unknown", response.get("LogStreamArn") or "n/a", raw[:4000],
    )
    if status in TRANSIENT_MODEL_STATUSES:
        return e.DependencyUnavailable(
            f"The model is temporarily unavailable (status {status}); retry later"
        )
    return e.ModelInvocationFailed(f"The model failed (status {status or 'unknown'})")


def container_message(raw: str) -> str:
    """The message of a container error body, bounded.

    The envelope's ``message`` when the body (or its first line: the toolkit appends a
    traceback) is JSON; otherwise the first line of the text.
    """
    text = raw.strip()
    first_line = text.split("\n", 1)[0].strip()
    for candidate in (text, first_line):
        try:
            body = json.loads(candidate)
        except ValueError:
            continue
        message = _message_of(body)
        if message is not None:
            return message[:300]
    return first_line[:300]


def _message_of(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, dict) and isinstance(err.get("message"), str):
        return str(err["message"])
    if isinstance(err, str):
        return err
    if isinstance(body.get("message"), str):
        return str(body["message"])
    return None


# An absolute path (two segments or more), a traceback, an exception-class prefix
# ("AlgorithmError: ", "botocore.exceptions.ClientError: ").
_PATH = re.compile(r"(?<![\w.:/])/(?:[\w.@+-]+/)+[\w.@+-]*")
_CLASS_PREFIX = re.compile(r"^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception)\s*:\s*")


def client_text(text: str, *, limit: int = 300) -> str:
    """``text`` (a provider's failure reason) as a client may read it: up to a traceback,
    without exception-class prefixes and with absolute paths left out, bounded."""
    text = text.split("Traceback (most recent call last)", 1)[0].strip()
    while (match := _CLASS_PREFIX.match(text)) is not None:
        text = text[match.end():]
    return _PATH.sub("…", text).strip()[:limit]
