"""What editors see: previews, import plans, problems and history."""

from __future__ import annotations

from bot import limits
from bot.render.base import COLOUR_WARN, Page, described_pages, embed, one_per_page
from briefings.editing import ImportPlan
from briefings.errors import FieldProblem
from briefings.models import Card
from briefings.results import Revision


def card_preview(card: Card, actor_names: dict[str, str], note: str) -> Page:
    preview = embed(f"{card.section}. {card.title}", card.summary)
    names = ", ".join(actor_names.get(a, a) for a in card.actors) or "none"
    preview.add_field(name="Actors", value=limits.clip(names, limits.EMBED_FIELD_VALUE))
    preview.add_field(name="Tags", value=" ".join(f"`{t}`" for t in card.tags) or "none")
    preview.add_field(name="Status", value=f"{card.status.value}, version {card.version}")
    preview.set_footer(text=limits.clip(f"{card.pack} · {card.id}", limits.EMBED_FOOTER))
    return Page(embeds=[preview], content=note)


def problems(items: list[FieldProblem], *, title: str = "Nothing was written") -> list[Page]:
    """Every problem up to PROBLEMS_SHOWN (a hostile file can hold tens of thousands), then
    how many more there are."""
    lines = [f"• **{p.item}** · `{p.field}`: {p.problem}" for p in items[: limits.PROBLEMS_SHOWN]]
    if len(items) > limits.PROBLEMS_SHOWN:
        lines.append(f"… and {len(items) - limits.PROBLEMS_SHOWN:,} more")
    header = f"{len(items):,} problem(s) found. Fix them and try again."
    pages = described_pages(title, lines, header=header)
    for page in pages:
        page.colour = COLOUR_WARN
    return one_per_page(pages)


def import_plan(plan: ImportPlan, filename: str) -> list[Page]:
    sections = [
        ("Will add", plan.added),
        ("Will update", plan.updated),
        ("Unchanged", plan.unchanged),
    ]
    lines = []
    for name, ids in sections:
        lines.append(f"**{name} ({len(ids)})**")
        lines += [f"• `{card_id}`" for card_id in ids[:200]]
        if len(ids) > 200:
            lines.append(f"… and {len(ids) - 200} more")
    catalogue = plan.changes
    lines.append(
        f"Catalogue: {len(catalogue.actors)} actors, {len(catalogue.events)} events, "
        f"{len(catalogue.shifts)} leverage shifts to write."
    )
    header = f"Dry run of `{limits.clip(filename, 80)}`: nothing is written until you confirm."
    return one_per_page(described_pages("Import plan", lines, header=header))


def history(card_id: str, revisions: list[Revision]) -> list[Page]:
    lines = []
    for rev in revisions:
        who = f"<@{rev.member_id}>" if rev.member_id else "pack file"
        when = f"<t:{int(rev.at.timestamp())}:f>"
        lines.append(f"**v{rev.version} · {rev.action}** by {who}, {when}")
        lines += [f"  {d}" for d in _diff(rev.before, rev.after)]
    if not lines:
        lines = ["No revisions recorded."]
    return one_per_page(described_pages(f"History of {card_id}", lines))


def _diff(before: Card | None, after: Card) -> list[str]:
    if before is None:
        return [f"created as {after.status.value}: “{limits.clip(after.title, 80)}”"]
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    changed = after.changed_fields(before)
    return [
        f"`{k}`: {limits.clip(str(old.get(k)), 80)} → {limits.clip(str(new[k]), 80)}"
        for k in changed
    ] or ["no field changed"]
