"""Irregular past forms, for the stemmer: Snowball gives "froze" and "frozen" stems of
their own, so a question's "freeze" would never meet a card's "frozen"."""

from __future__ import annotations

_IRREGULAR_FORMS = """
    freeze froze frozen|fall fell fallen|shoot shot|drive drove driven|begin began begun|
    lose lost|win won|take took taken|give gave given|break broke broken|choose chose chosen|
    rise rose risen|seek sought|fight fought|bring brought|buy bought|think thought|
    hold held|lead led|meet met|see saw seen|sell sold|tell told|leave left|keep kept|
    feel felt|become became|run ran|write wrote written|speak spoke spoken|strike struck|
    sink sank sunk|withdraw withdrew withdrawn|overthrow overthrew overthrown|grow grew grown|
    know knew known|draw drew drawn|throw threw thrown|shake shook shaken|hide hid hidden|
    steal stole stolen|rebuild rebuilt|build built|send sent|spend spent|deal dealt|
    mean meant|pay paid|say said|stand stood|understand understood|forgo forwent forgone|
    undertake undertook undertaken|drink drank drunk|fly flew flown|forget forgot forgotten|
    catch caught|teach taught|wake woke woken|arise arose arisen|bear bore borne|
    oversee oversaw overseen|foresee foresaw foreseen|mislead misled|slay slew slain
"""
IRREGULAR = {
    form: group.split()[0]
    for group in _IRREGULAR_FORMS.replace("\n", " ").split("|")
    for form in group.split()[1:]
}
"""Past forms Snowball cannot relate to their verb ("froze", "frozen" -> "freeze")."""
