"""Auto-publish in announcement channels, so servers that follow the channel get the cards.

Discord lets a channel publish (crosspost) 10 messages an hour; the bot keeps under that per
channel on its own count (a message beyond it is posted, not published, and logged), and a
429 on a publish is not retried either: the message is already in the channel. Missing
permission (the bot needs Manage Messages to publish) pauses the subscription with the
reason, after the message it could not publish is marked delivered.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime, timedelta

import discord

from bot import limits, strings
from bot.delivery.pacing import Pacer
from briefings.subscriptions import Clock, OutboxRow

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


class Publisher:
    def __init__(self, clock: Clock, per_hour: int = limits.PUBLISHES_PER_HOUR) -> None:
        self.clock = clock
        self.per_hour = per_hour
        self._published: dict[int, deque[datetime]] = {}
        self.pauses: dict[int, str] = {}
        """Subscriptions to pause once their row is confirmed, with the reason."""
        self.skipped = 0

    def _room(self, channel_id: int) -> bool:
        """Under the hourly budget of this channel (and counts this publish if so)."""
        now = self.clock()
        times = self._published.setdefault(channel_id, deque())
        while times and now - times[0] >= HOUR:
            times.popleft()
        if len(times) >= self.per_hour:
            return False
        times.append(now)
        return True

    async def publish(self, row: OutboxRow, message: discord.Message, pacer: Pacer) -> None:
        sub = row.subscription
        if not sub.publish or sub.channel_id is None:
            return
        if not self._room(sub.channel_id):
            self.skipped += 1
            log.info("channel %s: over the hourly publish limit, not published", sub.channel_id)
            return
        await pacer.wait()
        try:
            await message.publish()
        except discord.Forbidden:
            self.pauses[sub.id] = strings.PAUSED_CANNOT_PUBLISH
        except discord.HTTPException as error:  # 429 included: the message stays posted
            self.skipped += 1
            log.warning("channel %s: publishing failed: %s", sub.channel_id, error)
