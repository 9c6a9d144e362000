"""The one place core objects become Discord embeds: pure functions, no I/O."""

from bot.render.answers import answer, briefs
from bot.render.base import Page
from bot.render.briefing import briefing_list, card_page, pack_overview
from bot.render.catalogue import actor_profile, balance, event_detail, leverage, timeline
from bot.render.charts import chart_file, with_chart
from bot.render.deliveries import (
    Names,
    choice_label,
    delivery_pages,
    member_data,
    subscribed,
    subscription_list,
)

__all__ = [
    "Names",
    "Page",
    "actor_profile",
    "answer",
    "balance",
    "briefing_list",
    "briefs",
    "card_page",
    "chart_file",
    "choice_label",
    "delivery_pages",
    "event_detail",
    "leverage",
    "member_data",
    "pack_overview",
    "subscribed",
    "subscription_list",
    "timeline",
    "with_chart",
]
