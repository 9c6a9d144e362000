"""A draft briefing from a source: its sections, and one card proposal for each.

Pure: text in, proposals out (the caller runs it in a worker thread: dateparser's search
takes a few hundred milliseconds on an article). Sections follow the source's headings
(Markdown `#`, which HTML headings become on extraction); without them, paragraphs are
grouped to a readable size. A proposal carries what can be found verbatim (a title, an
anchor phrase, names, dates, figures, quotes); the summary, key points and bottom line
are left for the editor to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.anchors import ANCHOR_WORDS
from briefings.faithfulness import normalise
from briefings.search import NameIndex, fold
from briefings.sources.finds import (
    ActorFound,
    DateFound,
    QuoteFound,
    dates_in,
    figures_in,
    known_actors,
    mid_sentence_words,
    new_names,
    quotes_in,
)

TARGET_WORDS = 160
"""A section without headings grows paragraph by paragraph until it has this many words."""
MIN_WORDS = 60
"""A shorter last group joins the one before; shorter text before the first heading (a
byline, a date, a caption) is front matter, not a section."""
MAX_SECTIONS = 50
ANCHOR_TAKES = 8
"""Words of the section's opening an anchor takes (fewer if the first sentence ends)."""
TITLE_WORDS = 8
FIRST_LINE_CHARS = 160

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<?https?://[^\s>]+>?")
_BOILERPLATE = re.compile(r"^(?:related(?: articles?)?|read more|see also|also read)\s*:", re.I)
"""A "Related article:" line: a link to another page, not part of the article."""
_CAPTION = re.compile(r"\*\*[^*]+\*\*$")
"""A photo caption, which ends with its credit in bold."""
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)")


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    heading: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Proposal:
    """One draft card: what the source gives; the editor writes the rest."""

    section: int
    title: str
    from_heading: bool
    anchor: str | None
    first_line: str
    words: int
    actors: tuple[ActorFound, ...]
    new_names: tuple[str, ...]
    dates: tuple[DateFound, ...]
    figures: tuple[str, ...]
    quotes: tuple[QuoteFound, ...]


@dataclass(frozen=True, slots=True)
class Draft:
    title: str | None
    proposals: tuple[Proposal, ...]

    @property
    def by_headings(self) -> bool:
        return any(p.from_heading for p in self.proposals)


def plain(text: str) -> str:
    """Markdown links, bare URLs and emphasis dropped, spaces collapsed: the text as a
    reader sees it."""
    text = _URL.sub("", _LINK.sub(r"\1", text))
    return " ".join(_EMPHASIS.sub("", text).split())


def split(text: str) -> tuple[str | None, list[Section]]:
    """The document's title (a leading `# ` heading) and its sections."""
    blocks = _blocks(text)
    title = None
    if blocks and (top := _HEADING.match(blocks[0])) and len(top.group(1)) == 1:
        title, blocks = plain(top.group(2)), blocks[1:]
    headed = _by_headings(blocks)
    sections = headed if len(headed) >= 2 else _by_paragraphs(blocks)
    return title, sections[:MAX_SECTIONS]


def draft(text: str, index: NameIndex, *, title: str | None = None) -> Draft:
    """One proposal per section of `text`; `index` is the catalogue the server sees."""
    found_title, sections = split(text)
    mid = mid_sentence_words(text)
    whole = normalise(text)
    return Draft(title or found_title, tuple(_propose(s, index, mid, whole) for s in sections))


def _propose(section: Section, index: NameIndex, mid: frozenset[str], whole: str) -> Proposal:
    body = plain(section.text)
    dates = dates_in(body)
    actors = known_actors(body, index)
    matched = " | ".join(a.matched for a in actors)
    names = [n for n in new_names(body, index, mid_sentence=mid) if fold(n) not in matched]
    return Proposal(
        section=section.number,
        title=section.heading or _opening_title(body),
        from_heading=section.heading is not None,
        anchor=_anchor(plain(section.paragraphs[0]), whole),
        first_line=_clip(plain(section.paragraphs[0]), FIRST_LINE_CHARS),
        words=section.words,
        actors=tuple(actors),
        new_names=tuple(names),  # "Russian Black Sea" is part of a known name: not new
        dates=tuple(dates),
        figures=tuple(figures_in(body, dates)),
        quotes=tuple(quotes_in(body)),
    )


def _blocks(text: str) -> list[str]:
    """Paragraphs (not boilerplate); a heading line is a block of its own even without
    a blank line."""
    return [
        b for b in _all_blocks(text) if not (_CAPTION.search(b) or _BOILERPLATE.match(plain(b)))
    ]


def _all_blocks(text: str) -> list[str]:
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines: list[str] = []
        for line in chunk.split("\n"):
            if _HEADING.match(line.strip()):
                if lines:
                    out.append(" ".join(lines))
                    lines = []
                out.append(line.strip())
            elif line.strip():
                lines.append(line.strip())
        if lines:
            out.append(" ".join(lines))
    return out


def _by_headings(blocks: list[str]) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []

    def close() -> None:
        words = sum(len(p.split()) for p in paragraphs)
        if paragraphs and (heading is not None or words >= MIN_WORDS):
            sections.append(Section(len(sections) + 1, heading, tuple(paragraphs)))

    for block in blocks:
        found = _HEADING.match(block)
        if found:
            close()
            heading, paragraphs = plain(found.group(2)), []
        else:
            paragraphs.append(block)
    close()
    return sections if any(s.heading for s in sections) else []


def _by_paragraphs(blocks: list[str]) -> list[Section]:
    paragraphs = [b for b in blocks if not _HEADING.match(b)]
    while paragraphs and len(paragraphs[0].split()) < MIN_WORDS // 4:  # byline, date
        paragraphs = paragraphs[1:]
    groups: list[list[str]] = []
    current: list[str] = []
    for paragraph in paragraphs:
        current.append(paragraph)
        if sum(len(p.split()) for p in current) >= TARGET_WORDS:
            groups.append(current)
            current = []
    if current:
        if groups and sum(len(p.split()) for p in current) < MIN_WORDS:
            groups[-1] += current
        else:
            groups.append(current)
    return [Section(i + 1, None, tuple(g)) for i, g in enumerate(groups)]


def _anchor(opening: str, whole: str) -> str | None:
    """The first words of the section, verbatim; up to the first sentence's end."""
    words = opening.split()[:ANCHOR_TAKES]
    for i, word in enumerate(words):
        if i >= 3 and re.search(r"[.!?]$", word):
            words = words[: i + 1]
            break
    anchor = " ".join(words).rstrip(",;:")
    if not anchor or len(anchor.split()) > ANCHOR_WORDS or normalise(anchor) not in whole:
        return None
    return anchor


def _opening_title(body: str) -> str:
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    words = first.split()
    if len(words) <= TITLE_WORDS:
        return first.rstrip(".")
    return " ".join(words[:TITLE_WORDS]).rstrip(",;:") + "…"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
