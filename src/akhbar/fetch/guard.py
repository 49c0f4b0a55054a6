"""The SSRF guard: resolve a host and refuse any address that is not public."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from akhbar.fetch.errors import FetchError

Resolver = Callable[[str, int], Awaitable[list[str]]]

_IPv4 = ipaddress.IPv4Address
_IPv6 = ipaddress.IPv6Address

# Prefixes that embed an IPv4 address in the low 32 bits; the embedded address decides.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"),)
# Prefixes never public whatever Python's tables say (they changed across 3.11 patch releases).
_NEVER_PUBLIC = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",  # deprecated site-local
    )
)


def _embedded_ipv4(addr: _IPv6) -> _IPv4 | None:
    """Return the IPv4 address carried by a mapped, 6to4, Teredo or NAT64 IPv6 address."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]  # the client's address; the server side is public by definition
    if any(addr in net for net in _NAT64):
        return _IPv4(int(addr) & 0xFFFFFFFF)
    return None


def is_public_address(ip: str) -> bool:
    """Return True when ip (IPv4 or IPv6 text) is a globally routable unicast address."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0].strip("[]"))
    except ValueError:
        return False
    if isinstance(addr, _IPv6):
        if addr.ipv4_mapped is not None:
            return is_public_address(str(addr.ipv4_mapped))
        embedded = _embedded_ipv4(addr)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
        if addr.is_site_local:
            return False
    if any(addr.version == net.version and addr in net for net in _NEVER_PUBLIC):
        return False
    flags = (addr.is_private, addr.is_loopback, addr.is_link_local, addr.is_multicast, addr.is_reserved)
    return addr.is_global and not addr.is_unspecified and not any(flags)


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve host with getaddrinfo in a worker thread and return its addresses, in order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address not in seen:
            seen.append(address)
    return seen


def _ip_literal(host: str) -> str | None:
    """Return host as a normalised IP address when it is one, else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def resolve_checked(
    host: str, port: int, *, resolver: Resolver, allow_private: bool, timeout: float, url: str
) -> list[str]:
    """Resolve host and return its addresses; raise FetchError when any is not public."""
    literal = _ip_literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            async with asyncio.timeout(timeout):
                addresses = await resolver(host, port)
        except TimeoutError:
            raise FetchError("dns", f"DNS lookup of {host} timed out after {timeout:g} s", url=url) from None
        except (OSError, UnicodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise FetchError("dns", f"cannot resolve {host} ({reason})", url=url) from None
        if not addresses:
            raise FetchError("dns", f"cannot resolve {host} (no address)", url=url)
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(
                    "blocked_address", f"refused non-public address {address} for {host}", url=url
                )
    return addresses
