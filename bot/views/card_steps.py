"""The card's later steps: the key points form, and the preview's buttons that open each
form again (text, key points and quotes) or hand the card over as a file.

A form holds at most five components, so a card is edited in steps from its preview: each
step's submit gives the next draft to `apply` (the cog shows it, or saves it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot import editor_strings, limits
from bot.checks import can_manage_cards
from bot.types import BotInteraction
from bot.views.base import OwnedView
from bot.views.cards import MODAL_TITLE, CardForm, ConfirmView, modal_id, send_rejected
from briefings.editing import CardDraft
from briefings.errors import InvalidPack
from briefings.forms import common_certainty, write_key_points, write_quotes
from briefings.models import Card, Certainty

if TYPE_CHECKING:
    from bot.client import BriefingBot

Apply = Callable[[BotInteraction, CardDraft], Awaitable[None]]
Step = Callable[[BotInteraction], Awaitable[None]]
TakeFile = Callable[[BotInteraction, discord.Attachment], Awaitable[None]]
POINT_STATUSES = [c for c in Certainty if c is not Certainty.REPORTED]
"""`reported` needs a reporter, so it is a marker on a line, never the default."""


class PointsForm(discord.ui.Modal):
    """The bottom line, key points (one a line, with an optional [status]) and quotes
    ("words" — who), and the status of key points that carry no marker."""

    def __init__(
        self,
        *,
        draft: CardDraft,
        on_submit: Apply,
        card_id: str | None,
        typed: dict[str, str] | None = None,
        certainty: Certainty | None = None,
    ) -> None:
        super().__init__(
            title=limits.clip(f"Key points: {draft.title}", MODAL_TITLE, mark="…"),
            timeout=900,
            custom_id=modal_id("card-points", card_id or "new"),
        )
        self.draft, self.handler, self.card_id = draft, on_submit, card_id
        default = certainty or common_certainty(draft.key_points)
        self.default = default
        typed = typed or {
            "bottom_line": draft.bottom_line or "",
            "key_points": write_key_points(draft.key_points, default=default),
            "quotes": write_quotes(draft.quotes),
        }
        self.bottom_line = _paragraph("bottom_line", typed, 4000, editor_strings.BOTTOM_LINE_HINT)
        self.key_points = _paragraph("key_points", typed, 4000, editor_strings.KEY_POINTS_HINT)
        self.quotes = _paragraph("quotes", typed, 4000, editor_strings.QUOTES_HINT)
        self.certainty = discord.ui.Select[PointsForm](
            custom_id="certainty",
            options=[
                discord.SelectOption(
                    label=editor_strings.CERTAINTY_LABELS[c.value],
                    value=c.value,
                    description=editor_strings.CERTAINTY_HINTS[c.value],
                    default=c is default,
                )
                for c in POINT_STATUSES
            ],
        )
        self.add_item(discord.ui.TextDisplay[Any](editor_strings.POINTS_FORM_HELP))
        labels = editor_strings.POINTS_FORM_LABELS
        for key, component in (
            ("bottom_line", self.bottom_line),
            ("key_points", self.key_points),
            ("quotes", self.quotes),
            ("certainty", self.certainty),
        ):
            text, description = labels[key]
            self.add_item(
                discord.ui.Label[PointsForm](
                    text=text, description=description, component=component
                )
            )

    def typed(self) -> dict[str, str]:
        items = (self.bottom_line, self.key_points, self.quotes)
        return {item.custom_id: item.value for item in items}

    def chosen(self) -> Certainty:
        values = self.certainty.values
        return Certainty(values[0]) if values else self.default

    def reopened(self) -> PointsForm:
        return PointsForm(
            draft=self.draft,
            on_submit=self.handler,
            card_id=self.card_id,
            typed=self.typed(),
            certainty=self.chosen(),
        )

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: discord.Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        return await can_manage_cards(interaction)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_submit(self, interaction: discord.Interaction[BriefingBot]) -> None:  # type: ignore[override]
        try:
            draft = self.draft.with_points(
                bottom_line=self.bottom_line.value,
                key_points=self.key_points.value,
                quotes=self.quotes.value,
                default=self.chosen(),
            )
        except InvalidPack as invalid:
            await send_rejected(interaction, invalid, self)
            return
        await self.handler(interaction, draft)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[BriefingBot], error: Exception
    ) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


def _paragraph(
    key: str, typed: dict[str, str], size: int, placeholder: str
) -> discord.ui.TextInput[PointsForm]:
    return discord.ui.TextInput[PointsForm](
        custom_id=key,
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=size,
        default=typed.get(key) or None,
        placeholder=placeholder,
    )


class FileForm(discord.ui.Modal):
    """A pack file attached in a form (Discord's file upload): the card's file, edited, goes
    through the import's dry run from here."""

    def __init__(self, *, card: Card, on_file: TakeFile) -> None:
        super().__init__(
            title=limits.clip(f"Replace: {card.title}", MODAL_TITLE, mark="…"),
            timeout=900,
            custom_id=modal_id("card-file", card.id),
        )
        self.handler = on_file
        self.upload = discord.ui.FileUpload[FileForm](custom_id="file", max_values=1)
        self.add_item(discord.ui.TextDisplay[Any](editor_strings.FILE_FORM_HELP))
        text, description = editor_strings.FILE_FORM_LABEL
        self.add_item(
            discord.ui.Label[FileForm](text=text, description=description, component=self.upload)
        )

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: discord.Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        return await can_manage_cards(interaction)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_submit(self, interaction: discord.Interaction[BriefingBot]) -> None:  # type: ignore[override]
        if not self.upload.values:
            await interaction.response.send_message(editor_strings.FILE_FORM_EMPTY, ephemeral=True)
            return
        await self.handler(interaction, self.upload.values[0])

    # discord.py types it for any client; ours is always BriefingBot
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[BriefingBot], error: Exception
    ) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


class CardSteps(ConfirmView):
    """Under a card's preview: open its forms again, take it as a file, and (for a new card)
    decide once: Publish, Save as draft or Cancel."""

    default_timeout = 900.0  # as long as a form stays open

    def __init__(
        self,
        owner: discord.abc.User,
        draft: CardDraft,
        *,
        apply: Apply,
        card: Card | None = None,
        choices: list[tuple[str, str, discord.ButtonStyle]] | None = None,
        on_choice: Callable[[BotInteraction, str], Awaitable[None]] | None = None,
        as_file: Step | None = None,
        from_file: TakeFile | None = None,
    ) -> None:
        super().__init__(owner, choices or [], on_choice, row=1)
        self.draft, self.apply, self.card = draft, apply, card
        self.button(editor_strings.EDIT_TEXT, "✏️", self._edit_text, row=0)
        self.button(editor_strings.EDIT_POINTS, "📝", self._edit_points, row=0)
        if as_file is not None:
            self.button(editor_strings.EDIT_AS_FILE, "📄", as_file, row=0)
        if from_file is not None:
            self.from_file = from_file
            self.button(editor_strings.REPLACE_FROM_FILE, "📥", self._replace, row=0)

    def decided(self) -> None:
        self.stop()

    def moved_on(self, draft: CardDraft, card: Card | None = None) -> None:
        """The preview now shows `draft` (and, once saved, `card`)."""
        self.draft = draft
        self.card = card or self.card

    async def _edit_text(self, interaction: BotInteraction) -> None:
        form = CardForm(
            pack=self.draft.pack, on_submit=self.apply, card=self.card, draft=self.draft
        )
        await interaction.response.send_modal(form)

    async def _edit_points(self, interaction: BotInteraction) -> None:
        card_id = self.card.id if self.card else None
        form = PointsForm(draft=self.draft, on_submit=self.apply, card_id=card_id)
        await interaction.response.send_modal(form)

    async def _replace(self, interaction: BotInteraction) -> None:
        assert self.card is not None  # offered for stored cards only
        await interaction.response.send_modal(FileForm(card=self.card, on_file=self.from_file))


async def show(
    interaction: BotInteraction, content: str, embeds: list[discord.Embed], view: OwnedView
) -> None:
    """A step's preview: in place of the preview it was opened from, else a new one."""
    if interaction.message is not None and interaction.type is discord.InteractionType.modal_submit:
        await interaction.response.edit_message(content=content, embeds=embeds, view=view)
        return
    response = await interaction.response.send_message(
        content=content, embeds=embeds, view=view, ephemeral=True
    )
    if isinstance(response.resource, discord.InteractionMessage):
        view.message = response.resource  # to grey the buttons out when they time out
