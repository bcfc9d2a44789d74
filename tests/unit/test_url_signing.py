"""Signed local URLs: any change to what was signed, or the passing of time, voids them."""

from __future__ import annotations

import pytest

from api.adapters.local.signing import UrlSigner
from api.domain.errors import UrlSignatureInvalid


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_signed_url_verifies_until_it_expires() -> None:
    clock = Clock(1_000_000.0)
    signer = UrlSigner("secret", clock=clock)
    query = signer.signed_params("GET", "results/t/a.png", {}, expires_in=60)
    signer.verify("GET", "results/t/a.png", query)
    clock.now += 61
    with pytest.raises(UrlSignatureInvalid, match="expired"):
        signer.verify("GET", "results/t/a.png", query)


@pytest.mark.parametrize(
    ("method", "resource", "change"),
    [
        ("PUT", "uploads/t/u", {}),
        ("GET", "uploads/t/other", {}),
        ("GET", "uploads/t/u", {"size": "999"}),
        ("GET", "uploads/t/u", {"expires": "9999999999"}),
    ],
)
def test_tampering_voids_the_signature(method: str, resource: str, change: dict[str, str]) -> None:
    signer = UrlSigner("secret")
    query = signer.signed_params("GET", "uploads/t/u", {"size": "10"}, expires_in=60)
    with pytest.raises(UrlSignatureInvalid):
        signer.verify(method, resource, {**query, **change})


def test_another_secret_does_not_verify() -> None:
    query = UrlSigner("one").signed_params("GET", "r/k", {}, expires_in=60)
    with pytest.raises(UrlSignatureInvalid):
        UrlSigner("two").verify("GET", "r/k", query)


def test_unsigned_url_is_refused() -> None:
    with pytest.raises(UrlSignatureInvalid, match="not signed"):
        UrlSigner("secret").verify("GET", "r/k", {})
