"""Buttons and menus that keep working after a restart: their state is their custom id.

A press carries everything needed to answer it (which answer, which page, whose command),
so any bot process answers it from the store, and none keeps views in memory for them.
The custom id reads `bb:<action>:<source>:<page>:<chart>:<owner>:<arg>`; see `PageState`.

Only the member who ran the command may page (the owner id is in the state): pages are
edited in place, and a member paging someone else's message would move it for everyone.
Buttons of views that did keep memory (confirm steps, from a previous process) answer with
a short private note instead of failing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, cast

import discord

from bot import installs, limits, render, strings
from bot.render import Page
from bot.views.sources import Source, briefing_page, chart_for, pages
from briefings.charts import Chart

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)

Action = Literal["p", "n", "m", "s"]
"""Previous, Next, actor Map, Section menu."""
PREFIX = "bb"
TEMPLATE = (
    r"bb:(?P<action>[pnm]):(?P<source>[aetlb]):(?P<index>\d{1,5}):(?P<chart>[01]):"
    r"(?P<owner>\d{1,20}):(?P<arg>[a-z0-9~-]{0,80})"
)
BotInteraction = discord.Interaction["BriefingBot"]


@dataclass(frozen=True, slots=True)
class PageState:
    """Which answer (`source` and `arg`), which page, whether page 1 carries a chart, and
    who may turn the pages."""

    source: Source
    arg: str
    index: int
    chart: bool
    owner: int

    def custom_id(self, action: Action) -> str:
        return (
            f"{PREFIX}:{action}:{self.source}:{self.index}:{int(self.chart)}:"
            f"{self.owner}:{self.arg}"
        )

    def fits(self) -> bool:
        return len(self.custom_id("n")) <= limits.CUSTOM_ID

    @classmethod
    def parse(cls, match: re.Match[str]) -> PageState:
        return cls(
            source=cast(Source, match["source"]),
            arg=match["arg"],
            index=int(match["index"]),
            chart=match["chart"] == "1",
            owner=int(match["owner"]),
        )


async def _owner_only(interaction: BotInteraction, state: PageState) -> bool:
    """The owner check every restart-proof item makes (the state names the owner); a press
    under a user-installed reply in a server without the bot reads globally, as its
    command did."""
    installs.read_globally(interaction)
    if interaction.user.id == state.owner:
        return True
    await interaction.response.send_message(
        strings.NOT_YOUR_BUTTONS.format(owner=f"<@{state.owner}>"), ephemeral=True
    )
    return False


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """Previous, Next, or the Actor map: each press re-renders from the state."""

    def __init__(self, state: PageState, action: Action, *, disabled: bool = False) -> None:
        self.state, self.action = state, action
        label, emoji, style = _LOOKS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=style,
                custom_id=state.custom_id(action),
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BotInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(PageState.parse(match), cast(Action, match["action"]))

    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        return await _owner_only(interaction, self.state)

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        state = self.state
        if self.action == "m":
            state = replace(state, index=0, chart=True)
        else:
            state = replace(state, index=state.index + (1 if self.action == "n" else -1))
        await _answer(interaction, state)


class SectionMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=(
        r"bb:s:(?P<source>b):(?P<index>\d{1,5}):(?P<chart>[01]):(?P<owner>\d{1,20}):"
        r"(?P<arg>[a-z0-9-]{0,80})"
    ),
):
    """The /briefing section menu: its options' values are page numbers."""

    def __init__(self, state: PageState, options: list[discord.SelectOption] | None = None) -> None:
        self.state = state
        super().__init__(
            discord.ui.Select(
                placeholder=strings.OPEN_SECTION,
                options=options or [discord.SelectOption(label="-")],
                custom_id=state.custom_id("s"),
                row=1,
            )
        )

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BotInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SectionMenu:
        options = item.options if isinstance(item, discord.ui.Select) else None
        return cls(PageState.parse(match), options)

    async def interaction_check(self, interaction: BotInteraction) -> bool:  # type: ignore[override]
        return await _owner_only(interaction, self.state)

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        await _answer(interaction, replace(self.state, index=int(self.item.values[0])))


class Expired(discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"[0-9a-f]{32}"):
    """A control of an in-memory view (discord.py's generated ids) whose view is gone:
    a confirm step from before a restart, or one that timed out. Answered privately."""

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BotInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Expired:
        return cls(item)

    async def callback(self, interaction: BotInteraction) -> None:  # type: ignore[override]
        if _tracked(interaction, self.custom_id):
            return  # a live view has this control: it answers
        await interaction.response.send_message(strings.EXPIRED, ephemeral=True)


def _tracked(interaction: BotInteraction, custom_id: str) -> bool:
    # discord.py offers no public "is this component live?"; its view store is checked
    # (pinned to 2.7, see tests/discord_standin/compat.py).
    store = interaction.client._connection._view_store
    message_id = interaction.message.id if interaction.message else None
    for entity in (message_id, None):
        for _, cid in store._views.get(entity, {}):
            if cid == custom_id:
                return True
    return False


_LOOKS: dict[Action, tuple[str, str, discord.ButtonStyle]] = {
    "p": ("Previous", "◀️", discord.ButtonStyle.secondary),
    "n": ("Next", "▶️", discord.ButtonStyle.primary),
    "m": (strings.ACTOR_MAP, "🗺️", discord.ButtonStyle.secondary),
    "s": ("", "", discord.ButtonStyle.secondary),
}

ITEMS = (PageButton, SectionMenu, Expired)
"""Registered in setup_hook: the patterns every process answers."""


def controls(
    state: PageState,
    count: int,
    *,
    offer_map: bool = False,
    menu: list[discord.SelectOption] | None = None,
) -> discord.ui.View | None:
    """The controls for `state`'s page: Previous/Next when there are several pages, the
    Actor map, the section menu for a pack. None when there are none."""
    view = discord.ui.View(timeout=None)
    if count > 1:
        view.add_item(PageButton(state, "p", disabled=state.index <= 0))
        view.add_item(PageButton(state, "n", disabled=state.index >= count - 1))
    if offer_map:  # greyed out while the map is on screen
        view.add_item(PageButton(state, "m", disabled=state.chart and state.index == 0))
    if menu:
        view.add_item(SectionMenu(state, menu))
    return view if view.children else None


async def _answer(interaction: BotInteraction, state: PageState) -> None:
    """Edit the message to `state`'s page; errors go to the tree's one error path."""
    try:
        await _show(interaction, state)
    except Exception as error:
        await interaction.client.tree.on_error(interaction, error)  # type: ignore[arg-type]


async def _show(interaction: BotInteraction, state: PageState) -> None:
    bot, gid = interaction.client, interaction.guild_id
    menu: list[discord.SelectOption] | None = None
    if state.source == "b":
        page, count = await briefing_page(bot, state.arg, state.index, gid)
        menu = await section_options(bot, state.arg, gid)
    else:
        shown = await pages(bot, state.source, state.arg, gid)
        count = len(shown)
        page = shown[max(0, min(state.index, count - 1))]
    state = replace(state, index=max(0, min(state.index, count - 1)))
    offer_map = state.source == "a" and await _has_map(bot, state.arg, gid)
    view = controls(state, count, offer_map=offer_map, menu=menu)
    arguments: dict[str, Any] = {"content": page.content, "embeds": page.embeds, "view": view}
    request = await chart_for(bot, state.source, state.arg, gid) if state.chart else None
    if request is None or state.index != 0:
        if state.chart:
            arguments["attachments"] = []  # the image rides with the first page only
        await interaction.response.edit_message(**arguments)
        return
    await interaction.response.defer()  # a chart may take a second to draw cold
    chart = await request.draw(interaction)
    if chart is None:
        if state.source == "a":
            await interaction.followup.send(strings.ACTOR_MAP_UNAVAILABLE, ephemeral=True)
        await interaction.edit_original_response(**arguments)
        return
    arguments["embeds"] = render.with_chart(page, chart).embeds
    async with request.uploading:
        await interaction.edit_original_response(
            attachments=[render.chart_file(chart)], **arguments
        )


async def _has_map(bot: BriefingBot, actor_id: str, guild_id: int | None) -> bool:
    actor = (await bot.core.catalogue.snapshot(guild_id=guild_id)).actors.get(actor_id)
    return actor is not None and await bot.charts.has_map(actor, guild_id=guild_id)


async def section_options(
    bot: BriefingBot, pack: str, guild_id: int | None
) -> list[discord.SelectOption]:
    refs = await bot.core.catalogue.outline(pack, guild_id=guild_id)
    return [
        discord.SelectOption(
            label=limits.clip(f"{c.section}. {c.title}", limits.SELECT_OPTION_LABEL, mark="…"),
            value=str(i),
        )
        for i, c in enumerate(refs[: limits.SELECT_OPTIONS], 1)
    ]


async def attach_late(interaction: BotInteraction, page: Page, chart: Chart) -> None:
    """Edit a chart drawn after the answer went out into its first page, unless the member
    has paged on meanwhile (their buttons say which page is open): page 1 then draws it
    again from the chart cache when they come back."""
    message = await interaction.original_response()
    for row in message.components:
        for item in getattr(row, "children", []):
            match = re.fullmatch(TEMPLATE, getattr(item, "custom_id", None) or "")
            if match is not None and int(match["index"]) != 0:
                return
    await interaction.edit_original_response(
        embeds=render.with_chart(page, chart).embeds, attachments=[render.chart_file(chart)]
    )


async def setup(bot: BriefingBot) -> None:
    """Loaded as an extension from `BriefingBot.setup_hook`: every process answers these."""
    bot.add_dynamic_items(*ITEMS)
