"""HMAC-signed, expiring URLs: the local stand-in for S3 presigned URLs.

A signature covers the HTTP method, the resource (``{store}/{key}``) and every query
parameter but ``sig`` itself (the expiry, and for uploads the content type and exact
size), so none of them can be changed without invalidating the URL.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from api.domain.errors import UrlSignatureInvalid

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


class UrlSigner:
    """Signs and verifies ``(method, resource, params)`` with HMAC-SHA256.

    Parameters
    ----------
    secret:
        The signing key (``VITRINE_URL_SIGNING_SECRET``).
    clock:
        Returns the current unix time; injectable for tests.
    """

    def __init__(self, secret: str, *, clock: Callable[[], float] = time.time) -> None:
        if not secret:
            raise ValueError("the URL signing secret must not be empty")
        self._key = secret.encode()
        self._now = clock

    def signed_params(
        self, method: str, resource: str, params: Mapping[str, str], *, expires_in: int
    ) -> dict[str, str]:
        """``params`` plus ``expires`` (unix seconds) and ``sig``."""
        signed = {**params, "expires": str(int(self._now()) + expires_in)}
        signed["sig"] = self._signature(method, resource, signed)
        return signed

    def query(
        self, method: str, resource: str, params: Mapping[str, str], *, expires_in: int
    ) -> str:
        """The URL query string (without ``?``) for a signed request."""
        return urlencode(self.signed_params(method, resource, params, expires_in=expires_in))

    def verify(self, method: str, resource: str, query: Mapping[str, str]) -> None:
        """Raise ``UrlSignatureInvalid`` unless ``query`` is a live signature for the request."""
        given = query.get("sig", "")
        expires = query.get("expires", "")
        if not given or not expires.isdigit():
            raise UrlSignatureInvalid("the URL is not signed")
        params = {k: v for k, v in query.items() if k != "sig"}
        expected = self._signature(method, resource, params)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise UrlSignatureInvalid("the URL signature does not match")
        if int(expires) < self._now():
            raise UrlSignatureInvalid("the URL has expired")

    def _signature(self, method: str, resource: str, params: Mapping[str, str]) -> str:
        canonical = "\n".join(
            [
                method.upper(),
                quote(resource, safe="/"),
                "&".join(
                    f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in sorted(params.items())
                ),
            ]
        )
        return hmac.new(self._key, canonical.encode(), hashlib.sha256).hexdigest()
