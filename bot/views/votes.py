"""👍 / 👎 under every /ask answer: down-voted questions are kept for the server's editors.

Restart-proof: the buttons are `DynamicItem`s whose custom_id carries the vote, and the
question is read back from the answer's own embed ("Q: ..."), so a press after a restart
or after the page buttons timed out is still understood. Nothing about the voter is kept.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, cast

import discord

from bot import installs, strings
from bot.render import Page
from bot.types import BotInteraction
from bot.views.base import OwnedView
from bot.views.pages import Paginator

VOTE_ID = re.compile(r"ask-vote:(?P<vote>up|down)")
QUESTION_PREFIX = "Q: "


# discord.py's DynamicItem is generic over the button type only
class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=VOTE_ID.pattern):
    def __init__(self, vote: str) -> None:
        up = vote == "up"
        super().__init__(
            discord.ui.Button(
                label="👍" if up else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"ask-vote:{vote}",
            )
        )
        self.vote = vote

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # discord.py types it for any client
        cls, interaction: BotInteraction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(match["vote"])

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        installs.read_globally(interaction)  # no gap kept for a server the bot is not in
        question = asked(interaction.message)
        if question is None:
            await interaction.response.send_message(strings.VOTE_EXPIRED, ephemeral=True)
            return
        if self.vote == "down":
            await interaction.client.core.gaps.record(
                question, guild_id=interaction.guild_id, reason="voted-down"
            )
            text = strings.VOTE_THANKS_DOWN
        else:
            text = strings.VOTE_THANKS_UP
        await interaction.response.send_message(text, ephemeral=True)


def asked(message: discord.Message | None) -> str | None:
    """The question an answer message answers, from its first embed's author line."""
    if message is None or not message.embeds:
        return None
    name = message.embeds[0].author.name or ""
    return name.removeprefix(QUESTION_PREFIX).strip() or None if name.startswith("Q:") else None


def vote_buttons() -> list[discord.ui.Button[Any]]:
    """Plain buttons with the votes' custom_ids: `VoteButton`, registered once for the
    bot, answers every press. (A DynamicItem inside a view would be unregistered for
    everyone when that view stops; and two handlers would answer one press.)"""
    return [
        discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, custom_id=f"ask-vote:{vote}"
        )
        for vote, label in (("up", "👍"), ("down", "👎"))
    ]


def _is_vote(interaction: BotInteraction) -> bool:
    data = cast(dict[str, Any], interaction.data or {})
    return VOTE_ID.fullmatch(str(data.get("custom_id", ""))) is not None


class VotesView(OwnedView):
    """A one-page answer's buttons: anyone who sees the answer may vote, at any time
    (after the view times out, `VoteButton` as a dynamic item answers the press)."""

    def __init__(self, *, owner: discord.abc.User) -> None:
        super().__init__(owner=owner)
        for button in vote_buttons():
            self.add_item(button)

    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        return True

    async def on_timeout(self) -> None:
        """Votes stay usable: nothing to grey out."""


class AnswerPaginator(Paginator):
    """A longer answer: Previous/Next for the asker, and the votes, which stay usable
    when the page buttons time out."""

    def __init__(self, pages: list[Page], *, owner: discord.abc.User) -> None:
        super().__init__(pages, owner=owner)
        for button in vote_buttons():
            self.add_item(button)

    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        if _is_vote(interaction):
            return True  # anyone may vote
        return await super().interaction_check(interaction)

    async def on_timeout(self) -> None:
        self.previous.disabled = self.next.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # message gone: nothing to grey
                await self.message.edit(view=self)
