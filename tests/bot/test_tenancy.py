"""Servers are tenants, end to end: an admin of one server (anyone can create one) cannot
reach another server's cards, actors or the shipped ties through `/card import`, nor learn
which of their ids exist."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.client import BriefingBot
from briefings.packfile import shipped_packs
from tests.bot.support import OTHER_CHANNEL, OTHER_GUILD, add_card
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import GUILD_ID
from tests.discord_standin.server import DiscordStandIn

MALLORY = 2001
"""Carol's account, made admin of the other server for these tests."""
ADMIN_ROLE = 446


@pytest.fixture
def other_admin(standin: DiscordStandIn) -> int:
    guild = standin.guilds[OTHER_GUILD]
    guild.add_role(ADMIN_ROLE, "Admin", permissions=Permission.MANAGE_GUILD)
    guild.members[MALLORY].roles = [ADMIN_ROLE]
    return MALLORY


def hostile_file(card_id: str, *, actor_id: str = "qatar", tie: bool = False) -> tuple[str, bytes]:
    """A file naming another server's ids (and, with `tie`, a shipped tie), with new words."""
    shipped = shipped_packs()[0]
    shipped_tie = shipped.relations[0].model_dump(mode="json", exclude_none=True)
    data: dict[str, Any] = {
        "pack": shipped.pack.model_dump(mode="json", exclude_none=True),
        "actors": [{"id": actor_id, "name": "Taken over", "kind": "state", "role": "Mine now."}],
        "relations": [{**shipped_tie, "note": "Rewritten by another server"}] if tie else [],
        "cards": [
            {
                "id": card_id,
                "pack": shipped.pack.slug,
                "section": 17,
                "title": "Taken over",
                "summary": "This card now belongs to someone else.",
                "actors": [actor_id],
            }
        ],
    }
    return ("pack.yaml", yaml.safe_dump(data, allow_unicode=True).encode())


async def import_there(standin: DiscordStandIn, user: int, file: tuple[str, bytes]) -> Any:
    """`/card import` in the other server (its channel), as its admin."""
    return await standin.slash(
        "card",
        subcommand="import",
        options={"file": file},
        user=user,
        guild_id=OTHER_GUILD,
        channel_id=OTHER_CHANNEL,
    )


async def import_confirmed(standin: DiscordStandIn, user: int, file: tuple[str, bytes]) -> Any:
    plan = await import_there(standin, user, file)
    assert "Import" in [b.get("label") for b in plan.walk()], plan.text
    return await standin.press(plan, "Import", user=user)


async def test_an_import_with_another_servers_ids_leaves_its_records_alone(
    bot: BriefingBot, standin: DiscordStandIn, other_admin: int
) -> None:
    await add_card(standin)  # server A's card, and its new actor Qatar
    store = bot.core.editor.store
    [theirs] = [c for c in await store.cards(guild_id=GUILD_ID) if c.guild_id == GUILD_ID]
    actor_id = next(a for a in theirs.actors if a.startswith(f"g{GUILD_ID}-"))

    await import_confirmed(standin, other_admin, hostile_file(theirs.id, actor_id=actor_id))

    # Server A still reads its own card and actor as it wrote them,
    assert await store.card(theirs.id, guild_id=GUILD_ID) == theirs
    actor = await bot.core.catalogue.resolve_actor(actor_id, guild_id=GUILD_ID)
    assert actor.name == "Qatar" and actor.guild_id == GUILD_ID
    # and what the other server imported is its own, under its own ids.
    mine = [c for c in await store.cards(guild_id=OTHER_GUILD) if c.guild_id == OTHER_GUILD]
    assert [c.title for c in mine] == ["Taken over"]
    assert mine[0].id.startswith(f"g{OTHER_GUILD}-")


async def test_an_import_does_not_say_whether_another_servers_id_exists(
    bot: BriefingBot, standin: DiscordStandIn, other_admin: int
) -> None:
    await add_card(standin)
    [theirs] = [
        c for c in await bot.core.editor.store.cards(guild_id=GUILD_ID) if c.guild_id == GUILD_ID
    ]
    guessed = f"g{GUILD_ID}-no-such-card"

    def shown(reply: Any, card_id: str) -> str:
        return reply.text.replace(card_id, "<id>")

    existing = await import_there(standin, other_admin, hostile_file(theirs.id))
    missing = await import_there(standin, other_admin, hostile_file(guessed))
    assert shown(existing, theirs.id) == shown(missing, guessed)
    assert "another server" not in existing.text


async def test_a_server_admin_cannot_rewrite_the_shipped_briefing(
    bot: BriefingBot, standin: DiscordStandIn, other_admin: int
) -> None:
    shipped = shipped_packs()[0]
    card = shipped.cards[0].model_dump(mode="json", exclude_none=True)
    data = {
        "pack": shipped.pack.model_dump(mode="json", exclude_none=True),
        "cards": [{**card, "title": "Rewritten"}],
    }
    file = ("pack.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    reply = await import_there(standin, other_admin, file)
    assert "owners" in reply.text
    stored = await bot.core.catalogue.card(shipped.cards[0].id, guild_id=OTHER_GUILD)
    assert stored is not None and stored.title == shipped.cards[0].title


async def test_a_server_cannot_take_over_a_shipped_tie(
    bot: BriefingBot, standin: DiscordStandIn, other_admin: int
) -> None:
    shipped_tie = shipped_packs()[0].relations[0]
    reply = await import_there(standin, other_admin, hostile_file("mine", tie=True))
    assert "Nothing was written" in reply.text and "owners" in reply.text
    for guild in (None, GUILD_ID, OTHER_GUILD):  # every server's actor map keeps it
        ties = await bot.core.catalogue.relations(guild_id=guild)
        same = [
            t
            for t in ties
            if (t.source, t.target, t.kind)
            == (shipped_tie.source, shipped_tie.target, shipped_tie.kind)
        ]
        assert same == [shipped_tie]
