"""Webhook callback URLs: which ``callback_url`` a client may ask the core to call.

The first of two checks against server-side request forgery. Here, at submission: only
``https`` to a canonical public host name or a canonical global IP literal, no userinfo,
no control characters, no numeric forms that resolvers read differently (``2852039166``,
``0xa9fea9fe``, ``127.1``, octal quads), no trailing dot, no internal names. The second,
at send time (``api/adapters/webhooks.py``), resolves the name, refuses any non-global
address and connects to the address it checked.

Loopback receivers (``http`` or ``https`` to ``127.0.0.1``, ``::1``, ``localhost``) are
accepted only when the caller allows them: the local profile with
``VITRINE_WEBHOOK_ALLOW_LOOPBACK=true`` (``Settings.callback_loopback_allowed``).
Delivery (signing, retries) is the ``WebhookSender`` port's.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from api.domain.errors import RequestValidationFailed
from api.domain.network import LOOPBACK_HOSTS, is_global_address

MAX_URL_CHARS = 2048
# Names that only mean something inside a network (RFC 6761, 6762, 8375 and cloud DNS).
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")
# A host name of letters, digits and inner hyphens (IDNs in their xn-- form), no final dot.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(?:\.{_LABEL})+\Z")
# WHATWG URL "ends in a number": such a host is an IPv4 address to browsers and resolvers.
_NUMERIC_LABEL = re.compile(r"(?:[0-9]+|0x[0-9a-f]*)\Z")
# Anything below 0x21, DEL, and non-ASCII: urlsplit would strip or keep them unchecked.
_UNSAFE_CHARS = re.compile(r"[^\x21-\x7e]")


def validate_callback_url(url: str, *, allow_loopback: bool) -> str:
    """Return ``url`` if a job may call it back; raise ``RequestValidationFailed`` if not."""
    if len(url) > MAX_URL_CHARS:
        raise RequestValidationFailed(f"callback_url is longer than {MAX_URL_CHARS} characters")
    if _UNSAFE_CHARS.search(url):
        raise RequestValidationFailed(
            "callback_url must not contain spaces, control or non-ASCII characters"
        )
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise RequestValidationFailed(f"callback_url is not a valid URL: {exc}") from exc
    if "@" in parts.netloc:
        raise RequestValidationFailed("callback_url must not carry credentials")
    if not host:
        raise RequestValidationFailed("callback_url needs a host")
    if port == 0:
        raise RequestValidationFailed("callback_url has an invalid port")
    loopback = allow_loopback and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        allowed = "https" + (" (or http to a loopback receiver)" if allow_loopback else "")
        raise RequestValidationFailed(f"callback_url must use {allowed}")
    if not loopback and not is_public_host(host):
        raise RequestValidationFailed(
            "callback_url must name a public host: a DNS name or a canonical public IP address"
        )
    return url


def is_public_host(host: str) -> bool:
    """``True`` for a canonical public host: a DNS name outside the internal suffixes, or
    a global IP literal written the one way (dotted quad, or IPv6 without a zone)."""
    if ":" in host:  # IPv6 literal (urlsplit dropped the brackets)
        try:
            return is_global_address(ipaddress.IPv6Address(host))
        except ValueError:
            return False  # malformed, or a zone id (fe80::1%eth0)
    if _NUMERIC_LABEL.match(host.rpartition(".")[2]):
        try:
            address = ipaddress.IPv4Address(host)  # refuses short, hex and octal forms
        except ValueError:
            return False
        return str(address) == host and is_global_address(address)
    if not _HOST_NAME.match(host):
        return False  # no dot, a trailing dot, underscores, an empty label, …
    return host != "localhost" and not host.endswith(_INTERNAL_SUFFIXES)
