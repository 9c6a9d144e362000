"""/subscribe, /unsubscribe, /subscriptions, /subscription pause|resume and /mydata.

The dispatcher that delivers what subscriptions asked for runs here too: started in
cog_load, stopped in cog_unload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, render, strings
from bot.client import BriefingBot
from bot.delivery import Dispatcher, config_for
from bot.errors import UserFacingError
from bot.render.deliveries import next_digest
from bot.respond import send_pages
from bot.transformers import DOMAIN_CHOICES, actor_choices
from briefings.subscriptions import (
    WEEKDAYS,
    Schedule,
    SubscribeRequest,
    Subscription,
    Target,
    timezone_names,
)

AnyChannel = app_commands.AppCommandChannel | app_commands.AppCommandThread
SCHEDULE_CHOICES = [
    app_commands.Choice(name="instant: each card as it is published", value="instant"),
    app_commands.Choice(name="daily digest", value="daily"),
    app_commands.Choice(name="weekly digest", value="weekly"),
]
WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=i) for i, day in enumerate(WEEKDAYS)]


class DeliveryChannel(app_commands.Transformer):
    """A text or announcement channel, or a thread, kept as Discord resolved it: with the
    invoking member's permissions there, and without needing the bot's cache."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        kinds = discord.ChannelType
        return [
            kinds.text,
            kinds.news,
            kinds.public_thread,
            kinds.private_thread,
            kinds.news_thread,
        ]

    async def transform(self, interaction: Interaction[Any], value: Any) -> AnyChannel:
        return value  # type: ignore[no-any-return]


def manages(interaction: Interaction[BriefingBot], channel_id: int) -> bool:
    """Manage Channels in that channel, computed here from roles and overwrites (the
    command's default permissions only hide it, and a server may change them)."""
    member, guild = interaction.user, interaction.guild
    if guild is None or not isinstance(member, discord.Member):
        return False
    cached = guild.get_channel_or_thread(channel_id)
    if cached is None:  # deleted: fall back on what Discord says for the current channel
        return interaction.permissions.manage_channels
    return cached.permissions_for(member).manage_channels


def check_channel(interaction: Interaction[BriefingBot], channel: AnyChannel) -> None:
    """The member must manage the channel (Discord's figure and ours must both say so: a
    stale cache can then only refuse, never grant), and the bot must be able to post."""
    if interaction.guild is None or channel.guild_id != interaction.guild_id:
        raise UserFacingError(strings.CHANNEL_IN_GUILD_ONLY)
    if not (channel.permissions.manage_channels and manages(interaction, channel.id)):
        raise UserFacingError(strings.NEED_MANAGE_CHANNELS.format(channel=channel.mention))
    require_bot_can_post(interaction.guild, channel.id)


def require_bot_can_post(guild: discord.Guild, channel_id: int) -> None:
    """Refuse now what would fail at the first delivery (when the channel is in the cache)."""
    cached, me = guild.get_channel_or_thread(channel_id), guild.me
    if cached is None or me is None or not hasattr(cached, "permissions_for"):
        return
    can = cached.permissions_for(me)
    in_thread = isinstance(cached, discord.Thread)
    sends = can.send_messages_in_threads if in_thread else can.send_messages
    if not (can.view_channel and sends and can.embed_links):
        raise UserFacingError(strings.BOT_CANNOT_POST.format(channel=f"<#{channel_id}>"))


class ConfirmForget(discord.ui.View):
    """Delete or keep, for the member who asked only; the buttons vanish once used."""

    def __init__(self, owner_id: int, forget: Callable[[], Awaitable[str]]) -> None:
        super().__init__(timeout=120)
        self.owner_id = owner_id
        self.forget = forget

    async def interaction_check(self, interaction: Interaction[Any]) -> bool:
        return interaction.user.id == self.owner_id

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def delete(self, interaction: Interaction[Any], _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=await self.forget(), view=None)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: Interaction[Any], _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content=strings.MYDATA_KEPT, view=None)


class SubscriptionsCog(commands.Cog, name="Subscriptions"):
    subscription = app_commands.Group(name="subscription", description="Pause or resume one")
    mydata = app_commands.Group(name="mydata", description="What the bot stores about you")

    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.config = config_for(bot)
        self.service = bot.core.subscriptions
        self.store = self.service.store
        self.dispatcher = Dispatcher(bot, self.service, self.config)

    async def cog_load(self) -> None:
        self.dispatcher.start()
        self._stop_waking = self.bot.core.on_write(self.dispatcher.wake)  # publish: send now

    async def cog_unload(self) -> None:
        self._stop_waking()
        await self.dispatcher.stop()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Its channels are out of reach now; DM subscriptions made there keep running."""
        reason = strings.PAUSED_BOT_REMOVED
        await self.store.pause_guild_channels(guild.id, reason, now=self.config.clock())

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
    )
    @app_commands.choices(domain=DOMAIN_CHOICES, schedule=SCHEDULE_CHOICES)
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
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
    ) -> None:
        """Get new and updated cards by DM or in a channel, as they come or as a digest."""
        if channel is not None:
            check_channel(interaction, channel)
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
        )
        sub = await self.service.subscribe(request, now=self.config.clock())
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
        packs = (await self.bot.core.catalogue.packs()).values()
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
        await self.store.delete(sub.id)
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
        await self.store.pause(sub.id, strings.PAUSED_BY_MEMBER, now=self.config.clock())
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
        resumed = await self.service.resume(sub, now=self.config.clock())
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
        data = await self.store.member_data(interaction.user.id)
        names = await self._names(interaction, data.subscriptions)
        await send_pages(interaction, render.member_data(data, names), ephemeral=True)

    @mydata.command(name="delete")
    async def mydata_delete(self, interaction: Interaction[BriefingBot]) -> None:
        """Delete everything the bot stores about you (asks first)."""
        member = interaction.user.id
        data = await self.store.member_data(member)
        if not data.subscriptions:
            await interaction.response.send_message(strings.MYDATA_NOTHING, ephemeral=True)
            return
        dm = sum(s.target is Target.DM and s.user_id == member for s in data.subscriptions)
        text = strings.MYDATA_CONFIRM.format(dm=dm, channels=len(data.subscriptions) - dm)

        async def forget() -> str:
            deleted, anonymised = await self.store.forget_member(member)
            return strings.MYDATA_DELETED.format(dm=deleted, channels=anonymised)

        view = ConfirmForget(member, forget)
        await interaction.response.send_message(text, view=view, ephemeral=True)

    # --- helpers --------------------------------------------------------------------

    async def _visible(self, interaction: Interaction[BriefingBot]) -> list[Subscription]:
        managers = interaction.guild_id is not None and interaction.permissions.manage_channels
        return await self.store.for_member(
            interaction.user.id, guild_id=interaction.guild_id, with_guild_channels=managers
        )

    async def _manageable(self, interaction: Interaction[BriefingBot], sub_id: int) -> Subscription:
        """The subscription, if this member may change it: their own DMs, channel ones they
        set up, or channel ones in this server where they have Manage Channels."""
        sub = await self.store.get(sub_id)
        me = interaction.user.id
        allowed = sub is not None and (
            (sub.target is Target.DM and sub.user_id == me)
            or (sub.target is Target.CHANNEL and sub.created_by == me)
            or (
                sub.target is Target.CHANNEL
                and sub.guild_id == interaction.guild_id
                and manages(interaction, sub.channel_id or 0)
            )
        )
        if sub is None or not allowed:
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
        return render.Names(actors=actors, channels=channels)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(SubscriptionsCog(bot))
