"""/card: a server's editors add, edit, archive, restore, import and export cards."""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import limits, strings
from bot.checks import can_manage_cards, is_owner, manages_cards, require_manage_server
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.render.admin import card_preview, history, import_plan, problems
from bot.render.answers import gaps_page
from bot.respond import send_pages
from bot.throttle import GuildRate
from bot.views.cards import CardForm, Choice, ConfirmView
from briefings.changes import Action
from briefings.editing import OWNERS_ONLY, CardDraft, ImportPlan
from briefings.errors import InvalidPack, PermissionDenied, StaleCard
from briefings.models import Card, Pack, PackFile, Status
from briefings.packfile import MAX_IMPORT_BYTES, dump_pack, parse_upload

PUBLISH_CHOICES = [
    ("publish", "Publish", discord.ButtonStyle.success),
    ("draft", "Save as draft", discord.ButtonStyle.secondary),
    ("cancel", "Cancel", discord.ButtonStyle.danger),
]
IMPORT_CHOICES = [
    ("import", "Import", discord.ButtonStyle.success),
    ("cancel", "Cancel", discord.ButtonStyle.danger),
]


@manages_cards()  # draft titles are for editors: others get no choices at all
async def card_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    """Cards this member may manage here: the guild's own, and (for owners) the shipped ones."""
    if interaction.guild_id is None:
        return []
    matches = await interaction.client.core.editor.manageable(
        current, guild_id=interaction.guild_id, is_owner=is_owner(interaction), limit=limits.CHOICES
    )
    return [
        app_commands.Choice(
            name=limits.clip(f"{c.title} [{c.status.value}]", limits.CHOICE_NAME), value=c.id
        )
        for c in matches
    ]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class CardsCog(
    commands.GroupCog, group_name="card", group_description="Manage this server's briefing cards"
):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.editor = bot.core.editor
        self.import_rate = GuildRate(limits.IMPORT_DRY_RUNS, limits.IMPORT_WINDOW_S)
        self.parsing = asyncio.Semaphore(limits.IMPORT_PARSES_AT_ONCE)
        super().__init__()

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        return await can_manage_cards(interaction)

    # --- add and edit -------------------------------------------------------------------

    @app_commands.command(name="add")
    @app_commands.describe(pack="The briefing the card belongs to (default: the first)")
    async def add(self, interaction: Interaction[BriefingBot], pack: str | None = None) -> None:
        """Write a new card: a form, then a preview to publish or keep as a draft."""
        chosen = await self._briefing(interaction, pack)
        await interaction.response.send_modal(CardForm(pack=chosen.slug, on_submit=self._preview))

    async def _preview(self, interaction: Interaction[BriefingBot], draft: CardDraft) -> None:
        gid = self._guild(interaction)
        changes = await self.editor.prepare_new(draft, guild_id=gid, member_id=interaction.user.id)
        card = changes.cards[0][1]
        names = {
            a.id: a.name for a in changes.actors
        } | await self.bot.core.catalogue.display_names(guild_id=gid)

        async def decide(pressed: Interaction[BriefingBot], choice: str) -> None:
            if choice == "cancel":
                await pressed.response.edit_message(
                    content="Cancelled: nothing was saved.", embeds=[], view=None
                )
                return
            status = Status.PUBLISHED if choice == "publish" else Status.DRAFT
            changes.cards[0] = (None, card.model_copy(update={"status": status}))
            await self.editor.save(changes, guild_id=gid, action="add", member_id=pressed.user.id)
            page = card_preview(
                changes.cards[0][1],
                names,
                "Published: members of this server can now find it."
                if status is Status.PUBLISHED
                else "Saved as a draft.",
            )
            await pressed.response.edit_message(content=page.content, embeds=page.embeds, view=None)

        view = ConfirmView(interaction.user, PUBLISH_CHOICES, decide)
        page = card_preview(card, names, "Preview: nothing is saved until you choose.")
        await send_pages(interaction, [page], ephemeral=True, view=view)

    @app_commands.command(name="edit")
    @app_commands.describe(card="The card to change")
    @app_commands.autocomplete(card=card_choices)
    async def edit(self, interaction: Interaction[BriefingBot], card: str) -> None:
        """Change a card's text; refused if someone else changed it meanwhile."""
        current = await self._card(interaction, card)
        if current.guild_id is None and not is_owner(interaction):
            raise PermissionDenied(f"“{current.title}” {OWNERS_ONLY}.")  # before the form
        names = await self.bot.core.catalogue.display_names(guild_id=interaction.guild_id)
        seen = current.version

        async def save(submitted: Interaction[BriefingBot], draft: CardDraft) -> None:
            gid = self._guild(submitted)
            try:
                changes = await self.editor.prepare_edit(
                    current.id,
                    draft,
                    guild_id=gid,
                    member_id=submitted.user.id,
                    seen_version=seen,
                    is_owner=is_owner(submitted),
                )
                await self.editor.save(
                    changes,
                    guild_id=gid,
                    action="edit",
                    member_id=submitted.user.id,
                    is_owner=is_owner(submitted),  # owners' rights, as of this submit
                )
            except StaleCard as stale:
                await self._show_stale(submitted, stale, names)
                return
            page = card_preview(changes.cards[0][1], names, "Saved.")
            await send_pages(submitted, [page], ephemeral=True)

        form = CardForm(
            pack=current.pack,
            on_submit=save,
            card=current,
            actor_names=[names.get(a, a) for a in current.actors],
        )
        await interaction.response.send_modal(form)

    async def _show_stale(
        self, interaction: Interaction[BriefingBot], stale: StaleCard, names: dict[str, str]
    ) -> None:
        if stale.current is None:
            raise UserFacingError("This card was removed while you were editing it.")
        page = card_preview(
            stale.current,
            names,
            f"{stale} Nothing was overwritten; here is "
            "the newer version. Run `/card edit` again to change it.",
        )
        await send_pages(interaction, [page], ephemeral=True)

    # --- status -------------------------------------------------------------------------

    @app_commands.command(name="publish")
    @app_commands.describe(card="The draft to publish (start typing its title)")
    @app_commands.autocomplete(card=card_choices)
    async def publish(self, interaction: Interaction[BriefingBot], card: str) -> None:
        """Publish a draft: members see it and subscribers receive it."""
        await self._set_status(interaction, card, Status.PUBLISHED, "publish")

    @app_commands.command(name="remove")
    @app_commands.describe(card="The card to archive (start typing its title)")
    @app_commands.autocomplete(card=card_choices)
    async def remove(self, interaction: Interaction[BriefingBot], card: str) -> None:
        """Archive a card (nothing is deleted; /card restore brings it back)."""
        await self._set_status(interaction, card, Status.ARCHIVED, "archive")

    @app_commands.command(name="restore")
    @app_commands.describe(card="The archived card to bring back (start typing its title)")
    @app_commands.autocomplete(card=card_choices)
    async def restore(self, interaction: Interaction[BriefingBot], card: str) -> None:
        """Bring an archived card back, published."""
        await self._set_status(interaction, card, Status.PUBLISHED, "restore")

    async def _set_status(
        self, interaction: Interaction[BriefingBot], card_id: str, status: Status, action: Action
    ) -> None:
        gid = self._guild(interaction)
        changes = await self.editor.with_status(
            card_id,
            status,
            guild_id=gid,
            member_id=interaction.user.id,
            is_owner=is_owner(interaction),
        )
        await self.editor.save(
            changes,
            guild_id=gid,
            action=action,
            member_id=interaction.user.id,
            is_owner=is_owner(interaction),
        )
        card = changes.cards[0][1]
        await interaction.response.send_message(
            f"“{limits.clip(card.title, 200)}” is now {status.value} (version {card.version}).",
            ephemeral=True,
        )

    # --- files --------------------------------------------------------------------------

    @app_commands.command(name="import")
    @app_commands.describe(file="A pack file (YAML or JSON), at most 1 MB and 500 cards")
    async def import_(
        self, interaction: Interaction[BriefingBot], file: discord.Attachment
    ) -> None:
        """Import cards from a file: a dry run first, then confirm."""
        if file.size > MAX_IMPORT_BYTES:
            raise UserFacingError(f"`{file.filename}` is {file.size:,} bytes; the limit is 1 MB.")
        gid = self._guild(interaction)
        self._take_import_budget(gid)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            pack = await self._parse(await file.read(), file.filename, gid)
            plan = await self.editor.plan_import(
                pack, guild_id=gid, source=file.filename, is_owner=is_owner(interaction)
            )
        except InvalidPack as invalid:
            await send_pages(interaction, problems(invalid.problems), ephemeral=True)
            return
        if plan.empty:
            await interaction.followup.send(
                "Nothing to import: every card is unchanged.", ephemeral=True
            )
            return
        view = ConfirmView(interaction.user, IMPORT_CHOICES, self._confirm_import(plan, gid))
        await send_pages(
            interaction, import_plan(plan, file.filename)[:1], ephemeral=True, view=view
        )

    async def _briefing(self, interaction: Interaction[BriefingBot], slug: str | None) -> Pack:
        """A briefing this server's editors may add cards to: its own (drafts too) or a
        global one; the newest it sees by default."""
        gid = self._guild(interaction)
        if slug is None:
            return await self.bot.core.catalogue.pack(None, guild_id=gid)
        return await self.bot.core.desk.briefing(slug, guild_id=gid, editors=True)

    def _take_import_budget(self, guild_id: int) -> None:
        retry = self.import_rate.take(guild_id)
        if retry is not None:
            raise UserFacingError(
                strings.IMPORT_RATE_LIMITED.format(
                    count=limits.IMPORT_DRY_RUNS, window=int(limits.IMPORT_WINDOW_S), retry=retry
                )
            )

    async def _parse(self, raw: bytes, filename: str, guild_id: int) -> PackFile:
        """Parse and validate off the event loop (up to a quarter second of CPU for 1 MB),
        one upload at a time across all servers."""
        known = await self.editor.known_ids(guild_id=guild_id)
        async with self.parsing:
            return await asyncio.to_thread(parse_upload, raw, source=filename, known=known)

    def _confirm_import(self, plan: ImportPlan, guild_id: int) -> Choice:
        async def decide(pressed: Interaction[BriefingBot], choice: str) -> None:
            if choice == "import":
                await self.editor.save(
                    plan.changes,
                    guild_id=guild_id,
                    action="import",
                    member_id=pressed.user.id,
                    is_owner=is_owner(pressed),  # owners' rights, as of this press
                )
                text = (
                    f"Imported: {len(plan.added)} added, {len(plan.updated)} updated, "
                    f"{len(plan.unchanged)} unchanged."
                )
            else:
                text = "Cancelled: nothing was imported."
            await pressed.response.edit_message(content=text, embeds=[], view=None)

        return decide

    @app_commands.command(name="export")
    @app_commands.describe(
        pack="Which briefing (default: the first)",
        include_shipped="Also include the shipped cards of that briefing",
    )
    async def export(
        self,
        interaction: Interaction[BriefingBot],
        pack: str | None = None,
        include_shipped: bool = False,
    ) -> None:
        """This server's cards as a pack file that imports back unchanged."""
        chosen = await self._briefing(interaction, pack)
        exported = await self.editor.export(
            chosen.slug, guild_id=self._guild(interaction), include_shipped=include_shipped
        )
        # YAML dumping is pure Python: hundreds of cards take long enough to stall the loop.
        data = (await asyncio.to_thread(dump_pack, exported)).encode("utf-8")
        name = f"{chosen.slug}-{interaction.guild_id}.yaml"
        await interaction.response.send_message(
            f"{len(exported.cards)} cards from **{limits.clip(chosen.title, 200)}**.",
            file=discord.File(io.BytesIO(data), filename=name),
            ephemeral=True,
        )

    @app_commands.command(name="history")
    @app_commands.describe(card="The card whose changes to show (start typing its title)")
    @app_commands.autocomplete(card=card_choices)
    async def history(self, interaction: Interaction[BriefingBot], card: str) -> None:
        """Who changed a card, what and when."""
        current = await self._card(interaction, card)
        revisions = await self.editor.history(current.id)
        await send_pages(interaction, history(current.id, revisions), ephemeral=True)

    @app_commands.command(name="editors")
    @app_commands.describe(action="Add, remove or list editor roles", role="The role")
    async def editors(
        self,
        interaction: Interaction[BriefingBot],
        action: Literal["list", "add", "remove"] = "list",
        role: discord.Role | None = None,
    ) -> None:
        """Roles whose members may manage cards (besides Manage Server)."""
        gid = self._guild(interaction)
        roles = set(await self.bot.core.guilds.editor_roles(gid))
        if action != "list":
            require_manage_server(interaction)
            if role is None:
                raise UserFacingError("Pick the role to add or remove.")
            roles = roles | {role.id} if action == "add" else roles - {role.id}
            await self.bot.core.guilds.set_editor_roles(gid, sorted(roles))
        listed = ", ".join(f"<@&{r}>" for r in sorted(roles)) or "none"
        await interaction.response.send_message(
            f"Editor roles: {listed}. Members with Manage Server can always manage cards.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="gaps")
    async def gaps(self, interaction: Interaction[BriefingBot]) -> None:
        """Questions members asked that the briefing could not answer, most asked first."""
        kept = await self.bot.core.gaps.listed(guild_id=self._guild(interaction))
        await send_pages(interaction, gaps_page(kept), ephemeral=True)

    # --- helpers ------------------------------------------------------------------------

    def _guild(self, interaction: Interaction[BriefingBot]) -> int:
        if interaction.guild_id is None:
            raise UserFacingError(strings.CARDS_IN_SERVER_ONLY)
        return interaction.guild_id

    async def _card(self, interaction: Interaction[BriefingBot], card_id: str) -> Card:
        card = await self.editor.card(card_id, guild_id=self._guild(interaction))
        if card is None:
            raise UserFacingError(
                f"No card `{limits.clip(card_id, 100)}` here. Pick one from the suggestions."
            )
        return card


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(CardsCog(bot))
