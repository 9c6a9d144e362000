"""The pages of each browsable answer, rebuilt from a few words of state.

Commands and restart-proof buttons (bot/views/dynamic.py) both build pages here, through the
bot's page cache, so a button pressed after a restart shows exactly what the command showed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from bot import render, strings
from bot.charts import ChartRequest
from bot.errors import UserFacingError
from bot.render import Page
from briefings.models import Domain, Pack

if TYPE_CHECKING:
    from bot.client import BriefingBot

Source = Literal["a", "e", "t", "l", "b"]
"""a: /actor, e: /event, t: /timeline, l: /leverage, b: /briefing (overview, then cards)."""


async def pages(bot: BriefingBot, source: Source, arg: str, guild_id: int | None) -> list[Page]:
    """Every page of a list-like answer (not /briefing, whose cards render one at a time)."""
    catalogue = bot.core.catalogue
    snapshot = await catalogue.snapshot(guild_id=guild_id)

    seen = await catalogue.briefings(guild_id)
    several = len(seen) > 1

    async def actor() -> list[Page]:
        known = snapshot.actors.get(arg)
        if known is None:
            raise UserFacingError(strings.GONE)
        profile = await catalogue.actor_profile(known, guild_id=guild_id)
        names = await catalogue.display_names(guild_id=guild_id)
        return render.actor_profile(profile, names, several=several)

    async def event() -> list[Page]:
        known = snapshot.events.get(arg)
        if known is None:
            raise UserFacingError(strings.GONE)
        return render.event_detail(await catalogue.event_detail(known, guild_id=guild_id))

    def one(slug: str) -> Pack | None:
        """The briefing an answer is narrowed to (by slug), if the guild still sees it."""
        if not slug:
            return None
        for pack in seen:
            if pack.slug == slug:
                return pack
        raise UserFacingError(strings.GONE)

    def note(pack: Pack | None) -> str | None:
        if pack is None or not several:
            return None
        if pack.slug == seen[0].slug:
            return strings.NEWEST_BRIEFING.format(title=pack.title)
        return strings.FROM_BRIEFING.format(title=pack.title)

    async def timeline() -> list[Page]:
        actor_id, _, slug = arg.partition("~")
        who = snapshot.actors.get(actor_id) if actor_id else None
        pack = one(slug)
        entries = await catalogue.timeline(guild_id=guild_id, actor=who, briefing=pack)
        if who and not entries:
            raise UserFacingError(strings.NO_EVENTS.format(actor=who.name))
        return render.timeline(
            entries,
            actor=who.name if who else None,
            several=several and pack is None,
            note=note(pack),
        )

    async def leverage() -> list[Page]:
        domain_value, actor_id, slug = [*arg.split("~"), "", ""][:3]
        domain = Domain(domain_value) if domain_value else None
        who = snapshot.actors.get(actor_id) if actor_id else None
        pack = one(slug)
        views = await catalogue.leverage(guild_id=guild_id, domain=domain, actor=who, briefing=pack)
        if not views:
            raise UserFacingError(strings.NO_SHIFTS)
        if domain is None and who is None:
            return render.balance(views, note=note(pack))
        return render.leverage(
            views, domain=domain, actor=who.name if who else None, note=note(pack)
        )

    builders = {"a": actor, "e": event, "t": timeline, "l": leverage}
    return await bot.pages.pages(guild_id, (source, arg), builders[source])


def leverage_arg(domain: Domain | None, actor_id: str | None, briefing: str | None = None) -> str:
    """`domain~actor`, and `~briefing` when narrowed to one briefing."""
    arg = f"{domain.value if domain else ''}~{actor_id or ''}"
    return f"{arg}~{briefing}" if briefing else arg


def timeline_arg(actor_id: str | None, briefing: str | None = None) -> str:
    """`actor` (as before), and `~briefing` when narrowed to one briefing."""
    return f"{actor_id or ''}~{briefing}" if briefing else actor_id or ""


def narrowed_to(source: Source, arg: str) -> str | None:
    """The briefing (slug) a leverage or timeline answer is narrowed to, if any."""
    parts = arg.split("~")
    return parts[-1] or None if len(parts) > (2 if source == "l" else 1) else None


async def briefing_page(
    bot: BriefingBot, pack_slug: str, index: int, guild_id: int | None
) -> tuple[Page, int]:
    """Page `index` of a pack (0: the overview; N: the N-th section's card) and the count."""
    catalogue = bot.core.catalogue
    pack = await catalogue.pack(pack_slug, guild_id=guild_id)
    refs = await catalogue.outline(pack.slug, guild_id=guild_id)
    index = max(0, min(index, len(refs)))
    if index == 0:

        async def overview() -> list[Page]:
            return [render.pack_overview(pack, refs)]

        shown = await bot.pages.pages(guild_id, ("briefing", pack.slug), overview)
        return shown[0], len(refs) + 1
    ref = refs[index - 1]

    async def card_page() -> list[Page]:
        card = await catalogue.card(ref.id, guild_id=guild_id)
        if card is None:  # archived since the overview was sent
            raise UserFacingError(strings.CARD_GONE.format(title=ref.title))
        cited = await catalogue.cite(card)
        return [render.card_page(card, cited, position=index, total=len(refs))]

    shown = await bot.pages.pages(guild_id, ("card", ref.id, index, len(refs)), card_page)
    return shown[0], len(refs) + 1


async def chart_for(
    bot: BriefingBot, source: Source, arg: str, guild_id: int | None
) -> ChartRequest | None:
    """The chart page 1 of this answer carries, if any."""
    snapshot = await bot.core.catalogue.snapshot(guild_id=guild_id)
    if source == "a" and arg in snapshot.actors:
        return bot.charts.request("actor", actor=snapshot.actors[arg])
    if source not in ("t", "l"):
        return None
    slug = narrowed_to(source, arg)
    briefing = await bot.core.catalogue.pack(slug, guild_id=guild_id) if slug else None
    if source == "t":
        actor_id = arg.split("~")[0]
        who = snapshot.actors.get(actor_id) if actor_id else None
        return bot.charts.request("timeline", actor=who, briefing=briefing)
    domain, actor_id = arg.split("~")[:2]
    who = snapshot.actors.get(actor_id) if actor_id else None
    kind = Domain(domain) if domain else None
    return bot.charts.request("leverage", domain=kind, actor=who, briefing=briefing)
