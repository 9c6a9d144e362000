"""Understanding a member's question before it meets the cards: what kind of answer it
wants, what it names, which of its words the briefing knows, and what it does not cover.

Pure functions over the name index and the expander; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from briefings.lexicon import Expander, Expansion
from briefings.search import OPENERS, STOPWORDS, NameIndex, Question, analyse, fold, stem, tokens

Kind = Literal[
    "main-argument",
    "outlook",
    "why",
    "who",
    "when",
    "how-many",
    "comparison",
    "definition",
    "what",
]

_KINDS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        "main-argument",
        re.compile(
            r"\b(?:summari[sz]e|summary|overview|gist|tl;?dr|(?:main|central|core|chief|key) "
            r"(?:argument|point|idea|thesis|claim|message|conclusion)s?|bottom line|"
            r"key points|takeaways?|in a nutshell|thesis|sum (?:it |this |the \w+ )?up|"
            r"in (?:short|brief|a few words)|(?:author|writer|article|piece) (?:is )?saying|"
            r"(?:article|briefing|piece|author)(?:'s)? (?:about|argue|argument|say|"
            r"conclude|thesis)|"
            r"what(?:'s| is| does) (?:it|this|the article|the piece) (?:all )?(?:about|say)|"
            r"author(?:'s)? (?:view|point|position|take)|the big picture)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "how-many",
        re.compile(
            r"\bhow (?:many|much|long|far|often|large|big)\b|\bwhat (?:number|share|"
            r"percentage|amount|figure|proportion)\b|\bnumber of\b|"
            r"\bwhat(?:'s| is| was| were| are) the (?:price|cost|value|size|population|death toll|"
            r"toll|budget|volume|rate)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "when",
        re.compile(
            r"\bwhen\b|\bwhat (?:year|month|day|date|time)\b|\bwhich (?:year|month|day|date)\b"
            r"|\b(?:exact|precise) (?:date|day|time)\b|\bon what (?:day|date)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "outlook",
        re.compile(
            r"\b(?:what (?:comes|happens|will happen) next|next|future|outlook|predict\w*|"
            r"forecast\w*|expect\w*|prospects?|going forward|from now on|will\b|"
            r"likely to|in the coming|what lies ahead|down the road|could\b|might\b|odds|"
            r"chances? (?:of|that)|likelihood|probability|risk of)",
            re.IGNORECASE,
        ),
    ),
    (
        "comparison",
        re.compile(
            r"\bcompare\w*|\bcomparison\b|\bdiffer\w*|\bversus\b|\bvs\.?\b|\bcontrast\b|"
            r"\bbefore and after\b|\bthen and now\b|\bmore than\b|\bless than\b",
            re.IGNORECASE,
        ),
    ),
    (
        "why",
        re.compile(
            r"\bwhy\b|\bhow (?:did|does|do|has|have|was|is|could|can)\b|\breasons?\b"
            r"|\bcause[sd]?\b|\bled to\b|\bin what way",
            re.IGNORECASE,
        ),
    ),
    (
        "definition",
        re.compile(
            r"^\s*(?:what|who) (?:is|are|was|were) (?:the |an? )?[\w' -]{1,40}\??\s*$|"
            r"\bdefin\w*|\bmeaning of\b|\bwhat does .{1,30} stand for\b",
            re.IGNORECASE,
        ),
    ),
    (
        "who",
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhich (?:country|countries|actor|group|side)\b", re.IGNORECASE
        ),
    ),
]

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DAY_WANTED = re.compile(
    r"\b(?:what|which|exact|precise|on what) (?:day|date)\b|\bexact(?:ly)?\b|\bdate\b",
    re.IGNORECASE,
)
GENERIC = frozenset(
    """
    affect affected affects impact impacts influence matter matters important importance
    significance significant relationship relations relation situation view views position
    positions stance argue argues argued author writer claim claims reason reasons cause
    causes caused result results consequence consequences lead led change changed changes
    mean meaning happen happened shift shifted story point points issue issues question
    questions topic role roles part parts side sides way ways kind sort type country
    countries people person thing things today now still new old big large small year
    years month months day days time times date dates number numbers figure figures
    exactly exact precise precisely actually really summary summarise summarize gist
    overview main argument article piece briefing bechev next future outlook predict
    expect forecast compare comparison differ difference versus before after then become
    became stand go goes going went gone come comes came get gets got take took make made
    end ended takeaway takeaways lines nutshell idea ideas concept notion proposal few
    short brief quick simple plain words sentence sentences paragraph terms english
    sum thesis central core chief saying conclusion conclusions along might may must
    would should shall
    stronger strongest weaker weakest better worse more less most least
    stand standing overall generally broadly here there one two three four five several
    """.split()
)
"""Words that say what kind of answer is wanted, not what it is about: never a gap, and
they rank nothing."""
PLAIN_VERBS = frozenset(
    """
    accept accepted want wanted fear feared hope hoped help helped lose lost win
    won react reacted respond responded see saw seen feel felt try tried plan planned need
    needed keep kept stay stayed leave left use used gain gained push pushed seek sought
    avoid avoided allow allowed refuse refused agree agreed deny denied support supported
    oppose opposed blame blamed benefit threaten worry worried care tolerate tolerated
    handle handled deal dealt manage managed intend aim aimed approach treat treated
    regard consider considered suggest suggests mention mentioned discuss discussed cover
    covered include included describe described note noted call called name named tell
    told talk talked affecting reaction response stance attitude approach strategy
    motive motives goal goals aims interest interests plans hopes fears worries sell sold
    buy bought send sent give gave receive received provide provided deliver delivered
    build built ask asked offer offered start started stop stopped host hosts hosted
    house houses housed shelter punish punished
    """.split()
)
"""Everyday verbs and words of attitude: what a question does with its topic, not the
topic. Never a gap; they still rank ("Why did Northland ask for help?")."""


@dataclass(frozen=True, slots=True)
class Understood:
    question: Question
    kind: Kind
    words: list[str]
    """Content words (folded, no stopwords, no names)."""
    expansions: list[Expansion] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    """Topics the question asks about that no card mentions, as the member wrote them."""
    numbers: list[str] = field(default_factory=list)
    wants_day: bool = False

    @property
    def text(self) -> str:
        return self.question.text


def kind_of(text: str) -> Kind:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "what"


def understand(text: str, index: NameIndex, expander: Expander) -> Understood:
    question = analyse(text, index)
    words = tokens(question.text)
    capitalised = {fold(w) for w in re.findall(r"\b[A-Z]\w+", question.text)}
    named = _named_positions(words, index, capitalised)
    content = [
        i for i, w in enumerate(words) if w not in STOPWORDS and len(w) > 1 and i not in named
    ]
    known = expander.knows(words, index.vocabulary)
    unknown = [
        i
        for i in content
        if i not in known and not words[i].isdigit() and not _known_word(words[i], index)
    ]
    specific = sum(
        1
        for i in content
        if i not in unknown
        and words[i] not in GENERIC
        and words[i] not in PLAIN_VERBS
        and words[i] not in OPENERS
        and not words[i].isdigit()
    )
    return Understood(
        question=question,
        kind=kind_of(question.text),
        words=[words[i] for i in content],
        expansions=expander.expand([words[i] for i in content]),
        uncovered=_topics(question.text, words, unknown, named, set(content), others=specific),
        numbers=re.findall(r"\d[\d.,]*", question.text),
        wants_day=bool(_DAY_WANTED.search(question.text)),
    )


def _named_positions(words: list[str], index: NameIndex, capitalised: set[str]) -> set[int]:
    """Positions of words that are (part of) a known actor's or event's name."""
    found: set[int] = set()
    for size in range(min(6, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if " ".join(words[i : i + size]) in index.exact:
                found.update(range(i, i + size))
    # A typo of a name ("Asad") is that name; only capitalised words are looked up, as
    # each look-up scans every name.
    for i, word in enumerate(words):
        if i in found or word not in capitalised or len(word) < 4 or index.knows(word):
            continue
        if index.fuzzy(word, limit=1):
            found.add(i)
    return found


def _known_word(word: str, index: NameIndex) -> bool:
    """A word some published card uses (or a typo of one), or one that only says what
    kind of answer is wanted. Words only an actor's description uses are not enough: no
    card would answer them."""
    if word in GENERIC or word in PLAIN_VERBS or word in OPENERS or stem(word) in GENERIC:
        return True
    if word in index.exact:
        return True
    words = _card_words(index)
    if word in words.tokens or stem(word) in words.stems:
        return True
    if len(word) < 6:
        return False
    # A typo of a word the cards use ("sanctoins") is not a gap.
    return process.extractOne(word, words.long, scorer=fuzz.ratio, score_cutoff=85) is not None


@dataclass(frozen=True, slots=True)
class _CardWords:
    tokens: frozenset[str]
    stems: frozenset[str]
    long: list[str]
    """The longer words as a list: what fuzzy look-ups need."""


_CARD_WORDS: dict[int, tuple[int, _CardWords]] = {}


def _card_words(index: NameIndex) -> _CardWords:
    """The words of the published cards, made once per index."""
    cached = _CARD_WORDS.get(id(index))
    if cached is None or cached[0] != index.documents:
        if len(_CARD_WORDS) > 8:
            _CARD_WORDS.clear()
        words = frozenset(index.doc_freq)
        found = _CardWords(
            words, frozenset(stem(w) for w in words), sorted(w for w in words if len(w) >= 6)
        )
        cached = (index.documents, found)
        _CARD_WORDS[id(index)] = cached
    return cached[1]


def _topics(
    text: str,
    words: list[str],
    unknown: list[int],
    named: set[int],
    content: set[int],
    *,
    others: int,
) -> list[str]:
    """Runs of unknown content words, with a name that owns them ("Iran's drone
    deliveries"), in the member's own spelling where it can be found. A lone unknown word
    among words the cards know is more likely a paraphrase than a topic: not a gap, unless
    it makes a compound with a known noun ("grain exports", "Su-24 pilot")."""
    topics: list[str] = []
    run: list[int] = []
    for i in [*unknown, -2]:
        lone = run and i != run[-1] + 1 and len(run) == 1
        if lone and _NOT_A_TOPIC.search(words[run[0]]):
            run = []  # a lone "tolerated" or "quietly" names no topic of its own
        elif lone and others > 0:
            run = _compound(run[0], words, content)
        if run and i != run[-1] + 1:
            start = run[0]
            owner = start - 1
            # "Iran's drone deliveries": the tokens are iran, s, drone, deliveries.
            if owner >= 1 and words[owner] == "s" and owner - 1 in named:
                start = owner - 1
            elif owner >= 0 and words[owner] in ("the", "a", "an"):
                start = owner  # "the earthquake", as the member wrote it
            topics.append(_as_written(text, words[start : run[-1] + 1]))
            run = []
        if i >= 0:
            run.append(i)
    return topics


def _compound(i: int, words: list[str], content: set[int]) -> list[int]:
    """The unknown word at `i` with the known noun it modifies ("grain exports"), or with
    the model number before it ("Su-24 pilot"). A known word before it is as likely its
    subject ("jets destroy"): no compound."""
    if i + 1 in content and _nounish(words[i + 1]):
        return [i, i + 1]
    if i - 1 in content and words[i - 1].isdigit():
        return [i - 1, i]
    return []


def _nounish(word: str) -> bool:
    return not (
        word in GENERIC
        or word in PLAIN_VERBS
        or word in OPENERS
        or word in STOPWORDS
        or _NOT_A_TOPIC.search(word)
    )


_NOT_A_TOPIC = re.compile(r"(?:ed|ing|ly|ise|ize|ify|ful|ous|ive|able|ible)$")


def _as_written(text: str, words: list[str]) -> str:
    """The member's spelling of a run of folded words, if it can be found."""
    pattern = r"(?:['’]s)?\W+".join(re.escape(w) for w in words if w != "s")
    folded = fold(text)
    match = re.search(pattern, folded)
    if match and len(folded) == len(text):
        start = match.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1  # "Su-24 pilot", not "24 pilot"
        return text[start : match.end()]
    return " ".join(w for w in words if w != "s")


def gives_only(precision: str, date_text: str) -> str | None:
    """What the article gives when a day is asked for and it gives less."""
    if precision in ("month", "year", "season", "range"):
        return f"The article gives only the {precision}: {date_text}."
    if precision == "undated":
        return "The article gives no date for it."
    return None


def mentions_month(text: str) -> bool:
    return any(m in fold(text) for m in _MONTHS)
