"""/source end to end: attach a file, fetch a URL from a local server, show it, draft cards
from it and create them; hostile inputs write nothing and get clear messages; other
servers and members without rights never read it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import limits
from bot.client import BriefingBot
from briefings.app import build_core
from briefings.desk import BriefingDraft
from briefings.models import Status
from briefings.store import CardStore
from tests.bot.support import DAVE, EDITOR_ROLE, OTHER_CHANNEL, OTHER_GUILD, TOKEN, make_settings
from tests.bot.watchdog import LoopWatchdog
from tests.briefings.source_article import HTML, MARKDOWN, TITLE, heavy_page
from tests.briefings.source_server import SourceServer, serving
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import ALICE_ID, BOB_ID, GUILD_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

PACK = "bechev-syria-russia-turkey-2024"
CAROL = 2001


@pytest.fixture
async def bot(
    standin: DiscordStandIn, bot_store: CardStore, tmp_path: Path
) -> AsyncIterator[BriefingBot]:
    """As tests/bot/conftest.py's bot, with SOURCE_ALLOW_LOOPBACK on (the local server)."""
    standin.make_user(CAROL, "carol")
    standin.make_user(DAVE, "dave")
    standin.guilds[GUILD_ID].add_role(EDITOR_ROLE, "Editors")
    standin.add_member(GUILD_ID, DAVE, roles=[EDITOR_ROLE])
    standin.add_guild(OTHER_GUILD, "Other Guild", channels=[(OTHER_CHANNEL, "elsewhere")])
    standin.add_member(OTHER_GUILD, CAROL)
    settings = make_settings(tmp_path, source_allow_loopback=True)
    client = BriefingBot(settings=settings, core=build_core(bot_store))
    async with run_bot(client, standin, token=TOKEN, sync=False) as running:
        yield running
    assert standin.limit_violations == [], standin.limit_violations


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with serving() as running:
        yield running


async def source(standin: DiscordStandIn, sub: str, *, user: int = BOB_ID, **options: Any) -> Any:
    return await standin.slash("source", subcommand=sub, options=options, user=user)


async def attach(
    standin: DiscordStandIn, raw: bytes = MARKDOWN.encode(), name: str = "a.md"
) -> Any:
    return await source(standin, "attach", briefing=PACK, file=(name, raw))


async def stored(bot: BriefingBot, guild: int = GUILD_ID) -> str | None:
    found = await bot.core.sources.source(PACK, guild_id=guild)
    return None if found is None else found.location


async def test_an_editor_attaches_a_file_and_sees_what_was_stored(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await attach(standin)
    assert reply.ephemeral and "Source attached" in reply.text and "2 sections" in reply.text
    # The shipped cards quote another article: the editor is told which, before any save.
    assert "of this briefing's cards not in this source" in reply.text
    assert "does not occur in the article" in reply.text
    shown = await source(standin, "show", briefing=PACK)
    text = shown.text
    assert shown.ephemeral and TITLE in text and "`a.md`" in text and "2 (headings)" in text
    assert "First lines" in text and "By Test Writer" in text
    assert "Olena Marchenko" not in text  # never the text beyond its first lines
    assert await stored(bot) == "a.md"


async def test_an_editor_fetches_a_url_served_locally(
    bot: BriefingBot, standin: DiscordStandIn, server: SourceServer
) -> None:
    reply = await source(standin, "url", briefing=PACK, url=server.url("/moved"))
    assert "Source attached" in reply.text and "/article.html" in reply.text
    assert (await stored(bot) or "").endswith("/article.html")
    again = await attach(standin)  # a file replaces it, and says so
    assert "replaces the source attached" in again.text
    assert "1 earlier source" in (await source(standin, "show", briefing=PACK)).text


async def test_a_draft_is_proposed_then_created_as_draft_cards(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await attach(standin)
    proposed = await source(standin, "draft", briefing=PACK)
    text = proposed.text
    assert proposed.ephemeral and "2 sections from the source, by its headings" in text
    assert "The corridor" in text and "↳ “Ankara reopened the grain corridor" in text
    assert "new: Olena Marchenko" in text and "3 March 2025 (day)" in text
    assert "💬 “The sea is open for business” (Olena Marchenko)" in text
    before = await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=list(Status))
    done = await standin.press(proposed, "Create 2 draft cards", user=BOB_ID)
    assert "Created 2 draft cards" in done.latest().content
    assert "Olena Marchenko" in done.latest().content  # a new name, left to the editor
    cards = await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=list(Status))
    made = [c for c in cards if c not in before]
    assert [(c.title, c.status, c.summary) for c in made] == [
        ("The corridor", Status.DRAFT, ""),
        ("The gas bargain", Status.DRAFT, ""),
    ]
    assert {"turkey", "russia"} <= set(made[0].actors)
    assert made[0].anchor == "Ankara reopened the grain corridor on 3 March"
    assert [q.text for q in made[0].quotes] == ["The sea is open for business"]
    assert all(not a.startswith(f"g{GUILD_ID}-olena") for c in made for a in c.actors)
    assert done.latest().components == []  # decided: nothing left to press twice


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("big.txt", b"a" * (2 * 1024 * 1024 + 1), "too big"),
        ("article.pdf", b"%PDF-1.7 " * 100, "not a source I can read"),
        ("latin.md", ("Café society. " * 40).encode("latin-1"), "not UTF-8"),
        ("page.html", b"<html><script>alert(1)</script><body></body></html>", "no readable"),
    ],
)
async def test_hostile_files_write_nothing_and_say_why(
    bot: BriefingBot, standin: DiscordStandIn, name: str, raw: bytes, says: str
) -> None:
    reply = await attach(standin, raw, name)
    assert reply.ephemeral and says in reply.text and "Nothing was stored" in reply.text
    assert await stored(bot) is None


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/loop", "redirects more than 5 times"),
        ("/to-private", "private, local or reserved"),
        ("/big-chunked", "too big"),
        ("/image.png", "image/png, not a web page"),
        ("/latin1.txt", "not UTF-8"),
    ],
)
async def test_hostile_urls_write_nothing_and_say_why(
    bot: BriefingBot, standin: DiscordStandIn, server: SourceServer, path: str, says: str
) -> None:
    reply = await source(standin, "url", briefing=PACK, url=server.url(path))
    assert reply.ephemeral and says in reply.text and "Nothing was stored" in reply.text
    assert await stored(bot) is None


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "file:///etc/passwd"]
)
async def test_addresses_outside_loopback_stay_refused_with_the_test_setting(
    bot: BriefingBot, standin: DiscordStandIn, url: str
) -> None:
    reply = await source(standin, "url", briefing=PACK, url=url)
    assert "Nothing was stored" in reply.text and await stored(bot) is None


async def test_members_without_rights_and_other_servers_never_read_the_source(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    await attach(standin, HTML.encode(), "article.html")
    for sub in ("show", "draft"):
        refused = await source(standin, sub, user=ALICE_ID, briefing=PACK)
        assert refused.ephemeral and "Manage Server" in refused.content
        assert "Olena" not in refused.text and "By Test" not in refused.text
    elsewhere = await standin.slash(
        "source",
        subcommand="show",
        options={"briefing": PACK},
        guild_id=OTHER_GUILD,
        user=CAROL,
        member_permissions=Permission.MANAGE_GUILD,
    )
    assert "has no source in this server yet" in elsewhere.text
    assert await stored(bot, OTHER_GUILD) is None


async def test_the_source_group_is_hidden_by_default_and_guild_only(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    group = next(c for c in standin.commands[None] if c["name"] == "source")
    assert int(group["default_member_permissions"]) == Permission.MANAGE_GUILD
    assert group.get("contexts") == [0] or group.get("dm_permission") is False


STALL_BOUND_S = 0.400
"""A correctness bound, not a figure (bench/bench_sources.py prints those): reduced on the
loop, this page would hold it ~0.8 s (more on a loaded machine); in its child process it
holds it not at all, and what is left is the machine's own scheduling noise (tens of ms,
above 0.1 s on a loaded one). tests/briefings/test_sources_extract.py checks the child
process itself."""


async def test_a_heavy_page_never_stalls_the_loop_or_another_server(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    raw = heavy_page()
    assert len(raw) > 500_000
    loop = asyncio.get_running_loop()
    async with LoopWatchdog() as watchdog:
        upload = asyncio.create_task(
            standin.slash(
                "source",
                subcommand="attach",
                options={"briefing": PACK, "file": ("heavy.html", raw)},
                user=BOB_ID,
                timeout=30,  # a child process to start, on a machine that may be loaded
            )
        )
        asks: list[float] = []
        while not upload.done() or not asks:
            asked = loop.time()
            await standin.slash(
                "ask", question="Who brokers the grain corridor?", guild_id=OTHER_GUILD, user=CAROL
            )
            asks.append(loop.time() - asked)
        reply = await upload
    assert "Source attached" in reply.text and "32 sections" in reply.text
    assert watchdog.worst < STALL_BOUND_S, f"the loop was held {watchdog.worst:.3f}s"
    assert max(asks) < limits.INTERACTION_DEADLINE_S


async def test_a_server_attaches_at_most_five_sources_a_minute(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    for _ in range(limits.SOURCE_ATTACHES):
        assert "Source attached" in (await attach(standin)).text
    refused = await attach(standin, MARKDOWN.replace("2.4", "2.6").encode())
    assert refused.ephemeral and "the most allowed" in refused.content
    current = await bot.core.sources.source(PACK, guild_id=GUILD_ID)
    assert current is not None and "2.6" not in current.text


async def test_a_servers_new_briefing_gets_its_source_and_draft_and_stays_its_own(
    bot: BriefingBot, standin: DiscordStandIn, server: SourceServer
) -> None:
    form = BriefingDraft.from_form(
        title=TITLE,
        author="Test Writer",
        publisher="Example Review",
        published="2025-03-10",
        source_url="https://example.org/grain",
    )
    slug = (await bot.core.desk.create_briefing(form, guild_id=GUILD_ID, member=BOB_ID)).slug
    offered = await standin.autocomplete(
        "source", "briefing", "grain", subcommand="draft", user=BOB_ID
    )
    assert slug in [c["value"] for c in offered]  # the server's draft briefing
    fetched = await source(standin, "url", briefing=slug, url=server.url("/article.html"))
    assert "Source attached" in fetched.text
    proposed = await source(standin, "draft", briefing=slug)
    done = await standin.press(proposed, "Create 2 draft cards", user=BOB_ID)
    assert "Created 2 draft cards" in done.latest().content
    drafts = await bot.core.editor.store.cards(
        guild_id=GUILD_ID, pack=slug, statuses=[Status.DRAFT]
    )
    assert [c.title for c in drafts] == ["The corridor", "The gas bargain"]
    for sub in ("show", "draft"):  # another server's editor: no such briefing there
        elsewhere = await standin.slash(
            "source",
            subcommand=sub,
            options={"briefing": slug},
            guild_id=OTHER_GUILD,
            user=CAROL,
            member_permissions=Permission.MANAGE_GUILD,
        )
        assert "couldn't find a briefing" in elsewhere.text and "Olena" not in elsewhere.text
    offered_elsewhere = await standin.autocomplete(
        "source", "briefing", "grain", subcommand="draft", guild_id=OTHER_GUILD, user=CAROL
    )
    assert offered_elsewhere == []
