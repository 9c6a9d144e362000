"""Charts in answers, end to end: /leverage and /timeline attach theirs to the first page,
/actor offers an actor map; a chart that fails leaves the text answer intact."""

from __future__ import annotations

import asyncio
import logging
import struct
import threading
from typing import Any

import pytest

from bot import limits, render
from bot.client import BriefingBot
from bot.render import Page
from bot.render.base import embed
from briefings import charts
from tests.discord_standin.fixtures import BOB_ID
from tests.discord_standin.models import Reply, UploadedFile
from tests.discord_standin.server import DiscordStandIn

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFERRED_UPDATE = 6


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR", "PNG without a leading IHDR chunk"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def with_image(standin: DiscordStandIn, reply: Reply) -> Reply:
    """The reply once the chart has been edited into it."""
    await standin.wait_for(lambda: reply.latest().files, timeout=10, what="the chart")
    return reply.latest()


def assert_chart(message: Reply, filename: str) -> UploadedFile:
    """One PNG attachment, described, well under the upload limit, shown by the first embed."""
    assert len(message.files) == 1 and len(message.attachments) == 1, message.attachments
    upload, attachment = message.files[0], message.attachments[0]
    assert upload.filename == filename and upload.content_type == "image/png"
    assert message.embeds[0]["image"]["url"] == f"attachment://{filename}"
    assert all("image" not in e for e in message.embeds[1:])
    width, height = png_size(upload.data)  # laid out for a phone: portrait, drawn at 2x
    assert width == charts.DEFAULT_SIZE[0] * charts.OUTPUT_SCALE and height >= width * 0.75
    assert attachment["size"] == len(upload.data) < limits.ATTACHMENT_BYTES // 20  # < 512 KiB
    description = attachment.get("description") or ""
    assert 40 < len(description) <= limits.ATTACHMENT_DESCRIPTION
    return upload


def answered_in_time(reply: Reply) -> None:
    """The text is the interaction's answer, not a deferral. (In time: the stand-in refuses an
    answer after Discord's 3 seconds and `assert_clean` reports it.)"""
    assert reply.callback_type == 4 and not reply.ephemeral


async def logged(
    standin: DiscordStandIn, reply: Reply, caplog: Any, predicate: Any
) -> logging.LogRecord:
    """The log record matching `predicate` once the bot has finished handling `reply`'s
    interaction (charts are drawn, and failures logged, after the text answer)."""
    await standin.wait_handled(reply)
    for record in caplog.records:
        if predicate(record):
            return record
    raise AssertionError(
        f"nothing like that was logged: {[r.getMessage() for r in caplog.records]}"
    )


def chart_warning(kind: str) -> Any:
    return lambda r: r.levelno == logging.WARNING and f"no {kind} chart" in r.getMessage()


# -- /leverage and /timeline -------------------------------------------------------------------


async def test_leverage_attaches_the_balance_chart(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("leverage")
    answered_in_time(reply)
    assert reply.embeds[0]["title"] == "Leverage balance across domains"
    shown = await with_image(standin, reply)
    upload = assert_chart(shown, "leverage.png")
    assert "Leverage balance" in shown.attachments[0]["description"]
    assert shown.embeds[0]["title"] == "Leverage balance across domains"  # the text is kept
    energy = await with_image(standin, await standin.slash("leverage", domain="energy"))
    assert assert_chart(energy, "leverage.png").data != upload.data  # that domain's shifts
    standin.assert_clean()


async def test_leverage_for_an_actor_charts_its_gains_and_losses(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("leverage", actor="Turkey")
    answered_in_time(reply)
    shown = await with_image(standin, reply)
    assert_chart(shown, "leverage-turkey.png")
    assert shown.attachments[0]["description"].startswith("Turkey's leverage")
    standin.assert_clean()


async def test_timeline_attaches_the_timeline_strip(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("timeline")
    answered_in_time(reply)
    everything = assert_chart(await with_image(standin, reply), "timeline.png")
    armenia = await with_image(standin, await standin.slash("timeline", actor="Yerevan"))
    assert armenia.embeds[0]["title"] == "Timeline: Armenia"
    assert assert_chart(armenia, "timeline.png").data != everything.data
    assert "Armenia" in armenia.attachments[0]["description"]
    standin.assert_clean()


async def test_the_same_chart_twice_comes_from_the_cache(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cache = bot.charts.cache
    first = await with_image(standin, await standin.slash("leverage"))
    hits, misses = cache.hits, cache.misses
    again = await with_image(standin, await standin.slash("leverage"))
    assert (cache.hits, cache.misses) == (hits + 1, misses)
    assert again.files[0].data == first.files[0].data
    standin.assert_clean()


# -- pages and the image -----------------------------------------------------------------------


async def test_the_image_belongs_to_the_first_page(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("timeline")
    assert_chart(await with_image(standin, reply), "timeline.png")
    following = (await standin.press(reply, "Next")).latest()
    assert following.embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 2/")
    assert not following.attachments and not following.files
    assert "image" not in following.embeds[0]
    back = (await standin.press(reply, "Previous")).latest()
    assert back.embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 1/")
    assert_chart(back, "timeline.png")
    standin.assert_clean()


async def test_a_chart_drawn_after_paging_on_waits_for_the_first_page(
    bot: BriefingBot, standin: DiscordStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = charts.render_timeline_chart

    def held(*args: Any, **kwargs: Any) -> charts.Chart:
        assert release.wait(10), "the test never let the chart be drawn"
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "render_timeline_chart", held)
    reply = await standin.slash("timeline")
    try:
        await standin.press(reply, "Next")
    finally:
        release.set()  # the chart is drawn only now, while page 2 is open
    await standin.wait_handled(reply)  # /timeline is done: the bot holds the chart
    second = reply.latest()
    assert (
        second.embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 2/")
        and not second.files
    )
    back = await standin.press(reply, "Previous")
    assert_chart(back.latest(), "timeline.png")
    standin.assert_clean()


# -- the actor map -----------------------------------------------------------------------------


async def test_actor_map_button_draws_the_map_onto_the_profile(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="Ankara")
    answered_in_time(reply)
    assert reply.embeds[0]["title"] == "Turkey" and not reply.files  # drawn only when asked
    pressed = await standin.press(reply, "Actor map")
    assert pressed.callback_type == DEFERRED_UPDATE  # acknowledged before drawing
    shown = reply.latest()
    assert_chart(shown, "actor-map-turkey.png")
    assert "Turkey" in shown.attachments[0]["description"]
    assert shown.embeds[0]["title"] == "Turkey"
    assert shown.button("Actor map").get("disabled")
    standin.assert_clean()


async def test_actor_map_from_a_later_page_opens_the_first(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="the Kremlin")
    await standin.press(reply, "Next")
    assert reply.latest().embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 2/")
    await standin.press(reply, "Actor map")
    shown = reply.latest()
    assert shown.embeds[0]["footer"]["text"].split(" · ")[-1].startswith("Page 1/")
    assert_chart(shown, "actor-map-russia.png")
    assert shown.button("Previous").get("disabled") and not shown.button("Next").get("disabled")
    standin.assert_clean()


async def test_only_the_invoker_can_open_the_actor_map(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="Turkey")
    stranger = await standin.press(reply, "Actor map", user=BOB_ID)
    assert stranger.ephemeral and "Run the command yourself" in stranger.content
    assert not reply.latest().files and not reply.latest().button("Actor map").get("disabled")
    standin.assert_clean()


async def test_no_map_is_offered_for_an_actor_without_ties(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="TurkStream")
    labels = [c.get("label") for row in reply.components for c in row["components"]]
    assert "Actor map" not in labels
    standin.assert_clean()


# -- failures ----------------------------------------------------------------------------------


async def test_a_failing_chart_leaves_the_text_answer(
    bot: BriefingBot, standin: DiscordStandIn, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> charts.Chart:
        raise RuntimeError("plot on fire")

    monkeypatch.setattr(charts, "render_leverage_chart", broken)
    reply = await standin.slash("leverage")
    answered_in_time(reply)
    assert reply.embeds[0]["title"] == "Leverage balance across domains"
    record = await logged(standin, reply, caplog, chart_warning("leverage"))
    assert record.exc_info is not None and "plot on fire" in str(record.exc_info[1])
    assert not reply.latest().files and "image" not in reply.latest().embeds[0]
    assert not reply.followups  # no apology, no error id
    assert "unexpected error" not in caplog.text
    standin.assert_clean()


async def test_without_matplotlib_the_text_still_goes_out(
    bot: BriefingBot, standin: DiscordStandIn, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(charts, "_import_matplotlib", missing)
    for command in ("timeline", "leverage", "timeline"):
        reply = await standin.slash(command)
        answered_in_time(reply)
        await standin.wait_handled(reply)
        assert not reply.latest().files and not reply.followups
    # Said once, in a line (a missing extra is a set-up fact), not a traceback per command.
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "charts are off: matplotlib is not installed (pip install '.[charts]')"
    ]
    assert all(r.exc_info is None for r in warnings)
    standin.assert_clean()


async def test_a_failing_actor_map_says_so_privately(
    bot: BriefingBot, standin: DiscordStandIn, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> charts.Chart:
        raise RuntimeError("no room on the map")

    monkeypatch.setattr(charts, "render_actor_map", broken)
    reply = await standin.slash("actor", name="Turkey")
    pressed = await standin.press(reply, "Actor map")
    await logged(standin, pressed, caplog, chart_warning("actor"))
    [note] = pressed.followups
    assert note.ephemeral and "can't be drawn right now" in note.content
    assert not reply.latest().files
    standin.assert_clean()


async def test_members_asking_together_share_one_drawing(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    cache = bot.charts.cache
    replies = await asyncio.gather(*(standin.slash("leverage", actor="Russia") for _ in range(5)))
    shown = [await with_image(standin, r) for r in replies]
    assert cache.misses == 1  # drawn once, not five times in a queue
    assert len({s.files[0].data for s in shown}) == 1
    standin.assert_clean()


# -- the pure pieces ---------------------------------------------------------------------------


def test_a_chart_on_a_page_leaves_the_cached_page_alone() -> None:
    page = Page(embeds=[embed("Leverage", "text"), embed("Leverage (continued)")])
    chart = charts.Chart(PNG_SIGNATURE, "leverage.png", "x" * 2000, 1200, 675)
    shown = render.with_chart(page, chart)
    assert shown.embeds[0].image.url == "attachment://leverage.png"
    assert shown.embeds[1].image.url is None
    assert page.embeds[0].image.url is None  # pages are cached and shared
    upload = render.chart_file(chart)
    assert upload.filename == "leverage.png"
    assert upload.description is not None
    assert len(upload.description) == limits.ATTACHMENT_DESCRIPTION
