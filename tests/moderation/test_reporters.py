"""Reporter identity and the policy's arithmetic, without a database."""

from __future__ import annotations

import pytest

from akhbar.config import load_settings
from akhbar.moderation import reporters
from akhbar.moderation.policy import Policy, Tally, crosses, weight


@pytest.mark.parametrize(
    ("host", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("testclient", "testclient"),
        ("", "unknown"),
    ],
)
def test_network_of(host, network):
    assert reporters.network_of(host) == network


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("10.0.0.2", "203.0.113.5", "", "10.0.0.2"),  # nothing trusted: the header is ignored
        ("10.0.0.2", "203.0.113.5", "10.0.0.0/8", "203.0.113.5"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.9", "10.0.0.0/8", "203.0.113.5"),  # spoofed first hop
        ("192.0.2.1", "203.0.113.5", "10.0.0.0/8", "192.0.2.1"),  # the peer is no proxy of ours
        ("10.0.0.2", "not-an-ip", "10.0.0.2", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_client_address_believes_only_trusted_proxies(peer, forwarded, proxies, client):
    assert reporters.client_address(peer, forwarded, reporters.parse_proxies(proxies)) == client


def test_a_bad_proxy_setting_is_one_line():
    with pytest.raises(reporters.ProxySettingError, match="^trusted_proxies: 'nope' is not"):
        reporters.parse_proxies("10.0.0.1, nope")


def test_the_reporter_cookie_is_signed():
    reporter = reporters.new_reporter_id()
    value = reporters.sign(reporter, "key")
    assert reporters.unsign(value, "key") == reporter
    assert reporters.unsign(value, "other key") == ""
    assert reporters.unsign(reporter + ".forged", "key") == ""
    assert reporters.unsign("", "key") == ""


@pytest.mark.parametrize(("rejections", "expected"), [(0, 1.0), (1, 0.5), (2, 0.25), (-1, 1.0)])
def test_weight_halves_with_each_rejection(rejections, expected):
    assert weight(rejections) == expected


@pytest.mark.parametrize(
    ("tally", "blocks"),
    [
        (Tally(3, 2, 3.0), True),
        (Tally(3, 1, 3.0), False),  # one network is not enough
        (Tally(5, 3, 2.5), False),  # rejected reporters weigh less
        (Tally(4, 2, 0.75 + 0.75 + 0.5 + 1.0), True),
    ],
)
def test_crosses(tally, blocks):
    assert crosses(tally, Policy()) is blocks


def test_policy_from_settings():
    settings = load_settings(
        {"AKHBAR_REPORT_MIN_REPORTERS": "5", "AKHBAR_REPORT_RATE_LIMIT": "7"}, env_file=None
    )
    policy = Policy.from_settings(settings)
    assert (policy.min_reporters, policy.min_networks, policy.rate_limit) == (5.0, 2, 7)
    assert policy.protection.days == 7
