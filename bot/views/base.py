"""The view every button message uses: one owner, strangers answered, errors to the tree."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import discord

from bot import installs, strings
from bot.types import BotInteraction

log = logging.getLogger(__name__)

VIEW_TIMEOUT_S = 180.0
"""Long enough to read a card or decide; views hold memory until they time out."""


class OwnedView(discord.ui.View):
    """Buttons only the member who ran the command may use.

    Anyone else gets a private answer (never "This interaction failed"); errors in a callback
    or in `allowed` go to the command tree's one error path; on timeout the controls are
    greyed out so nobody presses a dead one.
    """

    default_timeout = VIEW_TIMEOUT_S

    def __init__(self, *, owner: discord.abc.User, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout or self.default_timeout)
        self.owner = owner
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None

    async def allowed(self, interaction: BotInteraction) -> bool:
        """Checked on every press by the owner, after the owner check; subclasses re-check
        rights here (raise a CheckFailure to refuse with a reason)."""
        return True

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        installs.read_globally(interaction)  # a user install's reply: scoped as its command
        if interaction.user.id != self.owner.id:
            await interaction.response.send_message(
                strings.NOT_YOUR_BUTTONS.format(owner=self.owner.display_name), ephemeral=True
            )
            return False
        return await self.allowed(interaction)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:  # message deleted, token expired...
                log.debug("could not disable the buttons: %s", exc)

    # discord.py types it for any client; ours is always BriefingBot
    async def on_error(  # type: ignore[override]
        self, interaction: BotInteraction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        # our tree answers any exception, not only AppCommandError
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


CONFIRM_TIMEOUT_S = 120


class ConfirmOnce(discord.ui.View):
    """A yes/no question for one member, answered once. Another member is told the buttons
    are not theirs; a second press (a double click, a second client) is told it is done. The
    view stays listening until it times out, then its message says it expired."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_S)
        self.owner_id = owner_id
        self.done = False
        self.origin: BotInteraction | None = None
        """The command's interaction, to mark the question expired on timeout."""

    # discord.py types it for any client; ours is always BriefingBot
    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        refusal = None
        if interaction.user.id != self.owner_id:
            refusal = strings.CONFIRM_NOT_YOURS
        elif self.done:
            refusal = strings.CONFIRM_USED
        if refusal is not None:
            await interaction.response.send_message(refusal, ephemeral=True)
            return False
        self.done = True  # before any await: a second press meanwhile is refused
        return True

    async def on_timeout(self) -> None:
        if self.origin is not None and not self.done:
            # The message may be gone, or the token expired: then nothing is left to press.
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(content=strings.CONFIRM_EXPIRED, view=None)
