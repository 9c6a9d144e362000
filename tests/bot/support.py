"""What bot tests share: the token, settings, the second server, and the /card steps.

Helpers live here and on the stand-in's reply object (`reply.text`, `reply.button(label)`),
never in conftest or in another test module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.client import BriefingBot
from bot.settings import Settings
from briefings.models import Status
from tests.discord_standin.fixtures import BOB_ID, GUILD_ID
from tests.discord_standin.server import DiscordStandIn

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"
OTHER_GUILD = 444
OTHER_CHANNEL = 555
EDITOR_ROLE = 335
DAVE = 2002
"""Dave holds the Editors role (no permissions of its own) in the test guild."""


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "discord_token": TOKEN,
        "database_path": tmp_path / "bot.db",
        "owner_ids": [],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


FORM = {
    "title": "Qatar brokers a grain corridor",
    "section": "17",
    "summary": "Our note: Qatar brokers a grain corridor with Ankara.",
    "actors": "Ankara, Qatar",
    "tags": "energy, our-notes",
}


async def card_command(standin: DiscordStandIn, sub: str, *, user: int, **options: Any) -> Any:
    return await standin.slash("card", subcommand=sub, options=options, user=user)


async def add_card(
    standin: DiscordStandIn, *, user: int = BOB_ID, publish: bool = True, **form: str
) -> Any:
    opened = await card_command(standin, "add", user=user)
    assert opened.callback_type == 9  # a modal
    preview = await standin.submit_modal(opened.modal["custom_id"], {**FORM, **form}, user=user)
    assert preview.ephemeral and "Preview" in (preview.content or "")
    label = "Publish" if publish else "Save as draft"
    return await standin.press(preview, label, user=user)


async def card_id(bot: BriefingBot, title: str) -> str:
    cards = await bot.core.editor.store.cards(guild_id=GUILD_ID, statuses=list(Status))
    return next(c.id for c in cards if c.title == title)
