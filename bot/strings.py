"""User-facing text, in one place (ready for an app_commands.Translator)."""

APOLOGY = (
    "Sorry, something went wrong while answering that. It has been logged as error "
    "`{error_id}`; please try again in a moment."
)
NOT_YOUR_BUTTONS = "These buttons belong to {owner}'s command. Run the command yourself to browse."
NOT_FOUND = "I couldn't find {what} called **{name}** in this briefing."
WHAT_WORDS = {"briefing pack": "briefing", "actor": "actor", "event": "event"}
NOTHING_SAVED = "Nothing was saved: {problems}."
DID_YOU_MEAN = "Did you mean: {suggestions}?"
TRY_AUTOCOMPLETE = "Start typing and pick one of the suggestions."
NO_EVENTS = "No events in the briefing involve {actor}."
NO_SHIFTS = (
    "No leverage shifts match those filters. Try `/leverage` with no options for the balance."
)
NOT_COVERED = (
    "The briefing doesn't cover **{names}**: {it} appears nowhere in the cards, so I have no "
    "answer to give rather than a guess."
)
NO_ANSWER = (
    "I found nothing in the briefing about that. Try naming an actor, event or place, or see "
    "`/briefing` for what it covers."
)
NO_MENTIONS = (
    "I found no actors or events of the briefing in that message. Try `/ask` with a question "
    "instead."
)
EMPTY_QUESTION = "Ask me something about the briefing, for example: *What does Turkey gain?*"
NO_PACKS = "No briefings are loaded yet."
CLIPPED_NOTE = "Some long text was shortened; the full card is in `/briefing`."
CHECK_FAILED = "You can't use this command here: {reason}"
SERVER_NOTE = "this server's note"
CARD_ID = "Card id (for /card commands): {id}"
HISTORY_TITLE = "History of “{title}”"
NO_REVISIONS = "No revisions recorded."
PROBLEMS_FOUND = "{problems} found. Fix them and try again."
FORM_REJECTED = "Nothing was saved. {problems} in the form:"
FIX_IT = "Fix it"
FORM_FIELDS = {"pack": "Briefing"}
"""The card form's fields as its labels name them, where the name alone would not do."""
BOTTOM_LINE = "Bottom line:"
NO_CARDS = "No cards yet."
MORE_SECTIONS = "*…and {count} more: open them from the menu below.*"
OVERVIEW_FOOTER = "{sections} · pick one below, or page through them"
ACTING_FOR = "Leverage, acting for {state}"
ACTOR_MORE = "{events} and {cards}: **Next ▶** lists them."
PERIOD_NOTE = "before / after: relative to {pivot}. /leverage has the reasoning and evidence."
LEVERAGE_BUCKETS = {
    "gained": "⬆️ **Gained** over {other}",
    "lost": "⬇️ **Lost** to {other}",
    "held": "⏺️ **Held** its leverage over {other}",
    "held_by": "⏺️ {other} **held** its leverage over it",
}
TIMELINE_HEADER = (
    "{events}, in date order; those the article dates only relative to another come right "
    "after it, and those it does not place at all come last."
)
ACTOR_MAP = "Actor map"
OPEN_SECTION = "Open a section…"
EXPIRED = "These buttons have expired. Run the command again for fresh ones."
FORM_EXPIRED = "This form has expired, so nothing was saved. Run the command again for a fresh one."
GONE = "That is no longer in the briefing. Run the command again."
CARD_GONE = "The card “{title}” is no longer available."
ACTOR_MAP_UNAVAILABLE = "The actor map can't be drawn right now; please try again in a while."

# --- subscriptions (bot/cogs/subscriptions/, bot/delivery/) --------------------------
NEED_MANAGE_CHANNELS = (
    "You need the **Manage Channels** permission in {channel} to subscribe it. "
    "Leave out `channel` to get the cards by DM instead."
)
BOT_CANNOT_POST = (
    "I can't post in {channel}: give me **View Channel**, **Send Messages** and **Embed Links** "
    "there, then try again."
)
CHANNEL_IN_GUILD_ONLY = "Channels can be subscribed from within their server only."
CHANNEL_NOT_HERE = "{channel} is not a channel of this server that I can see."
SUBSCRIBED = "Subscribed {where} to {what}, {when}."
PINGING = "Each delivery pings {role}, and no one else."
PING_NEEDS_CHANNEL = (
    "A role ping is for channel subscriptions: add `channel`, or leave out `ping_role`."
)
PING_NOT_EVERYONE = (
    "I don't ping @everyone or @here: pick a role that members join to get the briefing."
)
CANNOT_PING_ROLE = (
    "I can't mention {role} in {channel}: make the role mentionable (Server Settings → Roles → "
    "Allow anyone to @mention this role), or give me **Mention @everyone, @here, and All "
    "Roles** there, then try again."
)
PUBLISH_NEEDS_ANNOUNCEMENT = (
    "`publish` is for announcement channels: {channel} is not one. Leave out `publish`, or "
    "pick an announcement channel."
)
CANNOT_PUBLISH = "I can't publish in {channel}: give me **Manage Messages** there, then try again."
PAUSED_CANNOT_PUBLISH = (
    "I may no longer publish in the announcement channel (give me Manage Messages there)"
)
PAUSED_PING_ROLE_GONE = "the role it pings was deleted"
PAUSED_CANNOT_PING = (
    "I may no longer mention the role it pings (make it mentionable, or give me Mention "
    "All Roles there)"
)
NEXT_DIGEST = "The next digest comes {at} ({relative}), and only if something changed."
WELCOME_COMING = "A welcome with the briefing's overview is on its way."
NO_SUBSCRIPTIONS = "No subscriptions yet. `/subscribe` gets new and updated cards by DM."
NO_SUCH_SUBSCRIPTION = (
    "There is no subscription **{id}** that you can change. See `/subscriptions`."
)
UNSUBSCRIBED = "Unsubscribed: {what} will get nothing more."
PAUSED = "Paused: {what}. Resume it with `/subscription resume`; nothing is saved up meanwhile."
ALREADY_PAUSED = "That subscription is already paused ({reason})."
ALREADY_ACTIVE = "That subscription is already active."
RESUMED = "Resumed: {what}. Cards changed from now on will be delivered."
PAUSED_BY_MEMBER = "by you, with /subscription pause"
ONE_BRIEFING = "one briefing"
PAUSED_BOT_REMOVED = "the bot was removed from the server"
PAUSE_REASONS = {
    10003: "the channel no longer exists (Unknown Channel)",
    10004: "the server is gone (Unknown Guild)",
    10007: "the member is no longer in the server it was made in (Unknown Member)",
    10013: "the member's account is gone (Unknown User)",
    50001: "I can no longer see the channel (Missing Access)",
    50007: "I can't DM this member (their DMs are closed, or we share no server)",
    50013: "I'm not allowed to post there (Missing Permissions)",
    50278: "I can't DM this member: we share no server any more",
    50083: "the thread is archived and locked (unlock it, then resume)",
}
GAVE_UP = "gave up after {attempts} attempts: {error}"
INVALID_TIME = "{text!r} is not a time of day: use HH:MM, e.g. 09:00 or 18:30."
UNKNOWN_ZONE = "{name!r} is not an IANA time zone (like Europe/Berlin or America/New_York)."
UNKNOWN_DOMAIN = "Unknown domain {name!r}: one of {known}."
DIGEST_OPTIONS_FOR_INSTANT = (
    "Time, time zone and day apply to daily or weekly digests: "
    "add `schedule: daily` (or weekly), or leave them out."
)
SUBSCRIPTION_EXISTS = "That subscription already exists: see `/subscriptions`."
SUBSCRIPTION_QUOTA = (
    "That's {count} subscriptions already, the most there can be: "
    "remove one with `/unsubscribe` first."
)
DIGEST_TITLE_DM = "Your {schedule} digest: {count} {cards} new or updated"
DIGEST_TITLE_CHANNEL = "{schedule_title} digest: {count} {cards} new or updated"
DIGEST_INTRO = (
    "Each card's opening is below, briefing by briefing; a card's title opens it at its "
    "source, and `/briefing section:` shows the whole card."
)
OPEN_CARD = "Open card"
UNSUBSCRIBE_BUTTON = "Unsubscribe"
UNSUBSCRIBE_CONFIRM = (
    "Stop subscription **{id}**? It sends nothing more, and `/subscribe` can start it again."
)
UNSUBSCRIBED_HERE = "Unsubscribed: subscription **{id}** sends nothing more."
SUBSCRIPTION_KEPT = "Kept: the subscription goes on."
DELIVERED_CARD_GONE = (
    "That card can't be opened here: it is no longer in the briefing, or it belongs to a "
    "server you are not in."
)
DM_CONTEXT = "From your subscription in **{guild}** · `/subscriptions` lists them all"
DM_CONTEXT_NO_GUILD = "From your subscription · `/subscriptions` lists them all"
BATCH_TITLE = "{count} cards new or updated in {packs}"
BATCH_INTRO = "Published together; `/briefing section:` opens each card."
BATCH_LINE = "{mark} **{section}.** {title}"
CONFIRM_NOT_YOURS = "These buttons are for the member who asked; run `/mydata` yourself."
CONFIRM_USED = "Already done: this was answered."
CONFIRM_EXPIRED = "This question expired; run the command again."
MYDATA_INTRO = (
    "What I store about you: the subscriptions below (the ones you get by DM, and channel "
    "subscriptions you set up) and {pending} deliveries not yet sent. Nothing else about you "
    "is kept by subscriptions. `/mydata delete` removes it."
)
MYDATA_NOTHING = "I store nothing about you: no subscriptions, no pending deliveries."
MYDATA_CONFIRM = (
    "This deletes your {dm} by DM, with their pending deliveries, and removes your name from "
    "{channels} you set up in channels (they keep running for the channel). Delete?"
)
MYDATA_DELETED = "Done: {dm} by DM deleted, your id removed from {channels} in channels."
MYDATA_KEPT = "Nothing was deleted."

# --- deliveries in threads and forums, new briefings, digests (dl: bot/delivery/, render) ---
DIGEST_TITLE_TODAY = "{when} briefing digest: {count} {cards} new or updated"
DIGEST_WHEN = {"daily": "Today's", "weekly": "This week's"}
DIGEST_OPEN_INTRO = (
    "Each card's opening, briefing by briefing. A title opens its passage in the article; "
    "**Open a card…** below shows the whole card here."
)
DIGEST_BRIEFING_HEAD = "📘 {title}"
DIGEST_BRIEFING_COUNT = "{cards} in this briefing"
OPEN_A_CARD = "Open a card…"
CARD_FOOTER = "{pack} · v{version} · section {section} · Open card (below) shows it all"
BATCH_INTRO_OPEN = "Published together; **Open a card…** below shows any of them here."
WELCOME_INTRO = "👋 Subscribed to this briefing. In short:"
WELCOME_SECTIONS = "{sections} · **Open a card…** below, or `/briefing` for the overview"
BRIEFING_NEW = "🆕 New briefing"
BRIEFING_BYLINE = "By {author} · {publisher}"
BRIEFING_SECTIONS = "Sections"
BRIEFING_MORE = "…and {count} more: **Open a card…** below, or `/briefing`"
BRIEFING_OPEN = "**Open a card…** below reads any section here; `/briefing` shows the overview."
THREADS_NEED_CHANNEL = (
    "New threads are for channel subscriptions in a text, announcement or forum channel: "
    "{channel} is not one. Leave out `threads`, or pick such a channel."
)
THREADS_IN_A_THREAD = "{channel} is a thread already: leave out `threads` to post in it."
CANNOT_CREATE_THREADS = (
    "I can't open threads in {channel}: give me **Create Public Threads** and **Send Messages "
    "in Threads** there, then try again."
)
CANNOT_CREATE_POSTS = (
    "I can't post in the forum {channel}: give me **Create Posts**, **Send Messages in Posts** "
    "and **Embed Links** there, then try again."
)
CANNOT_POST_IN_THREAD = (
    "I can't post in the thread {channel}: give me **Send Messages in Threads** there, then "
    "try again."
)
PAUSED_CANNOT_CREATE_THREADS = (
    "I may no longer open threads in the channel (give me Create Public Threads and Send "
    "Messages in Threads there)"
)
PAUSED_CANNOT_CREATE_POSTS = (
    "I may no longer create posts in the forum (give me Create Posts and Send Messages in "
    "Posts there)"
)
PAUSED_CANNOT_POST_IN_THREADS = (
    "I may no longer post in threads there (give me Send Messages in Threads)"
)
PAUSED_THREAD_LOCKED = "the thread is archived and locked (unlock it, then resume) [50083]"
THREAD_WORDS = {
    "digest": "in a new thread each time",
    "briefing": "in one thread per briefing",
}
FORUM_WORDS = {
    "digest": "as a new forum post each time",
    "briefing": "as one forum post per briefing",
}
FOLLOWS_BRIEFINGS = "new briefings"
USER_INSTALL_SCOPE = "global briefings only"

# --- /card hardening (bot/cogs/cards.py, bot/views/cards.py) ------------------------------
ALREADY_CHOSEN = "That was already decided: **{choice}**. Nothing more was done."
IMPORT_RATE_LIMITED = (
    "This server has checked {count} pack files in the last {window} seconds, the most "
    "allowed. Try again in {retry} seconds."
)
CARDS_IN_SERVER_ONLY = "Card commands work in a server."

# --- /ask answers, votes and /card gaps (A10: bot/render/answers.py, bot/views/votes.py) ---
ANSWER_TITLE = "Answer"
ANSWER_GAP_TITLE = "Not in this briefing"
ANSWER_MORE_TITLE = "More from the cards"
ANSWER_SOURCES = "Sources:"
VOTE_THANKS_UP = "Thanks, noted."
VOTE_THANKS_DOWN = "Thanks: the question is kept (without your name) for this server's editors."
VOTE_EXPIRED = "That answer is gone; ask again."
GAPS_TITLE = "Questions the briefing could not answer"
GAPS_NONE = "No unanswered or voted-down questions kept for this server."
GAPS_LINE = "**{count}×** {question} · {reasons} · last {when}"
MYDATA_QUESTIONS = (
    "Questions that the briefing could not answer, and answers voted down, are kept for this "
    "server's editors for 90 days, without your member id."
)

# --- many briefings (issue 13: bot/cogs/briefing.py, bot/render/briefing.py, answers) -----
BRIEFINGS_TITLE = "Briefings"
BRIEFINGS_LINE = "**{title}**\n{author} · {publisher} · {date} · {sections}"
BRIEFINGS_FOOTER = "{count} · newest first · pick one below, or use /briefing briefing:"
OPEN_BRIEFING = "Open a briefing…"
NO_BRIEFINGS = "This server sees no briefing yet."
ANSWER_FROM = "From:"
FROM_BRIEFING = "From *{title}*"
NEWEST_BRIEFING = "From the newest briefing, *{title}* (pick another with `briefing:`)"
IN_BRIEFING = "in *{title}*"
ROLE_IN = "{role} *({title})*"
ROLES_TITLE = "In each briefing"
TIES_TITLE = "Ties"
IMPORT_NEW_BRIEFING = "New briefing of this server: **{title}** (`{slug}`)."

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
