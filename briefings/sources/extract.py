"""A source's bytes become its text: decoded, HTML reduced to its main text, cleaned.

CPU-bound (trafilatura parses the whole page with lxml): call `extract` in a worker thread.
trafilatura is imported on the first HTML source (a third of a second and ~25 MB), in that
thread, so a bot that never sees HTML never pays for it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import PurePosixPath
from typing import Any

from briefings.sources.errors import SourceRefused
from briefings.sources.limits import FILE_SUFFIXES, MAX_SOURCE_CHARS, MIN_SOURCE_CHARS

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SCRIPT = re.compile(r"<(script|style|noscript|iframe)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
_BLANKS = re.compile(r"\n{3,}")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_TITLE = re.compile(r"<title[^>]*>([^<]{1,400})</title>", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A source's readable text (Markdown headings kept, `# Title`) and its title."""

    text: str
    title: str | None
    media_type: str


def media_type_of(filename: str) -> str:
    """The kind of an attachment, by its name's suffix (text, Markdown or HTML only)."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix not in FILE_SUFFIXES:
        raise SourceRefused("file-type", name=filename[:100])
    return FILE_SUFFIXES[suffix]


def extract(raw: bytes, media_type: str, *, charset: str | None = None) -> Extracted:
    """The text of a source; SourceRefused if it cannot be read or is not an article.

    `charset` is what the HTTP header declared, if anything; an HTML page may also declare
    one in a `<meta>`; anything else must be UTF-8."""
    html = media_type in HTML_TYPES
    declared = charset or (_meta_charset(raw) if html else None)
    text = decode(raw, declared)
    if html:
        text, title = _main_text(text)
    else:
        text = _SCRIPT.sub("", text)  # a Markdown file may carry raw HTML
        found = _HEADING.search(text)
        title = found.group(1) if found else None
    text = clean(text)
    if len(text) > MAX_SOURCE_CHARS:
        raise SourceRefused("too-long", limit=MAX_SOURCE_CHARS)
    if len(text) < MIN_SOURCE_CHARS:
        raise SourceRefused("too-short", limit=MIN_SOURCE_CHARS)
    return Extracted(text, (clean(title)[:200] or None) if title else None, media_type)


def decode(raw: bytes, declared: str | None) -> str:
    """By a byte-order mark, else the declared charset, else UTF-8; never guessed."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            declared = codec
            break
    name = declared or "utf-8"
    try:
        codec = codecs.lookup(name).name
        text = raw.decode(codec)
    except LookupError:
        raise SourceRefused("encoding", charset=name[:40]) from None
    except UnicodeDecodeError:
        raise SourceRefused("encoding", charset=declared[:40] if declared else "none") from None
    if "\x00" in text:  # a binary file named .txt
        raise SourceRefused("encoding", charset=declared[:40] if declared else "none")
    return text


def clean(text: str) -> str:
    """NFC, Unix newlines, no control or zero-width characters, at most one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _meta_charset(raw: bytes) -> str | None:
    found = _META_CHARSET.search(raw[:4096])
    return found.group(1).decode("ascii") if found else None


def _main_text(html: str) -> tuple[str, str | None]:
    """The article's main text as Markdown (headings kept; scripts, styles, menus and
    footers dropped) and its title."""
    import trafilatura  # lazily, in the caller's worker thread: see the module docstring

    options: dict[str, Any] = {
        "output_format": "markdown",
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "include_links": False,
    }
    text = trafilatura.extract(html, **options) or ""
    # Not trafilatura's metadata: its date search holds the GIL (and so the bot's event
    # loop) for ~0.2 s on a 2 MB page. The page's first heading, else its <title>.
    heading = _HEADING.search(text)
    if heading:
        return text, heading.group(1)
    found = _TITLE.search(html[:65536])
    return text, html_unescape(found.group(1)).strip() if found else None
