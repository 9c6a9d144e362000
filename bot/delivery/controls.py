"""The buttons under a delivery: "Open card" (everywhere) and "Unsubscribe" (in DMs).

Restart-proof: both are `DynamicItem`s registered once for the bot (by the subscriptions
cog), their state in the custom id: the card and the guild its subscription was made in,
or the subscription's id. Messages carry plain buttons with those ids, in a view stopped
before sending, so a thousand deliveries keep no view in memory and one handler answers.

Tenancy: a card opens as the place it is pressed in sees it. In a server, that server's
view (another server's card is not found there); in a DM, the subscription's server only
while the member is still in it (asked of Discord: leaving is not announced to this bot),
else the shipped briefings only.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import limits, render, strings
from bot.types import BotInteraction
from bot.views.base import ConfirmOnce
from briefings.subscriptions import OutboxRow, Target

OPEN_ID = re.compile(r"dl-card:(?P<guild>\d{1,20}):(?P<card>[a-z0-9-]{1,80})")
PICK_ID = re.compile(r"dl-pick:(?P<guild>\d{1,20})")
UNSUB_ID = re.compile(r"dl-unsub:(?P<sub>\d{1,20})")


def open_card_id(card_id: str, guild_id: int | None) -> str:
    return f"dl-card:{guild_id or 0}:{card_id}"


def controls(row: OutboxRow, cards: list[tuple[str, str]] | None = None) -> discord.ui.View | None:
    """The controls under one delivery: a single card gets "Open card", a digest, batch,
    briefing or welcome an "Open a card…" menu of its `cards`; a DM "Unsubscribe"."""
    sub = row.subscription
    buttons: list[discord.ui.Item[Any]] = []
    single = row.kind == "card" and len(row.changes) == 1 and row.card_id is not None
    custom_id = open_card_id(row.card_id or "", sub.guild_id)
    if cards:
        buttons.append(_menu(cards, sub.guild_id))
    elif single and len(custom_id) <= limits.CUSTOM_ID:
        buttons.append(_button(strings.OPEN_CARD, custom_id, discord.ButtonStyle.primary))
    if sub.target is Target.DM:
        unsub = f"dl-unsub:{sub.id}"
        buttons.append(_button(strings.UNSUBSCRIBE_BUTTON, unsub, discord.ButtonStyle.secondary))
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    view.stop()  # the dynamic items answer; this view is only the message's layout
    return view


def _button(label: str, custom_id: str, style: discord.ButtonStyle) -> discord.ui.Button[Any]:
    return discord.ui.Button(label=label, custom_id=custom_id, style=style)


def _menu(cards: list[tuple[str, str]], guild_id: int | None) -> discord.ui.Select[Any]:
    options = [discord.SelectOption(label=label, value=card) for card, label in cards]
    return discord.ui.Select(
        custom_id=f"dl-pick:{guild_id or 0}",
        placeholder=strings.OPEN_A_CARD,
        options=options[: limits.SELECT_OPTIONS] or [discord.SelectOption(label="-")],
    )


async def _scope(interaction: BotInteraction, guild_id: int) -> int | None:
    """Whose cards this press may open (see the module's note on tenancy)."""
    if interaction.guild_id is not None:
        return interaction.guild_id
    if not guild_id:
        return None
    try:
        await interaction.client.http.get_member(guild_id, interaction.user.id)
    except (discord.NotFound, discord.Forbidden):
        return None  # no longer a member (or the bot left): the shipped briefings only
    return guild_id


# discord.py's DynamicItem is generic over the button type only
class OpenCard(discord.ui.DynamicItem[discord.ui.Button[Any]], template=OPEN_ID.pattern):
    def __init__(self, card_id: str, guild_id: int) -> None:
        super().__init__(
            _button(strings.OPEN_CARD, open_card_id(card_id, guild_id), discord.ButtonStyle.primary)
        )
        self.card_id, self.guild_id = card_id, guild_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # discord.py types it for any client
        cls, interaction: BotInteraction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> OpenCard:
        return cls(match["card"], int(match["guild"]))

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        await open_card(interaction, self.card_id, self.guild_id)


async def open_card(interaction: BotInteraction, card_id: str, guild_id: int) -> None:
    """The card, privately, as the place it is opened in sees it (see the note on tenancy)."""
    catalogue = interaction.client.core.catalogue
    scope = await _scope(interaction, guild_id)
    card = await catalogue.card(card_id, guild_id=scope)
    if card is None:
        await interaction.response.send_message(strings.DELIVERED_CARD_GONE, ephemeral=True)
        return
    outline = await catalogue.outline(card.pack, guild_id=scope)
    ids = [ref.id for ref in outline]
    position = ids.index(card.id) + 1 if card.id in ids else card.section
    page = render.card_page(
        card, await catalogue.cite(card), position=position, total=max(len(ids), position)
    )
    await interaction.response.send_message(embeds=page.embeds, ephemeral=True)


class OpenPicked(discord.ui.DynamicItem[discord.ui.Select[Any]], template=PICK_ID.pattern):
    """The "Open a card…" menu under a digest, an import summary, a briefing or a welcome:
    the guild in its id, the cards in its options (restart-proof like Open card)."""

    def __init__(self, guild_id: int, item: discord.ui.Select[Any] | None = None) -> None:
        super().__init__(item or _menu([], guild_id))
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # discord.py types it for any client
        cls, interaction: BotInteraction, item: discord.ui.Select[Any], match: re.Match[str]
    ) -> OpenPicked:
        return cls(int(match["guild"]), item)

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        picked = self.item.values
        card_id = str(picked[0]) if picked else ""
        if not re.fullmatch(r"[a-z0-9-]{1,80}", card_id):
            await interaction.response.send_message(strings.DELIVERED_CARD_GONE, ephemeral=True)
            return
        await open_card(interaction, card_id, self.guild_id)


class Unsubscribe(discord.ui.DynamicItem[discord.ui.Button[Any]], template=UNSUB_ID.pattern):
    def __init__(self, subscription_id: int) -> None:
        super().__init__(
            _button(
                strings.UNSUBSCRIBE_BUTTON,
                f"dl-unsub:{subscription_id}",
                discord.ButtonStyle.secondary,
            )
        )
        self.subscription_id = subscription_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]  # discord.py types it for any client
        cls, interaction: BotInteraction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> Unsubscribe:
        return cls(int(match["sub"]))

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        """Asks once; only the subscriber may (the DM is theirs, but be sure)."""
        service = interaction.client.core.subscriptions
        sub = await service.get(self.subscription_id)
        if sub is None or sub.target is not Target.DM or sub.user_id != interaction.user.id:
            text = strings.NO_SUCH_SUBSCRIPTION.format(id=self.subscription_id)
            await interaction.response.send_message(text, ephemeral=True)
            return
        view = ConfirmUnsubscribe(interaction.user.id, sub.id)
        view.origin = interaction
        text = strings.UNSUBSCRIBE_CONFIRM.format(id=sub.id)
        await interaction.response.send_message(text, view=view, ephemeral=True)


class ConfirmUnsubscribe(ConfirmOnce):
    """Unsubscribe or keep it, once, for the subscriber only (see ConfirmOnce)."""

    def __init__(self, owner_id: int, subscription_id: int) -> None:
        super().__init__(owner_id)
        self.subscription_id = subscription_id

    @discord.ui.button(label="Unsubscribe", style=discord.ButtonStyle.danger)
    async def yes(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        service = interaction.client.core.subscriptions
        sub = await service.get(self.subscription_id)
        if sub is not None:
            await service.unsubscribe(sub)
        text = strings.UNSUBSCRIBED_HERE.format(id=self.subscription_id)
        await interaction.response.edit_message(content=text, view=None)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: BotInteraction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content=strings.SUBSCRIPTION_KEPT, view=None)
