"""/subscribe, /unsubscribe, /subscriptions, /subscription pause|resume and /mydata.

`_cog.py` holds the commands, `_checks.py` the Discord-side permission checks and the
channel option, `_views.py` the /mydata delete confirmation. The dispatcher that delivers
what subscriptions asked for (bot/delivery/) starts and stops with the cog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.subscriptions._cog import SubscriptionsCog

if TYPE_CHECKING:
    from bot.client import BriefingBot

__all__ = ["SubscriptionsCog", "setup"]


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(SubscriptionsCog(bot))
