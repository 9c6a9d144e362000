"""Fetch a source page over HTTP(S), with every limit: size, time, type, redirects, address.

Redirects are followed here, one hop at a time, each hop's URL checked again (scheme, no
credentials, no private IP literal); every connection goes through `PublicResolver`, so a
name is connected to only at an address that was checked. The body is streamed and the
fetch stops as soon as it passes the size limit, whatever Content-Length said (and counts
what it decompresses, so a small gzip bomb stops there too).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
from yarl import URL

from briefings.sources.addresses import PublicResolver, check_host
from briefings.sources.errors import SourceRefused
from briefings.sources.limits import FETCH_TYPES, MAX_URL_CHARS, FetchLimits

REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
HEADERS = {
    "User-Agent": "briefing-bot/0.1 (fetches one article an editor asked for)",
    "Accept": "text/html, text/markdown, text/plain;q=0.9",
}


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    """Where the page was in the end (after redirects)."""
    raw: bytes
    media_type: str
    charset: str | None
    """As the Content-Type header declared it, if it did."""


def check_url(url: str | URL, *, allow_loopback: bool) -> URL:
    """The URL, if it is one a fetch may go to: http(s), no credentials, not a private
    address written as an IP; its fragment dropped. SourceRefused otherwise."""
    text = str(url)
    if len(text) > MAX_URL_CHARS:
        raise SourceRefused("bad-url", url=text[:60] + "…")
    try:
        parsed = URL(text.strip()) if isinstance(url, str) else url
    except (ValueError, TypeError):
        raise SourceRefused("bad-url", url=text[:100]) from None
    if parsed.scheme not in ("http", "https"):
        raise SourceRefused("scheme", scheme=(parsed.scheme or "none")[:20])
    if parsed.user is not None or parsed.password is not None:
        raise SourceRefused("credentials")
    if not parsed.host:
        raise SourceRefused("bad-url", url=text[:100])
    check_host(parsed.host, allow_loopback=allow_loopback)
    return parsed.with_fragment(None)


async def fetch(url: str, limits: FetchLimits | None = None) -> Fetched:
    """The page at `url` within `limits`; SourceRefused (with its reason) otherwise."""
    limits = limits or FetchLimits()
    current = check_url(url, allow_loopback=limits.allow_loopback)
    connector = aiohttp.TCPConnector(
        resolver=PublicResolver(allow_loopback=limits.allow_loopback),
        use_dns_cache=False,
        limit=2,
    )
    timeout = aiohttp.ClientTimeout(total=limits.timeout_s, sock_connect=limits.connect_timeout_s)
    try:
        async with (
            asyncio.timeout(limits.timeout_s),
            aiohttp.ClientSession(
                connector=connector, timeout=timeout, headers=HEADERS, trust_env=False
            ) as session,
        ):
            for _ in range(limits.max_redirects + 1):
                async with session.get(current, allow_redirects=False) as response:
                    if response.status in REDIRECTS:
                        current = _next_hop(current, response, limits)
                        continue
                    return await _page(current, response, limits)
            raise SourceRefused("redirects", limit=limits.max_redirects)
    except TimeoutError:
        raise SourceRefused("timeout", limit=int(limits.timeout_s)) from None
    except aiohttp.ClientError:
        raise SourceRefused("unreachable", host=(current.host or "")[:100]) from None


def _next_hop(current: URL, response: aiohttp.ClientResponse, limits: FetchLimits) -> URL:
    location = response.headers.get("Location", "")
    try:
        target = current.join(URL(location))
    except ValueError:
        raise SourceRefused("bad-url", url=location[:100]) from None
    return check_url(target, allow_loopback=limits.allow_loopback)


async def _page(url: URL, response: aiohttp.ClientResponse, limits: FetchLimits) -> Fetched:
    if response.status != 200:
        raise SourceRefused("status", status=response.status)
    media_type = response.content_type.lower()
    if media_type not in FETCH_TYPES:
        raise SourceRefused("content-type", type=media_type[:60] or "unknown")
    if response.content_length is not None and response.content_length > limits.max_bytes:
        raise SourceRefused("too-large", limit=limits.max_bytes)
    body = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        body += chunk
        if len(body) > limits.max_bytes:
            raise SourceRefused("too-large", limit=limits.max_bytes)
    return Fetched(str(url), bytes(body), media_type, response.charset)
