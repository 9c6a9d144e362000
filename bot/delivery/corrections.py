"""Corrections reach what was sent: an update of a card already delivered to a subscription
edits that message in place (its author line says "Updated", naming what changed) instead
of posting a new one, when the message is at most a week old and the subscription did not
choose new messages. A message deleted meanwhile (Unknown Message) gets a new one instead.
Digests and import summaries are never edited: they are records of their moment."""

from __future__ import annotations

import discord

from bot.delivery.controls import controls
from bot.render import Page
from briefings.subscriptions import OutboxRow, SentCard


async def edit_in_place(
    client: discord.Client, earlier: SentCard, row: OutboxRow, page: Page
) -> bool:
    """Edit the earlier message (embeds and buttons; its content, a ping or a DM's context
    line, stays). False when it is gone, so a new message goes instead."""
    channel = client.get_partial_messageable(earlier.channel_id)
    message = channel.get_partial_message(earlier.message_id)
    try:
        await message.edit(embeds=page.embeds, view=controls(row))
    except discord.NotFound:
        return False
    return True


def sent_card(row: OutboxRow, message: discord.Message | None) -> SentCard | None:
    """What to remember of a new message that carried one card."""
    card_id = row.single_card
    if card_id is None or message is None:
        return None
    return SentCard(row.subscription.id, card_id, message.channel.id, message.id)
