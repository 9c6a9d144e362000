"""/card add and /card edit in steps: the text form, then a preview whose buttons open the
key points form, the text form again, or the card as a file.

A new card lives in its preview until Publish or Save as draft; a stored card is saved at
each submit, refused (nothing overwritten) if someone changed it meanwhile."""

from __future__ import annotations

import asyncio
import io

import discord

from bot import editor_strings, limits, strings
from bot.checks import is_owner
from bot.errors import UserFacingError
from bot.render.admin import card_preview, with_warnings
from bot.respond import send_pages
from bot.types import BotInteraction
from bot.views.card_steps import CardSteps, TakeFile, show
from bot.views.cards import CardForm
from briefings.cardfile import one_card
from briefings.changes import OWNERS_ONLY
from briefings.editing import CardDraft, ImportPlan
from briefings.errors import PermissionDenied, StaleCard
from briefings.models import Card, Status
from briefings.packfile import dump_pack

PUBLISH_CHOICES = [
    ("publish", "Publish", discord.ButtonStyle.success),
    ("draft", "Save as draft", discord.ButtonStyle.secondary),
    ("cancel", "Cancel", discord.ButtonStyle.danger),
]


def guild_of(interaction: BotInteraction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(strings.CARDS_IN_SERVER_ONLY)
    return interaction.guild_id


async def open_new(interaction: BotInteraction, pack: str) -> None:
    """The text form of a new card; its submit opens the preview."""
    await interaction.response.send_modal(CardForm(pack=pack, on_submit=NewCard().preview))


async def open_edit(interaction: BotInteraction, card: Card, *, import_file: TakeFile) -> None:
    """The text form of a stored card, prefilled; each step's submit saves it."""
    if card.guild_id is None and not is_owner(interaction):
        raise PermissionDenied(f"“{card.title}” {OWNERS_ONLY}.")  # before the form
    names = await interaction.client.core.catalogue.display_names(guild_id=interaction.guild_id)
    flow = EditCard(card, names, import_file)
    actor_names = [names.get(a, a) for a in card.actors]
    form = CardForm(
        pack=card.pack,
        on_submit=flow.save,
        card=card,
        actor_names=actor_names,
        draft=CardDraft.from_card(card, actor_names),  # the fields other forms edit are kept
    )
    await interaction.response.send_modal(form)


class NewCard:
    """A card not yet stored: each step re-plans it from the draft; the choice writes it."""

    def __init__(self) -> None:
        self.view: CardSteps | None = None

    async def preview(self, interaction: BotInteraction, draft: CardDraft) -> None:
        card, names = await self._planned(interaction, draft)
        if self.view is None:
            self.view = CardSteps(
                interaction.user,
                draft,
                apply=self.preview,
                choices=PUBLISH_CHOICES,
                on_choice=self.decide,
            )
        self.view.moved_on(draft)
        note = editor_strings.CARD_STEP_DONE if draft.key_points else editor_strings.CARD_STEP_NOTE
        page = card_preview(card, names, note)
        await show(interaction, page.content or "", page.embeds, self.view)

    async def _planned(
        self, interaction: BotInteraction, draft: CardDraft
    ) -> tuple[Card, dict[str, str]]:
        gid = guild_of(interaction)
        core = interaction.client.core
        changes = await core.editor.prepare_new(draft, guild_id=gid, member_id=interaction.user.id)
        names = {a.id: a.name for a in changes.actors} | await core.catalogue.display_names(
            guild_id=gid
        )
        return changes.cards[0][1], names

    async def decide(self, pressed: BotInteraction, choice: str) -> None:
        if choice == "cancel" or self.view is None:
            await pressed.response.edit_message(
                content="Cancelled: nothing was saved.", embeds=[], view=None
            )
            return
        gid = guild_of(pressed)
        editor = pressed.client.core.editor
        # planned again as of this press: the draft as last shown, a free id as of now
        changes = await editor.prepare_new(self.view.draft, guild_id=gid, member_id=pressed.user.id)
        status = Status.PUBLISHED if choice == "publish" else Status.DRAFT
        card = changes.cards[0][1].model_copy(update={"status": status})
        changes.cards[0] = (None, card)
        warnings = await editor.save(changes, guild_id=gid, action="add", member_id=pressed.user.id)
        names = {
            a.id: a.name for a in changes.actors
        } | await pressed.client.core.catalogue.display_names(guild_id=gid)
        note = (
            "Published: members of this server can now find it."
            if status is Status.PUBLISHED
            else "Saved as a draft."
        )
        page = card_preview(card, names, with_warnings(note, warnings))
        await pressed.response.edit_message(content=page.content, embeds=page.embeds, view=None)


class EditCard:
    """A stored card: every submit is a save of the version last seen."""

    def __init__(self, card: Card, names: dict[str, str], import_file: TakeFile) -> None:
        self.card, self.names, self.import_file = card, names, import_file
        self.view: CardSteps | None = None

    async def save(self, submitted: BotInteraction, draft: CardDraft) -> None:
        gid = guild_of(submitted)
        editor = submitted.client.core.editor
        try:
            changes = await editor.prepare_edit(
                self.card.id,
                draft,
                guild_id=gid,
                member_id=submitted.user.id,
                seen_version=self.card.version,
                is_owner=is_owner(submitted),
            )
            warnings = await editor.save(
                changes,
                guild_id=gid,
                action="edit",
                member_id=submitted.user.id,
                is_owner=is_owner(submitted),  # owners' rights, as of this submit
            )
        except StaleCard as stale:
            await show_stale(submitted, stale, self.names)
            return
        self.card = changes.cards[0][1]
        self.names |= {a.id: a.name for a in changes.actors}
        if self.view is None:
            self.view = CardSteps(
                submitted.user,
                draft,
                apply=self.save,
                card=self.card,
                as_file=self.as_file,
                from_file=self.import_file,
            )
        self.view.moved_on(draft, self.card)
        note = editor_strings.CARD_SAVED_NOTE.format(version=self.card.version)
        page = card_preview(self.card, self.names, with_warnings(note, warnings))
        await show(submitted, page.content or "", page.embeds, self.view)

    async def as_file(self, interaction: BotInteraction) -> None:
        await send_card_file(interaction, self.card)


async def show_stale(interaction: BotInteraction, stale: StaleCard, names: dict[str, str]) -> None:
    if stale.current is None:
        raise UserFacingError("This card was removed while you were editing it.")
    page = card_preview(
        stale.current,
        names,
        f"{stale} Nothing was overwritten; here is "
        "the newer version. Run `/card edit` again to change it.",
    )
    await send_pages(interaction, [page], ephemeral=True)


async def changed_concepts(interaction: BotInteraction, plan: ImportPlan) -> list[str]:
    """Ids of the file's concept aliases that are new or changed for this server (a plan
    counts cards and records; concepts are written whole, so compared here)."""
    if not plan.changes.concepts:
        return []
    if plan.new_briefing is not None:  # a new briefing: all of them are new
        return [c.id for c in plan.changes.concepts]
    own = await interaction.client.core.editor.export(
        plan.briefing, guild_id=guild_of(interaction), include_shipped=False
    )
    kept = {c.id: c.terms for c in own.concepts}
    return [c.id for c in plan.changes.concepts if kept.get(c.id) != c.terms]


async def send_card_file(interaction: BotInteraction, card: Card) -> None:
    """The card and what it names as a small pack file, to edit and import back."""
    gid = guild_of(interaction)
    editor = interaction.client.core.editor
    seen = await editor.export(card.pack, guild_id=gid, include_shipped=True)
    own = await editor.export(card.pack, guild_id=gid, include_shipped=False)
    exported = one_card(seen, card.id, concepts=own.concepts)
    if exported is None:
        raise UserFacingError(editor_strings.CARD_FILE_ARCHIVED.format(title=card.title))
    data = (await asyncio.to_thread(dump_pack, exported)).encode("utf-8")
    await interaction.response.send_message(
        editor_strings.CARD_FILE_NOTE.format(title=limits.clip(card.title, 200)),
        file=discord.File(io.BytesIO(data), filename=f"{card.id}.yaml"),
        ephemeral=True,
    )
