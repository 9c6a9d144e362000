"""What editors see of a briefing: its preview, the list with statuses, the publish result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot import editor_strings, limits, strings
from bot.render.base import Page, add_field, described_pages, embed, one_per_page

UNSET = "—"


def briefing_preview(fields: Mapping[str, Any], note: str, *, footer: str | None = None) -> Page:
    """Every field the forms edit, with what is still empty said as such."""
    title = str(fields.get("title") or UNSET)
    shown = embed(title, _bottom_line(fields.get("bottom_line")))
    add_field(shown, "Author", str(fields.get("author") or UNSET), inline=True)
    add_field(shown, "Publisher", _publisher(fields), inline=True)
    add_field(shown, "Published", _day(fields.get("published")), inline=True)
    add_field(shown, "Pivot", str(fields.get("pivot") or "none"), inline=True)
    add_field(shown, "Link", str(fields.get("source_url") or UNSET))
    if footer:
        shown.set_footer(text=limits.clip(footer, limits.EMBED_FOOTER))
    return Page(embeds=[shown], content=note)


def briefing_list(rows: Sequence[tuple[str, str, str]]) -> list[Page]:
    """(title, status, byline) per briefing, newest first as given."""
    lines = [
        editor_strings.BRIEFING_LIST_LINE.format(
            mark=editor_strings.BRIEFING_MARKS.get(status, "•"),
            title=limits.clip(title, 120, mark="…"),
            status=status,
            byline=byline,
        )
        for title, status, byline in rows
    ] or [editor_strings.BRIEFING_LIST_EMPTY]
    return one_per_page(described_pages(editor_strings.BRIEFING_LIST_TITLE, lines))


def publish_result(title: str, published: Sequence[str]) -> Page:
    """What publishing did: the briefing, and the draft cards published with it."""
    lines = [editor_strings.BRIEFING_PUBLISHED.format(title=limits.clip(title, 200))]
    if published:
        cards = ", ".join(f"“{limits.clip(t, 80, mark='…')}”" for t in published[:20])
        more = f" and {len(published) - 20} more" if len(published) > 20 else ""
        lines.append(editor_strings.BRIEFING_PUBLISHED_CARDS.format(cards=cards + more))
    return Page(content=limits.clip("\n".join(lines), limits.CONTENT))


def _bottom_line(text: Any) -> str:
    if not text:
        return "*No bottom line yet: add it with **More details**.*"
    return f"**{strings.BOTTOM_LINE}** {text}"


def _publisher(fields: Mapping[str, Any]) -> str:
    publisher = str(fields.get("publisher") or UNSET)
    first = fields.get("original_publisher")
    return f"{publisher} (first in {first})" if first else publisher


def _day(value: Any) -> str:
    return f"{value:%-d %B %Y}" if isinstance(value, date) else str(value or UNSET)
