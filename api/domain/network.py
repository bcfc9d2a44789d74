"""Which network addresses a webhook may reach: shared by the callback URL check
(``api/services/webhooks.py``) and the sender's send-time check (``api/adapters/webhooks.py``)."""

from __future__ import annotations

import ipaddress

# Loopback receivers, accepted only where explicitly allowed (local profile).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def is_global_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """``True`` only for a globally routable unicast address; an IPv6 address that embeds
    an IPv4 one (v4-mapped, NAT64, 6to4, Teredo) must embed a global one too."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = [address.ipv4_mapped, address.sixtofour]
        if address.teredo is not None:
            embedded.extend(address.teredo)
        if address in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(v4 is None or is_global_address(v4) for v4 in embedded)
    return True


def is_loopback_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """``True`` for 127.0.0.0/8, ``::1`` and their v4-mapped forms."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback
