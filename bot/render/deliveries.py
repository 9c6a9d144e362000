"""Deliveries (a card, a digest, a welcome) and subscriptions as Discord messages. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import discord
from discord.utils import format_dt

from bot import limits, strings
from bot.render.base import DOMAIN_LABELS, Page, add_field, cite, embed, plural
from bot.render.briefing import short_title
from briefings.models import Pack
from briefings.subscriptions import (
    WEEKDAYS,
    BatchDelivery,
    BriefingDelivery,
    CardDelivery,
    Delivery,
    DigestDelivery,
    Follows,
    MemberData,
    Schedule,
    Subscription,
    Target,
    Threads,
    WelcomeDelivery,
)

TEASER = 300
"""A digest shows each card's opening; the card itself is one click away."""
DIGEST_TEASERS = 5
"""More new cards of one briefing than this (a briefing published since the last digest)
are listed by title, not teased."""
LISTED = (strings.BRIEFING_MORE, strings.BRIEFING_OPEN)
FIELD_NAMES = {"key_points": "key points", "quotes": "quotes", "leverage": "leverage shifts"}


@dataclass(frozen=True, slots=True)
class Names:
    """Display names the renderer cannot look up itself (it does no I/O)."""

    actors: dict[str, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    packs: dict[str, str] = field(default_factory=dict)
    """Pack titles by slug (a filter names the briefing, not its slug)."""


# --- deliveries ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """One briefing's share of a delivery (a thread per briefing takes each part apart)."""

    pack: str
    title: str
    """The thread or forum post's name, should the part open one."""
    pages: list[Page]
    cards: list[tuple[str, str]] = field(default_factory=list)
    """(card id, label) of this part's cards (its menu, its forum tags)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A delivery as messages: by briefing, and the cards a member can open from it."""

    parts: list[Part]
    cards: list[tuple[str, str]] = field(default_factory=list)
    """(card id, label) for the "Open a card…" menu (digests, batches, briefings)."""
    together: list[Page] = field(default_factory=list)
    """All parts in one place (no thread per briefing): a digest shares one head."""

    @property
    def pages(self) -> list[Page]:
        return self.together or [page for part in self.parts for page in part.pages]


def delivery_pages(delivery: Delivery, *, to_channel: bool = False) -> list[Page]:
    """A delivery's messages; a digest's wording fits where it goes (a channel is no "you")."""
    return render_delivery(delivery, to_channel=to_channel).pages


def render_delivery(delivery: Delivery, *, to_channel: bool = False) -> Rendered:
    if isinstance(delivery, CardDelivery):
        card = delivery.card
        page = Page(embeds=[card_embed(delivery)])
        title = limits.clip(delivery.citation.pack_title, 100)
        return Rendered([Part(card.pack, title, [page], card_choices([delivery]))])
    if isinstance(delivery, DigestDelivery):
        return digest(delivery, to_channel=to_channel)
    if isinstance(delivery, BatchDelivery):
        return batch(delivery)
    if isinstance(delivery, BriefingDelivery):
        return new_briefing(delivery)
    return welcome(delivery)


def card_choices(entries: Iterable[CardDelivery]) -> list[tuple[str, str]]:
    """The first cards a menu can hold, labelled by section and title."""
    found = [(e.card.id, f"{e.card.section}. {e.card.title}") for e in entries]
    return [(i, limits.clip(label, limits.CHOICE_NAME, mark="…")) for i, label in found][
        : limits.SELECT_OPTIONS
    ]


def card_embed(delivery: CardDelivery, *, teaser: bool = False) -> discord.Embed:
    card, citation = delivery.card, delivery.citation
    text = limits.clip(card.summary, TEASER, mark="…") if teaser else card.summary
    item = embed(f"{card.section}. {card.title}", text, url=citation.passage_url)
    line = change_line(delivery, in_briefing=not teaser)
    item.set_author(name=limits.clip(line, limits.EMBED_AUTHOR))
    if card.key_points and not teaser:
        add_field(item, "Key points", "\n".join(f"• {p}" for p in card.key_point_texts()))
    if not teaser:
        add_field(item, "Source", cite(citation), inline=True)
        footer = strings.CARD_FOOTER.format(
            pack=citation.pack_title, version=card.version, section=card.section
        )
        item.set_footer(text=limits.clip(footer, limits.EMBED_FOOTER))
    return item  # a teaser sits under its briefing's heading: no footer


def change_line(delivery: CardDelivery, *, in_briefing: bool = True) -> str:
    """What happened to the card ('in <briefing>' unless a heading names it already)."""
    where = f" in {delivery.citation.pack_title}" if in_briefing else ""
    if delivery.kind == "new":
        return f"🆕 New card{where}"
    changed = ", ".join(FIELD_NAMES.get(f, f.replace("_", " ")) for f in delivery.changed)
    return f"✏️ Updated{where}: {changed or 'details'} changed"


def digest_title(delivery: DigestDelivery, count: int, *, to_channel: bool) -> str:
    cards = f"card{'s' * (count != 1)}"
    schedule = delivery.schedule.value
    if to_channel:
        when = strings.DIGEST_WHEN.get(schedule, schedule.capitalize())
        return strings.DIGEST_TITLE_TODAY.format(when=when, count=count, cards=cards)
    return strings.DIGEST_TITLE_DM.format(
        schedule=schedule, schedule_title=schedule.capitalize(), count=count, cards=cards
    )


def digest(delivery: DigestDelivery, *, to_channel: bool = False) -> Rendered:
    """A head, then briefing by briefing: a heading and each card's opening (its title links
    its passage); the menu under it opens any card. Each briefing is also a part of its own
    (with its own head) for a thread per briefing."""
    groups: dict[str, list[CardDelivery]] = {}
    for entry in sorted(delivery.entries, key=lambda e: (e.citation.pack_title, e.card.section)):
        groups.setdefault(entry.card.pack, []).append(entry)
    parts, body = [], []
    for pack, entries in groups.items():
        pack_title = entries[0].citation.pack_title
        heading = embed(
            strings.DIGEST_BRIEFING_HEAD.format(title=pack_title),
            strings.DIGEST_BRIEFING_COUNT.format(cards=plural(len(entries), "card")),
        )
        fresh = all(e.kind == "new" for e in entries)
        if fresh and len(entries) > DIGEST_TEASERS:  # a briefing new this time: listed
            add_field(heading, strings.BRIEFING_SECTIONS, section_list(entries, *LISTED))
            teasers = [heading]
        else:
            teasers = [heading, *(card_embed(e, teaser=True) for e in entries)]
        body += teasers
        title = digest_title(delivery, len(entries), to_channel=to_channel)
        head = embed(title, strings.DIGEST_OPEN_INTRO)
        pages = pack_embeds([head, *teasers])
        parts.append(Part(pack, limits.clip(title, 100), pages, card_choices(entries)))
    title = digest_title(delivery, len(delivery.entries), to_channel=to_channel)
    together = pack_embeds([embed(title, strings.DIGEST_OPEN_INTRO), *body])
    parts = parts or [Part("", limits.clip(title, 100), together)]
    cards = card_choices(e for entries in groups.values() for e in entries)
    return Rendered(parts, cards, together)


def batch(delivery: BatchDelivery) -> Rendered:
    """Many cards published at once: their titles, as few messages as hold them."""
    packs = ", ".join(dict.fromkeys(e.citation.pack_title for e in delivery.entries))
    title = strings.BATCH_TITLE.format(count=len(delivery.entries), packs=packs)
    lines = [
        strings.BATCH_LINE.format(
            mark="🆕" if e.kind == "new" else "✏️",
            section=e.card.section,
            title=limits.clip(e.card.title, limits.EMBED_TITLE),
        )
        for e in delivery.entries
    ]
    embeds: list[discord.Embed] = []
    chunk = [strings.BATCH_INTRO_OPEN]
    for line in lines:
        if len("\n".join([*chunk, line])) > limits.EMBED_DESCRIPTION // 2:
            embeds.append(embed(title if not embeds else f"{title} (continued)", "\n".join(chunk)))
            chunk = []
        chunk.append(line)
    embeds.append(embed(title if not embeds else f"{title} (continued)", "\n".join(chunk)))
    pack = delivery.entries[0].card.pack
    cards = card_choices(delivery.entries)
    return Rendered([Part(pack, limits.clip(packs, 100), pack_embeds(embeds), cards)], cards)


def section_list(entries: list[CardDelivery], more: str, done: str) -> str:
    """'**n.** title' a line, as many as one field holds, then how to open them."""
    lines = [f"**{e.card.section}.** {short_title(e.card.title, 56)}" for e in entries]
    shown: list[str] = []
    for line in lines:
        if len("\n".join([*shown, line])) > limits.EMBED_FIELD_VALUE - 120:
            break
        shown.append(line)
    rest = len(lines) - len(shown)
    return "\n".join([*shown, more.format(count=rest) if rest else done])


def byline(pack: Pack) -> str:
    origin = f" (first in {pack.original_publisher})" if pack.original_publisher else ""
    return strings.BRIEFING_BYLINE.format(author=pack.author, publisher=pack.publisher) + origin


def new_briefing(delivery: BriefingDelivery) -> Rendered:
    """A briefing's publication as one message: title, byline, bottom line, its sections as
    a short list (the menu under it opens each), and how to open them."""
    pack = delivery.pack
    entries = sorted(delivery.entries, key=lambda e: e.card.section)
    point = limits.clip(pack.bottom_line or pack.description or "", 600, mark="…")
    head = f"*{byline(pack)} · {pack.published:%-d %b %Y}*"
    item = embed(pack.title, f"{head}\n\n**{strings.BOTTOM_LINE}** {point}" if point else head)
    item.url = str(pack.source_url)
    item.set_author(name=strings.BRIEFING_NEW)
    name = f"{strings.BRIEFING_SECTIONS} ({len(entries)})"
    add_field(item, name, section_list(entries, strings.BRIEFING_MORE, strings.BRIEFING_OPEN))
    cards = card_choices(entries)
    return Rendered(
        [Part(pack.slug, limits.clip(pack.title, 100), [Page(embeds=[item])], cards)], cards
    )


def welcome(delivery: WelcomeDelivery) -> Rendered:
    """A short overview (title, bottom line, how many sections, how to read on), not the
    whole /briefing page: a channel reads it at a glance."""
    pack = delivery.pack
    point = limits.clip(pack.bottom_line or pack.description or "", 420, mark="…")
    item = embed(pack.title, f"**{strings.BOTTOM_LINE}** {point}" if point else "")
    item.url = str(pack.source_url)
    sections = plural(len(delivery.outline), "section")
    add_field(item, "Read on", strings.WELCOME_SECTIONS.format(sections=sections))
    item.set_footer(text=limits.clip(f"{byline(pack)} · {pack.published:%-d %b %Y}", 200))
    page = Page(embeds=[item], content=strings.WELCOME_INTRO)
    cards = [
        (ref.id, limits.clip(f"{ref.section}. {ref.title}", limits.CHOICE_NAME, mark="…"))
        for ref in delivery.outline
    ][: limits.SELECT_OPTIONS]
    return Rendered([Part(pack.slug, limits.clip(pack.title, 100), [page], cards)], cards)


def pack_embeds(embeds: Iterable[discord.Embed]) -> list[Page]:
    """As few messages as hold the embeds: at most 10 each, within the total budget."""
    pages: list[Page] = []
    size = 0
    for item in embeds:
        full = bool(pages) and len(pages[-1].embeds) >= limits.EMBEDS_PER_MESSAGE
        if not pages or full or size + len(item) > limits.EMBED_BUDGET:
            pages.append(Page())
            size = 0
        pages[-1].embeds.append(item)
        size += len(item)
    return pages


# --- subscriptions ------------------------------------------------------------------------


def where(sub: Subscription, names: Names) -> str:
    """Where it delivers, as a mention (for messages)."""
    return "your DMs" if sub.target is Target.DM else f"<#{sub.channel_id}>"


def what(sub: Subscription, names: Names) -> str:
    """What it delivers: the filters in words."""
    parts = []
    if sub.filters.actor_id:
        parts.append(f"about {names.actors.get(sub.filters.actor_id, sub.filters.actor_id)}")
    if sub.filters.domain:
        parts.append(f"on {DOMAIN_LABELS[sub.filters.domain]}")
    if sub.filters.pack:
        parts.append(f"in {names.packs.get(sub.filters.pack, strings.ONE_BRIEFING)}")
    follows = strings.FOLLOWS_BRIEFINGS if sub.follows is Follows.BRIEFINGS else None
    if sub.threads is not Threads.NONE:
        words = strings.FORUM_WORDS if sub.forum else strings.THREAD_WORDS
        parts.append(words[sub.threads.value])
    return " ".join([follows or "new and updated cards", *parts])


def when(sub: Subscription) -> str:
    """When it delivers, in the subscriber's own terms (local time and zone)."""
    if sub.schedule is Schedule.INSTANT or sub.digest is None:
        return "as they are published"
    at = sub.digest.at.strftime("%H:%M")
    if sub.schedule is Schedule.WEEKLY and sub.digest.weekday is not None:
        return f"weekly on {WEEKDAYS[sub.digest.weekday]}s at {at} {sub.digest.zone}"
    return f"daily at {at} {sub.digest.zone}"


def subscribed(sub: Subscription, names: Names, *, welcome: bool) -> str:
    lines = [
        strings.SUBSCRIBED.format(where=where(sub, names), what=what(sub, names), when=when(sub))
    ]
    if sub.ping_role_id is not None:
        lines.append(strings.PINGING.format(role=f"<@&{sub.ping_role_id}>"))
    if sub.next_digest_at is not None:
        lines.append(next_digest(sub.next_digest_at))
    if welcome:
        lines.append(strings.WELCOME_COMING)
    return "\n".join(lines)


def next_digest(at: datetime) -> str:
    return strings.NEXT_DIGEST.format(at=format_dt(at, "F"), relative=format_dt(at, "R"))


def status(sub: Subscription) -> str:
    if sub.active:
        return "✅ active"
    reason = (sub.paused_reason or "").removeprefix("paused ")  # older rows said it twice
    return f"⏸️ paused: {reason}" if reason else "⏸️ paused"


def choice_label(sub: Subscription, names: Names) -> str:
    """A one-line label for autocomplete (no mentions render there, so names)."""
    place = (
        "DM"
        if sub.target is Target.DM
        else f"#{names.channels.get(sub.channel_id or 0, sub.channel_id)}"
    )
    filters = what(sub, names).removeprefix("new and updated cards").strip() or "all cards"
    filters = filters.removeprefix(strings.FOLLOWS_BRIEFINGS).strip() or "new briefings"
    paused = "" if sub.active else " (paused)"
    label = f"{sub.id} · {place} · {sub.schedule.value} · {filters}{paused}"
    return limits.clip(label, limits.CHOICE_NAME, mark="…")


def subscription_list(
    subs: list[Subscription],
    names: Names,
    *,
    title: str,
    intro: str = "",
    pending: dict[int, int] | None = None,
) -> list[Page]:
    head = embed(title, intro or ("" if subs else strings.NO_SUBSCRIPTIONS))
    items = [head]
    for sub in subs:
        name, value = _field(sub, names)
        if pending is not None:
            value += f"\nNot yet delivered: {pending.get(sub.id, 0)}"
        if not add_field(items[-1], name, value):
            items.append(embed(f"{title} (continued)"))
            add_field(items[-1], name, value)
    return pack_embeds(items)


def _field(sub: Subscription, names: Names) -> tuple[str, str]:
    lines = [
        f"To {where(sub, names)}: {what(sub, names)}, {when(sub)}",
        f"Status: {status(sub)}",
    ]
    if sub.ping_role_id is not None:
        lines.insert(1, f"Pings: <@&{sub.ping_role_id}>")
    if sub.next_digest_at is not None and sub.active:
        lines.append(f"Next digest: {format_dt(sub.next_digest_at, 'f')}")
    delivered = format_dt(sub.last_delivery_at, "R") if sub.last_delivery_at else "never yet"
    lines.append(f"Last delivery: {delivered}")
    if sub.last_error and sub.last_error_at:
        lines.append(f"Last error ({format_dt(sub.last_error_at, 'R')}): {sub.last_error}")
    return f"Subscription {sub.id}", "\n".join(lines)


def member_data(data: MemberData, names: Names) -> list[Page]:
    if not data.subscriptions:
        text = f"{strings.MYDATA_NOTHING}\n\n{strings.MYDATA_QUESTIONS}"
        return [Page(embeds=[embed("Your data", text)])]
    intro = strings.MYDATA_INTRO.format(pending=sum(data.pending.values()))
    intro += f" {strings.MYDATA_QUESTIONS}"
    return subscription_list(
        data.subscriptions, names, title="Your data", intro=intro, pending=data.pending
    )
