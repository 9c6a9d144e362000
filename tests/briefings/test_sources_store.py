"""Sources on a real store: attach, replace, scope, refusals that write nothing, and the
quote and anchor checks (and the lint's warnings) they drive on every save and import."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from briefings.app import Core, build_core
from briefings.desk import BriefingDraft
from briefings.editing import CardDraft
from briefings.errors import InvalidPack, NotFound
from briefings.models import PackFile, Quote, Status
from briefings.sources.errors import SourceRefused
from briefings.sources.limits import FetchLimits
from briefings.sources.model import digest
from briefings.store import CardStore
from tests.briefings.source_article import MARKDOWN, TITLE
from tests.briefings.source_server import SourceServer, serving
from tests.briefings.test_sources_draft import SEEDS
from tests.conftest import ARTICLE

pytestmark = pytest.mark.both_backends  # the store suite runs on SQLite and PostgreSQL

GUILD, OTHER, EDITOR = 111, 222, 1001
PACK = "bechev-syria-russia-turkey-2024"


@pytest.fixture
def app(store: CardStore) -> Core:
    return build_core(store)


@pytest.fixture
async def server() -> AsyncIterator[SourceServer]:
    async with serving() as running:
        yield running


async def attach(app: Core, text: str = MARKDOWN, name: str = "article.md") -> None:
    await app.sources.attach_file(PACK, text.encode(), name, guild_id=GUILD, member_id=EDITOR)


async def test_a_file_is_stored_for_its_pack_and_server_only(app: Core) -> None:
    attached = await app.sources.attach_file(
        PACK, MARKDOWN.encode(), "article.md", guild_id=GUILD, member_id=EDITOR
    )
    assert attached.replaced is None
    stored = await app.sources.source(PACK, guild_id=GUILD)
    assert stored is not None and stored.title == TITLE and stored.kind == "file"
    assert stored.sha256 == digest(MARKDOWN.strip()) and stored.attached_by == EDITOR
    assert await app.sources.source(PACK, guild_id=OTHER) is None  # another server: nothing
    with pytest.raises(NotFound):
        await app.sources.overview(PACK, guild_id=OTHER)


async def test_attaching_lists_the_cards_quotes_and_anchors_the_source_lacks(
    app: Core,
) -> None:
    attached = await app.sources.attach_file(
        PACK, MARKDOWN.encode(), "article.md", guild_id=GUILD, member_id=EDITOR
    )
    fields = {p.field for p in attached.mismatches}
    assert "anchor" in fields and "quotes.0.text" in fields  # the shipped cards' own article


async def test_the_shipped_article_matches_every_shipped_quote_and_anchor(app: Core) -> None:
    path = next((p for p in SEEDS if p.exists()), None)
    if path is None:
        pytest.skip(f"the shipped article is not here ({ARTICLE.name} in none of {SEEDS})")
    attached = await app.sources.attach_file(
        PACK, path.read_bytes(), "bechev.md", guild_id=GUILD, member_id=EDITOR
    )
    assert attached.mismatches == []


async def test_reattaching_replaces_the_source_and_keeps_a_record_of_the_old_one(
    app: Core,
) -> None:
    await attach(app)
    newer = MARKDOWN.replace("2.4 million", "2.5 million")
    second = await app.sources.attach_file(
        PACK, newer.encode(), "v2.md", guild_id=GUILD, member_id=EDITOR + 1
    )
    assert second.replaced is not None and second.replaced.location == "article.md"
    current = await app.sources.source(PACK, guild_id=GUILD)
    assert current is not None and "2.5 million" in current.text
    overview = await app.sources.overview(PACK, guild_id=GUILD)
    assert [r.sha256 for r in overview.replaced] == [digest(MARKDOWN.strip())]
    assert overview.replaced[0].replaced_by == EDITOR + 1


async def test_the_overview_gives_length_sections_and_first_lines_never_the_text(
    app: Core,
) -> None:
    await attach(app)
    overview = await app.sources.overview(PACK, guild_id=GUILD)
    assert overview.sections == 2 and overview.by_headings
    assert overview.characters == len(MARKDOWN.strip())
    assert overview.first_lines == (f"# {TITLE}", "By Test Writer", "## The corridor")


async def test_hostile_files_are_refused_and_leave_the_stored_source_alone(app: Core) -> None:
    await attach(app)
    hostile = [
        (b"\x00\x01\x02garbage\xc3" * 50, "a.txt"),
        ("Café ".encode("latin-1") * 100, "latin.md"),
        (b"%PDF-1.7" + b"x" * 500, "article.pdf"),
        (b"a" * (2 * 1024 * 1024 + 1), "huge.txt"),
        (b"<script>alert(1)</script>", "page.html"),
    ]
    for raw, name in hostile:
        with pytest.raises(SourceRefused):
            await app.sources.attach_file(PACK, raw, name, guild_id=GUILD, member_id=EDITOR)
    stored = await app.sources.source(PACK, guild_id=GUILD)
    assert stored is not None and stored.location == "article.md"
    assert (await app.sources.overview(PACK, guild_id=GUILD)).replaced == ()


async def test_an_unknown_briefing_gets_no_source(app: Core) -> None:
    with pytest.raises(NotFound):
        await app.sources.attach_file(
            "no-such-pack", MARKDOWN.encode(), "a.md", guild_id=GUILD, member_id=EDITOR
        )


async def test_a_url_is_fetched_and_stored_with_where_it_came_from(
    app: Core, server: SourceServer
) -> None:
    app.sources.fetch_limits = FetchLimits(allow_loopback=True)
    attached = await app.sources.attach_url(
        PACK, server.url("/moved"), guild_id=GUILD, member_id=EDITOR
    )
    assert attached.source.kind == "url" and attached.source.location.endswith("/article.html")
    assert "secretScript" not in attached.source.text and attached.source.title == TITLE


async def test_a_private_url_is_refused_without_the_test_setting(
    app: Core, server: SourceServer
) -> None:
    with pytest.raises(SourceRefused) as refused:
        await app.sources.attach_url(
            PACK, server.url("/article.html"), guild_id=GUILD, member_id=EDITOR
        )
    assert refused.value.reason == "address"
    assert await app.sources.source(PACK, guild_id=GUILD) is None and server.hits == {}


# --- the checks on save and import -------------------------------------------------------


def form(**overrides: str) -> CardDraft:
    fields = {
        "pack": PACK,
        "title": "The corridor reopens",
        "section": "40",
        "summary": "Ankara reopened the grain corridor after talks with Moscow.",
        "actors": "Ankara",
        "tags": "",
    }
    return CardDraft.from_form(**(fields | overrides))


async def save_card(app: Core, *, quote: str | None = None, anchor: str | None = None) -> list[str]:
    changes = await app.editor.prepare_new(form(), guild_id=GUILD, member_id=EDITOR)
    card = changes.cards[0][1]
    update: dict[str, object] = {"anchor": anchor}
    if quote is not None:
        update["quotes"] = [Quote(text=quote, attribution="Olena Marchenko")]
    changes.cards[0] = (None, card.model_copy(update=update))
    warnings = await app.editor.save(changes, guild_id=GUILD, action="add", member_id=EDITOR)
    return [str(w) for w in warnings]


async def test_with_a_source_a_quote_not_in_it_refuses_the_save_naming_card_and_quote(
    app: Core,
) -> None:
    await attach(app)
    with pytest.raises(InvalidPack) as refused:
        await save_card(app, quote="The sea is closed for business")
    (problem,) = refused.value.problems
    assert problem.field == "quotes.0.text" and "g111-the-corridor-reopens" in problem.item
    assert "'The sea is closed for business' does not occur in the article" in problem.problem
    cards = await app.editor.manageable("corridor reopens", guild_id=GUILD, is_owner=False, limit=5)
    assert cards == []  # nothing was written


async def test_with_a_source_an_anchor_not_in_it_refuses_the_save(app: Core) -> None:
    await attach(app)
    with pytest.raises(InvalidPack) as refused:
        await save_card(app, anchor="Ankara closed the corridor")
    assert [p.field for p in refused.value.problems] == ["anchor"]


async def test_verbatim_quotes_and_anchors_save_and_the_lint_warns_of_invented_words(
    app: Core,
) -> None:
    await attach(app)
    warnings = await save_card(
        app, quote="The sea is open for business", anchor="Ankara reopened the grain corridor"
    )
    assert any("invented name 'Moscow'" in w and w.endswith("(warning)") for w in warnings)
    saved = await app.editor.manageable("corridor reopens", guild_id=GUILD, is_owner=False, limit=5)
    assert [c.quotes[0].text for c in saved] == ["The sea is open for business"]


async def test_without_a_source_or_in_another_server_nothing_is_checked(app: Core) -> None:
    await app.sources.attach_file(PACK, MARKDOWN.encode(), "a.md", guild_id=OTHER, member_id=EDITOR)
    assert await save_card(app, quote="Words nobody wrote") == []


async def test_an_import_is_checked_against_the_source_before_anything_is_written(
    app: Core,
) -> None:
    await attach(app)
    pack = PackFile.model_validate(
        {
            "pack": (await app.catalogue.pack(PACK)).model_dump(mode="json"),
            "cards": [
                {
                    "id": "corridor",
                    "pack": PACK,
                    "section": 41,
                    "title": "The corridor",
                    "summary": "Ankara reopened the grain corridor.",
                    "anchor": "Ankara reopened the grain corridor",
                    "quotes": [{"text": "We pay what we like", "attribution": "Erdoğan"}],
                }
            ],
        }
    )
    with pytest.raises(InvalidPack) as refused:
        await app.editor.plan_import(pack, guild_id=GUILD, is_owner=False, source="ours.yaml")
    assert [(p.source, p.item, p.field) for p in refused.value.problems] == [
        ("ours.yaml", "card 1 (corridor)", "quotes.0.text")
    ]
    fixed = pack.model_copy(
        update={
            "cards": [
                pack.cards[0].model_copy(
                    update={"quotes": [Quote(text="We pay what is fair", attribution="Erdoğan")]}
                )
            ]
        }
    )
    plan = await app.editor.plan_import(fixed, guild_id=GUILD, is_owner=False, source="ours.yaml")
    assert plan.added == ["g111-corridor"]
    assert [w for w in plan.warnings if w.problem.item != "pack"] == []  # the card is faithful


# --- draft cards in a server's own new briefing -----------------------------------------


async def new_briefing(app: Core, guild: int = GUILD) -> str:
    form = BriefingDraft.from_form(
        title=TITLE,
        author="Test Writer",
        publisher="Example Review",
        published="2025-03-10",
        source_url="https://example.org/grain",
    )
    made = await app.desk.create_briefing(form, guild_id=guild, member=EDITOR)
    return made.slug


async def test_a_draft_becomes_draft_cards_of_the_servers_new_briefing(app: Core) -> None:
    slug = await new_briefing(app)
    await app.sources.attach_file(
        slug, MARKDOWN.encode(), "grain.md", guild_id=GUILD, member_id=EDITOR
    )
    proposed = await app.sources.draft(slug, guild_id=GUILD)
    made = await app.sources.create_drafts(slug, proposed, guild_id=GUILD, member_id=EDITOR)
    assert made.ids == ["g111-the-corridor", "g111-the-gas-bargain"]
    assert "Olena Marchenko" in made.new_names
    cards = [await app.editor.card(i, guild_id=GUILD) for i in made.ids]
    assert [(c.section, c.status, c.summary, c.key_points, c.bottom_line) for c in cards if c] == [
        (1, Status.DRAFT, "", [], None),
        (2, Status.DRAFT, "", [], None),
    ]
    first = cards[0]
    assert first is not None and {"turkey", "russia"} <= set(first.actors)
    assert not any("olena" in a for a in first.actors)  # a new name is listed, not created
    snapshot = await app.catalogue.snapshot(guild_id=GUILD)
    assert not any(a.name == "Olena Marchenko" for a in snapshot.actors.values())
    with pytest.raises(InvalidPack) as refused:  # a draft's summary is the editor's to write
        await app.desk.publish_briefing(slug, guild_id=GUILD, member=EDITOR)
    assert {p.field for p in refused.value.problems} == {"summary"}


async def test_drafting_again_numbers_after_the_last_section_and_never_reuses_ids(
    app: Core,
) -> None:
    slug = await new_briefing(app)
    await app.sources.attach_file(slug, MARKDOWN.encode(), "a.md", guild_id=GUILD, member_id=1)
    proposed = await app.sources.draft(slug, guild_id=GUILD)
    await app.sources.create_drafts(slug, proposed, guild_id=GUILD, member_id=EDITOR)
    again = await app.sources.create_drafts(slug, proposed, guild_id=GUILD, member_id=EDITOR)
    assert again.ids == ["g111-the-corridor-2", "g111-the-gas-bargain-2"]
    card = await app.editor.card(again.ids[0], guild_id=GUILD)
    assert card is not None and card.section == 3


async def test_another_servers_briefing_takes_no_source_from_here(app: Core) -> None:
    slug = await new_briefing(app, guild=OTHER)
    with pytest.raises(NotFound):
        await app.sources.attach_file(
            slug, MARKDOWN.encode(), "a.md", guild_id=GUILD, member_id=EDITOR
        )
    with pytest.raises(NotFound):
        await app.sources.draft(slug, guild_id=GUILD)
