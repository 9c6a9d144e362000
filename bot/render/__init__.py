"""The one place core objects become Discord embeds: pure functions, no I/O."""

from bot.render.answers import answer, briefs
from bot.render.base import Page
from bot.render.briefing import card_page, pack_overview
from bot.render.catalogue import actor_profile, balance, event_detail, leverage, timeline

__all__ = [
    "Page",
    "actor_profile",
    "answer",
    "balance",
    "briefs",
    "card_page",
    "event_detail",
    "leverage",
    "pack_overview",
    "timeline",
]
