"""Held-out questions of every kind on the shipped pack (tests/briefings/heldout_questions.yaml,
written from the article, not from the cards): each answer carries its expected words, and
every question about something the briefing does not give says so in its first sentence."""

from __future__ import annotations

from briefings.briefing import Briefing
from tests.briefings.heldout import failures, load

KNOWN_FAILURES: dict[str, str] = {
    # question -> why it still fails; everything else must pass.
    "Who is Turkey's new counterpart in Damascus?": "'counterpart' is the cards' word for "
    "Erdoğan (Putin's counterpart); the HTS card says 'interlocutor'",
    "Who leads HTS?": "the article names no leader; 'leads' meets the byline's 'lead photo' and "
    "no rule yet says a role asked of a named group is a specific the article lacks",
    "What is the name of HTS's leader?": "as above: a name asked for and not given is not "
    "yet recognised as a gap",
}
PASS_RATE = 0.95
"""The rate reached when the file was written; a drop below it is a regression."""


async def test_heldout_questions_answered(core: Briefing) -> None:
    items = load()
    failed = {}
    for item in items:
        missing = failures(item, await core.ask(item.q, guild_id=None))
        if missing:
            failed[item.q] = missing
    assert {q: m for q, m in failed.items() if q not in KNOWN_FAILURES} == {}
    assert 1 - len(failed) / len(items) >= PASS_RATE
    kinds = {i.kind for i in items}
    assert all(any(i.kind == k and i.q not in failed for i in items) for k in kinds)
