"""/briefing-admin: a server's editors write, publish and list their own briefings.

Every subcommand, every button press and every form submit checks the member's editor
rights again on the server (`can_manage_cards`), as /card does: rights can be taken away
while a form or a preview is open. Making a briefing global is for the bot's owners."""

from __future__ import annotations

from typing import Any

import discord
from discord import Interaction, app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot import editor_strings, limits, strings
from bot.checks import can_manage_cards, is_owner, manages_cards
from bot.client import BriefingBot
from bot.errors import UserFacingError
from bot.render.admin import problems
from bot.render.base import plural
from bot.render.desk import briefing_list, briefing_preview, publish_result
from bot.respond import send_pages
from bot.types import BotInteraction
from bot.views.briefing_forms import BASICS, MORE, BriefingForm, BriefingSteps
from bot.views.card_steps import show
from bot.views.cards import Choice, ConfirmView, send_rejected
from briefings.desk import BriefingDraft
from briefings.errors import FieldProblem, InvalidPack, NotFound, StaleBriefing
from briefings.forms import briefing_problems, read_briefing
from briefings.models import Card, Pack, Status

CREATE_CHOICES = [
    ("create", "Create draft", discord.ButtonStyle.success),
    ("cancel", "Cancel", discord.ButtonStyle.danger),
]
PUBLISH_CHOICES = [
    ("publish", editor_strings.BRIEFING_PUBLISH, discord.ButtonStyle.success),
    ("cancel", "Cancel", discord.ButtonStyle.danger),
]


async def _choices(
    interaction: Interaction[BriefingBot], current: str, *, own: bool
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    wanted = current.casefold()
    packs = await interaction.client.core.desk.briefings(interaction.guild_id, editors=True)
    return [
        app_commands.Choice(
            name=limits.clip(f"{p.title} [{_status(p)}]", limits.CHOICE_NAME), value=p.slug
        )
        for p in packs
        if (p.guild_id is not None or is_owner(interaction) or not own)
        and wanted in f"{p.slug} {p.title}".casefold()
    ][: limits.CHOICES]


@manages_cards()  # draft titles are for editors: others get no choices at all
async def briefing_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    """This server's own briefings (drafts too); for the bot's owners, every one it sees."""
    return await _choices(interaction, current, own=True)


@manages_cards()
async def card_briefing_choices(
    interaction: Interaction[BriefingBot], current: str
) -> list[app_commands.Choice[str]]:
    """Every briefing this server's editors may add a card to: global ones and its own."""
    return await _choices(interaction, current, own=False)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class BriefingAdminCog(
    commands.GroupCog,
    group_name="briefing-admin",
    group_description="Write and publish this server's own briefings",
):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        super().__init__()

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        return await can_manage_cards(interaction)

    @app_commands.command(name="new")
    async def new(self, interaction: Interaction[BriefingBot]) -> None:
        """Start a briefing of an article: a form, then a preview to add more and create it."""
        await interaction.response.send_modal(NewBriefing().basics_form())

    @app_commands.command(name="edit")
    @app_commands.describe(briefing="The briefing to change (start typing its title)")
    @app_commands.autocomplete(briefing=briefing_choices)
    async def edit(self, interaction: Interaction[BriefingBot], briefing: str) -> None:
        """Change a briefing's title, byline, date, link, bottom line or pivot."""
        pack = await self._own(interaction, briefing)
        await interaction.response.send_modal(EditBriefing(pack).basics_form())

    @app_commands.command(name="publish")
    @app_commands.describe(briefing="The draft briefing to publish, with its ready cards")
    @app_commands.autocomplete(briefing=briefing_choices)
    async def publish(self, interaction: Interaction[BriefingBot], briefing: str) -> None:
        """Publish a briefing and its draft cards at once (asks first)."""
        pack = await self._own(interaction, briefing)
        drafts = await _drafts(interaction, pack)
        ask = (
            editor_strings.BRIEFING_PUBLISH_ASK
            if drafts
            else editor_strings.BRIEFING_PUBLISH_ASK_NO_CARDS
        ).format(title=limits.clip(pack.title, 200), cards=plural(len(drafts), "draft card"))
        view = ConfirmView(interaction.user, PUBLISH_CHOICES, _publish(pack))
        await interaction.response.send_message(ask, view=view, ephemeral=True)

    @app_commands.command(name="global")
    @app_commands.describe(briefing="The briefing every server should see")
    @app_commands.autocomplete(briefing=briefing_choices)
    async def make_global(self, interaction: Interaction[BriefingBot], briefing: str) -> None:
        """Make a briefing global (the bot's owners only)."""
        if not is_owner(interaction):
            raise UserFacingError(editor_strings.BRIEFING_OWNERS_ONLY)
        pack = await self._own(interaction, briefing)
        made = await self.bot.core.desk.make_global(pack.slug, owner=interaction.user.id)
        await interaction.response.send_message(
            editor_strings.BRIEFING_MADE_GLOBAL.format(title=limits.clip(made.title, 200)),
            ephemeral=True,
        )

    @app_commands.command(name="list")
    async def list_(self, interaction: Interaction[BriefingBot]) -> None:
        """This server's briefings, drafts too, with their status."""
        packs = await self.bot.core.desk.briefings(_guild(interaction), editors=True)
        rows = [(p.title, _status(p), _byline(p)) for p in packs]
        await send_pages(interaction, briefing_list(rows), ephemeral=True)

    async def _own(self, interaction: BotInteraction, slug: str) -> Pack:
        """A briefing this member may change here: the server's own (any, for owners)."""
        try:
            pack = await self.bot.core.desk.briefing(
                slug, guild_id=_guild(interaction), editors=True
            )
        except NotFound:
            raise UserFacingError(
                editor_strings.BRIEFING_NOT_HERE.format(slug=limits.clip(slug, 80))
            ) from None
        if pack.guild_id is None and not is_owner(interaction):
            raise UserFacingError(editor_strings.BRIEFING_SHIPPED.format(title=pack.title))
        return pack


class BriefingFlow:
    """What the two forms typed so far; each submit checks all of it as a draft."""

    form_id = "new"

    def __init__(self, typed: dict[str, str]) -> None:
        self.typed = typed
        self.view: BriefingSteps | None = None

    def basics_form(self) -> BriefingForm:
        return self._form(editor_strings.BRIEFING_NEW_TITLE, "basics", BASICS)

    def more_form(self) -> BriefingForm:
        title = editor_strings.BRIEFING_MORE_TITLE.format(title=self.typed.get("title", ""))
        return self._form(title, "more", MORE)

    def _form(self, title: str, step: str, fields: Any) -> BriefingForm:
        return BriefingForm(
            title=title,
            kind=f"briefing-{step}",
            key=self.form_id,
            fields=fields,
            typed=self.typed,
            on_submit=self.submitted,
        )

    async def open_basics(self, interaction: BotInteraction) -> None:
        await interaction.response.send_modal(self.basics_form())

    async def open_more(self, interaction: BotInteraction) -> None:
        await interaction.response.send_modal(self.more_form())

    async def submitted(self, interaction: BotInteraction, form: BriefingForm) -> None:
        typed = self.typed | form.typed()
        try:
            draft = checked(typed)
        except InvalidPack as invalid:  # what was typed is kept: "Fix it" reopens it
            await send_rejected(interaction, invalid, form)
            return
        self.typed = typed
        await self.step_done(interaction, draft)

    async def step_done(self, interaction: BotInteraction, draft: BriefingDraft) -> None:
        raise NotImplementedError


class NewBriefing(BriefingFlow):
    """Nothing is stored until Create draft."""

    def __init__(self) -> None:
        super().__init__({})

    async def step_done(self, interaction: BotInteraction, draft: BriefingDraft) -> None:
        if self.view is None:
            self.view = BriefingSteps(
                interaction.user,
                basics=self.open_basics,
                more=self.open_more,
                choices=CREATE_CHOICES,
                on_choice=self.decide,
            )
        more = draft.bottom_line or draft.original_publisher or draft.pivot
        note = (
            editor_strings.BRIEFING_PREVIEW_DONE if more else editor_strings.BRIEFING_PREVIEW_NOTE
        )
        page = briefing_preview(draft.model_dump(), note)
        await show(interaction, page.content or "", page.embeds, self.view)

    async def decide(self, pressed: BotInteraction, choice: str) -> None:
        if choice != "create":
            await pressed.response.edit_message(
                content=editor_strings.BRIEFING_CANCELLED, embeds=[], view=None
            )
            return
        pack = await pressed.client.core.desk.create_briefing(
            checked(self.typed), guild_id=_guild(pressed), member=pressed.user.id
        )
        note = editor_strings.BRIEFING_CREATED.format(
            title=limits.clip(pack.title, 200), slug=pack.slug
        )
        page = briefing_preview(_fields(pack), note, footer=_footer(pack))
        await pressed.response.edit_message(content=page.content, embeds=page.embeds, view=None)


class EditBriefing(BriefingFlow):
    """A stored briefing: each submit saves the version last seen, or is refused."""

    def __init__(self, pack: Pack) -> None:
        super().__init__({k: "" if v is None else str(v) for k, v in _fields(pack).items()})
        self.pack = pack
        self.form_id = pack.slug

    async def step_done(self, interaction: BotInteraction, draft: BriefingDraft) -> None:
        try:
            self.pack = await interaction.client.core.desk.update_briefing(
                self.pack.slug,
                draft,
                guild_id=_guild(interaction),
                member=interaction.user.id,
                expected_version=self.pack.version,
                is_owner=is_owner(interaction),  # owners' rights, as of this submit
            )
        except StaleBriefing as stale:
            if stale.current is None:
                raise UserFacingError(editor_strings.BRIEFING_GONE) from None
            now = stale.current
            note = editor_strings.BRIEFING_STALE.format(version=now.version)
            page = briefing_preview(_fields(now), note, footer=_footer(now))
            await send_pages(interaction, [page], ephemeral=True)
            return
        if self.view is None:
            self.view = BriefingSteps(
                interaction.user, basics=self.open_basics, more=self.open_more
            )
        note = editor_strings.BRIEFING_SAVED.format(version=self.pack.version)
        page = briefing_preview(_fields(self.pack), note, footer=_footer(self.pack))
        await show(interaction, page.content or "", page.embeds, self.view)


def checked(typed: dict[str, str]) -> BriefingDraft:
    """The forms' text as a briefing draft, or every problem by field."""
    raw, problems = read_briefing(typed)
    try:
        draft = BriefingDraft.model_validate(raw)
    except ValidationError as exc:
        problems += [p for p in briefing_problems(exc) if p.field not in _fields_of(problems)]
        raise InvalidPack(problems) from None
    if problems:
        raise InvalidPack(problems)
    return draft


def _publish(pack: Pack) -> Choice:
    async def decide(pressed: BotInteraction, choice: str) -> None:
        if choice != "publish":
            await pressed.response.edit_message(
                content=editor_strings.BRIEFING_NOT_PUBLISHED, embeds=[], view=None
            )
            return
        gid = _guild(pressed)
        try:
            report = await pressed.client.core.desk.publish_briefing(
                pack.slug, guild_id=gid, member=pressed.user.id, is_owner=is_owner(pressed)
            )
        except InvalidPack as refused:  # all or nothing: every card not ready, and why
            pages = problems(refused.problems, title=editor_strings.BRIEFING_NOT_READY)
            await pressed.response.edit_message(
                content=editor_strings.BRIEFING_NOT_PUBLISHED, embeds=pages[0].embeds, view=None
            )
            return
        titles = [await _title(pressed, card_id) for card_id in report.cards]
        page = publish_result(report.briefing.title, titles)
        await pressed.response.edit_message(content=page.content, embeds=page.embeds, view=None)

    return decide


async def _drafts(interaction: BotInteraction, pack: Pack) -> list[Card]:
    """The briefing's draft cards of this server: what publishing it publishes too."""
    cards = await interaction.client.core.editor.manageable(
        "", guild_id=_guild(interaction), is_owner=is_owner(interaction), limit=10_000
    )
    return [
        c
        for c in cards
        if c.pack == pack.slug and c.status is Status.DRAFT and c.guild_id == pack.guild_id
    ]


async def _title(interaction: BotInteraction, card_id: str) -> str:
    card = await interaction.client.core.editor.card(card_id, guild_id=_guild(interaction))
    return card.title if card else card_id


def _fields_of(problems: list[FieldProblem]) -> set[str]:
    return {p.field for p in problems}


def _fields(pack: Pack) -> dict[str, Any]:
    keys = (*(f.key for f in BASICS), *(f.key for f in MORE))
    return {k: getattr(pack, k) for k in keys}


def _footer(pack: Pack) -> str:
    return f"{_status(pack).capitalize()} · {pack.slug} · version {pack.version}"


def _status(pack: Pack) -> str:
    return "global" if pack.guild_id is None else pack.status.value


def _byline(pack: Pack) -> str:
    return f"{pack.author} · {pack.publisher} · {pack.published:%-d %b %Y}"


def _guild(interaction: BotInteraction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(strings.CARDS_IN_SERVER_ONLY)
    return interaction.guild_id


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(BriefingAdminCog(bot))
