"""Which address a request comes from, behind reverse proxies we trust. Pure.

A client can write anything into ``X-Forwarded-For``; only the entries appended by
proxies we run can be believed. So the header is read only when the connection itself
comes from a trusted proxy, and then from the right: each trusted hop is skipped and the
first address that is not a trusted proxy is the client's. Entries further left were
written by that client and are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_ADDRESS = 64  # the longest address the sign-in record keeps


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDR networks; raises ``ValueError`` naming a bad entry."""
    networks: list[Network] = []
    for part in text.split(","):
        entry = part.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an address or network: {entry[:80]!r}") from None
    return tuple(networks)


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an IP address (``[…]`` around IPv6 allowed), or ``None`` if it is not one."""
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(text: str, trusted: Sequence[Network]) -> bool:
    address = parse_address(text)
    return address is not None and any(address in network for network in trusted)


def normalise(text: str) -> str:
    """An address in its canonical spelling (an unparseable one as given), cut to size."""
    address = parse_address(text)
    return (str(address) if address is not None else text.strip())[:MAX_ADDRESS]


def client_address(peer: str, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The client's address given the TCP peer, the ``X-Forwarded-For`` headers, the proxies.

    With no trusted proxies, or a peer that is not one, the peer is the client. Otherwise
    the right-most address of the chain that is not a trusted proxy is; if every hop is
    trusted, the left-most one is.
    """
    if not is_trusted(peer, trusted):
        return normalise(peer)
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            return normalise(hop)
    return normalise(hops[0]) if hops else normalise(peer)
