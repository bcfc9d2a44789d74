"""botocore failures → domain errors (the one mapping every AWS adapter uses)."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)

from api.adapters.aws.errors import aws_errors, container_message, model_error, translate
from api.domain import errors as e
from api.errors import status_of


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
