"""Who reports: a signed first-party cookie holding a random id, and the network the request came from."""

from __future__ import annotations

import ipaddress
import re
import secrets
from functools import lru_cache

from itsdangerous import BadSignature, Signer

COOKIE = "akhbar_reporter"
# The cookie only travels to the report endpoints (/img/report...), never with pages, images or the API.
COOKIE_PATH = "/img/report"
COOKIE_MAX_AGE = 365 * 24 * 3600
SALT = "akhbar.reporter"
_ID = re.compile(r"^[A-Za-z0-9_-]{22,43}$")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxySettingError(ValueError):
    """The trusted_proxies setting holds something that is not an address or a network."""


def new_reporter_id() -> str:
    """Return a fresh random reporter id (128 bits)."""
    return secrets.token_urlsafe(16)


def sign(reporter_id: str, key: str) -> str:
    """Return the cookie value of a reporter id, signed with the portal's key."""
    return Signer(key, salt=SALT).sign(reporter_id).decode()


def unsign(value: str, key: str) -> str:
    """Return the reporter id of a cookie value, or "" when it is absent, malformed or not ours."""
    if not value:
        return ""
    try:
        reporter_id = Signer(key, salt=SALT).unsign(value).decode()
    except (BadSignature, UnicodeDecodeError):
        return ""
    return reporter_id if _ID.match(reporter_id) else ""


def network_of(host: str) -> str:
    """Return the network an address counts in: its /24 (IPv4) or /64 (IPv6)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64] or "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@lru_cache(maxsize=8)
def parse_proxies(spec: str) -> tuple[Network, ...]:
    """Read the trusted_proxies setting: comma-separated addresses or networks (ProxySettingError if bad)."""
    networks: list[Network] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ProxySettingError(f"trusted_proxies: {part!r} is not an address or a network") from None
    return tuple(networks)


def _trusted(host: str, proxies: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in proxies)


def client_address(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """Return the client's address: the peer, or X-Forwarded-For's client behind a trusted proxy."""
    if not proxies or not _trusted(peer, proxies):
        return peer  # by default no header is believed: anyone can write X-Forwarded-For
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    client = peer
    # Walk from the nearest hop outwards; the first address no trusted proxy vouches for is the client.
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a garbled hop: trust nothing beyond it
        client = hop
        if not _trusted(hop, proxies):
            break
    return client
