"""Buttons and forms nobody is listening for any more still get an answer.

discord.py drops a component press or a form submit whose view or modal is gone (it timed
out, or it belonged to an earlier run of the bot) without a word, and the member sees
"This interaction failed". Every live handler answers or defers within DEFER_AFTER_S
(`bot.respond.in_time`), so one still unanswered a little after that has no handler.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from bot import limits, strings

log = logging.getLogger(__name__)

UNANSWERED_AFTER_S = limits.DEFER_AFTER_S + 0.5
"""Past every live handler's answer or "thinking...", inside Discord's 3-second window."""
_ORPHANS = (discord.InteractionType.component, discord.InteractionType.modal_submit)


async def answer_orphans(interaction: discord.Interaction[discord.Client]) -> None:
    """An `on_interaction` listener: a short private note for what no handler answered."""
    if interaction.type not in _ORPHANS:
        return
    await asyncio.sleep(UNANSWERED_AFTER_S)
    if interaction.response.is_done():
        return
    note = strings.FORM_EXPIRED if interaction.type is _ORPHANS[1] else strings.EXPIRED
    try:
        await interaction.response.send_message(note, ephemeral=True)
    except discord.HTTPException as exc:  # answered meanwhile, or the token ran out
        log.debug("could not answer orphaned interaction %s: %s", interaction.id, exc)
