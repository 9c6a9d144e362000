"""HTML extraction in a child process, so the bot's event loop never waits on it.

trafilatura's work is mostly lxml calls (XPath over the whole tree) that hold the GIL for
tens of milliseconds each: in a thread, a 2 MB page full of menus held the event loop
~0.1 s at a time (0.2 s on a loaded machine). A child process holds no GIL of ours.

Each HTML source is reduced by a fresh `python -m briefings.sources.worker` (the bytes
on its standard input, the text as JSON on its output): nothing of the bot is imported
there (a multiprocessing pool would import the bot's `__main__` into its workers), it is
killed if it takes longer than EXTRACT_TIMEOUT_S, it runs under a memory and CPU limit,
and its memory is returned when it ends. Attaching a source is rare (five a minute per
server at most), so its start-up (~0.5 s, trafilatura's import included) is paid gladly.
Text and Markdown stay in a thread: they are decoded and cleaned, never parsed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
from functools import partial
from typing import Any

from briefings.sources.errors import SourceRefused
from briefings.sources.extract import HTML_TYPES, Extracted, extract
from briefings.sources.limits import EXTRACT_TIMEOUT_S

SECRETS = frozenset({"DISCORD_TOKEN"})
"""Not passed to the child, which parses pages from anywhere."""
MEMORY_LIMIT = 1024 * 1024 * 1024
"""Address space of the child: a hostile page cannot take the machine's memory."""


async def extract_off_loop(raw: bytes, media_type: str, charset: str | None) -> Extracted:
    """`extract`, never on the event loop: HTML in a child process, text in a thread."""
    if media_type not in HTML_TYPES:
        return await asyncio.to_thread(partial(extract, raw, media_type, charset=charset))
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        media_type,
        charset or "",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k not in SECRETS},
    )
    try:
        async with asyncio.timeout(EXTRACT_TIMEOUT_S):
            out, _ = await child.communicate(raw)
    except TimeoutError:
        raise SourceRefused("unreadable") from None
    finally:
        if child.returncode is None:  # timed out, or the caller was cancelled
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()
    return _answer(out, child.returncode)


def _answer(out: bytes, code: int | None) -> Extracted:
    try:
        answer: dict[str, Any] = json.loads(out) if code == 0 else {}
    except ValueError:
        answer = {}
    if "refused" in answer:
        raise SourceRefused(answer["refused"], **answer["detail"])
    if "text" not in answer:  # killed by its limits, or crashed
        raise SourceRefused("unreadable")
    return Extracted(answer["text"], answer["title"], answer["media_type"])


def main() -> int:
    """In the child: the bytes from standard input, the answer as JSON on standard output."""
    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, 60)):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))
    media_type, charset = sys.argv[1], sys.argv[2] or None
    raw = sys.stdin.buffer.read()
    try:
        got = extract(raw, media_type, charset=charset)
        answer: dict[str, Any] = {
            "text": got.text,
            "title": got.title,
            "media_type": got.media_type,
        }
    except SourceRefused as refused:
        answer = {"refused": refused.reason, "detail": refused.detail}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
