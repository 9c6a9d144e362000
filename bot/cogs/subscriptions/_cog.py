"""The subscription commands. They call the subscription service only, never a store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, render, strings
from bot.cogs.subscriptions._checks import (
    AnyChannel,
    DeliveryChannel,
    check_channel,
    check_ping_role,
    check_publish,
    check_threads,
    manages,
    require_bot_can_post,
)
from bot.cogs.subscriptions._views import ConfirmForget
from bot.delivery import Dispatcher
from bot.delivery.controls import OpenCard, OpenPicked, Unsubscribe
from bot.errors import UserFacingError
from bot.render.base import plural
from bot.render.deliveries import next_digest
from bot.respond import send_pages
from bot.transformers import DOMAIN_CHOICES, actor_choices
from briefings.subscriptions import (
    WEEKDAYS,
    Corrections,
    DigestOptionsForInstant,
    DuplicateSubscription,
    Follows,
    InvalidSubscription,
    InvalidTime,
    PingNeedsChannel,
    PublishNeedsChannel,
    QuotaReached,
    Schedule,
    SubscribeRequest,
    Subscription,
    Target,
    Threads,
    ThreadsNeedChannel,
    UnknownDomain,
    UnknownZone,
    timezone_names,
)

if TYPE_CHECKING:
    from bot.client import BriefingBot

SCHEDULE_CHOICES = [
    app_commands.Choice(name="instant: each card as it is published", value="instant"),
    app_commands.Choice(name="daily digest", value="daily"),
    app_commands.Choice(name="weekly digest", value="weekly"),
]
CORRECTION_CHOICES = [
    app_commands.Choice(name="edit the message sent (within 7 days)", value="edit"),
    app_commands.Choice(name="send a new message", value="new"),
]
WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=i) for i, day in enumerate(WEEKDAYS)]
THREAD_CHOICES = [
    app_commands.Choice(
        name="post in the channel itself (default; a forum: per briefing)", value="none"
    ),
    app_commands.Choice(name="a new thread (forum post) for each delivery", value="digest"),
    app_commands.Choice(name="one thread (forum post) per briefing", value="briefing"),
]
FOLLOW_CHOICES = [
    app_commands.Choice(name="cards: every new and updated card (default)", value="cards"),
    app_commands.Choice(name="briefings: only new briefings, one message each", value="briefings"),
]


def explain(error: InvalidSubscription) -> str:
    """The member's words for a refused subscription (the core gives data only)."""
    if isinstance(error, InvalidTime):
        return strings.INVALID_TIME.format(text=error.text)
    if isinstance(error, UnknownZone):
        text = strings.UNKNOWN_ZONE.format(name=error.name)
        if error.suggestions:
            text += " " + strings.DID_YOU_MEAN.format(suggestions=", ".join(error.suggestions))
        return text
    if isinstance(error, UnknownDomain):
        return strings.UNKNOWN_DOMAIN.format(name=error.name, known=", ".join(error.known))
    if isinstance(error, DigestOptionsForInstant):
        return strings.DIGEST_OPTIONS_FOR_INSTANT
    if isinstance(error, DuplicateSubscription):
        return strings.SUBSCRIPTION_EXISTS
    if isinstance(error, QuotaReached):
        return strings.SUBSCRIPTION_QUOTA.format(count=error.count)
    if isinstance(error, PingNeedsChannel):
        return strings.PING_NEEDS_CHANNEL
    if isinstance(error, PublishNeedsChannel):
        return strings.PUBLISH_NEEDS_ANNOUNCEMENT.format(channel="DMs")
    if isinstance(error, ThreadsNeedChannel):
        return strings.THREADS_NEED_CHANNEL.format(channel="your DMs")
    return str(error)


class SubscriptionsCog(commands.Cog, name="Subscriptions"):
    subscription = app_commands.Group(name="subscription", description="Pause or resume one")
    mydata = app_commands.Group(name="mydata", description="What the bot stores about you")

    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.service = bot.core.subscriptions
        self.clock = bot.delivery_config.clock
        self.dispatcher = Dispatcher(bot, self.service, bot.delivery_config)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(OpenCard, OpenPicked, Unsubscribe)  # any process answers
        self.dispatcher.start()
        self.service.watch(self.dispatcher.wake)  # a publish is sent at once

    async def cog_unload(self) -> None:
        self.service.unwatch(self.dispatcher.wake)
        self.bot.remove_dynamic_items(OpenCard, OpenPicked, Unsubscribe)
        await self.dispatcher.stop()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Its channels are out of reach now; DM subscriptions made there keep running."""
        reason = strings.PAUSED_BOT_REMOVED
        await self.service.pause_guild_channels(guild.id, reason, now=self.clock())

    # --- subscribe ------------------------------------------------------------------

    @app_commands.command(name="subscribe")
    @app_commands.rename(at="time", weekday="day")
    @app_commands.describe(
        channel="Post to this channel or thread (needs Manage Channels); leave out for DMs",
        actor="Only cards about this actor",
        domain="Only cards about leverage in this arena",
        pack="Only this briefing",
        schedule="Each card as published (default), or a daily or weekly digest",
        at="Digest time, HH:MM in your time zone (default 09:00)",
        timezone="Your IANA time zone for digests, e.g. Europe/Berlin (default UTC)",
        weekday="Weekly digests: which day (default Monday)",
        welcome="Also send the briefing's overview now",
        ping_role="Channels only: ping this role with each delivery (no one else is pinged)",
        corrections="A corrected card: edit the message sent (default), or send a new one",
        publish="Announcement channels: publish each delivery to the servers following it",
        threads="Channels: post in the channel, a new thread each time, or a thread per briefing",
        follow="Every new and updated card (default), or only new briefings",
    )
    @app_commands.choices(domain=DOMAIN_CHOICES, schedule=SCHEDULE_CHOICES)
    @app_commands.choices(corrections=CORRECTION_CHOICES)
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    @app_commands.choices(threads=THREAD_CHOICES, follow=FOLLOW_CHOICES)
    @app_commands.autocomplete(actor=actor_choices)
    async def subscribe(
        self,
        interaction: Interaction[BriefingBot],
        channel: app_commands.Transform[AnyChannel, DeliveryChannel] | None = None,
        actor: app_commands.Range[str, 1, 200] | None = None,
        domain: app_commands.Choice[str] | None = None,
        pack: app_commands.Range[str, 1, 80] | None = None,
        schedule: app_commands.Choice[str] | None = None,
        at: app_commands.Range[str, 1, 10] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        weekday: app_commands.Choice[int] | None = None,
        welcome: bool = False,
        ping_role: discord.Role | None = None,
        corrections: app_commands.Choice[str] | None = None,
        publish: bool = False,
        threads: app_commands.Choice[str] | None = None,
        follow: app_commands.Choice[str] | None = None,
    ) -> None:
        """Get new and updated cards by DM or in a channel, as they come or as a digest."""
        if pack is not None:  # a briefing this server sees (NotFound, with hints, otherwise)
            await self.bot.core.desk.briefing(pack, guild_id=interaction.guild_id)
        place = await check_channel(interaction, channel) if channel is not None else None
        mode = Threads(threads.value) if threads else Threads.NONE
        if channel is not None and place is not None and interaction.guild is not None:
            mode = check_threads(interaction.guild, channel, place, mode)
        if ping_role is not None:
            if interaction.guild is None:
                raise UserFacingError(strings.PING_NEEDS_CHANNEL)
            check_ping_role(interaction.guild, channel, place, ping_role)
        if publish:
            if interaction.guild is None:
                raise UserFacingError(strings.PUBLISH_NEEDS_ANNOUNCEMENT.format(channel="DMs"))
            check_publish(interaction.guild, channel, place)
        request = SubscribeRequest(
            target=Target.CHANNEL if channel else Target.DM,
            guild_id=interaction.guild_id,
            channel_id=channel.id if channel else None,
            member_id=interaction.user.id,
            actor=actor,
            domain=domain.value if domain else None,
            pack=pack,
            schedule=Schedule(schedule.value) if schedule else Schedule.INSTANT,
            at=at,
            zone=timezone,
            weekday=weekday.value if weekday else None,
            welcome=welcome,
            ping_role_id=ping_role.id if ping_role else None,
            corrections=Corrections(corrections.value) if corrections else Corrections.EDIT,
            publish=publish,
            threads=mode,
            forum=isinstance(place, discord.ForumChannel),
            follows=Follows(follow.value) if follow else Follows.CARDS,
        )
        try:
            sub = await self.service.subscribe(request, now=self.clock())
        except InvalidSubscription as error:
            raise UserFacingError(explain(error)) from None
        self.dispatcher.wake()
        text = render.subscribed(sub, await self._names(interaction, [sub]), welcome=welcome)
        await interaction.response.send_message(text, ephemeral=True)

    @subscribe.autocomplete("timezone")
    async def timezone_choices(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[str]]:
        names = timezone_names(current, limit=limits.CHOICES)
        return [app_commands.Choice(name=n, value=n) for n in names]

    @subscribe.autocomplete("pack")
    async def pack_choices(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[str]]:
        packs = await self.bot.core.desk.briefings(interaction.guild_id)  # this server's view
        found = [p for p in packs if current.casefold() in f"{p.slug} {p.title}".casefold()]
        return [
            app_commands.Choice(name=limits.clip(p.title, limits.CHOICE_NAME), value=p.slug)
            for p in found[: limits.CHOICES]
        ]

    # --- list, remove, pause, resume ------------------------------------------------

    @app_commands.command(name="subscriptions")
    async def subscriptions(self, interaction: Interaction[BriefingBot]) -> None:
        """Your subscriptions (and, with Manage Channels, this server's channel ones)."""
        subs = await self._visible(interaction)
        pages = render.subscription_list(
            subs, await self._names(interaction, subs), title="Subscriptions"
        )
        await send_pages(interaction, pages, ephemeral=True)

    @app_commands.command(name="unsubscribe")
    @app_commands.describe(subscription="Which one (start typing)")
    async def unsubscribe(self, interaction: Interaction[BriefingBot], subscription: int) -> None:
        """Stop a subscription and forget it."""
        sub = await self._manageable(interaction, subscription)
        await self.service.unsubscribe(sub)
        what = render.choice_label(sub, await self._names(interaction, [sub]))
        await interaction.response.send_message(
            strings.UNSUBSCRIBED.format(what=what), ephemeral=True
        )

    @subscription.command(name="pause")
    @app_commands.describe(subscription="Which one (start typing)")
    async def pause(self, interaction: Interaction[BriefingBot], subscription: int) -> None:
        """Pause a subscription; nothing is saved up while it is paused."""
        sub = await self._manageable(interaction, subscription)
        if not sub.active:
            raise UserFacingError(strings.ALREADY_PAUSED.format(reason=sub.paused_reason))
        await self.service.pause(sub, strings.PAUSED_BY_MEMBER, now=self.clock())
        what = render.choice_label(sub, await self._names(interaction, [sub]))
        await interaction.response.send_message(strings.PAUSED.format(what=what), ephemeral=True)

    @subscription.command(name="resume")
    @app_commands.describe(subscription="Which one (start typing)")
    async def resume(self, interaction: Interaction[BriefingBot], subscription: int) -> None:
        """Resume a paused subscription, from now on."""
        sub = await self._manageable(interaction, subscription)
        if sub.active:
            raise UserFacingError(strings.ALREADY_ACTIVE)
        if sub.target is Target.CHANNEL and interaction.guild is not None:
            require_bot_can_post(interaction.guild, sub.channel_id or 0)  # fixed since?
        resumed = await self.service.resume(sub, now=self.clock())
        assert resumed is not None
        what = render.choice_label(resumed, await self._names(interaction, [resumed]))
        text = strings.RESUMED.format(what=what)
        if resumed.next_digest_at is not None:
            text += "\n" + next_digest(resumed.next_digest_at)
        await interaction.response.send_message(text, ephemeral=True)

    @unsubscribe.autocomplete("subscription")
    @pause.autocomplete("subscription")
    @resume.autocomplete("subscription")
    async def subscription_choices(
        self, interaction: Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[int]]:
        subs = await self._visible(interaction)
        names = await self._names(interaction, subs)
        labels = [(s, render.choice_label(s, names)) for s in subs]
        found = [(s, label) for s, label in labels if current.casefold() in label.casefold()]
        return [app_commands.Choice(name=label, value=s.id) for s, label in found[: limits.CHOICES]]

    # --- privacy --------------------------------------------------------------------

    @mydata.command(name="show")
    async def mydata_show(self, interaction: Interaction[BriefingBot]) -> None:
        """Everything the bot stores about you."""
        data = await self.service.member_data(interaction.user.id)
        names = await self._names(interaction, data.subscriptions)
        await send_pages(interaction, render.member_data(data, names), ephemeral=True)

    @mydata.command(name="delete")
    async def mydata_delete(self, interaction: Interaction[BriefingBot]) -> None:
        """Delete everything the bot stores about you (asks first)."""
        member = interaction.user.id
        data = await self.service.member_data(member)
        if not data.subscriptions:
            await interaction.response.send_message(strings.MYDATA_NOTHING, ephemeral=True)
            return
        dm = sum(s.target is Target.DM and s.user_id == member for s in data.subscriptions)
        text = strings.MYDATA_CONFIRM.format(
            dm=plural(dm, "subscription"),
            channels=plural(len(data.subscriptions) - dm, "subscription"),
        )

        async def forget() -> str:
            deleted, anonymised = await self.service.forget_member(member)
            return strings.MYDATA_DELETED.format(
                dm=plural(deleted, "subscription"), channels=plural(anonymised, "subscription")
            )

        view = ConfirmForget(member, forget)
        view.origin = interaction
        await interaction.response.send_message(text, view=view, ephemeral=True)

    # --- helpers --------------------------------------------------------------------

    async def _visible(self, interaction: Interaction[BriefingBot]) -> list[Subscription]:
        managers = interaction.guild_id is not None and interaction.permissions.manage_channels
        return await self.service.visible(
            interaction.user.id, guild_id=interaction.guild_id, with_guild_channels=managers
        )

    async def _manageable(self, interaction: Interaction[BriefingBot], sub_id: int) -> Subscription:
        sub = await self.service.manageable(
            sub_id,
            interaction.user.id,
            guild_id=interaction.guild_id,
            manages=lambda channel_id: manages(interaction, channel_id),
        )
        if sub is None:
            raise UserFacingError(strings.NO_SUCH_SUBSCRIPTION.format(id=sub_id))
        return sub

    async def _names(
        self, interaction: Interaction[BriefingBot], subs: list[Subscription]
    ) -> render.Names:
        actors = await self.bot.core.catalogue.display_names(guild_id=interaction.guild_id)
        channels = {}
        for sub in subs:
            found = self.bot.get_channel(sub.channel_id) if sub.channel_id else None
            if found is not None and hasattr(found, "name"):
                channels[found.id] = str(found.name)
        seen = await self.bot.core.desk.briefings(interaction.guild_id)  # no other server's
        packs = {p.slug: p.title for p in seen}
        return render.Names(actors=actors, channels=channels, packs=packs)
