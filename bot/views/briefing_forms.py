"""The briefing forms (modals of labelled inputs) and the buttons under a briefing's preview.

Discord's modals hold at most five components, so a briefing is written in two forms: the
basics (title, author, publisher, date, source URL), then "More details" (original
publisher, bottom line, pivot) from the preview. A form hands what was typed to its
handler, which validates it; a rejected form reopens as typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot import editor_strings, limits
from bot.checks import can_manage_cards
from bot.types import BotInteraction
from bot.views.cards import MODAL_TITLE, ConfirmView, modal_id

if TYPE_CHECKING:
    from bot.client import BriefingBot


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    label: str
    description: str
    size: int = 200
    required: bool = True
    paragraph: bool = False
    placeholder: str | None = None


BASICS = (
    Field("title", "Title", "The article's headline, as published"),
    Field("author", "Author", "Who wrote it"),
    Field("publisher", "Publisher", "Where you read it (The Moscow Times)"),
    Field("published", "Publication date", "2024-12-19 or 19 December 2024", 40),
    Field("source_url", "Link to the article", "Its full address, https://…", 500),
)
MORE = (
    Field(
        "original_publisher",
        "Original publisher (if republished)",
        "Where it first appeared (Carnegie Politika)",
        required=False,
    ),
    Field(
        "bottom_line",
        "Bottom line",
        "The article's main argument in one or two sentences, in your words",
        4000,
        required=False,
        paragraph=True,
    ),
    Field(
        "pivot",
        "Pivot (if any)",
        "The event its before/after are relative to (Assad's fall)",
        required=False,
    ),
)
Submitted = Callable[[BotInteraction, "BriefingForm"], Awaitable[None]]


class BriefingForm(discord.ui.Modal):
    """One of the two briefing forms: labelled inputs, prefilled with `typed`."""

    def __init__(
        self,
        *,
        title: str,
        kind: str,
        key: str,
        fields: tuple[Field, ...],
        typed: dict[str, str],
        on_submit: Submitted,
    ) -> None:
        super().__init__(
            title=limits.clip(title, MODAL_TITLE, mark="…"),
            timeout=900,
            custom_id=modal_id(kind, key),
        )
        self.kind, self.key, self.fields, self.handler = kind, key, fields, on_submit
        self.inputs: dict[str, discord.ui.TextInput[BriefingForm]] = {}
        for field in fields:
            box = discord.ui.TextInput[BriefingForm](
                custom_id=field.key,
                style=discord.TextStyle.paragraph if field.paragraph else discord.TextStyle.short,
                required=field.required,
                max_length=field.size,
                default=typed.get(field.key) or None,
                placeholder=field.placeholder,
            )
            self.inputs[field.key] = box
            self.add_item(
                discord.ui.Label[BriefingForm](
                    text=field.label, description=field.description, component=box
                )
            )

    def typed(self) -> dict[str, str]:
        return {key: box.value for key, box in self.inputs.items()}

    def reopened(self) -> BriefingForm:
        return BriefingForm(
            title=self.title,
            kind=self.kind,
            key=self.key,
            fields=self.fields,
            typed=self.typed(),
            on_submit=self.handler,
        )

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: discord.Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        """Open up to 15 minutes: rights are checked again when it is submitted."""
        return await can_manage_cards(interaction)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_submit(self, interaction: discord.Interaction[BriefingBot]) -> None:  # type: ignore[override]
        await self.handler(interaction, self)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[BriefingBot], error: Exception
    ) -> None:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


Step = Callable[[BotInteraction], Awaitable[None]]


class BriefingSteps(ConfirmView):
    """Under a briefing's preview: the two forms again, and (for a new one) Create / Cancel,
    decided once. Rights are checked again at every press."""

    default_timeout = 900.0

    def __init__(
        self,
        owner: discord.abc.User,
        *,
        basics: Step,
        more: Step,
        choices: list[tuple[str, str, discord.ButtonStyle]] | None = None,
        on_choice: Callable[[BotInteraction, str], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(owner, choices or [], on_choice, row=1)
        self.button(editor_strings.BRIEFING_MORE, "➕", more, row=0)
        self.button(editor_strings.BRIEFING_EDIT_BASICS, "✏️", basics, row=0)

    def decided(self) -> None:
        self.stop()
