"""Briefings owned by a server: created, edited, published whole (with their draft cards)
and made global through the desk; imported from a file with a new slug (issue 13)."""

from __future__ import annotations

import pytest

from briefings.app import Core, build_core
from briefings.changes import ChangeSet
from briefings.desk import BriefingDraft
from briefings.editing import CardDraft
from briefings.errors import (
    AlreadyInStatus,
    InvalidPack,
    NotFound,
    PermissionDenied,
    StaleBriefing,
)
from briefings.models import Card, PackFile, Status, now_utc
from briefings.store import CardStore
from tests.briefings.second_pack import SLUG, second_pack

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

GUILD, OTHER = 111, 222
EDITOR, OWNER = 1001, 9
SHIPPED = "bechev-syria-russia-turkey-2024"


@pytest.fixture
def app(store: CardStore) -> Core:
    return build_core(store)


def draft(**overrides: str) -> BriefingDraft:
    fields = {
        "title": "Who Holds the Strait?",
        "author": "Ana Tester",
        "publisher": "Example Review",
        "published": "2031-05-02",
        "source_url": "https://example.org/strait",
        "bottom_line": "Whoever holds the strait holds the trade.",
    } | overrides
    return BriefingDraft.from_form(**fields)


async def import_pack(app: Core, pack: PackFile, guild: int = GUILD) -> str:
    plan = await app.editor.plan_import(pack, guild_id=guild, is_owner=False, source="up.yaml")
    await app.editor.save(plan.changes, guild_id=guild, action="import", member_id=EDITOR)
    return plan.briefing


def test_the_form_reports_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidPack) as caught:
        BriefingDraft.from_form(
            title="", author="A", publisher="P", published="May 2", source_url="strait"
        )
    fields = {p.field: p.problem for p in caught.value.problems}
    assert set(fields) == {"title", "published", "source_url"}
    assert "2024-12-19" in fields["published"] and "https://" in fields["source_url"]


async def test_a_new_briefing_is_a_draft_its_editors_see_and_nobody_else(app: Core) -> None:
    made = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    assert made.slug == f"g{GUILD}-who-holds-the-strait"
    assert (made.guild_id, made.status, made.created_by) == (GUILD, Status.DRAFT, EDITOR)
    assert [p.slug for p in await app.desk.briefings(GUILD, editors=True)] == [made.slug, SHIPPED]
    assert [p.slug for p in await app.desk.briefings(GUILD)] == [SHIPPED]
    assert [p.slug for p in await app.desk.briefings(OTHER, editors=True)] == [SHIPPED]
    with pytest.raises(NotFound):
        await app.desk.briefing(made.slug, guild_id=OTHER, editors=True)
    again = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    assert again.slug == f"{made.slug}-2"


async def test_an_update_on_a_stale_version_is_refused(app: Core) -> None:
    made = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    edited = await app.desk.update_briefing(
        made.slug, draft(pivot="the blockade"), guild_id=GUILD, member=EDITOR, expected_version=1
    )
    assert (edited.version, edited.pivot) == (2, "the blockade")
    with pytest.raises(StaleBriefing) as caught:
        await app.desk.update_briefing(
            made.slug, draft(title="Late"), guild_id=GUILD, member=EDITOR, expected_version=1
        )
    assert caught.value.current is not None and caught.value.current.version == 2
    assert (await app.desk.briefing(made.slug, guild_id=GUILD, editors=True)).title == made.title
    with pytest.raises(NotFound):  # another server cannot even name it
        await app.desk.update_briefing(
            made.slug, draft(), guild_id=OTHER, member=EDITOR, expected_version=2
        )
    with pytest.raises(PermissionDenied):
        await app.desk.update_briefing(
            SHIPPED, draft(), guild_id=GUILD, member=EDITOR, expected_version=1
        )


async def draft_card(app: Core, slug: str, ident: str, summary: str = "") -> Card:
    card = Card(
        id=f"g{GUILD}-{ident}",
        pack=slug,
        section=len(ident),
        title=ident.title(),
        summary=summary,
        status=Status.DRAFT,
        guild_id=GUILD,
    )
    changes = ChangeSet(pack=slug, cards=[(None, card)])
    await app.editor.save(changes, guild_id=GUILD, action="add", member_id=EDITOR)
    stored = await app.editor.card(card.id, guild_id=GUILD)
    assert stored is not None
    return stored


async def test_publishing_a_briefing_publishes_its_drafts_in_one_change(app: Core) -> None:
    made = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    await draft_card(app, made.slug, "strait", "The strait carries the trade.")
    empty = await draft_card(app, made.slug, "ports")
    with pytest.raises(InvalidPack) as caught:
        await app.desk.publish_briefing(made.slug, guild_id=GUILD, member=EDITOR)
    assert [(p.item, p.field) for p in caught.value.problems] == [
        (f"card 5 ({empty.id})", "summary")
    ]
    assert (await app.desk.briefing(made.slug, guild_id=GUILD, editors=True)).status is Status.DRAFT
    await app.editor.save(
        await app.editor.prepare_edit(
            empty.id,
            _card_draft(made.slug, "Ports"),
            guild_id=GUILD,
            member_id=EDITOR,
            seen_version=empty.version,
            is_owner=False,
        ),
        guild_id=GUILD,
        action="edit",
        member_id=EDITOR,
    )
    feed_before = await _feed(app)
    report = await app.desk.publish_briefing(made.slug, guild_id=GUILD, member=EDITOR)
    assert sorted(report.cards) == sorted([f"g{GUILD}-strait", empty.id])
    assert report.briefing.status is Status.PUBLISHED and report.briefing.published_at
    feed = (await _feed(app))[len(feed_before) :]
    assert len(feed) == 2 and len({at for _, at in feed}) == 1  # one transaction, one batch
    row = await app.catalogue.store.db.fetch_one(
        "SELECT status, published_at FROM packs WHERE slug = ?", (made.slug,)
    )
    assert row is not None and row[0] == "published" and row[1] is not None
    assert [p.slug for p in await app.desk.briefings(GUILD)] == [made.slug, SHIPPED]
    assert [p.slug for p in await app.desk.briefings(OTHER)] == [SHIPPED]
    with pytest.raises(AlreadyInStatus):
        await app.desk.publish_briefing(made.slug, guild_id=GUILD, member=EDITOR)


def _card_draft(slug: str, title: str) -> CardDraft:
    return CardDraft(pack=slug, title=title, section=5, summary="Ports matter.")


async def _feed(app: Core) -> list[tuple[str, str]]:
    rows = await app.catalogue.store.db.fetch_all(
        "SELECT card_id, at FROM card_changes ORDER BY id"
    )
    return [(r[0], r[1]) for r in rows]


async def test_a_card_of_a_draft_briefing_waits_for_the_briefing(app: Core) -> None:
    made = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    card = await draft_card(app, made.slug, "strait", "The strait carries the trade.")
    changes = await app.editor.with_status(
        card.id, Status.PUBLISHED, guild_id=GUILD, member_id=EDITOR, is_owner=False
    )
    with pytest.raises(InvalidPack, match="is a draft"):
        await app.editor.save(changes, guild_id=GUILD, action="publish", member_id=EDITOR)


async def test_a_draft_card_may_have_no_summary_until_published(app: Core) -> None:
    made = await app.desk.create_briefing(draft(), guild_id=GUILD, member=EDITOR)
    await app.desk.publish_briefing(made.slug, guild_id=GUILD, member=EDITOR)
    card = await draft_card(app, made.slug, "empty")
    assert card.summary == ""
    with pytest.raises(InvalidPack) as caught:
        await app.editor.with_status(
            card.id, Status.PUBLISHED, guild_id=GUILD, member_id=EDITOR, is_owner=False
        )
    assert [p.field for p in caught.value.problems] == ["summary"]
    forged = card.model_copy(update={"status": Status.PUBLISHED, "version": 2})
    with pytest.raises(InvalidPack, match="needs a summary"):  # the write path checks too
        await app.editor.save(
            ChangeSet(pack=made.slug, cards=[(card, forged)]),
            guild_id=GUILD,
            action="publish",
            member_id=EDITOR,
        )


async def test_a_pack_file_with_a_new_slug_imports_as_a_new_briefing(app: Core) -> None:
    slug = await import_pack(app, second_pack())
    assert slug == f"g{GUILD}-{SLUG}"
    briefing = await app.desk.briefing(slug, guild_id=GUILD)
    assert (briefing.guild_id, briefing.status) == (GUILD, Status.PUBLISHED)
    cards = await app.catalogue.store.cards(guild_id=GUILD, pack=slug)
    assert len(cards) == 5 and all(c.guild_id == GUILD for c in cards)
    assert await app.catalogue.store.cards(guild_id=OTHER, pack=slug) == []
    assert [p.slug for p in await app.desk.briefings(OTHER)] == [SHIPPED]
    again = await app.editor.plan_import(
        second_pack(), guild_id=GUILD, is_owner=False, source="up.yaml"
    )
    assert again.empty and again.new_briefing is None


async def test_a_file_naming_another_servers_briefing_is_refused(app: Core) -> None:
    await import_pack(app, second_pack())
    theirs = second_pack()
    data = theirs.model_dump(mode="json")
    data["pack"]["slug"] = f"g{GUILD}-{SLUG}"
    for card in data["cards"]:
        card["pack"] = f"g{GUILD}-{SLUG}"
    before = await app.catalogue.store.db.fetch_all("SELECT slug, version FROM packs")
    with pytest.raises(InvalidPack) as caught:
        await app.editor.plan_import(
            PackFile.model_validate(data), guild_id=OTHER, is_owner=False, source="up.yaml"
        )
    assert [(p.item, p.field) for p in caught.value.problems] == [("pack", "slug")]
    assert await app.catalogue.store.db.fetch_all("SELECT slug, version FROM packs") == before


async def test_make_global_shows_a_briefing_to_every_server(app: Core) -> None:
    slug = await import_pack(app, second_pack())
    moved = await app.desk.make_global(slug, owner=OWNER)
    assert moved.guild_id is None
    assert slug in [p.slug for p in await app.desk.briefings(OTHER)]
    cards = await app.catalogue.store.cards(guild_id=OTHER, pack=slug)
    assert len(cards) == 5 and all(c.guild_id is None for c in cards)
    actor = await app.catalogue.store.actor(f"g{GUILD}-southland", guild_id=OTHER)
    assert actor is not None and actor.role == "The upstream country that built the Kestrel dam."
    assert now_utc() >= (moved.published_at or now_utc())
