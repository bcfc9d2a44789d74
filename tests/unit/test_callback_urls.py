"""Which ``callback_url`` a client may give (issue 16, finding 2: SSRF filter bypasses)."""

from __future__ import annotations

import pytest

from api.domain.errors import RequestValidationFailed
from api.services.webhooks import validate_callback_url

PUBLIC = [
    "https://shop.example.com/hooks/vitrine",
    "https://shop.example.com:8443/hooks?x=1",
    "https://93.184.215.14/cb",
    "https://[2606:4700:4700::1111]/cb",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_https_urls_are_accepted(url: str) -> None:
    assert validate_callback_url(url, allow_loopback=False) == url


@pytest.mark.parametrize(
    "url",
    [
        # The bypasses found against the aws profile: numeric hosts no resolver agrees on.
        "https://2852039166/",
        "https://0xa9fea9fe/",
        "https://0251.0376.0251.0376/",
        "https://169.254.43518/",
        "https://127.1/",
        "https://0/",
        "https://1.2.3.4.5/",
        "https://01.2.3.4/",
        # Trailing dots (an absolute name skips the "localhost" and literal checks).
        "https://169.254.169.254./",
        "https://localhost./",
        "https://shop.example.com./cb",
        # Internal names.
        "https://localhost/cb",
        "https://api.localhost/cb",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://printer.local/cb",
        "https://intranet/cb",
        # Internal literals, v4, v6 and v4-mapped v6.
        "https://10.0.0.5/cb",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/cb",
        "https://[::1]/cb",
        "https://[fe80::1]/cb",
        "https://[fd00::1]/cb",
        "https://[::ffff:169.254.169.254]/cb",
        "https://[::ffff:a9fe:a9fe]/cb",
        "https://[64:ff9b::a9fe:a9fe]/cb",
        "https://[2002:a9fe:a9fe::1]/cb",
        "https://[fe80::1%25eth0]/cb",
        # Userinfo, even empty; control characters (urlsplit strips \r\n\t silently).
        "https://user:pw@shop.example.com/cb",
        "https://@shop.example.com/cb",
        "https://user@shop.example.com/cb",
        "https://shop.example.com/c\r\nb",
        "https://shop.exa\tmple.com/cb",
        "https://shop.example.com/cb\x00",
        "https://shop.example.com/cb\x7f",
        "https://shop.example.com/c b",
        # Other schemes, no host, bad ports, oversize, non-ASCII names.
        "http://shop.example.com/cb",
        "ftp://shop.example.com/cb",
        "https:///nohost",
        "https://example.com:99999/cb",
        "https://example.com:0/cb",
        "https://example.com/" + "a" * 2100,
        "https://exämple.com/cb",
        "https://under_score.example.com/cb",
    ],
)
def test_internal_or_ambiguous_urls_are_refused(url: str) -> None:
    with pytest.raises(RequestValidationFailed):
        validate_callback_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9000/cb", "http://localhost/cb", "https://[::1]:8443/cb"]
)
def test_loopback_receivers_only_when_explicitly_allowed(url: str) -> None:
    assert validate_callback_url(url, allow_loopback=True) == url
    with pytest.raises(RequestValidationFailed):
        validate_callback_url(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url", ["http://127.1/cb", "http://localhost./cb", "http://10.0.0.5/cb", "http://a.example/cb"]
)
def test_allowing_loopback_allows_nothing_else(url: str) -> None:
    with pytest.raises(RequestValidationFailed):
        validate_callback_url(url, allow_loopback=True)


def test_the_setting_is_off_by_default_and_ignored_on_aws() -> None:
    from api.settings import Settings

    assert Settings(profile="local").webhook_allow_loopback is False
    assert Settings(profile="local", webhook_allow_loopback=True).callback_loopback_allowed()
    # model_construct: the aws profile may refuse to start without its secrets.
    aws = Settings.model_construct(profile="aws", webhook_allow_loopback=True)
    assert not aws.callback_loopback_allowed()
