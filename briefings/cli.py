"""The offline CLI: the whole briefing from a terminal, no Discord token needed."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from briefings import text
from briefings.anchors import anchor_problems
from briefings.briefing import Briefing
from briefings.config import CoreSettings
from briefings.editing import CardEditor
from briefings.errors import BriefingError, InvalidPack
from briefings.faithfulness import Finding, claim_findings, quote_problems, source_url_problems
from briefings.models import Actor, Domain, Status
from briefings.packfile import dump_pack, parse_pack, read_pack
from briefings.store import CardStore, is_postgres, load_pack, open_store
from briefings.store.migrate import latest_version, migrate, schema_version

Handler = Callable[[argparse.Namespace, Briefing], Awaitable[int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefings", description=__doc__)
    parser.add_argument(
        "--db",
        help="SQLite file or sqlite:///file, or postgresql://… "
        "(default: DATABASE_URL, else DATABASE_PATH or data/briefings.db)",
    )
    parser.add_argument(
        "--guild", type=int, default=None, help="see what this guild sees (its own cards too)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ask", help="answer a question with cited cards")
    p.add_argument("question", nargs="+")
    p = sub.add_parser("actor", help="an actor's profile")
    p.add_argument("name", nargs="+")
    p = sub.add_parser("event", help="what happened, when, where, who and why it matters")
    p.add_argument("name", nargs="+")
    p = sub.add_parser("timeline", help="events in date order")
    p.add_argument("--actor")
    p = sub.add_parser("leverage", help="who gained or lost leverage over whom")
    p.add_argument("--domain", choices=[d.value for d in Domain])
    p.add_argument("--actor")
    p = sub.add_parser("cards", help="list cards, or show one")
    p.add_argument("card", nargs="?")
    p.add_argument("--pack")
    p.add_argument("--all", action="store_true", help="include drafts and archived cards")
    p = sub.add_parser("validate", help="check a pack file without writing anything")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--source",
        type=Path,
        help="the article: every quote, number and proper name must occur in it",
    )
    p = sub.add_parser("import", help="load a pack file (all-or-nothing)")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true")
    p = sub.add_parser("export", help="write a pack as a file that imports back unchanged")
    p.add_argument("--pack")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p = sub.add_parser("chart", help="draw leverage, the timeline or an actor map as a PNG")
    p.add_argument("kind", choices=["leverage", "timeline", "actor"])
    p.add_argument("--domain", choices=[d.value for d in Domain])
    p.add_argument("--actor", help="focus on this actor (required for an actor map)")
    p.add_argument("--out", type=Path, required=True, help="PNG file to write")
    p = sub.add_parser("db", help="database upkeep")
    p.add_argument("action", choices=["init", "migrate", "status", "backup", "convert"])
    p.add_argument("file", type=Path, nargs="?", help="backup destination")
    p.add_argument("--to", help="convert: the PostgreSQL URL to copy this SQLite store into")
    return parser


async def _actor(core: Briefing, name: str | None, *, guild_id: int | None) -> Actor | None:
    """The actor an option names, resolved once (None when the option was not given)."""
    return await core.resolve_actor(name, guild_id=guild_id) if name else None


async def cmd_ask(args: argparse.Namespace, core: Briefing) -> int:
    answer = await core.ask(" ".join(args.question), guild_id=args.guild)
    print(text.answer(answer))
    return 0 if answer.covered else 1


async def cmd_actor(args: argparse.Namespace, core: Briefing) -> int:
    actor = await core.resolve_actor(" ".join(args.name), guild_id=args.guild)
    print(text.actor_profile(await core.actor_profile(actor, guild_id=args.guild)))
    return 0


async def cmd_event(args: argparse.Namespace, core: Briefing) -> int:
    event = await core.resolve_event(" ".join(args.name), guild_id=args.guild)
    print(text.event_detail(await core.event_detail(event, guild_id=args.guild)))
    return 0


async def cmd_timeline(args: argparse.Namespace, core: Briefing) -> int:
    actor = await _actor(core, args.actor, guild_id=args.guild)
    print(text.timeline(await core.timeline(guild_id=args.guild, actor=actor)))
    return 0


async def cmd_leverage(args: argparse.Namespace, core: Briefing) -> int:
    domain = Domain(args.domain) if args.domain else None
    actor = await _actor(core, args.actor, guild_id=args.guild)
    views = await core.leverage(guild_id=args.guild, domain=domain, actor=actor)
    print(text.leverage(views))
    return 0


async def cmd_cards(args: argparse.Namespace, core: Briefing) -> int:
    if args.card:
        card = await core.store.card(args.card, guild_id=args.guild)
        if card is None:
            raise BriefingError(f"No card with id {args.card!r}. List them with: briefings cards")
        print(text.card(card, await core.cite(card)))
        return 0
    statuses = list(Status) if args.all else [Status.PUBLISHED]
    cards = await core.store.cards(guild_id=args.guild, pack=args.pack, statuses=statuses)
    print(text.card_list(cards))
    return 0


async def cmd_import(args: argparse.Namespace, core: Briefing) -> int:
    """A file may name records the catalogue already has (the shipped actors): they are
    checked against what the target scope sees. With --guild, the file imports as that
    server's, exactly as `/card import` there would (a new slug: a new briefing of it)."""
    editor = CardEditor(core)
    known = await editor.known_ids(guild_id=args.guild)
    pack = parse_pack(args.file.read_text(encoding="utf-8"), source=str(args.file), known=known)
    if args.guild is None:
        report = await load_pack(core.store, pack, dry_run=args.dry_run)
        print(("Dry run: would apply " if args.dry_run else "Imported ") + report.summary())
        return 0
    plan = await editor.plan_import(pack, guild_id=args.guild, is_owner=True, source=str(args.file))
    if not args.dry_run and not plan.empty:
        await editor.save(plan.changes, guild_id=args.guild, action="import", member_id=0)
    print(
        ("Dry run: would import into " if args.dry_run else "Imported into ")
        + f"{plan.briefing} (guild {args.guild}"
        + (", a new briefing" if plan.new_briefing else "")
        + f"): {len(plan.added)} added, {len(plan.updated)} updated, "
        + f"{len(plan.unchanged)} unchanged"
    )
    return 0


async def cmd_export(args: argparse.Namespace, core: Briefing) -> int:
    slug = (await core.pack(args.pack)).slug
    pack = await core.store.export_pack(slug)
    assert pack is not None
    rendered = dump_pack(pack, fmt=args.format)
    if args.out:
        args.out.write_text(rendered, encoding="utf-8")
        print(f"Wrote {len(pack.cards)} cards of {slug} to {args.out}")
    else:
        sys.stdout.write(rendered)
    return 0


async def cmd_db(args: argparse.Namespace, core: Briefing) -> int:
    store: CardStore = core.store
    if args.action == "backup":
        if args.file is None:
            raise BriefingError("db backup needs a destination file")
        await store.backup(args.file)
        print(f"Backed up {store.path} to {args.file}")
    elif args.action == "convert":
        return await convert_to(store, args.to)
    elif args.action == "migrate":
        applied = await migrate(store.db)
        print(f"Applied: {', '.join(applied)}" if applied else "Already up to date.")
    else:
        version = await schema_version(store.db)
        packs = await store.packs()
        print(
            f"{store.db.location}: schema {version}/{latest_version()}, packs: "
            + (", ".join(f"{p.slug} v{p.version}" for p in packs) or "none")
        )
    return 0


async def convert_to(store: CardStore, url: str | None) -> int:
    """Copy this SQLite store into an empty PostgreSQL database; print each table's check."""
    from briefings.store.convert import convert  # asyncpg only for this command
    from briefings.store.database import SqliteDatabase
    from briefings.store.postgres import PgDatabase, redact

    if not url or not is_postgres(url):
        raise BriefingError("db convert needs --to postgresql://user@host/database")
    if not isinstance(store.db, SqliteDatabase):
        raise BriefingError("db convert copies a SQLite store: give it with --db FILE")
    target = await PgDatabase.open(url)
    try:
        copies = await convert(store.db, target)
    finally:
        await target.close()
    print(f"{'table':<20} {'rows':>8} {'copied':>8}  checksum (sha256/16)")
    for c in copies:
        mark = "ok" if c.ok else f"MISMATCH {c.target_sum}"
        print(f"{c.table:<20} {c.source_rows:>8} {c.target_rows:>8}  {c.source_sum} {mark}")
    total = sum(c.source_rows for c in copies)
    print(f"Copied {total} rows in {len(copies)} tables from {store.db.location} to {redact(url)}")
    return 0


async def cmd_chart(args: argparse.Namespace, core: Briefing) -> int:
    from briefings.charts import chart_for  # here, so other commands never load chart code

    domain = Domain(args.domain) if args.domain else None
    actor = await _actor(core, args.actor, guild_id=args.guild)
    chart = await chart_for(core, args.kind, guild_id=args.guild, domain=domain, actor=actor)
    args.out.write_bytes(chart.png)
    print(chart.alt_text)
    print(f"Wrote {args.out}: {chart.width}x{chart.height} px, {len(chart.png):,} bytes")
    return 0


HANDLERS: dict[str, Handler] = {
    "ask": cmd_ask,
    "actor": cmd_actor,
    "event": cmd_event,
    "timeline": cmd_timeline,
    "leverage": cmd_leverage,
    "cards": cmd_cards,
    "import": cmd_import,
    "export": cmd_export,
    "db": cmd_db,
    "chart": cmd_chart,
}


def validate(path: Path, source: Path | None) -> int:
    """No database involved: parse and cross-check; with --source, the faithfulness lint
    (quotes verbatim, every number and name in the source, hedges kept) too."""
    pack = read_pack(path)
    problems = []
    warnings: list[Finding] = []
    if source is not None:
        article = source.read_text(encoding="utf-8")
        problems = quote_problems(pack, article, source=str(path))
        problems += source_url_problems(pack, article, source=str(path))
        problems += anchor_problems(pack, article, source=str(path))
        findings = claim_findings(pack, article, source=str(path))
        problems += [f.problem for f in findings if f.error]
        warnings = [f for f in findings if not f.error]
    for warning in warnings:
        print(warning, file=sys.stderr)
    if problems:
        raise InvalidPack(problems)
    quotes = sum(len(c.quotes) for c in pack.cards)
    print(
        f"{path}: valid (format {pack.format}): {len(pack.cards)} cards, {len(pack.actors)} "
        f"actors, {len(pack.events)} events, {len(pack.leverage)} leverage shifts, "
        f"{quotes} quotes"
        + (
            f" (quotes, names and numbers found in the source; {len(warnings)} hedge warnings)"
            if source
            else ""
        )
    )
    return 0


async def run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return validate(args.file, args.source)
    location = args.db or CoreSettings().database
    async with open_store(location) as store:
        return await HANDLERS[args.command](args, Briefing(store))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except BriefingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # piped into `head`, which stopped reading: not an error
        _quiet_stdout()
        return 0
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
