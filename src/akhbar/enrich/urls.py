"""Canonicalise article URLs so that one article reached by several links is stored once."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": "80", "https": "443"}

# Query parameters that only say how a reader arrived (campaigns, click ids, share widgets), never which page.
_TRACKING_EXACT = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
    "yclid", "_ga", "_gl", "ref_src", "ref_url", "_hsenc", "_hsmi", "mkt_tok", "oly_enc_id", "oly_anon_id",
    "vero_id", "xtor", "xtref", "at_medium", "at_campaign", "at_source", "cmpid", "ncid", "ocid", "twclid",
    "ttclid", "li_fat_id", "s_cid", "wt_mc", "__twitter_impression", "sr_share", "ito",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# Query parameters that ask for the AMP rendering of the same page: (name, values that mean "AMP").
_AMP_PARAMS = {"amp": {"", "1", "true", "yes"}, "outputtype": {"amp"}}
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


def _netloc(parts: SplitResult, scheme: str) -> str:
    """Return the lowercased host with its port (default ports dropped), userinfo kept as given."""
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if hostport.startswith("["):  # IPv6 literal: the port follows the closing bracket
        host, _, port = hostport[1:].partition("]")
        host, port = f"[{host.lower()}]", port.removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
        host = host.lower().rstrip(".")
    while host.startswith("amp.") and host.count(".") >= 2:
        host = host.removeprefix("amp.")
    if port == _DEFAULT_PORTS.get(scheme) or port == "":
        port = ""
    netloc = f"{host}:{port}" if port else host
    return f"{userinfo}@{netloc}" if userinfo else netloc


def _path(path: str) -> str:
    """Return the path with AMP markers removed and percent-escapes in upper case."""
    path = _PERCENT.sub(lambda m: m.group(0).upper(), path) or "/"
    plain = _without_amp(path)
    while plain != path:  # repeat so that the result is stable ("/x/amp/amp")
        path, plain = plain, _without_amp(plain)
    return path


def _without_amp(path: str) -> str:
    """Remove one layer of AMP markers from a path."""
    if path.endswith(".amp.html"):
        path = path.removesuffix(".amp.html") + ".html"
    if path.endswith("/amp/"):  # WordPress style: /slug/amp/ -> /slug/
        path = path.removesuffix("amp/")
    elif path.endswith("/amp"):  # /section/slug/amp -> /section/slug
        path = path.removesuffix("/amp") or "/"
    if path.startswith("/amp/"):
        path = path.removeprefix("/amp")
    return path


def _keep_param(piece: str) -> bool:
    """Tell whether one raw key=value query piece says which page it is (not how it was reached)."""
    raw_key, _, raw_value = piece.partition("=")
    key = unquote_plus(raw_key).strip().lower()
    if not key or key in _TRACKING_EXACT or key.startswith(_TRACKING_PREFIXES):
        return False
    amp_values = _AMP_PARAMS.get(key)
    return amp_values is None or unquote_plus(raw_value).strip().lower() not in amp_values


def _query(query: str) -> str:
    """Return the query without tracking/AMP parameters, pieces sorted, their encoding left untouched."""
    pieces = [p for p in query.split("&") if p and _keep_param(p)]
    return "&".join(sorted(pieces))


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL; other strings come back stripped but unchanged."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket: leave it as it is
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return url
    return urlunsplit((scheme, _netloc(parts, scheme), _path(parts.path), _query(parts.query), ""))
