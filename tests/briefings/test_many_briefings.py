"""One catalogue, many briefings: an actor is one record; what each briefing says of them
is that briefing's, and importing or editing one briefing never changes another's
(issue 13, item 5). Reads span the briefings a server sees, each part cited."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.app import Core, build_core, open_core
from briefings.models import PackFile, Status
from briefings.packfile import dump_pack, parse_pack
from briefings.store import CardStore, load_pack
from tests.briefings.tenancy import rows_outside

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

GUILD, OTHER, EDITOR = 111, 222, 1001
SHIPPED = "bechev-syria-russia-turkey-2024"
SHIPPED_ROLE_START = "Turkey's president, who once accepted Assad's survival"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-pack.yaml"


def strait_pack(
    *, role: str = "The leader who closed the strait.", aliases: list[str] | None = None
) -> dict[str, Any]:
    """A second article's pack that names the shipped Erdoğan (by id), Turkey and Russia,
    with its own role for him, a shift of his and a tie the shipped briefing states too."""
    return {
        "format": 2,
        "pack": {
            "slug": "strait-2031",
            "title": "The Strait Closes",
            "author": "Ana Tester",
            "publisher": "Example Review",
            "published": "2031-06-01",
            "source_url": "https://example.org/strait",
            "pivot": "the closure",
        },
        "actors": [
            {
                "id": "erdogan",
                "name": "Recep Tayyip Erdoğan",
                "kind": "person",
                "aliases": aliases or [],
                "role": role,
            }
        ],
        "events": [
            {
                "id": "closure",
                "title": "Turkey closes the strait",
                "date": {
                    "precision": "day",
                    "text": "1 May 2031",
                    "start": "2031-05-01",
                    "end": "2031-05-01",
                },
                "actors": ["erdogan", "turkey"],
                "what": "Turkey closed the strait to warships.",
                "why": "It cut Russia's fleet in two.",
            }
        ],
        "leverage": [
            {
                "id": "strait-shift",
                "domain": "black-sea",
                "actor": "turkey",
                "over": "russia",
                "direction": "gained",
                "period": "after",
                "when": "since May 2031",
                "reasoning": "The closure split Russia's fleet.",
                "evidence": ["closure-card"],
            }
        ],
        "relations": [
            {
                "source": "erdogan",
                "target": "turkey",
                "kind": "part-of",
                "note": "Still Turkey's president in 2031",
                "evidence": ["closure-card"],
            }
        ],
        "cards": [
            {
                "id": "closure-card",
                "pack": "strait-2031",
                "section": 1,
                "title": "The closure",
                "summary": "Erdoğan closed the strait to Russian warships in May 2031.",
                "actors": ["erdogan", "turkey", "russia"],
                "events": ["closure"],
                "leverage": ["strait-shift"],
            }
        ],
    }


async def import_as(app: Core, data: dict[str, Any], guild: int = GUILD) -> str:
    known = await app.editor.known_ids(guild_id=guild)
    pack = parse_pack(yaml.safe_dump(data, allow_unicode=True), source="up.yaml", known=known)
    plan = await app.editor.plan_import(pack, guild_id=guild, is_owner=False, source="up.yaml")
    await app.editor.save(plan.changes, guild_id=guild, action="import", member_id=EDITOR)
    return plan.briefing


async def what_shipped_says(app: Core, guild: int) -> tuple[Any, ...]:
    """The shipped briefing's words about Erdoğan and Turkey, as a server reads them."""
    catalogue = app.catalogue
    shipped = await catalogue.pack(SHIPPED, guild_id=guild)
    erdogan = await catalogue.resolve_actor("erdogan", guild_id=guild)
    profile = await catalogue.actor_profile(erdogan, guild_id=guild)
    turkey = await catalogue.resolve_actor("turkey", guild_id=guild)
    views = await catalogue.leverage(guild_id=guild, actor=turkey, briefing=shipped)
    roles = [r for r in profile.roles if r.pack == SHIPPED]
    ties = [t.relation for t in profile.ties if t.pack == SHIPPED]
    return roles, ties, [v.shift for v in views]


@pytest.fixture
def app(store: CardStore) -> Core:
    return build_core(store)


async def test_a_second_briefing_never_changes_what_the_first_says(app: Core) -> None:
    before = await what_shipped_says(app, GUILD)
    shipped_rows = await rows_outside(app.catalogue.store, GUILD)
    slug = await import_as(app, strait_pack())
    assert slug == f"g{GUILD}-strait-2031"
    assert await rows_outside(app.catalogue.store, GUILD) == shipped_rows  # nothing global
    assert await what_shipped_says(app, GUILD) == before
    assert await what_shipped_says(app, OTHER) == before
    erdogan = await app.catalogue.resolve_actor("erdogan", guild_id=GUILD)
    profile = await app.catalogue.actor_profile(erdogan, guild_id=GUILD)
    assert [r.pack for r in profile.roles] == [slug, SHIPPED]  # newest first
    assert profile.roles[0].role == "The leader who closed the strait."
    assert erdogan.role == "The leader who closed the strait."  # the newest briefing's
    other = await app.catalogue.resolve_actor("erdogan", guild_id=OTHER)
    assert other.role is not None and other.role.startswith(SHIPPED_ROLE_START)
    assert [r.pack for r in (await app.catalogue.actor_profile(other, guild_id=OTHER)).roles] == [
        SHIPPED
    ]


async def test_a_host_load_of_a_second_global_briefing_keeps_the_first_ones_words(
    app: Core,
) -> None:
    before = await what_shipped_says(app, OTHER)
    await load_pack(app.catalogue.store, PackFile.model_validate(strait_pack()))
    assert await what_shipped_says(app, OTHER) == before
    briefings = [p.slug for p in await app.catalogue.briefings(OTHER)]
    assert briefings == ["strait-2031", SHIPPED]


async def test_new_names_for_a_shipped_actor_stay_in_that_servers_briefing(app: Core) -> None:
    await import_as(app, strait_pack(aliases=["the Reis"]))
    mine = await app.catalogue.resolve_actor("the Reis", guild_id=GUILD)
    assert mine.id == "erdogan" and "the Reis" in mine.aliases
    with pytest.raises(Exception, match="No actor"):
        await app.catalogue.resolve_actor("the Reis", guild_id=OTHER)
    stored = await app.catalogue.store.db.fetch_one(
        "SELECT json_extract(data, '$.aliases') FROM actors WHERE id = 'erdogan'"
    )
    assert stored is not None and "Reis" not in stored[0]


async def test_an_actor_named_by_name_is_matched_to_the_catalogue(app: Core) -> None:
    data = strait_pack()
    data["actors"][0]["id"] = "tayyip"  # the file's own id, but the catalogue's name
    for record in (data["events"][0], data["cards"][0]):
        record["actors"] = ["tayyip" if a == "erdogan" else a for a in record["actors"]]
    data["relations"][0]["source"] = "tayyip"
    await import_as(app, data)
    [card] = await app.catalogue.store.cards(guild_id=GUILD, pack=f"g{GUILD}-strait-2031")
    assert card.actors[0] == "erdogan"


async def test_ask_searches_every_briefing_and_names_each(app: Core) -> None:
    slug = await import_as(app, strait_pack())
    answer = await app.catalogue.ask("Who closed the strait to Russian warships?", guild_id=GUILD)
    assert answer.hits and answer.hits[0].citation.pack == slug
    assert answer.briefings[0] == "The Strait Closes"
    shipped = await app.catalogue.pack(SHIPPED, guild_id=GUILD)
    only = await app.catalogue.ask(
        "Who closed the strait to Russian warships?", guild_id=GUILD, briefing=shipped
    )
    assert all(h.citation.pack == SHIPPED for h in only.hits)
    elsewhere = await app.catalogue.ask(
        "Who closed the strait to Russian warships?", guild_id=OTHER
    )
    assert all(h.citation.pack == SHIPPED for h in elsewhere.hits)


async def test_the_timeline_merges_briefings_and_names_each(app: Core) -> None:
    slug = await import_as(app, strait_pack())
    erdogan = await app.catalogue.resolve_actor("erdogan", guild_id=GUILD)
    merged = await app.catalogue.timeline(guild_id=GUILD, actor=erdogan)
    dated = [e for e in merged if e.event.date.start is not None]
    assert dated[-1].event.id == f"g{GUILD}-closure"  # 2031, after every 2016-2024 event
    assert dated[-1].briefing == "The Strait Closes"
    shipped_title = (await app.catalogue.pack(SHIPPED, guild_id=GUILD)).title
    assert {e.briefing for e in merged if e is not dated[-1]} == {shipped_title}
    one = await app.catalogue.timeline(
        guild_id=GUILD, briefing=await app.catalogue.pack(slug, guild_id=GUILD)
    )
    assert [e.event.id for e in one] == [f"g{GUILD}-closure"]
    assert await app.catalogue.default_briefing(GUILD) is not None
    assert await app.catalogue.default_briefing(OTHER) is None  # one briefing: no choice


async def test_a_draft_briefings_records_wait_for_it(app: Core) -> None:
    data = strait_pack()
    data["pack"]["status"] = "draft"
    slug = await import_as(app, data)
    cards = await app.catalogue.store.cards(guild_id=GUILD, pack=slug, statuses=list(Status))
    assert [c.status for c in cards] == [Status.DRAFT]  # a draft briefing's cards are drafts
    assert [p.slug for p in await app.catalogue.briefings(GUILD)] == [SHIPPED]
    events = await app.catalogue.timeline(guild_id=GUILD)
    assert f"g{GUILD}-closure" not in [e.event.id for e in events]
    await app.desk.publish_briefing(slug, guild_id=GUILD, member=EDITOR)
    events = await app.catalogue.timeline(guild_id=GUILD)
    assert f"g{GUILD}-closure" in [e.event.id for e in events]


async def test_the_example_pack_validates_and_imports_as_a_servers_new_briefing(
    app: Core,
) -> None:
    known = await app.editor.known_ids(guild_id=GUILD)
    pack = parse_pack(EXAMPLE.read_text(encoding="utf-8"), source="example", known=known)
    plan = await app.editor.plan_import(pack, guild_id=GUILD, is_owner=False, source="example")
    assert plan.new_briefing is not None
    assert plan.new_briefing.slug == f"g{GUILD}-black-sea-grain-2031"
    assert sorted(plan.added) == [f"g{GUILD}-the-broker", f"g{GUILD}-the-deal"]
    await app.editor.save(plan.changes, guild_id=GUILD, action="import", member_id=EDITOR)
    answer = await app.catalogue.ask("Who keeps the grain moving?", guild_id=GUILD)
    assert answer.hits and answer.hits[0].citation.pack == plan.briefing
    assert [p.slug for p in await app.catalogue.briefings(OTHER)] == [SHIPPED]


# --- the property: whatever a server's file says of shared actors ----------------------

ROLES = st.text(st.characters(codec="utf-8", categories=["L", "Zs"]), min_size=1, max_size=40)
ALIASES = st.lists(st.sampled_from(["Erdogan", "the Reis", "Tayyip", "Sultan"]), unique=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "template.db"

    async def build() -> None:
        async with open_core(path):
            pass

    asyncio.run(build())
    return path


async def _import_then_compare(path: Path, data: dict[str, Any]) -> None:
    async with open_core(path, seed=False) as app:
        before = await what_shipped_says(app, OTHER)
        shipped_rows = await rows_outside(app.catalogue.store, GUILD)
        try:
            await import_as(app, data)
        except Exception as refused:  # a role no file may hold is refused whole
            assert "nothing was written" in str(refused)
        assert await rows_outside(app.catalogue.store, GUILD) == shipped_rows
        assert await what_shipped_says(app, OTHER) == before
        assert await what_shipped_says(app, GUILD) == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(role=ROLES, aliases=ALIASES, kind=st.sampled_from(["person", "state", "other"]))
def test_no_second_briefing_changes_the_first(
    template: Path, role: str, aliases: list[str], kind: str
) -> None:
    data = strait_pack(role=role.strip() or "x", aliases=aliases)
    data["actors"][0]["kind"] = kind
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.db"
        shutil.copy(template, path)
        asyncio.run(_import_then_compare(path, data))


async def test_a_servers_briefing_exports_and_imports_back_unchanged(app: Core) -> None:
    slug = await import_as(app, strait_pack(aliases=["the Reis"]))
    exported = await app.editor.export(slug, guild_id=GUILD, include_shipped=False)
    assert exported.pack.slug == slug and [a.id for a in exported.actors] == ["erdogan"]
    assert exported.actors[0].role == "The leader who closed the strait."
    again = parse_pack(
        dump_pack(exported), source="export.yaml", known=await app.editor.known_ids(guild_id=GUILD)
    )
    plan = await app.editor.plan_import(again, guild_id=GUILD, is_owner=False, source="x")
    assert plan.empty, plan.changes


async def test_a_file_cannot_choose_its_briefings_scope(app: Core) -> None:
    data = strait_pack()
    data["pack"]["guild_id"] = OTHER  # claimed in the file: the importer decides
    slug = await import_as(app, data)
    briefing = await app.desk.briefing(slug, guild_id=GUILD)
    assert briefing.guild_id == GUILD
    assert slug not in [p.slug for p in await app.catalogue.briefings(OTHER)]
