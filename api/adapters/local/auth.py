"""API-key ``TenantResolver`` for the local profile."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

API_KEY_HEADER = "x-api-key"


class ApiKeyTenantResolver:
    """Maps the ``x-api-key`` header to its configured tenant (``VITRINE_API_KEYS``).

    Every configured key is compared, in constant time, on every request, so neither
    a match's position nor a key's length shows in the response time.

    Parameters
    ----------
    keys:
        ``{api_key: tenant}``, from ``Settings.api_key_map()``.
    """

    def __init__(self, keys: Mapping[str, str]) -> None:
        self._keys = [(_digest(key), tenant) for key, tenant in keys.items()]

    def resolve(
        self, headers: Mapping[str, str], aws_event: Mapping[str, Any] | None
    ) -> str | None:
        given = headers.get(API_KEY_HEADER)
        if not given:
            return None
        digest = _digest(given)
        found: str | None = None
        for key_digest, tenant in self._keys:
            if hmac.compare_digest(digest, key_digest):
                found = tenant
        return found


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()
