"""What editors read: the card forms in steps, /briefing-admin and /source (members' and
subscribers' strings are in `bot/strings.py`)."""

from __future__ import annotations

# --- card forms in steps (ed: bot/views/card_steps.py, bot/render/admin.py) ---------------
EDIT_TEXT = "Edit text"
EDIT_POINTS = "Edit key points & quotes"
EDIT_AS_FILE = "Edit as file"
POINTS_FORM_HELP = (
    "**Key points**, one per line. A line is read with the status picked below unless it "
    "ends with its own: `[fact]`, `[judgement]`, `[forecast]`, `[perception]`, `[hedged]` "
    "or `[reported by CNN Türk]`.\n"
    '**Quotes**, one per line: `"the words, as written" — who said them` (25 words at most).'
)
POINTS_FORM_LABELS = {
    "bottom_line": ("Bottom line", "The section's point in one sentence, in your words"),
    "key_points": ("Key points (one per line)", "End a line with [judgement], [reported by X]…"),
    "quotes": ("Quotes (one per line)", '"the words" — who said them'),
    "certainty": ("Status of lines without a [marker]", "How sure the article is of them"),
}
BOTTOM_LINE_HINT = "Ankara now holds the upper hand over Moscow in Syria."
KEY_POINTS_HINT = "Turkey gains leverage over Russia\nRussia may lose its bases [forecast]"
QUOTES_HINT = '"the upper hand" — Dimitar Bechev'
CERTAINTY_LABELS = {
    "fact": "Fact",
    "judgement": "Judgement",
    "forecast": "Forecast",
    "perception": "Perception",
    "hedged": "Hedged",
    "unknown": "Not stated",
}
CERTAINTY_HINTS = {
    "fact": "The author states it",
    "judgement": "The author's own assessment",
    "forecast": "What the author expects, or says could happen",
    "perception": "How something is often seen",
    "hedged": "Said with a hedge: may, appears, might",
    "unknown": "Nothing says how sure it is",
}
CARD_STEP_NOTE = (
    "Preview: nothing is saved until you choose. Add key points and quotes with "
    "**Edit key points & quotes**."
)
CARD_SAVED_NOTE = "Saved (version {version}). Change more below, or leave it as it is."
CARD_FILE_NOTE = (
    "“{title}” as a pack file, with the events, leverage shifts, ties and actors it names. "
    "Edit it (dates and their precision, certainty, aliases…), then attach it to "
    "`/card import`: you get a dry run first, and nothing is written until you confirm."
)
CARD_FILE_ARCHIVED = "“{title}” is archived, so it is not exported: `/card restore` it first."
REPLACE_FROM_FILE = "Replace from file"
FILE_FORM_HELP = (
    "Attach the card's file (from **Edit as file** or `/card export card:`) once you have "
    "edited it. You get a dry run of what it changes first; nothing is written until you "
    "press **Import**."
)
FILE_FORM_LABEL = ("Pack file (YAML or JSON, at most 1 MB)", "The card and what it names")
FILE_FORM_EMPTY = "No file was attached, so nothing changed."
CARD_STEP_DONE = "Preview: nothing is saved until you choose."

# --- /briefing-admin (ed: bot/cogs/briefing_admin.py, bot/views/briefing_forms.py) ---------
BRIEFING_EDIT_BASICS = "Edit title, author, date…"
BRIEFING_MORE = "More details"
BRIEFING_NEW_TITLE = "New briefing"
BRIEFING_MORE_TITLE = "More about: {title}"
BRIEFING_PREVIEW_NOTE = (
    "Preview: nothing is saved until you press **Create draft**. Add the original publisher, "
    "the bottom line and the pivot with **More details**."
)
BRIEFING_CREATED = (
    "Created **{title}** as a draft: only this server's editors see it. Add its cards with "
    "`/card add` (pick it as `pack`), then publish it with `/briefing-admin publish`."
)
BRIEFING_CANCELLED = "Cancelled: no briefing was created."
BRIEFING_SAVED = "Saved (version {version}). Change more below, or leave it as it is."
BRIEFING_STALE = (
    "This briefing changed while you were editing it (now version {version}). Nothing was "
    "overwritten; here it is as it is now. Run `/briefing-admin edit` again to change it."
)
BRIEFING_NOT_HERE = "No briefing `{slug}` here. Pick one from the suggestions."
BRIEFING_SHIPPED = "“{title}” is a global briefing; only the bot's owners can change it."
BRIEFING_PUBLISH_ASK = (
    "Publish **{title}**? Members of this server will see it, and its {cards} are published "
    "with it. If one is not ready (no summary yet), nothing is published and you are told which."
)
BRIEFING_PUBLISH_ASK_NO_CARDS = (
    "Publish **{title}**? Members of this server will see it. It has no draft cards yet: add "
    "them with `/card add` first, or publish them later one by one."
)
BRIEFING_PUBLISH = "Publish"
BRIEFING_PUBLISHED = "Published **{title}**: members of this server can now read it."
BRIEFING_PUBLISHED_CARDS = "Published with it: {cards}."
BRIEFING_NOT_PUBLISHED = "Not published: nothing was changed."
BRIEFING_OWNERS_ONLY = "Only the bot's owners can make a briefing global."
BRIEFING_MADE_GLOBAL = "**{title}** is now global: every server sees it."
BRIEFING_LIST_TITLE = "This server's briefings"
BRIEFING_LIST_EMPTY = "No briefings yet. Start one with `/briefing-admin new`."
BRIEFING_LIST_LINE = "{mark} **{title}** · {status}\n{byline}\n"
BRIEFING_MARKS = {"draft": "📝", "published": "✅", "global": "🌐"}
BRIEFING_GONE = "This briefing was removed while you were editing it."
BRIEFING_NOT_READY = "Draft cards not ready to publish"

# --- /source: a briefing's article, and drafts from it (src: bot/cogs/sources.py) --------
SOURCE_REFUSED = {
    "too-large": "That source is too big: the limit is {limit:,} bytes (2 MB).",
    "too-long": "That source's text is over {limit:,} characters: attach the article alone.",
    "too-short": (
        "I found no readable article in it (under {limit} characters of text). If it is a "
        "page that needs a login or scripts to show its text, attach the article as a file."
    ),
    "file-type": (
        "`{name}` is not a source I can read: attach a text (.txt), Markdown (.md) or HTML "
        "(.html) file."
    ),
    "content-type": "That link is {type}, not a web page, text or Markdown.",
    "encoding": (
        "That source can't be read in the charset it declares (`{charset}`). Save it as UTF-8 "
        "and attach it again."
    ),
    "scheme": "Only http and https links can be fetched, not `{scheme}`.",
    "credentials": "Links with a user name or password in them are refused.",
    "bad-url": "`{url}` is not a link I can fetch.",
    "address": "I don't fetch from private, local or reserved addresses: `{host}` is {address}.",
    "address-literal": "I don't fetch from private, local or reserved addresses like `{host}`.",
    "not-utf8": (
        "That source is not UTF-8 and declares no charset. Save it as UTF-8 and attach it again."
    ),
    "redirects": "That link redirects more than {limit} times; give the final address.",
    "timeout": "That page did not arrive within {limit} seconds.",
    "status": "The site answered HTTP {status}: nothing was fetched.",
    "unreachable": "I couldn't reach `{host}`.",
    "unreadable": "I couldn't reduce that page to its text in time: attach the article as a file.",
}
SOURCE_NOTHING_STORED = "Nothing was stored."
SOURCE_ATTACHED = (
    "Source attached to **{pack}**: {characters} characters in {sections}, from {where}. "
    "Every save and import of its cards here now checks quotes and anchors against it. "
    "`/source draft` proposes cards from it."
)
SOURCE_REPLACED = "It replaces the source attached {when} by <@{by}> (kept in its history)."
SOURCE_NONE = (
    "**{pack}** has no source in this server yet: `/source attach` a file or `/source url` a link."
)
SOURCE_SHOW_TITLE = "Source of {pack}"
SOURCE_SHOW_FOOTER = "Editors only: members never see the source, only the cards."
SOURCE_FIRST_LINES = "First lines"
SOURCE_DRAFT_TITLE = "Draft of {pack}"
SOURCE_DRAFT_HEADER = (
    "{sections} from the source, {how}. **Create draft cards** makes one draft per section "
    "with its anchor, the catalogue's actors it names and its attributed quotes. Summaries, "
    "key points and bottom lines are yours to write: a draft can't be published without "
    "them. New names are listed, never created."
)
SOURCE_DRAFT_BY_HEADINGS = "by its headings"
SOURCE_DRAFT_BY_PARAGRAPHS = "grouping its paragraphs (it has no headings)"
SOURCE_DRAFT_EMPTY = "The source has no section I could propose a card for."
SOURCE_DRAFT_CREATE = "Create {count} draft cards"
SOURCE_DRAFT_CANCELLED = "Cancelled: no card was created."
SOURCE_DRAFT_CREATED = (
    "Created {count} draft cards in **{pack}**. Write each one's summary with `/card edit`, "
    "then publish it."
)
SOURCE_DRAFT_NEW_NAMES = "Names not in the catalogue (add them to a card if it needs them): {names}"
SOURCE_URL_FETCHING = "Fetching {url}…"
SOURCE_RATE_LIMITED = (
    "This server has attached {count} sources in the last {window} seconds, the most allowed. "
    "Try again in {retry} seconds."
)
SOURCE_MISMATCHES = "{problems} of this briefing's cards not in this source"
SOURCE_MISMATCHES_NOTE = "Each of these cards must match the source before its next save:"
BRIEFING_PREVIEW_DONE = "Preview: nothing is saved until you press **Create draft**."
