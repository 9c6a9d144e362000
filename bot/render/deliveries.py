"""Deliveries (a card, a digest, a welcome) and subscriptions as Discord messages. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import discord
from discord.utils import format_dt

from bot import limits, strings
from bot.render.base import DOMAIN_LABELS, Page, add_field, cite, embed
from bot.render.briefing import pack_overview
from briefings.subscriptions import (
    WEEKDAYS,
    BatchDelivery,
    CardDelivery,
    Delivery,
    DigestDelivery,
    MemberData,
    Schedule,
    Subscription,
    Target,
    WelcomeDelivery,
)

TEASER = 300
"""A digest shows each card's opening; the card itself is one click away."""
FIELD_NAMES = {"key_points": "key points", "quotes": "quotes", "leverage": "leverage shifts"}


@dataclass(frozen=True, slots=True)
class Names:
    """Display names the renderer cannot look up itself (it does no I/O)."""

    actors: dict[str, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    packs: dict[str, str] = field(default_factory=dict)
    """Pack titles by slug (a filter names the briefing, not its slug)."""


# --- deliveries ---------------------------------------------------------------------------


def delivery_pages(delivery: Delivery, *, to_channel: bool = False) -> list[Page]:
    """A delivery's messages; a digest's wording fits where it goes (a channel is no "you")."""
    if isinstance(delivery, CardDelivery):
        return [Page(embeds=[card_embed(delivery)])]
    if isinstance(delivery, DigestDelivery):
        return digest(delivery, to_channel=to_channel)
    if isinstance(delivery, BatchDelivery):
        return batch(delivery)
    return welcome(delivery)


def card_embed(delivery: CardDelivery, *, teaser: bool = False) -> discord.Embed:
    card, citation = delivery.card, delivery.citation
    text = limits.clip(card.summary, TEASER, mark="…") if teaser else card.summary
    item = embed(f"{card.section}. {card.title}", text, url=citation.passage_url)
    item.set_author(name=limits.clip(change_line(delivery), limits.EMBED_AUTHOR))
    if card.key_points and not teaser:
        add_field(item, "Key points", "\n".join(f"• {p}" for p in card.key_point_texts()))
    if not teaser:
        add_field(item, "Source", cite(citation), inline=True)
    item.set_footer(
        text=f"{citation.pack_title} · v{card.version} · /briefing section:{card.section}"
    )
    return item


def change_line(delivery: CardDelivery) -> str:
    if delivery.kind == "new":
        return f"🆕 New card in {delivery.citation.pack_title}"
    changed = ", ".join(FIELD_NAMES.get(f, f.replace("_", " ")) for f in delivery.changed)
    return f"✏️ Updated in {delivery.citation.pack_title}: {changed or 'details'} changed"


def digest(delivery: DigestDelivery, *, to_channel: bool = False) -> list[Page]:
    """A head, then each card's opening, briefing by briefing; each title links its card."""
    count = len(delivery.entries)
    words = strings.DIGEST_TITLE_CHANNEL if to_channel else strings.DIGEST_TITLE_DM
    head = embed(
        words.format(
            schedule=delivery.schedule.value,
            schedule_title=delivery.schedule.value.capitalize(),
            count=count,
            cards=f"card{'s' * (count != 1)}",
        ),
        strings.DIGEST_INTRO,
    )
    entries = sorted(delivery.entries, key=lambda e: e.citation.pack_title)  # stable
    return pack_embeds([head, *(card_embed(e, teaser=True) for e in entries)])


def batch(delivery: BatchDelivery) -> list[Page]:
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
    chunk = [strings.BATCH_INTRO]
    for line in lines:
        if len("\n".join([*chunk, line])) > limits.EMBED_DESCRIPTION // 2:
            embeds.append(embed(title if not embeds else f"{title} (continued)", "\n".join(chunk)))
            chunk = []
        chunk.append(line)
    embeds.append(embed(title if not embeds else f"{title} (continued)", "\n".join(chunk)))
    return pack_embeds(embeds)


def welcome(delivery: WelcomeDelivery) -> list[Page]:
    page = pack_overview(delivery.pack, delivery.outline)
    page.content = "👋 Subscribed to this briefing. Here is where it stands now."
    return [page]


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
    return " ".join(["new and updated cards", *parts])


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
