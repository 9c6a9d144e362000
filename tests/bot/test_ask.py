"""/ask end to end: the answer first on a short first page, gaps first, votes, /card gaps."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.client import BriefingBot
from bot.render.answers import FIRST_PAGE_CHARS
from bot.views.votes import AnswerPaginator, VotesView
from tests.bot.support import card_command
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn

VISIBLE_LINK = r"\[([^\]]*)\]\([^)]*\)"


def visible(embed: dict[str, Any]) -> int:
    """What a member reads on the first page: links count by their text."""
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return len(re.sub(VISIBLE_LINK, r"\1", "\n".join(parts)))


@pytest.mark.parametrize(
    "question",
    [
        "Give me the gist",
        "What happens next?",
        "Why does Ankara have the upper hand now?",
        "How many Syrian refugees are in Turkey?",
        "Did Russia impose an embargo on Turkey?",
    ],
)
async def test_the_first_page_is_the_answer_and_short(
    bot: BriefingBot, standin: DiscordStandIn, question: str
) -> None:
    reply = await standin.slash("ask", question=question)
    first = reply.embeds[0]
    assert first["title"] == "Answer" and first["author"]["name"] == f"Q: {question}"
    assert visible(first) <= FIRST_PAGE_CHARS
    assert "Sources:" in first["description"] and "themoscowtimes.com" in first["description"]
    assert reply.button("👍") and reply.button("👎")
    standin.assert_clean()


async def test_the_gist_leads_with_the_bottom_line(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    pack = await bot.core.catalogue.pack(None)
    reply = await standin.slash("ask", question="Give me the gist")
    assert pack.bottom_line and reply.embeds[0]["description"].startswith(pack.bottom_line[:60])
    assert "opinion piece by" not in reply.embeds[0]["description"]  # never the byline


async def test_an_uncovered_topic_is_said_first(bot: BriefingBot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("ask", question="What about Iran's drone deliveries?")
    page = reply.embeds[0]
    assert page["title"] == "Not in this briefing"
    assert page["description"].startswith("**The briefing doesn't cover Iran's drone deliveries.**")
    assert "What it does say about Iran:" in page["description"]


async def test_votes_and_not_covered_questions_reach_card_gaps(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for _ in range(2):
        await standin.slash("ask", question="What about Iran's drone deliveries?")
    answered = await standin.slash("ask", question="Who toppled Assad?")
    down = await standin.click(answered, answered.button("👎")["custom_id"], user=ALICE_ID)
    assert down.ephemeral and "without your name" in down.content
    up = await standin.click(answered, answered.button("👍")["custom_id"], user=ALICE_ID)
    assert up.ephemeral and up.content == "Thanks, noted."
    listed = await card_command(standin, "gaps", user=BOB_ID)
    assert listed.ephemeral
    text = listed.text
    first, second = text.index("Iran's drone deliveries"), text.index("Who toppled Assad?")
    assert first < second  # most asked first
    assert "**2×**" in text and "not covered" in text and "voted down" in text
    refused = await card_command(standin, "gaps", user=ALICE_ID)
    assert refused.ephemeral and "Manage Server" in refused.content
    columns = await bot.core.gaps.store.db.fetch_all("PRAGMA table_info(question_gaps)")
    assert not {"member_id", "user_id", "author"} & {c["name"] for c in columns}
    standin.assert_clean()


async def test_a_vote_after_the_view_is_gone_still_counts(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("ask", question="Give me the gist")
    views = bot._connection._view_store._synced_message_views  # what a restart forgets
    stopped = [v for v in list(views.values()) if isinstance(v, AnswerPaginator | VotesView)]
    for view in stopped:
        view.stop()
    assert stopped and not any(v in views.values() for v in stopped)
    down = await standin.click(reply, reply.button("👎")["custom_id"], user=ALICE_ID)
    assert down.ephemeral and "without your name" in down.content  # the dynamic item answered
    kept = await bot.core.gaps.listed(guild_id=GUILD_ID)
    assert [g.question for g in kept] == ["Give me the gist"]
