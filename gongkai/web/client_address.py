"""The client's address, as the audit trail (source_ip), the rate limits and django-axes see it.

Behind a reverse proxy every connection comes from the proxy, and the client's address is in
X-Forwarded-For, which each proxy extends with the address of the peer it talked to. Everything
left of the entry our own proxy appended was written by whoever sent the request, so it proves
nothing. The header is therefore read only when the connection itself (REMOTE_ADDR) comes from a
trusted proxy (GONGKAI_TRUSTED_PROXIES, addresses or CIDR networks), and from the right: trusted
proxies are skipped, and the first address that is not one of them is the client. A client that
writes its own X-Forwarded-For can add entries only to the left of that, where they are never read.

Written here on the standard library's ipaddress rather than taken from python-ipware (which
django-axes would use): ipware is "best effort" by its own description, reads the left-most address
of the header by default (the one any client can write) and looks at a dozen headers; gongkai needs
one strict rule, shared by the audit trail, the rate limits and the sign-in lockout.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=4)
def _networks(listed: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network, strict=False) for network in listed)


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address, or None when the connection has none (a test client without one)."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = _networks(tuple(settings.GONGKAI_TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    nearest = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        address = _parse(hop)
        if address is None:
            # A trusted proxy writes addresses; anything else was not written by one. Stop at the
            # nearest address a trusted proxy vouched for rather than guess further left.
            return str(nearest)
        if not _trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)  # every hop is a trusted proxy: the left-most is as far as we can see
