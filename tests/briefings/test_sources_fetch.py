"""Fetching a source: a real HTTP server on 127.0.0.1, every limit and every refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from briefings.sources.errors import SourceRefused
from briefings.sources.extract import extract
from briefings.sources.fetch import check_url, fetch
from briefings.sources.limits import FetchLimits
from tests.briefings.source_server import SourceServer, serving

LOCAL = FetchLimits(allow_loopback=True, timeout_s=2.0)


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with serving() as running:
        yield running


async def refusal(url: str, limits: FetchLimits = LOCAL) -> SourceRefused:
    with pytest.raises(SourceRefused) as refused:
        await fetch(url, limits)
    return refused.value


async def test_an_article_page_is_fetched_and_reduced_to_its_main_text(
    server: SourceServer,
) -> None:
    page = await fetch(server.url("/article.html"), LOCAL)
    assert page.media_type == "text/html" and page.url == server.url("/article.html")
    text = extract(page.raw, page.media_type, charset=page.charset).text
    assert "## The corridor" in text and "Olena Marchenko said in Odesa" in text
    for hostile in ("secretScript", "alert", "injected by a script", "color: red", "Log in"):
        assert hostile not in text


async def test_a_redirect_is_followed_to_the_page(server: SourceServer) -> None:
    page = await fetch(server.url("/moved"), LOCAL)
    assert page.url == server.url("/article.html")


async def test_a_redirect_loop_stops_at_the_limit(server: SourceServer) -> None:
    refused = await refusal(server.url("/loop"))
    assert refused.reason == "redirects" and refused.detail == {"limit": 5}
    assert server.hits["/loop"] == 6  # the first request and five redirects, no more


@pytest.mark.parametrize(
    ("path", "address"), [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254")]
)
async def test_a_redirect_to_a_private_address_is_refused(
    server: SourceServer, path: str, address: str
) -> None:
    refused = await refusal(server.url(path))
    assert refused.reason == "address" and refused.detail["address"] == address


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_an_oversized_body_is_refused_with_or_without_content_length(
    server: SourceServer, path: str
) -> None:
    refused = await refusal(server.url(path))
    assert refused.reason == "too-large" and refused.detail["limit"] == 2 * 1024 * 1024


async def test_a_body_slower_than_the_time_limit_is_refused(server: SourceServer) -> None:
    refused = await refusal(server.url("/slow"), FetchLimits(allow_loopback=True, timeout_s=0.5))
    assert refused.reason == "timeout"


async def test_a_wrong_content_type_is_refused(server: SourceServer) -> None:
    refused = await refusal(server.url("/image.png"))
    assert refused.reason == "content-type" and refused.detail["type"] == "image/png"


async def test_text_that_is_not_utf8_and_declares_no_charset_is_refused(
    server: SourceServer,
) -> None:
    page = await fetch(server.url("/latin1.txt"), LOCAL)
    with pytest.raises(SourceRefused) as refused:
        extract(page.raw, page.media_type, charset=page.charset)
    assert refused.value.reason == "encoding"


async def test_html_in_its_declared_charset_is_decoded(server: SourceServer) -> None:
    page = await fetch(server.url("/latin1.html"), LOCAL)
    text = extract(page.raw, page.media_type, charset=page.charset).text
    assert "the Kremlin in a café." in text and "“The sea is open for business,”" in text


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8080/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://224.0.0.1/", "224.0.0.1"),
    ],
)
async def test_private_and_local_addresses_are_refused_without_the_test_setting(
    url: str, address: str
) -> None:
    refused = await refusal(url, FetchLimits())
    assert refused.reason == "address" and refused.detail["address"] == address


async def test_a_name_resolving_to_loopback_is_refused_at_connection(server: SourceServer) -> None:
    # "localhost" is no IP literal: only the resolver the connection uses can refuse it.
    port = server.base.rsplit(":", 1)[1]
    refused = await refusal(f"http://localhost:{port}/article.html", FetchLimits())
    assert refused.reason == "address" and refused.detail["host"] == "localhost"
    assert "/article.html" not in server.hits  # no request reached the server


async def test_the_loopback_setting_opens_loopback_and_nothing_else() -> None:
    for url in ("http://10.0.0.1/", "http://192.168.1.1/", "http://[fc00::1]/"):
        refused = await refusal(url, LOCAL)
        assert refused.reason == "address"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/article.txt", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("http://user:secret@example.org/", "credentials"),
        ("http://example.org@10.0.0.1/", "credentials"),
        ("http:///no-host", "bad-url"),
        ("https://example.org/" + "a" * 2100, "bad-url"),
    ],
)
def test_urls_that_are_not_plain_http_are_refused_before_any_connection(
    url: str, reason: str
) -> None:
    with pytest.raises(SourceRefused) as refused:
        check_url(url, allow_loopback=False)
    assert refused.value.reason == reason
