"""Charts: each image for the shipped pack and for awkward inputs, the cache, the CLI,
and a clear error when matplotlib is missing. Warnings are errors here (pyproject),
so a "Glyph missing" warning from an unusual name would fail these tests."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest

from briefings import charts
from briefings.briefing import Briefing
from briefings.charts import (
    ALT_TEXT_LIMIT,
    Chart,
    ChartCache,
    ChartUnavailable,
    chart_for,
    render_actor_map,
    render_leverage_chart,
    render_timeline_chart,
)
from briefings.errors import BriefingError
from briefings.labels import certainty_label
from briefings.models import (
    Actor,
    ActorKind,
    Certainty,
    Direction,
    Domain,
    Event,
    EventDate,
    LeverageShift,
    Period,
    Precision,
    Relation,
    RelationKind,
)
from briefings.results import LeverageView

REPO = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE_BUDGET = 300_000
"""Bytes: far under Discord's upload limit, quick to send from a phone connection."""

RUSSIAN = "Реджеп Тайип Эрдоган"
ARABIC = "رجب طيب أردوغان"
CHINESE = "习近平"
LONG = "The Extraordinarily Long-Named Interministerial Commission for Coordinating Everything"

pytestmark = pytest.mark.skipif(not charts.charts_available(), reason="matplotlib not installed")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def check(chart: Chart, *mentions: str) -> None:
    """Laid out for a phone: 520 layout px wide (drawn at 2x), portrait, never over
    about 2.5 widths tall."""
    assert png_size(chart.png) == (chart.width, chart.height)
    assert chart.width == 1040 and 0.75 * 1040 <= chart.height <= 2400
    assert 1_000 < len(chart.png) < SIZE_BUDGET
    assert chart.filename.endswith(".png")
    assert 0 < len(chart.alt_text) <= ALT_TEXT_LIMIT
    for text in mentions:
        assert text in chart.alt_text, (text, chart.alt_text)


# --- models for synthetic cases -------------------------------------------------------


def actor(ident: str, name: str | None = None) -> Actor:
    return Actor(id=ident, name=name or ident.title(), kind=ActorKind.STATE, role="A role.")


def shift(
    ident: str,
    subject: Actor,
    over: Actor,
    direction: Direction = Direction.GAINED,
    *,
    domain: Domain = Domain.SYRIA,
    period: Period = Period.AFTER,
    reasoning: str = "Because the article says so.",
) -> LeverageView:
    model = LeverageShift(
        id=ident,
        domain=domain,
        actor=subject.id,
        over=over.id,
        direction=direction,
        period=period,
        when="now",
        reasoning=reasoning,
        evidence=["card"],
    )
    return LeverageView(shift=model, actor=subject, over=over, evidence=[])


def event(ident: str, when: EventDate, title: str | None = None, **kw: object) -> Event:
    return Event(
        id=ident, title=title or f"Event {ident}", date=when, what="What.", why="Why.", **kw
    )


def on(day: date, precision: Precision = Precision.DAY, end: date | None = None) -> EventDate:
    return EventDate(precision=precision, text=f"{precision.value} text", start=day, end=end)


UNDATED = EventDate(precision=Precision.UNDATED, text="not dated in the article")


def tie(source: str, target: str, kind: RelationKind, period: Period | None = None) -> Relation:
    return Relation(
        source=source, target=target, kind=kind, note="A note.", evidence=["card"], period=period
    )


# --- the shipped pack -----------------------------------------------------------------


async def test_leverage_chart_for_the_shipped_pack(core: Briefing) -> None:
    chart = render_leverage_chart(await core.leverage(guild_id=None))
    check(chart, "Syria", "Black Sea", "South Caucasus", "Energy", "Diplomacy", "Economy")
    assert chart.filename == "leverage.png"
    assert "Ahead before Assad's fall: Russia in Syria" in chart.alt_text
    assert "Ahead after Assad's fall: Turkey in Syria" in chart.alt_text


async def test_an_actors_leverage_counts_as_its_profile_does(core: Briefing) -> None:
    from briefings.charts.leverage import GAIN_SIDE, build_rows

    turkey = await core.resolve_actor("Turkey", guild_id=None)
    views = await core.leverage(guild_id=None, actor=turkey)
    chart = render_leverage_chart(views, focus=turkey)
    check(chart, "Turkey's leverage", "gained over Russia", "(a common perception)")
    assert "United States" not in chart.alt_text  # the audit's invented shift is gone
    assert chart.filename == "leverage-turkey.png"
    units = [u for row in build_rows(views, turkey) for us in row.units.values() for u in us]
    profile = await core.actor_profile(turkey, guild_id=None)
    assert sum(u.mark in GAIN_SIDE for u in units) == len(profile.gained)
    assert sum(u.mark not in GAIN_SIDE for u in units) == len(profile.lost)


async def test_one_domain_only(core: Briefing) -> None:
    chart = render_leverage_chart(await core.leverage(guild_id=None, domain=Domain.ENERGY))
    check(chart, "1 domain: Energy", "Turkey gained over Russia (the author expects)")
    assert "Energy, not tied to Assad's fall" in chart.alt_text
    assert "Syria" not in chart.alt_text


async def test_timeline_for_the_shipped_pack(core: Briefing) -> None:
    entries = await core.timeline(guild_id=None)
    dated = sum(e.event.date.start is not None for e in entries)
    chart = render_timeline_chart(entries)
    check(chart, f"{len(entries)} events", f"{dated} dated", "Nov 2015", "2019–2020")
    assert "summer 2024" in chart.alt_text and "Undated, listed apart" in chart.alt_text
    # In timeline order: the call before the fall, the fall (approximate) before the report.
    said = chart.alt_text
    assert said.index("summer 2024: Putin calls") < said.index("(approx.): Assad's regime")
    assert said.index("(approx.): Assad's regime") < said.index("(approx.): CNN Türk")
    assert said.index("after Nov 2015: Russia imposes") < said.index("2016:")


async def test_actor_map_for_the_shipped_pack(core: Briefing) -> None:
    turkey = await core.resolve_actor("Turkey", guild_id=None)
    relations = await core.store.relations(guild_id=None)
    actors = (await core.snapshot(guild_id=None)).actors
    chart = render_actor_map(turkey, relations, actors, pivot=(await core.pack(None)).pivot)
    stated = [r for r in relations if turkey.id in (r.source, r.target)]
    check(
        chart,
        "Actor map of Turkey",
        "Turkey depends on Russia (not tied to Assad's fall; a common perception)",
        "Russia is a partner of Turkey (before Assad's fall)",
    )
    assert chart.alt_text.count(".") >= len(stated)  # every tie is said in words
    assert chart.filename == "actor-map-turkey.png"


# --- dates at their own precision -----------------------------------------------------


def test_dates_keep_the_precision_the_article_gives() -> None:
    from briefings.charts.timeline import short_date, span

    season = EventDate(precision=Precision.SEASON, text="this summer", start=date(2024, 6, 1))
    assert span(season) == (date(2024, 6, 1), date(2024, 8, 31))  # a season-long span
    assert short_date(season) == "summer 2024"
    years = on(date(2019, 1, 1), Precision.RANGE, date(2020, 12, 31))
    assert short_date(years) == "2019–2020"
    assert short_date(on(date(2015, 11, 1), Precision.MONTH, date(2015, 11, 30))) == "Nov 2015"
    assert short_date(on(date(2025, 1, 1))) == "1 Jan 2025"
    assert short_date(on(date(2016, 1, 1), Precision.YEAR, date(2016, 12, 31))) == "2016"


def test_timeline_labels_fit_their_column_and_keep_the_order() -> None:
    from briefings.charts.canvas import Sheet
    from briefings.charts.timeline import LABEL_PX, MARGIN, STRIP_W, rows_for

    rng = random.Random(3)
    events = [
        event(f"e{i}", on(date(2010, 1, 1) + timedelta(days=rng.randrange(4000))), title=LONG)
        for i in range(60)
    ]
    sheet = Sheet(520, 640)
    rows, loose = rows_for(sheet, events)
    room = 520 - 2 * MARGIN - STRIP_W - 10
    assert not loose and len(rows) == 60
    for row in rows:  # one row each, so no label meets another; none spills over
        assert 1 <= row.lines <= 2
        assert all(sheet.measure(line, LABEL_PX) <= room for line in row.text.split("\n"))
    starts = [r.event.date.start for r in rows]
    assert starts == sorted(starts)  # type: ignore[type-var]


def test_events_dated_against_others_are_placed_after_them() -> None:
    from briefings.charts.canvas import Sheet
    from briefings.charts.timeline import rows_for, when_label

    base = event("base", on(date(2015, 11, 1), Precision.MONTH, date(2015, 11, 30)))
    later = event("later", EventDate(precision=Precision.UNDATED, text="after", after="base"))
    during = event("with", EventDate(precision=Precision.UNDATED, text="then", during="later"))
    loose = event("loose", UNDATED)
    rows, rest = rows_for(Sheet(520, 640), [during, loose, later, base])
    assert [r.event.id for r in rows] == ["base", "later", "with"] and rest == [loose]
    assert [when_label(r.event, r.anchor, r.after) for r in rows] == [
        "Nov 2015",
        "after Nov 2015",
        "after Nov 2015",
    ]
    approx = EventDate(
        precision=Precision.RANGE,
        text="weeks ago",
        start=date(2024, 10, 24),
        end=date(2024, 12, 19),
        approximate=True,
    )
    assert when_label(event("a", approx), None, True) == "Oct–Dec 2024 (approx.)"
    check(render_timeline_chart([base, later, during, loose]), "placed only against another")


@pytest.mark.parametrize("certainty", list(Certainty))
def test_every_status_is_drawn_and_said(certainty: Certainty) -> None:
    russia, turkey = actor("russia"), actor("turkey")
    by = "CNN Türk" if certainty is Certainty.REPORTED else None
    view = shift("s", turkey, russia, period=Period.UNTIED)
    claim = view.shift.model_copy(update={"certainty": certainty, "reported_by": by})
    view = view.model_copy(update={"shift": claim})
    lev = render_leverage_chart([view])
    check(lev, "not tied to the pivot")
    said = {Certainty.FACT: "Turkey gained over Russia."}.get(certainty, "Turkey gained over")
    assert said in lev.alt_text
    tie_ = tie("turkey", "russia", RelationKind.DEPENDS_ON, Period.UNTIED).model_copy(
        update={"certainty": certainty, "reported_by": by}
    )
    amap = render_actor_map(turkey, [tie_], {"turkey": turkey, "russia": russia})
    check(amap, "Turkey depends on Russia (not tied to the pivot")
    if certainty is not Certainty.FACT:
        assert certainty_label(tie_) in amap.alt_text
    from briefings.charts.style import look, patch_style

    kinds = {look(c) for c in Certainty}
    assert len(kinds) == 4  # stated, reported, tentative, unknown: each drawn its own way
    styles = {str(sorted(patch_style("#000000", c).items())) for c in Certainty}
    assert len(styles) == 4


# --- awkward inputs -------------------------------------------------------------------


def test_one_event() -> None:
    chart = render_timeline_chart([event("only", on(date(2024, 5, 1)), title=LONG)])
    check(chart, "1 event, 1 dated and 0 undated", LONG)


def test_two_hundred_events() -> None:
    rng = random.Random(7)
    precisions = [p for p in Precision if p is not Precision.UNDATED]
    events = []
    for i in range(200):
        start = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        precision = rng.choice(precisions)
        end = None if precision is Precision.DAY else start + timedelta(days=rng.randrange(400))
        domains = rng.sample(list(Domain), rng.randint(0, 2))
        when = UNDATED if i % 7 == 0 else on(start, precision, end)
        events.append(
            event(
                f"e{i}", when, title=rng.choice([LONG, RUSSIAN, ARABIC, "Short"]), domains=domains
            )
        )
    chart = render_timeline_chart(events, title="Two hundred")
    check(chart, "Two hundred: 200 events, 171 dated and 29 undated", "more")


def test_undated_events_only_are_listed_not_placed() -> None:
    chart = render_timeline_chart([event(f"u{i}", UNDATED) for i in range(5)])
    check(chart, "5 events, 0 dated and 5 undated", "Undated, listed apart: Event u0")
    assert "run from" not in chart.alt_text  # no made-up dates


def test_empty_selections_draw_a_note() -> None:
    check(render_timeline_chart([]), "0 events")
    check(render_leverage_chart([]), "no leverage shifts")


def test_an_actor_without_relations_is_drawn_alone() -> None:
    loner = actor("loner", "Dimitar Bechev")
    chart = render_actor_map(loner, [tie("a", "b", RelationKind.ALLY)], {})
    check(chart, "Dimitar Bechev", "no relations are stated")


def test_unusual_names_render_without_warnings() -> None:
    focus = actor("focus", RUSSIAN)
    others = [actor("ar", ARABIC), actor("zh", CHINESE), actor("long", LONG), actor("cash", "$x$")]
    names = {a.id: a for a in [focus, *others]}
    ties = [tie("focus", a.id, kind) for a, kind in zip(others, RelationKind, strict=False)]
    ties.append(tie("ar", "focus", RelationKind.DEPENDS_ON, Period.BEFORE))
    check(render_actor_map(focus, ties, names), RUSSIAN, ARABIC, CHINESE, LONG, "$x$")
    views = [shift(f"s{i}", focus, other) for i, other in enumerate(others)]
    check(render_leverage_chart(views), RUSSIAN, ARABIC)
    check(render_leverage_chart(views, focus=others[0]), ARABIC)
    titles = [event(f"e{i}", on(date(2020, i + 1, 1)), title=a.name) for i, a in enumerate(others)]
    check(render_timeline_chart(titles, title=f"Timeline: {ARABIC}"), CHINESE)


def test_a_crowded_map_shows_every_kind_and_counts_the_rest() -> None:
    focus = actor("focus")
    crowd = [actor(f"n{i}", f"Neighbour {i}") for i in range(30)]
    kinds = list(RelationKind)
    ties = [tie("focus", a.id, kinds[i % len(kinds)]) for i, a in enumerate(crowd)]
    chart = render_actor_map(focus, ties, {a.id: a for a in [focus, *crowd]})
    check(chart, "30 actors tied to it")
    assert "not drawn" in chart.alt_text or chart.alt_text.endswith("…")


def test_many_leverage_rows_are_trimmed_not_squeezed() -> None:
    people = [actor(f"p{i}", f"Person {i}") for i in range(40)]
    views = [
        shift(f"s{i}", people[i], people[(i + 1) % 40], domain=list(Domain)[i % 6])
        for i in range(40)
    ]
    check(render_leverage_chart(views), "further actor row")


def test_a_chart_has_type_that_stays_readable_on_a_phone() -> None:
    """The smallest text drawn, shown 400 px wide, is at least 11 px high."""
    from briefings.charts import canvas

    sizes: list[float] = []
    real = canvas.text_style

    def spy(s: str, px: float, **kw: object) -> dict[str, object]:
        sizes.append(px)
        return real(s, px, **kw)  # type: ignore[arg-type]

    canvas_text = canvas.text_style
    try:
        canvas.text_style = spy  # type: ignore[assignment]
        render_timeline_chart([event("a", on(date(2020, 1, 1)))])
    finally:
        canvas.text_style = canvas_text  # type: ignore[assignment]
    assert sizes and min(sizes) * 400 / 520 >= 10.5


# --- cache ----------------------------------------------------------------------------


def test_cache_serves_unchanged_inputs_and_redraws_changed_ones() -> None:
    russia, turkey = actor("russia"), actor("turkey")
    views = [shift("s", turkey, russia)]
    cache = ChartCache(max_entries=8)
    first = cache.leverage(views)
    again = cache.leverage([shift("s", turkey, russia)])  # equal content, new objects
    assert again.png == first.png and (cache.hits, cache.misses) == (1, 1)

    reasoned = cache.leverage([shift("s", turkey, russia, reasoning="A new reading.")])
    assert cache.misses == 2  # not drawn differently, but not served stale either
    assert reasoned.png == first.png
    turned = cache.leverage([shift("s", turkey, russia, Direction.LOST)])
    assert cache.misses == 3 and turned.png != first.png
    assert cache.leverage(views, focus=turkey).png != first.png  # focus is part of the key


def test_cache_is_bounded_and_keys_include_size_and_kind() -> None:
    cache = ChartCache(max_entries=2)
    events = [event(f"e{i}", on(date(2020, 1, i + 1))) for i in range(3)]
    for i in range(3):
        cache.timeline(events[: i + 1])
    assert len(cache) == 2
    cache.timeline(events[:1])  # evicted first, so drawn again
    assert (cache.hits, cache.misses) == (0, 4)
    key = charts.chart_key
    assert key("timeline", (520, 640), events) != key("timeline", (600, 700), events)
    assert key("timeline", (520, 640), events) != key("leverage", (520, 640), events)


def test_actor_map_key_ignores_ties_elsewhere() -> None:
    focus, other, far = actor("focus"), actor("other"), actor("far")
    names = {a.id: a for a in (focus, other, far)}
    cache = ChartCache()
    near = tie("focus", "other", RelationKind.ALLY)
    cache.actor_map(focus, [near], names)
    cache.actor_map(focus, [near, tie("other", "far", RelationKind.RIVAL)], names)
    assert (cache.hits, cache.misses) == (1, 1)


def test_renders_from_several_threads_agree() -> None:
    events = [event(f"e{i}", on(date(2020, 1, 1) + timedelta(days=40 * i))) for i in range(12)]
    alone = render_timeline_chart(events).png
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_timeline_chart(events).png, range(6)))
    assert all(png == alone for png in results)


async def test_chart_for_gathers_and_draws_off_the_loop(core: Briefing) -> None:
    cache = ChartCache()
    ankara = await core.resolve_actor("Ankara", guild_id=None)
    chart = await chart_for(core, "actor", guild_id=None, actor=ankara, cache=cache)
    check(chart, "Actor map of Turkey")
    timeline = await chart_for(core, "timeline", guild_id=None, domain=Domain.ENERGY)
    check(timeline, "Timeline: Energy", "2 events")
    with pytest.raises(BriefingError, match="needs an actor"):
        await chart_for(core, "actor", guild_id=None)
    assert cache.misses == 1


# --- without matplotlib ---------------------------------------------------------------


async def test_without_matplotlib_rendering_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, core: Briefing
) -> None:
    def missing() -> object:
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(charts, "_import_matplotlib", missing)
    assert not charts.charts_available()
    renders: list[Callable[[], Chart]] = [
        lambda: render_leverage_chart([]),
        lambda: render_timeline_chart([]),
        lambda: render_actor_map(actor("a"), [], {}),
    ]
    for render in renders:
        with pytest.raises(ChartUnavailable, match=r"matplotlib.*briefing-bot\[charts\]"):
            render()
    with pytest.raises(ChartUnavailable):
        await chart_for(core, "timeline", guild_id=None)
    assert issubclass(ChartUnavailable, BriefingError)  # the CLI and bot show its text


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "b.db")}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_importing_charts_does_not_load_matplotlib_and_survives_its_absence(
    tmp_path: Path,
) -> None:
    lazy = run_python("import sys, briefings.charts; print('matplotlib' in sys.modules)", tmp_path)
    assert lazy.stdout.strip() == "False", lazy.stderr
    blocked = run_python(
        "import sys; sys.modules['matplotlib'] = None\n"  # makes `import matplotlib` fail
        "from briefings.cli import main\n"
        "sys.exit(main(['chart', 'timeline', '--out', 'never.png']))",
        tmp_path,
    )
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("error: Charts need matplotlib"), blocked.stderr
    assert "Traceback" not in blocked.stderr


# --- CLI ------------------------------------------------------------------------------


def test_cli_writes_the_png_and_prints_its_alt_text(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    env = {**os.environ}
    env.pop("DISCORD_TOKEN", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefings",
            "--db",
            str(tmp_path / "b.db"),
            "chart",
            "timeline",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert png_size(out.read_bytes())[0] == 1040
    assert "Timeline of the briefing" in result.stdout
    assert f"{out.stat().st_size:,} bytes" in result.stdout


def test_missing_glyph_warnings_are_kept_quiet_without_the_fallback_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefings.charts import canvas

    monkeypatch.setattr(canvas, "_FALLBACK", "No Such Font")
    canvas._families.cache_clear()
    canvas.font.cache_clear()
    try:  # CJK now has no font at all: matplotlib warns per glyph unless silenced
        check(render_actor_map(actor("zh", CHINESE), [], {}), CHINESE)
    finally:
        canvas._families.cache_clear()
        canvas.font.cache_clear()


def test_sizes_outside_the_layout_are_refused() -> None:
    with pytest.raises(ValueError, match="480x560"):
        render_timeline_chart([], size=(400, 300))
