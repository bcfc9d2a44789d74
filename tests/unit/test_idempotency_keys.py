"""Idempotency fingerprints and key rules."""

from __future__ import annotations

import pytest

from api.domain.errors import RequestValidationFailed
from api.services.idempotency import check_key, fingerprint


def test_json_key_order_and_spacing_do_not_matter() -> None:
    one = fingerprint("POST", "/v1/try-ons", b'{"a": 1, "b": [1, 2]}')
    two = fingerprint("POST", "/v1/try-ons", b'{"b":[1,2],"a":1}')
    assert one == two


def test_method_path_and_values_do_matter() -> None:
    base = fingerprint("POST", "/v1/try-ons", b'{"a": 1}')
    assert base != fingerprint("POST", "/v1/segmentations", b'{"a": 1}')
    assert base != fingerprint("PUT", "/v1/try-ons", b'{"a": 1}')
    assert base != fingerprint("POST", "/v1/try-ons", b'{"a": 2}')


def test_non_json_bodies_hash_raw() -> None:
    assert fingerprint("POST", "/x", b"{oops") != fingerprint("POST", "/x", b"{oops ")


@pytest.mark.parametrize("key", ["a", "order-42", "x" * 255, "with inner space"])
def test_good_keys(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["", " lead", "trail ", "x" * 256, "tab\there", "naïve"])
def test_bad_keys(key: str) -> None:
    with pytest.raises(RequestValidationFailed):
        check_key(key)
