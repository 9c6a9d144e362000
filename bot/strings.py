"""User-facing text, in one place (ready for an app_commands.Translator)."""

APOLOGY = (
    "Sorry, something went wrong while answering that. It has been logged as error "
    "`{error_id}`; please try again in a moment."
)
NOT_YOUR_BUTTONS = "These buttons belong to {owner}'s command. Run the command yourself to browse."
NOT_FOUND = "I couldn't find a {what} called **{name}** in this briefing."
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
