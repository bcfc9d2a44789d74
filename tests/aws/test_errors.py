"""botocore failures → domain errors (the one mapping every AWS adapter uses)."""

from __future__ import annotations

import json
import logging
import re

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    ReadTimeoutError,
)

from api.adapters.aws.errors import (
    aws_errors,
    client_text,
    container_message,
    model_error,
    translate,
)
from api.domain import errors as e
from api.errors import problem_for, status_of


def client_error(code: str, status: int = 400, **extra) -> ClientError:
    response = {"Error": {"Code": code, "Message": "m"},
                "ResponseMetadata": {"HTTPStatusCode": status}, **extra}
    return ClientError(response, "Op")


@pytest.mark.parametrize(("exc", "error", "http"), [
    (client_error("ThrottlingException"), e.DependencyUnavailable, 503),
    (client_error("ProvisionedThroughputExceededException"), e.DependencyUnavailable, 503),
    (client_error("SlowDown", 503), e.DependencyUnavailable, 503),
    (client_error("ServiceUnavailable", 503), e.DependencyUnavailable, 503),
    (client_error("ModelNotReadyException", 429), e.DependencyUnavailable, 503),
    (client_error("ModelTimeoutException", 408), e.DependencyTimeout, 504),
    (client_error("NoSuchKey", 404), e.NotFound, 404),
    (client_error("InternalServerError", 500), e.DependencyUnavailable, 503),
    (client_error("AccessDeniedException", 403), e.VitrineError, 500),
    (client_error("ModelError", 424, OriginalStatusCode=422,
                  OriginalMessage='{"error": {"message": "bad mask"}}'), e.ModelInputRejected, 422),
    (client_error("ModelError", 424, OriginalStatusCode=500), e.ModelInvocationFailed, 502),
    # TorchServe's own 503: no worker free (busy or restarting), worth a retry.
    (client_error("ModelError", 424, OriginalStatusCode=503), e.DependencyUnavailable, 503),
    (ReadTimeoutError(endpoint_url="https://x"), e.DependencyTimeout, 504),
    (EndpointConnectionError(endpoint_url="https://x"), e.DependencyUnavailable, 503),
    (NoCredentialsError(), e.DependencyUnavailable, 503),
    (ParamValidationError(report="Missing Bucket"), e.VitrineError, 500),
])
def test_translation_and_the_http_status_it_becomes(exc, error, http):
    translated = translate(exc, "svc")
    assert type(translated) is error
    assert status_of(translated) == http


def test_aws_errors_re_raises_as_domain_error_chained_to_the_cause():
    cause = client_error("ThrottlingException")
    with pytest.raises(e.DependencyUnavailable) as caught, aws_errors("dynamodb"):
        raise cause
    assert caught.value.__cause__ is cause
    assert "dynamodb" in caught.value.detail


def test_container_messages_are_bounded_and_plain_text_passes():
    assert container_message('{"error": {"message": "too many prompts"}}') == "too many prompts"
    assert container_message('{"error": "bad"}') == "bad"
    assert container_message("plain failure") == "plain failure"
    assert len(container_message("x" * 5000)) == 300
    assert model_error({"OriginalStatusCode": 400}).detail == "The model rejected the input"


def test_the_toolkits_error_body_shows_only_the_envelope_message():
    # sagemaker-pytorch-inference answers "<message>\n<traceback>"; the message is our envelope.
    body = '{"error": {"type": "invalid-input", "message": "bad image"}}\nTraceback (most...'
    assert container_message(body) == "bad image"
    assert container_message("plain failure\nTraceback (most recent call last):") == (
        "plain failure"
    )


@pytest.mark.parametrize(("status", "error", "http"), [
    (400, e.ModelInputRejected, 422), (413, e.ModelInputRejected, 422),
    (500, e.ModelInvocationFailed, 502), (507, e.ModelInvocationFailed, 502),
    (None, e.ModelInvocationFailed, 502),
    (503, e.DependencyUnavailable, 503), (504, e.DependencyUnavailable, 503),
])
def test_container_statuses_and_the_http_status_they_become(status, error, http):
    translated = model_error({"OriginalStatusCode": status, "OriginalMessage": "internal text"})
    assert type(translated) is error
    assert status_of(translated) == http
    if http != 422:
        assert "internal text" not in translated.detail


# What clients must never read in a problem's detail: botocore's and exception classes'
# names, AWS error codes, the provider's message, absolute paths.
_LEAKS = re.compile(
    r"botocore|boto3|ClientError|Exception\b|Error\b|Throttl|AccessDenied|InternalServer"
    r"|SECRET-PROVIDER-MESSAGE|/usr/|/opt/|/home/|/var/|Traceback"
)


@pytest.mark.parametrize("exc", [
    client_error("ThrottlingException"),
    client_error("InternalServerException", 500),
    client_error("ServiceUnavailableException", 503),
    client_error("ModelTimeoutException", 408),
    client_error("AccessDeniedException", 403),
    client_error("ValidationException", 400),
    client_error("UnrecognizedClientException", 400),
    client_error("SomethingNew", 502),
    EndpointConnectionError(endpoint_url="https://runtime.sagemaker.us-east-1.amazonaws.com"),
    ConnectionClosedError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
    ReadTimeoutError(endpoint_url="https://x"),
    ConnectTimeoutError(endpoint_url="https://x"),
    NoCredentialsError(),
    NoRegionError(),
    ParamValidationError(report="Invalid bucket name /opt/ml/x: SECRET-PROVIDER-MESSAGE"),
    CredentialRetrievalError(provider="/home/u/.aws/creds", error_msg="SECRET-PROVIDER-MESSAGE"),
], ids=lambda exc: type(exc).__name__ + ":" + (
    exc.response["Error"]["Code"] if isinstance(exc, ClientError) else ""))
def test_client_facing_details_name_no_class_code_or_path_and_the_log_does(exc, caplog):
    # Given a provider message that must stay in the log
    if isinstance(exc, ClientError):
        exc.response["Error"]["Message"] = "SECRET-PROVIDER-MESSAGE at /var/task/x.py"

    # When an adapter's call fails with it, as the API then answers it
    with caplog.at_level(logging.WARNING, logger="api.adapters.aws.errors"):
        with pytest.raises(e.VitrineError) as caught, aws_errors("sagemaker"):
            raise exc
    body = json.loads(problem_for(caught.value, "/v1/try-ons").body)

    # Then the client reads the service and what to do, nothing more
    assert "sagemaker" in body["detail"]
    assert not _LEAKS.search(body["detail"]), body["detail"]
    assert not _LEAKS.search(body["title"])
    # ... and the operator reads the specifics in the log
    assert type(exc).__name__ in caplog.text or error_code_of(exc) in caplog.text


def error_code_of(exc: Exception) -> str:
    return exc.response["Error"]["Code"] if isinstance(exc, ClientError) else "-"


def test_a_provider_failure_reason_loses_tracebacks_class_prefixes_and_paths():
    reason = (
        "AlgorithmError: botocore.exceptions.ClientError: photo set rejected: 3 photos "
        "smaller than 256 px, see /opt/ml/code/train.py and /usr/lib/python3.12/x.py\n"
        "Traceback (most recent call last):\n  File \"/opt/ml/code/train.py\", line 3"
    )
    assert client_text(reason) == (
        "photo set rejected: 3 photos smaller than 256 px, see … and …"
    )
    assert client_text("MaxRuntimeExceeded") == "MaxRuntimeExceeded"
    assert len(client_text("x" * 5000)) == 300
