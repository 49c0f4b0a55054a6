"""The SSRF guard: the address predicate, resolution through a resolver, redirects and address pinning."""

from __future__ import annotations

import socket

import httpx
import pytest

from akhbar.config import Settings
from akhbar.fetch import Fetcher, FetchError, is_public_address

from .loopback import AsyncServer

NOT_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "10.255.255.254",
    "172.16.0.1",
    "172.31.255.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "2002:7f00::1",
    "2002:c0a8:0101::1",
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b:1::1",
    "2001:db8::1",
    "100::1",
    "not an address",
    "",
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "2606:4700:4700::1111",
    "2a00:1450:4007::1",
    "::ffff:8.8.8.8",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(address) is True


def resolver_for(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """Return a resolver answering from table and failing like getaddrinfo for other names."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def ok_transport(seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=b"<rss/>")

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("addresses", [["127.0.0.1"], ["93.184.216.34", "10.1.2.3"], ["::1"], ["fd00::5"]])
async def test_public_name_resolving_to_private_address_is_refused(
    settings: Settings, addresses: list[str]
) -> None:
    seen: list[str] = []
    strict = settings.replace(fetch_allow_private=False)
    resolver = resolver_for({"news.example": addresses})
    async with Fetcher(strict, transport=ok_transport(seen), resolver=resolver) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("https://news.example/feed")
    assert info.value.kind == "blocked_address"
    assert "non-public address" in str(info.value)
    assert seen == []  # nothing was sent


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/feed", "http://[::1]:8080/", "http://169.254.169.254/latest/"]
)
async def test_ip_literal_private_hosts_are_refused(settings: Settings, url: str) -> None:
    seen: list[str] = []
    strict = settings.replace(fetch_allow_private=False)
    async with Fetcher(strict, transport=ok_transport(seen), resolver=resolver_for({})) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get(url)
    assert info.value.kind == "blocked_address"
    assert seen == []


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.7/admin", "http://internal.example/", "http://[::ffff:127.0.0.1]/", "/ok-relative"],
)
async def test_redirect_to_private_address_is_refused(settings: Settings, location: str) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/feed":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, content=b"fine")

    strict = settings.replace(fetch_allow_private=False)
    resolver = resolver_for({"public.example": ["93.184.216.34"], "internal.example": ["192.168.0.10"]})
    async with Fetcher(strict, transport=httpx.MockTransport(handler), resolver=resolver) as fetcher:
        if location.startswith("/"):
            result = await fetcher.get("http://public.example/feed")
            assert result.url == "http://public.example/ok-relative"
            return
        with pytest.raises(FetchError) as info:
            await fetcher.get("http://public.example/feed")
    assert info.value.kind == "blocked_address"
    assert seen == ["http://public.example/feed"]


async def test_dns_failure_is_a_dns_error(settings: Settings) -> None:
    async with Fetcher(settings, transport=ok_transport([]), resolver=resolver_for({})) as fetcher:
        with pytest.raises(FetchError) as info:
            await fetcher.get("http://no-such-host.example/feed")
    assert info.value.kind == "dns"
    assert str(info.value).startswith("fetch: cannot resolve no-such-host.example")


async def test_connection_goes_to_the_checked_address(settings: Settings, server: AsyncServer) -> None:
    # The name exists only in our resolver: the request can only succeed if the transport connects to the
    # address the guard checked instead of resolving the name again (which is what defeats DNS rebinding).
    server.reply("/feed", b"<rss/>")
    resolver = resolver_for({"pinned.example": ["127.0.0.1"]})
    async with Fetcher(settings, resolver=resolver) as fetcher:
        result = await fetcher.get(f"http://pinned.example:{server.port}/feed")
    assert result.content == b"<rss/>"
    assert server.requests[0].headers["host"] == f"pinned.example:{server.port}"


async def test_international_names_are_resolved_and_pinned_in_ascii(
    settings: Settings, server: AsyncServer
) -> None:
    server.reply("/feed", b"ok")
    resolver = resolver_for({"xn--caf-dma.example": ["127.0.0.1"]})
    async with Fetcher(settings, resolver=resolver) as fetcher:
        assert (await fetcher.get(f"http://café.example:{server.port}/feed")).content == b"ok"


async def test_allow_private_lets_loopback_through(settings: Settings, server: AsyncServer) -> None:
    server.reply("/feed", b"ok")
    async with Fetcher(settings) as fetcher:
        assert (await fetcher.get(f"{server.url}/feed")).content == b"ok"
    strict = settings.replace(fetch_allow_private=False)
    async with Fetcher(strict) as fetcher:
        with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
            await fetcher.get(f"{server.url}/feed")
