"""Webhook signatures and callback URL rules."""

from __future__ import annotations

import pytest

from api.adapters.webhooks import sign, verify_signature
from api.domain.errors import RequestValidationFailed
from api.services.webhooks import validate_callback_url

BODY = b'{"event":"job.succeeded","job":{"id":"job_1"}}'


def test_signature_round_trip() -> None:
    header = sign("s3cret", BODY, 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert verify_signature("s3cret", header, BODY, now=1_700_000_100)


def test_tampered_body_or_wrong_secret_fails() -> None:
    header = sign("s3cret", BODY, 1_700_000_000)
    assert not verify_signature("s3cret", header, BODY + b" ", now=1_700_000_000)
    assert not verify_signature("other", header, BODY, now=1_700_000_000)


def test_replay_outside_the_tolerance_fails() -> None:
    header = sign("s3cret", BODY, 1_700_000_000)
    assert not verify_signature("s3cret", header, BODY, tolerance_s=300, now=1_700_000_301)


def test_timestamp_cannot_be_swapped() -> None:
    mac = sign("s3cret", BODY, 1_700_000_000).partition(",v1=")[2]
    assert not verify_signature("s3cret", f"t=1700000500,v1={mac}", BODY, now=1_700_000_500)


@pytest.mark.parametrize("header", ["", "v1=abc", "t=abc,v1=abc", "t=1,t=2,v1=abc"])
def test_malformed_headers_fail(header: str) -> None:
    assert not verify_signature("s3cret", header, BODY, now=1)


@pytest.mark.parametrize(
    "url",
    ["https://shop.example.com/hooks/vitrine", "http://127.0.0.1:9000/cb", "http://localhost/cb"],
)
def test_local_profile_accepts_https_and_loopback_http(url: str) -> None:
    assert validate_callback_url(url, profile="local") == url


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example.com/cb",
        "ftp://shop.example.com/cb",
        "https://user:pw@shop.example.com/cb",
        "https:///nohost",
        "https://10.0.0.5/cb",
        "https://169.254.169.254/latest/meta-data",
        "https://example.com:99999/cb",
        "https://example.com/" + "a" * 2100,
    ],
)
def test_bad_callback_urls_are_refused(url: str) -> None:
    with pytest.raises(RequestValidationFailed):
        validate_callback_url(url, profile="local")


def test_aws_profile_refuses_loopback() -> None:
    for url in ("http://127.0.0.1/cb", "https://127.0.0.1/cb", "https://localhost/cb"):
        with pytest.raises(RequestValidationFailed):
            validate_callback_url(url, profile="aws")
