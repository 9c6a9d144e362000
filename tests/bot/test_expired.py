"""A form or button nobody listens for any more still gets a short private answer."""

from __future__ import annotations

from bot.client import BriefingBot
from tests.bot.support import FORM, card_command
from tests.discord_standin.fixtures import BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn


async def test_a_form_submitted_after_it_expired_is_answered_and_saves_nothing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    opened = await card_command(standin, "add", user=BOB_ID)
    assert opened.callback_type == 9  # the form is open
    cards_before = await bot.core.editor.store.cards(
        guild_id=GUILD_ID, statuses=["draft", "published"]
    )
    # The form times out (15 minutes) while the member is still typing: discord.py forgets it.
    bot._connection._view_store._modals.clear()
    late = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    assert late.ephemeral and "expired" in late.content and "nothing was saved" in late.content
    assert (
        await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=["draft", "published"])
        == cards_before
    )
    standin.assert_clean()
