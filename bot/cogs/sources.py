"""/source: a briefing's article for this server's editors: attach, fetch, show, draft."""

from __future__ import annotations

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, strings
from bot.checks import can_manage_cards, manages_cards
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.render import sources as render
from bot.respond import send_pages
from bot.throttle import GuildRate
from bot.views.drafts import Create, DraftView
from briefings.models import Pack
from briefings.sources.draft import Draft
from briefings.sources.errors import SourceRefused
from briefings.sources.limits import MAX_SOURCE_BYTES, MAX_URL_CHARS
from briefings.sourcing import Attached, Overview


@manages_cards()  # a server's draft briefings are for its editors: others get no choices
async def briefing_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    """The briefings this server's editors see: global ones and its own, drafts too."""
    if interaction.guild_id is None:
        return []
    packs = await interaction.client.core.desk.briefings(interaction.guild_id, editors=True)
    wanted = current.casefold()
    return [
        app_commands.Choice(name=limits.clip(p.title, limits.CHOICE_NAME), value=p.slug)
        for p in packs
        if wanted in f"{p.slug} {p.title}".casefold()
    ][: limits.CHOICES]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SourcesCog(
    commands.GroupCog,
    group_name="source",
    group_description="A briefing's article: attach it, check against it, draft cards from it",
):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.sources = bot.core.sources
        self.sources.configure(allow_loopback=bot.settings.source_allow_loopback)
        self.rate = GuildRate(limits.SOURCE_ATTACHES, limits.SOURCE_WINDOW_S)
        super().__init__()

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        return await can_manage_cards(interaction)

    @app_commands.command(name="attach")
    @app_commands.describe(
        briefing="The briefing the article belongs to",
        file="The article: a text, Markdown or HTML file, at most 2 MB",
    )
    @app_commands.autocomplete(briefing=briefing_choices)
    async def attach(
        self, interaction: Interaction[BriefingBot], briefing: str, file: discord.Attachment
    ) -> None:
        """Attach the article as a file; it replaces any source this briefing had here."""
        pack, gid = await self._pack(interaction, briefing), self._guild(interaction)
        if file.size > MAX_SOURCE_BYTES:  # before downloading it
            raise UserFacingError(
                render.refused(SourceRefused("too-large", limit=MAX_SOURCE_BYTES))
            )
        self._take_budget(gid)
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        try:
            done = await self.sources.attach_file(
                pack.slug, raw, file.filename, guild_id=gid, member_id=interaction.user.id
            )
        except SourceRefused as refused:
            raise UserFacingError(render.refused(refused)) from None
        await self._attached(interaction, pack, done)

    @app_commands.command(name="url")
    @app_commands.describe(
        briefing="The briefing the article belongs to", url="The article's address (http or https)"
    )
    @app_commands.autocomplete(briefing=briefing_choices)
    async def url(
        self,
        interaction: Interaction[BriefingBot],
        briefing: str,
        url: app_commands.Range[str, 1, MAX_URL_CHARS],
    ) -> None:
        """Fetch the article from its address; it replaces any source this briefing had here."""
        pack, gid = await self._pack(interaction, briefing), self._guild(interaction)
        self._take_budget(gid)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            done = await self.sources.attach_url(
                pack.slug, url, guild_id=gid, member_id=interaction.user.id
            )
        except SourceRefused as refused:
            raise UserFacingError(render.refused(refused)) from None
        await self._attached(interaction, pack, done)

    async def _attached(
        self, interaction: Interaction[BriefingBot], pack: Pack, done: Attached
    ) -> None:
        overview = await self.sources.overview(pack.slug, guild_id=self._guild(interaction))
        page = render.attached(overview, pack.title, done.replaced is not None, done.mismatches)
        await send_pages(interaction, [page], ephemeral=True)

    @app_commands.command(name="show")
    @app_commands.describe(briefing="The briefing whose source to describe")
    @app_commands.autocomplete(briefing=briefing_choices)
    async def show(self, interaction: Interaction[BriefingBot], briefing: str) -> None:
        """Where the source came from, its length, sections, hash and first lines."""
        pack = await self._pack(interaction, briefing)
        overview = await self._overview(interaction, pack)
        await send_pages(interaction, [render.show(overview, pack.title)], ephemeral=True)

    @app_commands.command(name="draft")
    @app_commands.describe(briefing="The briefing whose source to draft cards from")
    @app_commands.autocomplete(briefing=briefing_choices)
    async def draft(self, interaction: Interaction[BriefingBot], briefing: str) -> None:
        """One draft card per section of the source, for you to write; confirm to create."""
        pack, gid = await self._pack(interaction, briefing), self._guild(interaction)
        await self._require_source(pack, gid)
        await interaction.response.defer(ephemeral=True, thinking=True)
        proposed = await self.sources.draft(pack.slug, guild_id=gid)
        pages = render.draft_pages(proposed, pack.title)
        if not proposed.proposals:
            await send_pages(interaction, pages, ephemeral=True)
            return
        view = DraftView(
            interaction.user,
            pages,
            count=len(proposed.proposals),
            on_create=self._creator(pack, proposed, gid),
        )
        await send_pages(interaction, pages[:1], ephemeral=True, view=view)

    def _creator(self, pack: Pack, proposed: Draft, guild_id: int) -> Create:
        async def create(pressed: Interaction[BriefingBot]) -> str:
            made = await self.sources.create_drafts(
                pack.slug, proposed, guild_id=guild_id, member_id=pressed.user.id
            )
            return render.created(len(made.ids), pack.title, made.ids, made.new_names)

        return create

    # --- helpers ------------------------------------------------------------------------

    async def _pack(self, interaction: Interaction[BriefingBot], briefing: str) -> Pack:
        """Scoped: another server's briefing is not found here."""
        gid = self._guild(interaction)
        return await self.bot.core.desk.briefing(briefing, guild_id=gid, editors=True)

    async def _overview(self, interaction: Interaction[BriefingBot], pack: Pack) -> Overview:
        gid = self._guild(interaction)
        await self._require_source(pack, gid)
        return await self.sources.overview(pack.slug, guild_id=gid)

    async def _require_source(self, pack: Pack, guild_id: int) -> None:
        """No source here: say how to attach one (before any work or deferral)."""
        if await self.sources.source(pack.slug, guild_id=guild_id) is None:
            raise UserFacingError(strings.SOURCE_NONE.format(pack=render.safe(pack.title)))

    def _take_budget(self, guild_id: int) -> None:
        retry = self.rate.take(guild_id)
        if retry is not None:
            raise UserFacingError(
                strings.SOURCE_RATE_LIMITED.format(
                    count=limits.SOURCE_ATTACHES, window=int(limits.SOURCE_WINDOW_S), retry=retry
                )
            )

    def _guild(self, interaction: Interaction[BriefingBot]) -> int:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage("source commands work in a server")
        return interaction.guild_id


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(SourcesCog(bot))
