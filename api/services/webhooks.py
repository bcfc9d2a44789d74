"""Webhook callback URLs: which ``callback_url`` a client may ask the core to call.

Delivery (signing, retries) is the ``WebhookSender`` port's: ``api/adapters/webhooks.py``.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from api.domain.errors import RequestValidationFailed

MAX_URL_CHARS = 2048
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def validate_callback_url(url: str, *, profile: str) -> str:
    """Accept ``https`` URLs to public hosts; on the local profile, also loopback ``http``.

    Literal private, loopback and link-local addresses are refused on AWS so a
    callback cannot be aimed at the VPC or the instance metadata service.
    """
    if len(url) > MAX_URL_CHARS:
        raise RequestValidationFailed(f"callback_url is longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise RequestValidationFailed(f"callback_url is not a valid URL: {exc}") from exc
    if not host:
        raise RequestValidationFailed("callback_url needs a host")
    if parts.username is not None or parts.password is not None:
        raise RequestValidationFailed("callback_url must not carry credentials")
    local_loopback = profile == "local" and host in _LOCAL_HOSTS
    if parts.scheme == "http" and local_loopback:
        return url
    if parts.scheme != "https":
        allowed = "https (or http://127.0.0.1 / localhost locally)"
        raise RequestValidationFailed(f"callback_url must use {allowed}")
    if not local_loopback and _is_internal(host):
        raise RequestValidationFailed("callback_url must not point at an internal address")
    return url


def _is_internal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global
