"""What editors see: previews, import plans, problems and history."""

from __future__ import annotations

from bot import limits, strings
from bot.render.base import COLOUR_WARN, Page, described_pages, embed, one_per_page, plural
from bot.render.briefing import tag_words
from bot.render.diff import card_diff
from briefings.editing import FORM_SOURCE, ImportPlan
from briefings.errors import FieldProblem
from briefings.models import Card
from briefings.results import Revision


def card_preview(card: Card, actor_names: dict[str, str], note: str) -> Page:
    preview = embed(f"{card.section}. {card.title}", card.summary)
    names = ", ".join(actor_names.get(a, a) for a in card.actors) or "none"
    preview.add_field(name="Actors", value=limits.clip(names, limits.EMBED_FIELD_VALUE))
    preview.add_field(name="Tags", value=tag_words(card.tags) or "none")
    preview.add_field(
        name="Status", value=f"{card.status.value.capitalize()}, version {card.version}"
    )
    preview.set_footer(text=limits.clip(strings.CARD_ID.format(id=card.id), limits.EMBED_FOOTER))
    return Page(embeds=[preview], content=note)


def problems(items: list[FieldProblem], *, title: str = "Nothing was written") -> list[Page]:
    """Every problem up to PROBLEMS_SHOWN (a hostile file can hold tens of thousands), then
    how many more there are."""
    lines = [problem_line(p) for p in items[: limits.PROBLEMS_SHOWN]]
    if len(items) > limits.PROBLEMS_SHOWN:
        lines.append(f"… and {len(items) - limits.PROBLEMS_SHOWN:,} more")
    header = strings.PROBLEMS_FOUND.format(problems=plural(len(items), "problem"))
    pages = described_pages(title, lines, header=header, screen=False)
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
    new = plan.new_briefing
    if new is not None:  # a new slug: the file starts a briefing of this server
        header += "\n" + strings.IMPORT_NEW_BRIEFING.format(title=new.title, slug=new.slug)
    return one_per_page(described_pages("Import plan", lines, header=header, screen=False))


def problem_line(p: FieldProblem) -> str:
    """A form's problem names the field as the form labels it; a file's, the record too."""
    if p.source == FORM_SOURCE:
        return f"• **{strings.FORM_FIELDS.get(p.field, p.field.capitalize())}**: {p.problem}"
    return f"• **{p.item}** · `{p.field}`: {p.problem}"


def history(card_id: str, revisions: list[Revision]) -> list[Page]:
    lines = []
    for rev in revisions:
        who = f"<@{rev.member_id}>" if rev.member_id else "the pack file"
        when = f"<t:{int(rev.at.timestamp())}:f>"
        lines.append(f"**v{rev.version} · {rev.action}** by {who}, {when}")
        lines += [f"> {d}" for d in card_diff(rev.before, rev.after)]
    if not lines:
        lines = [strings.NO_REVISIONS]
    title = revisions[-1].after.title if revisions else card_id
    pages = described_pages(strings.HISTORY_TITLE.format(title=limits.clip(title, 200)), lines)
    for page in pages:
        page.set_footer(text=strings.CARD_ID.format(id=card_id))
    return one_per_page(pages)
