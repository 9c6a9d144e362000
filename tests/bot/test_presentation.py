"""What members read: no internal ids, one screen per first page, links to the passage,
autocomplete by relevance."""

from __future__ import annotations

import re
from typing import Any

from bot import limits
from bot.client import BriefingBot
from briefings.packfile import shipped_packs
from tests.discord_standin.models import MessageView
from tests.discord_standin.server import DiscordStandIn

PACK = shipped_packs()[0]
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_URL = re.compile(r"https?://\S+")


def visible(reply: MessageView) -> str:
    """What Discord shows of a message: content and each embed's text, links as their words."""
    parts = [reply.content or ""]
    for item in reply.embeds:
        parts += [item.get("title", ""), item.get("description", "")]
        for f in item.get("fields", []):
            parts += [f["name"], f["value"]]
        parts += [item.get("footer", {}).get("text", ""), item.get("author", {}).get("name", "")]
    return _LINK.sub(r"\1", "\n".join(parts))


def internal_ids() -> set[str]:
    """Ids a member should never read: every card id, the pack's slug, and the actor and
    event ids that are slugs rather than words ("turkey" is also the word Turkey)."""
    ids = {c.id for c in PACK.cards} | {PACK.pack.slug}
    ids |= {a.id for a in PACK.actors if "-" in a.id} | {e.id for e in PACK.events}
    return ids


def leaked(reply: MessageView) -> list[str]:
    text = _URL.sub("", visible(reply))
    return sorted(
        i for i in internal_ids() if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)
    )


async def member_replies(standin: DiscordStandIn) -> list[tuple[str, MessageView]]:
    """A fixed list of what members ask, over the shipped pack."""
    asked: list[tuple[str, Any]] = [("briefing", {})]
    asked += [("briefing", {"section": c.section}) for c in PACK.cards]
    asked += [("actor", {"name": a.name}) for a in PACK.actors]
    asked += [("event", {"name": e.title}) for e in PACK.events]
    asked += [("timeline", {}), ("timeline", {"actor": "Armenia"}), ("leverage", {})]
    asked += [("leverage", {"domain": "energy"}), ("leverage", {"actor": "Turkey"})]
    replies = []
    for name, options in asked:
        reply = await standin.slash(name, **options)
        assert not reply.ephemeral, (name, options, reply.content)
        replies.append((f"/{name} {options}", reply))
    return replies


async def test_no_reply_a_member_sees_shows_an_internal_id(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    replies = await member_replies(standin)
    pages = []
    for label, reply in replies:
        pages.append((label, reply))
        for _ in range(3):  # and the pages behind Next
            try:
                reply.latest().button("Next")
            except AssertionError:
                break
            if reply.latest().button("Next").get("disabled"):
                break
            await standin.press(reply.latest(), "Next")
            pages.append((f"{label} next", reply.latest()))
    found = {label: ids for label, r in pages if (ids := leaked(r))}
    assert found == {}
    standin.assert_clean()


async def test_every_first_page_fits_one_screen(bot: BriefingBot, standin: DiscordStandIn) -> None:
    sizes = {}
    for label, reply in await member_replies(standin):
        if label.startswith(("/actor", "/event", "/briefing {}")):
            sizes[label] = len(visible(reply))
    assert len(sizes) == len(PACK.actors) + len(PACK.events) + 1
    too_long = {label: n for label, n in sizes.items() if n > limits.SCREEN_CHARS}
    assert too_long == {}


async def test_section_links_open_the_passage(bot: BriefingBot, standin: DiscordStandIn) -> None:
    card = await standin.slash("briefing", section=5)
    assert card.embeds[0]["url"].endswith("#:~:text=Whatever%20scenario%20materializes")
    source = {f["name"]: f["value"] for f in card.embeds[0]["fields"]}["Source"]
    assert source.startswith("[§5 · The balance flips")
    actor = await standin.slash("actor", name="Turkey")
    while not actor.latest().button("Next").get("disabled"):
        await standin.press(actor.latest(), "Next")
    links = [u for _, u in _LINK.findall(actor.latest().embeds[0]["description"])]
    assert links and len(set(links)) == len(links)  # each section its own link
    assert all("#:~:text=" in u for u in links)


async def test_overview_leads_with_the_point_and_lists_sections(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    overview = (await standin.slash("briefing")).embeds[0]
    point = PACK.pack.bottom_line or PACK.pack.description or ""
    assert overview["description"].startswith("**Bottom line:** " + point[:40])
    assert all(f"**{c.section}.** " in overview["description"] for c in PACK.cards)
    assert "Dimitar Bechev" in overview["footer"]["text"]


async def test_autocomplete_orders_by_relevance(bot: BriefingBot, standin: DiscordStandIn) -> None:
    async def names(text: str) -> list[str]:
        return [c["name"] for c in await standin.autocomplete("actor", "name", text)]

    everyone = await names("")
    assert {"Russia", "Turkey"} <= set(everyone[:5])  # the briefing's main actors first
    assert "Anatoly Medved" not in everyone[:10]  # not the photographer
    assert await names("israel") == []  # no look-alike: the briefing has no Israel
    assert await names("erdgoan") == ["Recep Tayyip Erdoğan"]  # the typo, and no Iran
    assert (await names("tur"))[0] == "Turkey"
    assert (await names("ankara"))[0] == "Turkey"  # an alias matches exactly


async def test_a_person_acting_for_a_state_shows_its_leverage(
    bot: BriefingBot, standin: DiscordStandIn
) -> None:
    reply = await standin.slash("actor", name="Erdoğan")
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert "**Gained** over Russia" in fields["Leverage, acting for Turkey"]
    turkey = await standin.slash("actor", name="Turkey")
    lines = {f["name"]: f["value"] for f in turkey.embeds[0]["fields"]}["Leverage"].split("\n")
    # grouped from Turkey's side: what it gained, then lost, then held
    kinds = [line.split("**")[1] for line in lines]
    assert kinds == sorted(kinds, key=["Gained", "Lost", "Held", "held"].index)
    assert all("Russia" in line for line in lines if "**Lost** to" in line)
