"""A real HTTP server on 127.0.0.1 serving good and hostile pages, for fetch tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from tests.briefings.source_article import HTML, MARKDOWN

BIG = 3 * 1024 * 1024
"""Over the 2 MB limit."""


@dataclass(slots=True)
class SourceServer:
    base: str
    hits: dict[str, int]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _app(hits: dict[str, int], release: asyncio.Event) -> web.Application:
    async def count(request: web.Request) -> None:
        hits[request.path] = hits.get(request.path, 0) + 1

    async def article(request: web.Request) -> web.StreamResponse:
        await count(request)
        return web.Response(text=HTML, content_type="text/html")

    async def markdown(request: web.Request) -> web.StreamResponse:
        return web.Response(text=MARKDOWN, content_type="text/markdown")

    async def loop(request: web.Request) -> web.StreamResponse:
        await count(request)
        raise web.HTTPFound("/loop")

    async def to_private(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://10.0.0.1/admin")

    async def to_metadata(request: web.Request) -> web.StreamResponse:
        raise web.HTTPTemporaryRedirect("http://169.254.169.254/latest/meta-data/")

    async def to_article(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently("/article.html")

    async def big(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"a" * BIG, content_type="text/plain")

    async def big_chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(BIG // 65536 + 2):
            await response.write(b"b" * 65536)
        await response.write_eof()
        return response

    async def slow(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b"The first words arrive, then nothing more for a long while. ")
        await asyncio.wait_for(release.wait(), timeout=30)
        return response

    async def image(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 500, content_type="image/png")

    async def latin1(request: web.Request) -> web.StreamResponse:
        body = ("Caf\u00e9 society in Ankara. " * 20).encode("latin-1")
        return web.Response(body=body, headers={"Content-Type": "text/plain"})

    async def latin1_html(request: web.Request) -> web.StreamResponse:
        page = HTML.replace('charset="utf-8"', 'charset="windows-1252"')
        page = page.replace("Erdoğan", "Erdogan").replace(
            "the Kremlin.", "the Kremlin in a caf\u00e9."
        )
        return web.Response(body=page.encode("cp1252"), headers={"Content-Type": "text/html"})

    app = web.Application()
    for path, handler in {
        "/article.html": article,
        "/article.md": markdown,
        "/loop": loop,
        "/to-private": to_private,
        "/to-metadata": to_metadata,
        "/moved": to_article,
        "/big": big,
        "/big-chunked": big_chunked,
        "/slow": slow,
        "/image.png": image,
        "/latin1.txt": latin1,
        "/latin1.html": latin1_html,
    }.items():
        app.router.add_get(path, handler)
    return app


@asynccontextmanager
async def serving() -> AsyncIterator[SourceServer]:
    hits: dict[str, int] = {}
    release = asyncio.Event()
    runner = web.AppRunner(_app(hits, release), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield SourceServer(f"http://127.0.0.1:{port}", hits)
    finally:
        release.set()
        await runner.cleanup()
