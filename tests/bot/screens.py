"""Draw the editors' forms and previews as Discord shows them (not a test: a script).

    .venv/bin/python -m tests.bot.screens OUT_DIR [--preview /work/shared/tools/discord_preview.py]

Runs the real bot against the stand-in, walks the editor flows, keeps each modal and message
payload as JSON in OUT_DIR and draws it at desktop and phone width with discord_preview.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.client import BriefingBot
from briefings.app import build_core
from briefings.store import open_store
from tests.bot.support import FORM, TOKEN, card_command, make_settings
from tests.discord_standin.constants import Permission
from tests.discord_standin.fixtures import BOB_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE_ID, run_bot
from tests.discord_standin.server import DiscordStandIn

PREVIEW = "/work/shared/tools/discord_preview.py"
POINTS = {
    "bottom_line": "Qatar, not Moscow, now brokers the grain route through the Black Sea.",
    "key_points": (
        "Qatar brokers the corridor with Ankara\n"
        "Moscow loses its say over the route [judgement]\n"
        "Ships are already moving [reported by Reuters]"
    ),
    "quotes": '"a corridor of our own" — a Qatari diplomat',
    "certainty": ["fact"],
}
Flow = Callable[[DiscordStandIn, BriefingBot, Callable[[str, Any], None]], Awaitable[None]]


async def card_steps(
    standin: DiscordStandIn, bot: BriefingBot, keep: Callable[[str, Any], None]
) -> None:
    opened = await card_command(standin, "add", user=BOB_ID)
    keep("card-text-form", {"type": 9, "data": opened.modal})
    preview = await standin.submit_modal(opened.modal["custom_id"], FORM, user=BOB_ID)
    form = await standin.press(preview, "Edit key points & quotes", user=BOB_ID)
    keep("card-points-form", {"type": 9, "data": form.modal})
    shown = await standin.submit_modal(form.modal["custom_id"], POINTS, user=BOB_ID)
    keep("card-points-preview", shown.latest().message)
    bad = {**POINTS, "key_points": "Fine line\nA doubtful one [sure]", "quotes": "no marks — X"}
    again = await standin.press(shown.latest(), "Edit key points & quotes", user=BOB_ID)
    rejected = await standin.submit_modal(again.modal["custom_id"], bad, user=BOB_ID)
    keep("card-points-rejected", rejected.message)


BASICS = {
    "title": "Qatar's grain corridor and the Black Sea",
    "author": "Jane Analyst",
    "publisher": "The Gulf Review",
    "published": "3 March 2025",
    "source_url": "https://example.org/2025/03/qatar-grain-corridor",
}
MORE = {
    "original_publisher": "Doha Papers",
    "bottom_line": "Qatar, not Moscow, now brokers grain through the Black Sea, and Ankara gains.",
    "pivot": "the corridor deal",
}


async def briefing_forms(
    standin: DiscordStandIn, bot: BriefingBot, keep: Callable[[str, Any], None]
) -> None:
    def admin(sub: str, **options: Any) -> Any:
        return standin.slash("briefing-admin", subcommand=sub, options=options, user=BOB_ID)

    opened = await admin("new")
    keep("briefing-admin-new-form", {"type": 9, "data": opened.modal})
    typo = {**BASICS, "published": "the third of March", "source_url": "example.org/qatar"}
    rejected = await standin.submit_modal(opened.modal["custom_id"], typo, user=BOB_ID)
    keep("briefing-admin-new-rejected", rejected.message)
    fixed = await standin.press(rejected, "Fix it", user=BOB_ID)
    preview = await standin.submit_modal(fixed.modal["custom_id"], BASICS, user=BOB_ID)
    keep("briefing-admin-new-preview", preview.message)
    more = await standin.press(preview, "More details", user=BOB_ID)
    keep("briefing-admin-more-form", {"type": 9, "data": more.modal})
    shown = await standin.submit_modal(more.modal["custom_id"], MORE, user=BOB_ID)
    keep("briefing-admin-more-preview", shown.latest().message)
    created = await standin.press(shown.latest(), "Create draft", user=BOB_ID)
    keep("briefing-admin-created", created.latest().message)
    packs = await bot.core.desk.briefings(GUILD_ID, editors=True)
    slug = next(p.slug for p in packs if p.title == BASICS["title"])
    card = await card_command(standin, "add", user=BOB_ID, pack=slug)
    drafted = await standin.submit_modal(card.modal["custom_id"], FORM, user=BOB_ID)
    await standin.press(drafted, "Save as draft", user=BOB_ID)
    asked = await admin("publish", briefing=slug)
    keep("briefing-admin-publish-ask", asked.message)
    published = await standin.press(asked, "Publish", user=BOB_ID)
    keep("briefing-admin-published", published.latest().message)
    keep("briefing-admin-list", (await admin("list")).message)


async def many_briefings(
    standin: DiscordStandIn, bot: BriefingBot, keep: Callable[[str, Any], None]
) -> None:
    """A server with a second briefing: the list, an answer naming its briefing, an actor
    across both briefings."""
    from tests.bot.test_many_briefings import QUESTION, import_strait

    await import_strait(standin)
    keep("many-briefings-list", (await standin.slash("briefing")).message)
    keep("many-briefings-ask", (await standin.slash("ask", question=QUESTION)).message)
    keep("many-briefings-actor", (await standin.slash("actor", name="Erdoğan")).message)


FLOWS: list[Flow] = [card_steps, briefing_forms, many_briefings]


async def record(out: Path) -> list[Path]:
    written: list[Path] = []

    def keep(name: str, payload: Any) -> None:
        path = out / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1))
        written.append(path)

    for flow in FLOWS:
        with tempfile.TemporaryDirectory() as tmp:
            async with DiscordStandIn() as standin:
                standin.make_user(BOB_ID, "bob")
                standin.add_guild(
                    GUILD_ID,
                    "Test Guild",
                    channels=[(CHANNEL_ID, "general")],
                    roles=[(MOD_ROLE_ID, "Moderator", Permission.MANAGE_GUILD)],
                )
                standin.add_member(GUILD_ID, BOB_ID, roles=[MOD_ROLE_ID])
                async with open_store(Path(tmp) / "bot.db") as store:
                    client = BriefingBot(settings=make_settings(Path(tmp)), core=build_core(store))
                    async with run_bot(client, standin, token=TOKEN, sync=False):
                        await flow(standin, client, keep)
    return written


def draw(paths: list[Path], preview: str) -> None:
    for path in paths:
        for width in ("desktop", "phone"):
            png = path.with_name(f"{path.stem}-{width}.png")
            subprocess.run(
                [
                    sys.executable,
                    preview,
                    str(path),
                    str(png),
                    "--width",
                    width,
                    "--bot",
                    "Briefer",
                ],
                check=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--preview", default=PREVIEW)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    draw(asyncio.run(record(args.out)), args.preview)


if __name__ == "__main__":
    main()
