"""The Discord stand-in works with the real discord.py client: a tiny bot defined here connects,
syncs its commands and answers every interaction type through 127.0.0.1."""

from __future__ import annotations

# First: the stand-in package imports discord with its 'audioop' DeprecationWarning silenced.
import tests.discord_standin  # noqa: F401

# isort: split
import asyncio
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.discord_standin import (
    CHECKED_DISCORD_PY,
    DiscordStandIn,
    Fault,
    InteractionTimeout,
    MessageView,
    assert_within_discord_limits,
    check_callback_limits,
    check_message_limits,
)
from tests.discord_standin.compat import installed_minor
from tests.discord_standin.fixtures import (
    ALICE_ID,
    BOB_ID,
    CHANNEL_ID,
    GUILD_ID,
    MOD_ROLE_ID,
    run_bot,
)
from tests.discord_standin.http_server import request_matches
from tests.discord_standin.models import RecordedRequest
from tests.discord_standin.openapi import SpecValidator

FRUITS = ["apple", "apricot", "banana", "grape", "pineapple"]


class Counter(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:inc")
    async def increment(
        self, interaction: discord.Interaction, button: discord.ui.Button[Counter]
    ) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count={self.count}", view=self)


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Your feedback", custom_id="feedback:text"
    )
    mood: discord.ui.Label[Feedback] = discord.ui.Label(
        text="Mood", component=discord.ui.TextInput(custom_id="feedback:mood", required=False)
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        mood = self.mood.component.value  # type: ignore[attr-defined]
        await interaction.response.send_message(f"thanks: {self.text.value} ({mood or 'n/a'})")


async def fruit_names(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=f, value=f) for f in FRUITS if current in f]


class Picker(discord.ui.View):
    @discord.ui.select(
        custom_id="pick", max_values=2, options=[discord.SelectOption(label=x) for x in "abc"]
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[Picker]
    ) -> None:
        await interaction.response.send_message(f"picked {select.values}", ephemeral=True)

    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="who")
    async def who(
        self, interaction: discord.Interaction, select: discord.ui.UserSelect[Picker]
    ) -> None:
        await interaction.response.defer()
        await interaction.followup.send(f"who: {select.values[0].display_name}")


admin = app_commands.Group(name="admin", description="Moderation")
admin_user = app_commands.Group(name="user", description="Users", parent=admin)


@admin_user.command(description="Warn a member")
async def warn(
    interaction: discord.Interaction,
    member: discord.Member,
    days: int,
    weight: float,
    where: discord.TextChannel,
    role: discord.Role,
    proof: discord.Attachment,
) -> None:
    text = (await proof.read()).decode()
    parts = [member.display_name, days, weight, where.name, role.name, text]
    await interaction.response.send_message(" ".join(map(str, parts)))


def make_bot(
    cls: type[commands.Bot | commands.AutoShardedBot] = commands.Bot,
) -> commands.Bot | commands.AutoShardedBot:
    intents = discord.Intents.default()
    bot = cls(command_prefix="!", intents=intents, help_command=None)
    bot.tree.add_command(admin)
    bot.gate = asyncio.Event()  # type: ignore[attr-defined]  # a test opens it: /slow, /later

    @bot.command()
    async def hello(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send(f"hello {ctx.author.name}")

    @bot.tree.command(description="A select menu")
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("choose", view=Picker())

    @bot.tree.context_menu(name="Profile")
    async def profile(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.followup.send(f"profile of {member.name}")

    @bot.tree.command(description="Answers with an embed")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=discord.Embed(title="Pong", description="pong!")
        )

    @bot.tree.command(description="Pick a fruit")
    @app_commands.autocomplete(name=fruit_names)
    async def fruit(interaction: discord.Interaction, name: str, secret: bool = False) -> None:
        await interaction.response.send_message(f"You picked {name}", ephemeral=secret)

    @bot.tree.command(description="Thinks, then answers")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await bot.gate.wait()  # type: ignore[attr-defined]
        await interaction.edit_original_response(content="done thinking")

    @bot.tree.command(description="Answers, then edits its answer")
    async def later(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        await bot.gate.wait()  # type: ignore[attr-defined]
        await interaction.edit_original_response(content="second")

    @bot.tree.command(description="A counter with a button")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count=0", view=Counter())

    @bot.tree.command(description="Posts text in the channel")
    async def announce(interaction: discord.Interaction, text: str) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        try:
            await interaction.channel.send(text)
        except discord.HTTPException as exc:
            await interaction.response.send_message(f"failed: {exc.code}", ephemeral=True)
            return
        await interaction.response.send_message("sent", ephemeral=True)

    @bot.tree.command(description="Sends a CSV file")
    async def export(interaction: discord.Interaction) -> None:
        data = discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="data.csv")
        await interaction.response.send_message("here", file=data)

    @bot.tree.command(description="Opens a feedback form")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback(custom_id="feedback"))

    @bot.tree.command(description="Whispers in DMs")
    async def whisper(interaction: discord.Interaction) -> None:
        await interaction.user.send("psst")
        await interaction.response.send_message("check your DMs", ephemeral=True)

    @bot.tree.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}")

    return bot


@pytest.fixture
async def bot(standin: DiscordStandIn) -> AsyncIterator[commands.Bot | commands.AutoShardedBot]:
    async with run_bot(make_bot(), standin) as running:
        yield running


async def test_bot_connects_and_knows_the_guild(bot: commands.Bot, standin: DiscordStandIn) -> None:
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None and guild.name == "Test Guild"
    assert isinstance(guild.get_channel(CHANNEL_ID), discord.TextChannel)
    assert bot.user is not None and bot.user.id == standin.application_id
    identify = next(p for p in standin.gateway.received if p["op"] == 2)
    assert identify["d"]["intents"] == discord.Intents.default().value
    assert standin.gateway.connect_queries[0]["compress"] == "zlib-stream"
    standin.assert_clean()


async def test_tree_sync_stores_commands(bot: commands.Bot, standin: DiscordStandIn) -> None:
    assert standin.requests_to("PUT", "/applications/{application_id}/commands")
    synced = {c["name"]: c for c in standin.commands[None]}
    assert set(synced) >= {"ping", "fruit", "slow", "counter", "announce", "Quote"}
    assert [(o["name"], o["type"]) for o in synced["fruit"]["options"]] == [
        ("name", 3),
        ("secret", 5),
    ]
    assert synced["Quote"]["type"] == 3


async def test_slash_command_answers_with_an_embed(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("ping")
    assert reply.callback_type == 4
    assert reply.embeds[0]["title"] == "Pong"
    assert not reply.ephemeral
    assert standin.channel_messages(CHANNEL_ID)[-1].message_id == reply.message_id
    standin.assert_clean()


async def test_autocomplete_and_ephemeral_reply(bot: commands.Bot, standin: DiscordStandIn) -> None:
    choices = await standin.autocomplete("fruit", "name", "ap")
    assert [c["name"] for c in choices] == ["apple", "apricot", "grape", "pineapple"]
    reply = await standin.slash("fruit", name="grape", secret=True)
    assert reply.content == "You picked grape"
    assert reply.ephemeral
    assert standin.channel_messages(CHANNEL_ID) == []
    standin.assert_clean()


async def test_deferred_reply_waits_for_the_edit(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    answering = asyncio.create_task(standin.slash("slow"))
    callback = "/interactions/{interaction_id}/{token}/callback"
    deferral = await standin.wait_for_request("POST", callback)
    assert deferral.json["type"] == 5 and not answering.done()  # still thinking
    bot.gate.set()  # type: ignore[attr-defined]
    reply = await answering
    assert reply.deferred and reply.callback_type == 5
    assert reply.content == "done thinking"
    standin.assert_clean()


async def test_button_edits_the_message(bot: commands.Bot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("counter")
    assert reply.custom_ids() == ["counter:inc"]
    first = await standin.click(reply, "counter:inc")
    assert first.callback_type == 7 and first.content == "count=1"
    second = await standin.click(reply, "counter:inc", user=BOB_ID)
    assert second.content == "count=2"
    assert (await standin.original(reply)).content == "count=2"
    standin.assert_clean()


async def test_message_context_menu(bot: commands.Bot, standin: DiscordStandIn) -> None:
    target = standin.make_message("hello world", author=BOB_ID)
    reply = await standin.message_command("Quote", target)
    assert reply.content == "> hello world"
    standin.assert_clean()


async def test_modal_submit_with_row_and_label(bot: commands.Bot, standin: DiscordStandIn) -> None:
    shown = await standin.slash("feedback")
    assert shown.callback_type == 9 and shown.modal is not None
    assert [c["type"] for c in shown.modal["components"]] == [1, 18]
    values = {"feedback:text": "great", "feedback:mood": "happy"}
    reply = await standin.submit_modal("feedback", values)
    assert reply.content == "thanks: great (happy)"
    standin.assert_clean()


async def test_channel_message_file_and_dm(bot: commands.Bot, standin: DiscordStandIn) -> None:
    assert (await standin.slash("announce", text="hello channel")).content == "sent"
    assert standin.channel_messages(CHANNEL_ID)[-1].content == "hello channel"
    exported = await standin.slash("export")
    assert exported.files[0].filename == "data.csv"
    assert exported.files[0].data == b"a,b\n1,2\n"
    assert (await standin.slash("whisper")).content == "check your DMs"
    assert [m.content for m in standin.dm_messages(ALICE_ID)] == ["psst"]
    standin.assert_clean()


async def test_over_limit_content_is_flagged(bot: commands.Bot, standin: DiscordStandIn) -> None:
    reply = await standin.slash("announce", text="x" * 2001)
    assert reply.content == "failed: 50035"
    [violation] = standin.limit_violations
    assert (violation.path, violation.limit, violation.actual) == ("content", 2000, 2001)
    assert violation.request == f"POST /channels/{CHANNEL_ID}/messages"
    with pytest.raises(AssertionError, match="content"):
        assert_within_discord_limits({"content": "x" * 2001})


async def test_injected_429_is_retried(bot: commands.Bot, standin: DiscordStandIn) -> None:
    fault = standin.inject_fault(
        "POST", "/channels/{channel_id}/messages", Fault.rate_limited(0.05)
    )
    reply = await standin.slash("announce", text="after the limit")
    assert reply.content == "sent"
    assert fault.hits == 1
    statuses = [r.status for r in standin.requests_to("POST", "/channels/{channel_id}/messages")]
    assert statuses == [429, 200]
    assert standin.channel_messages(CHANNEL_ID)[-1].content == "after the limit"
    standin.assert_clean()


async def test_unhandled_routes_are_recorded(bot: commands.Bot, standin: DiscordStandIn) -> None:
    with pytest.raises(discord.NotFound):
        await bot.fetch_premium_sticker_packs()
    assert [(r.method, r.path) for r in standin.unhandled] == [("GET", "/sticker-packs")]
    assert standin.unhandled[0].status == 404


async def test_subcommand_options_typed_by_synced_schema(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    proof = ("proof.txt", b"it was bob")
    reply = await standin.slash(
        "admin", subcommand="user warn", member=BOB_ID, days=3, weight=0.5, where=CHANNEL_ID,
        role=MOD_ROLE_ID, proof=proof,
    )  # fmt: skip
    assert reply.content == "bob 3 0.5 general Moderator it was bob"
    with pytest.raises(ValueError, match="missing required"):
        await standin.slash("admin", subcommand="user warn", member=BOB_ID)
    standin.assert_clean()


async def test_selects_and_user_context_menu(bot: commands.Bot, standin: DiscordStandIn) -> None:
    menu = await standin.slash("menu")
    picked = await standin.select(menu, "pick", ["a", "c"])
    assert picked.content == "picked ['a', 'c']" and picked.ephemeral
    who = await standin.select(menu, "who", [str(BOB_ID)])
    assert who.callback_type == 6 and who.deferred
    assert who.content == "who: bob" and [m.content for m in who.followups] == ["who: bob"]
    profile = await standin.user_command("Profile", BOB_ID)
    assert profile.callback_type == 5 and profile.ephemeral
    assert profile.content == "profile of bob" and profile.followups == []
    standin.assert_clean()


async def test_gateway_resume_after_reconnect(bot: commands.Bot, standin: DiscordStandIn) -> None:
    await standin.gateway.request_reconnect()
    await standin.wait_for(lambda: standin.gateway.resumes, timeout=2, what="a RESUME")
    assert standin.gateway.connect_queries[-1]["compress"] == "zlib-stream"
    assert (await standin.slash("ping")).embeds[0]["title"] == "Pong"
    standin.assert_clean()


async def test_user_messages_need_the_message_content_intent(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    await standin.send_user_message("!hello")
    await standin.send_user_message("!hello", dm=True)
    replies = await standin.wait_for(
        lambda: standin.dm_messages(ALICE_ID)[1:], timeout=2, what="a DM reply"
    )
    assert [m.content for m in replies] == ["hello alice"]
    assert [m.content for m in standin.channel_messages(CHANNEL_ID)] == ["!hello"]


async def test_autosharded_bot_gets_guilds_per_shard(standin: DiscordStandIn) -> None:
    standin.shard_count = 2
    standin.add_guild(1 << 22, "Second Guild", channels=[(444, "lobby")])
    async with run_bot(make_bot(commands.AutoShardedBot), standin) as bot:
        assert bot.shard_count == 2
        assert {g.id: g.shard_id for g in bot.guilds} == {GUILD_ID: 0, 1 << 22: 1}
        assert (await standin.slash("ping", guild_id=1 << 22)).embeds[0]["title"] == "Pong"
    standin.assert_clean()


def test_limits_cover_embeds_components_and_choices() -> None:
    embed = {"title": "t" * 257, "fields": [{"name": "n", "value": "v" * 1025}] * 26}
    select = {"type": 3, "custom_id": "s", "options": [{"label": "o", "value": "o"}] * 26}
    button = {"type": 2, "style": 1, "label": "b", "custom_id": "c" * 101}
    rows = [{"type": 1, "components": [select, button]}] * 6
    paths = {v.path for v in check_message_limits({"embeds": [embed], "components": rows})}
    assert {"embeds[0].title", "embeds[0].fields", "embeds[0].fields[0].value", "embeds"} <= paths
    assert {
        "components",
        "components[0].components",
        "components[0].components[0].options",
    } <= paths
    assert "components[0].components[1].custom_id" in paths
    choices = [{"name": "n" * 101, "value": "v"}] * 26
    found = check_callback_limits({"type": 8, "data": {"choices": choices}})
    assert {"data.choices", "data.choices[0].name"} <= {v.path for v in found}
    assert_within_discord_limits({"content": "fine", "embeds": [{"title": "ok"}]})


def test_openapi_validation_is_optional() -> None:
    assert SpecValidator.load(Path("/nonexistent/openapi.json")) is None
    validator = SpecValidator.load()
    if validator is None:
        pytest.skip("Discord's OpenAPI description is not next to the repo")
    callback = "/interactions/{interaction_id}/{token}/callback"
    body = {"type": 4, "data": {"content": "x" * 2001, "embeds": [{"color": -1}]}}
    assert validator.validate("POST", callback, body) == [
        "$.data.content: length 2001 > maxLength 2000",
        "$.data.embeds[0].color: -1 < minimum 0",
    ]
    assert validator.validate("POST", "/channels/{id}/messages", {"content": "hi"}) == []


# -- the stand-in itself: its discord.py pin, its parts, its waits, its reply helpers ---------


def test_discord_py_is_the_version_the_standin_was_checked_against() -> None:
    assert installed_minor() == CHECKED_DISCORD_PY, (
        f"discord.py {discord.__version__} is installed, but the stand-in was checked against "
        f"{CHECKED_DISCORD_PY}.x: re-check the internals listed in tests/discord_standin/compat.py "
        "(handler task names, guild_ready_timeout, the patched base URLs), then bump "
        "CHECKED_DISCORD_PY and the discord.py pin in pyproject.toml together"
    )


async def test_the_bots_handler_tasks_are_recognised(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    # Fails when discord.py renames the tasks in compat.HANDLER_TASKS: the stand-in would no
    # longer know when the bot is done with an interaction.
    reply = await standin.slash("counter")
    clicked = await standin.press(reply, "+1")
    for answered in (reply, clicked):
        names = {t.get_name() for t in standin.interactions[answered.token].handlers}
        assert names, f"no handler task seen for {answered.token}"


async def test_wait_handled_waits_for_work_after_the_answer(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("later")
    assert reply.content == "first"
    with pytest.raises(InteractionTimeout, match="finish handling"):
        await standin.wait_handled(reply, timeout=0.01)
    bot.gate.set()  # type: ignore[attr-defined]
    await standin.wait_handled(reply)
    assert reply.latest().content == "second"
    standin.assert_clean()


async def test_wait_for_request_sees_only_new_requests_when_asked(
    bot: commands.Bot, standin: DiscordStandIn
) -> None:
    sent = await standin.wait_for_request("PUT", "/applications/{application_id}/commands")
    assert sent.status == 200  # the sync, before the test: found at once
    since = len(standin.requests)
    with pytest.raises(InteractionTimeout, match="a PUT request to commands"):
        await standin.wait_for_request("PUT", "commands", timeout=0.05, since=since)
    announcing = asyncio.create_task(standin.slash("announce", text="news"))
    posted = await standin.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages", since=since)
    assert posted.json["content"] == "news"
    await announcing


def test_requests_match_by_route_path_tail_or_regex() -> None:
    route = "/webhooks/{application_id}/{token}/messages/@original"
    record = RecordedRequest("PATCH", "/webhooks/9/tok/messages/@original", route, {})
    for pattern in (route, record.path, "/webhooks/{a}/{b}/messages/@original", "@original"):
        assert request_matches(record, "patch", pattern), pattern
    assert request_matches(record, "*", re.compile(r"/messages/@original$"))
    assert not request_matches(record, "POST", "@original")
    assert not request_matches(record, "PATCH", "/webhooks/{application_id}/{token}")
    assert not request_matches(record, "PATCH", "original")  # a tail is whole segments


def test_the_facade_reads_and_writes_its_parts() -> None:
    standin = DiscordStandIn(validate_schema=False)
    standin.shard_count = 2
    standin.response_delay = 0.5
    assert (standin.world.shard_count, standin.server.response_delay) == (2, 0.5)
    assert standin.guilds is standin.world.guilds and standin.requests is standin.server.requests
    standin.make_user(ALICE_ID, "alice")
    assert standin.world.user(None)["username"] == "alice"


def test_reply_helpers_find_buttons_selects_and_every_text() -> None:
    row = {
        "type": 1,
        "components": [
            {"type": 2, "label": "Next", "custom_id": "next"},
            {"type": 3, "custom_id": "pick", "options": [{"label": "Next", "value": "n"}]},
        ],
    }
    embed = {
        "title": "T",
        "description": "D",
        "fields": [{"name": "N", "value": "V"}],
        "footer": {"text": "F"},
        "author": {"name": "A"},
    }
    view = MessageView(message={"content": "C", "embeds": [embed], "components": [row]})
    assert view.button("Next")["custom_id"] == "next"
    assert view.select_menu()["custom_id"] == "pick"
    assert view.text == "C\nT\nD\nN V\nF\nA"
    with pytest.raises(AssertionError, match=r"no button 'Back'; the buttons are \['Next'\]"):
        view.button("Back")
    with pytest.raises(AssertionError, match="no select menu"):
        MessageView(message={"content": ""}).select_menu()
