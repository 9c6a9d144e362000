"""The card form (a modal) and the confirm steps editors go through."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot import limits, strings
from bot.checks import can_manage_cards
from bot.render.admin import problem_line
from bot.render.base import plural
from bot.types import BotInteraction
from bot.views.base import OwnedView
from briefings.editing import CardDraft
from briefings.errors import InvalidPack
from briefings.models import Card

if TYPE_CHECKING:
    from bot.client import BriefingBot

# Discord's modal limits: a title of 45, labels of 45, inputs of up to 4000 characters.
MODAL_TITLE = 45
FormHandler = Callable[[discord.Interaction["BriefingBot"], CardDraft], Awaitable[None]]


class Reopenable(Protocol):
    """A form that can open again with what was typed into it."""

    timeout: float | None

    def reopened(self) -> discord.ui.Modal: ...


class CardForm(discord.ui.Modal):
    """Title, section, summary, actors and tags; prefilled when editing. `draft` is the
    card as the editor has it so far (its key points and quotes are kept)."""

    def __init__(
        self,
        *,
        pack: str,
        on_submit: FormHandler,
        card: Card | None = None,
        actor_names: list[str] | None = None,
        typed: dict[str, str] | None = None,
        draft: CardDraft | None = None,
    ) -> None:
        title = f"Edit: {card.title}" if card else "New briefing card"
        self.card, self.actor_names, self.draft = card, actor_names, draft
        if draft is not None and typed is None:  # a later step: the draft as it is now
            typed = _typed_from(draft)
        super().__init__(
            title=limits.clip(title, MODAL_TITLE, mark="…"),
            timeout=900,
            custom_id=modal_id("card-form", card.id if card else "new"),
        )
        self.pack, self.handler = pack, on_submit
        self.card_title = discord.ui.TextInput[CardForm](
            label="Title", custom_id="title", max_length=200, default=card.title if card else None
        )
        self.section = discord.ui.TextInput[CardForm](
            label="Section (its place in the briefing)",
            custom_id="section",
            max_length=5,
            default=str(card.section) if card else None,
            placeholder="e.g. 17",
        )
        self.summary = discord.ui.TextInput[CardForm](
            label="Summary, in your own words",
            custom_id="summary",
            style=discord.TextStyle.paragraph,
            max_length=4000,
            default=card.summary if card else None,
        )
        self.actors = discord.ui.TextInput[CardForm](
            label="Actors (comma-separated names)",
            custom_id="actors",
            required=False,
            max_length=1000,
            default=", ".join(actor_names or []) or None,
            placeholder="Turkey, Russia, HTS",
        )
        self.tags = discord.ui.TextInput[CardForm](
            label="Tags (comma-separated)",
            custom_id="tags",
            required=False,
            max_length=300,
            default=", ".join(card.tags) if card else None,
            placeholder="energy, black-sea",
        )
        for item in (self.card_title, self.section, self.summary, self.actors, self.tags):
            if typed is not None:  # re-opened after a rejection: what they typed, as typed
                item.default = typed.get(item.custom_id) or None
            self.add_item(item)

    def typed(self) -> dict[str, str]:
        items = (self.card_title, self.section, self.summary, self.actors, self.tags)
        return {item.custom_id: item.value for item in items}

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: discord.Interaction[BriefingBot]) -> bool:  # type: ignore[override]
        """The form stays open 15 minutes: rights are checked again when it is submitted."""
        return await can_manage_cards(interaction)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_submit(self, interaction: discord.Interaction[BriefingBot]) -> None:  # type: ignore[override]
        try:
            draft = CardDraft.from_form(
                pack=self.pack,
                title=self.card_title.value,
                section=self.section.value,
                summary=self.summary.value,
                actors=self.actors.value,
                tags=self.tags.value,
                base=self.draft,
            )
        except InvalidPack as invalid:  # nothing is lost: "Fix it" re-opens it as typed
            await self._rejected(interaction, invalid)
            return
        await self.handler(interaction, draft)

    async def _rejected(
        self, interaction: discord.Interaction[BriefingBot], invalid: InvalidPack
    ) -> None:
        await send_rejected(interaction, invalid, self)

    def reopened(self) -> CardForm:
        return CardForm(
            pack=self.pack,
            on_submit=self.handler,
            card=self.card,
            actor_names=self.actor_names,
            typed=self.typed(),
            draft=self.draft,
        )

    # discord.py types it for any client; ours is always BriefingBot
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[BriefingBot], error: Exception
    ) -> None:
        # our tree answers any exception, not only AppCommandError
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


def modal_id(kind: str, key: str) -> str:
    """A form's custom id, unique to this opening: discord.py keeps open forms by custom id
    alone, so two editors (of any servers) opening the same form must not share one."""
    return f"{kind}:{key}"[:90] + ":" + secrets.token_hex(4)


Choice = Callable[[discord.Interaction["BriefingBot"], str], Awaitable[None]]


class ConfirmView(OwnedView):
    """Buttons that decide what happens next (Publish / Save as draft / Cancel, or
    Import / Cancel): only the editor who asked, while they still may manage cards, once.

    A press after the decision (a double click, a stale client) is answered privately."""

    def __init__(
        self,
        owner: discord.abc.User,
        choices: list[tuple[str, str, discord.ButtonStyle]],
        on_choice: Choice | None,
        *,
        row: int | None = None,
    ) -> None:
        super().__init__(owner=owner)
        self.on_choice = on_choice
        self.labels = {key: label for key, label, _ in choices}
        self.chosen: str | None = None
        for key, label, style in choices:
            self.button(label, None, self._callback(key), row=row, style=style)

    def button(
        self,
        label: str,
        emoji: str | None,
        callback: Callable[[BotInteraction], Awaitable[None]],
        *,
        row: int | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        button = discord.ui.Button[ConfirmView](label=label, emoji=emoji, style=style, row=row)
        # a per-button callback, as discord.py's docs show
        button.callback = callback  # type: ignore[method-assign, assignment]
        self.add_item(button)

    def decided(self) -> None:
        """After the choice: the answer replaced the buttons, nothing to grey out later."""
        self.message = None

    async def allowed(self, interaction: BotInteraction) -> bool:
        # Rights may have been taken away since the preview was shown.
        return await can_manage_cards(interaction)

    def _callback(self, key: str) -> Callable[[BotInteraction], Coroutine[Any, Any, None]]:
        async def pressed(interaction: BotInteraction) -> None:
            if self.chosen is not None:  # set before any await: one press wins
                done = strings.ALREADY_CHOSEN.format(choice=self.labels[self.chosen])
                await interaction.response.send_message(done, ephemeral=True)
                return
            self.chosen = key
            try:
                assert self.on_choice is not None  # set whenever there are choices
                await self.on_choice(interaction, key)
            except Exception:
                self.chosen = None  # nothing was decided: the member may try again
                raise
            self.decided()

        return pressed


def _typed_from(draft: CardDraft) -> dict[str, str]:
    return {
        "title": draft.title,
        "section": str(draft.section),
        "summary": draft.summary,
        "actors": ", ".join(draft.actors),
        "tags": ", ".join(draft.tags),
    }


async def send_rejected(
    interaction: BotInteraction, invalid: InvalidPack, form: Reopenable
) -> None:
    """Every problem of a submitted form, by field (and line), with a button that opens the
    form again as it was typed."""
    lines = [problem_line(p) for p in invalid.problems]
    count = plural(len(lines), "problem")
    text = "\n".join([strings.FORM_REJECTED.format(problems=count), *lines])
    view = FixView(interaction.user, form)
    await interaction.response.send_message(
        limits.clip(text, limits.CONTENT), view=view, ephemeral=True
    )


class FixView(OwnedView):
    """One button under a rejected form: the form again, with what was typed."""

    def __init__(self, owner: discord.abc.User, form: Reopenable) -> None:
        super().__init__(owner=owner, timeout=form.timeout)
        self.form = form

    async def allowed(self, interaction: BotInteraction) -> bool:
        return await can_manage_cards(interaction)

    @discord.ui.button(label=strings.FIX_IT, emoji="✏️", style=discord.ButtonStyle.primary)
    async def fix(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(self.form.reopened())
