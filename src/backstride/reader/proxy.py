"""Stories typed for a relative ("Dad is 72, he had prostate cancer ... it wakes him at night").

When the story's pain is the relative's, told in the third person, the relative is read as the
person: their pronouns become first-person words (so every rule written for "wakes me", "my
back", "I had cancer" applies), and ConText's family and someone-else modifiers that name the
relative no longer apply. The rules are data: the `proxy` section of rules/context.yaml.
Pure functions on text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from backstride.reader.rules import proxy_rules, whole_words, word_lists

_THIRD_PERSON = re.compile(r"\b(he|she|him|her|his|he's|she's)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+")


@dataclass(frozen=True)
class Subject:
    """The relative a proxy story is about: the word naming them and their sex, if known."""

    word: str
    sex: str | None

    @property
    def names(self) -> re.Pattern[str]:
        """The relative's word, for recognising modifiers ("my dad") that name them."""
        return re.compile(rf"\b{re.escape(self.word)}s?\b", re.IGNORECASE)


@cache
def _relatives() -> dict[str, str | None]:
    return {str(k).lower(): v for k, v in proxy_rules()["relatives"].items()}


def _fill(pattern: str) -> str:
    pain = word_lists()["pain"].pattern
    relative = "|".join(sorted(map(re.escape, _relatives()), key=len, reverse=True))
    return pattern.replace("{PAIN}", pain).replace("{RELATIVE}", rf"(?:{relative})")


@cache
def _compiled(section: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(whole_words(_fill(p)), re.IGNORECASE) for p in proxy_rules()[section])


@cache
def _relative_words() -> re.Pattern[str]:
    return re.compile(_fill(r"\b({RELATIVE})s?\b"), re.IGNORECASE)


@cache
def _rewrites() -> dict[str, tuple[tuple[re.Pattern[str], str], ...]]:
    return {
        sex: tuple((re.compile(whole_words(p), re.IGNORECASE), to) for p, to in pairs)
        for sex, pairs in proxy_rules()["rewrite"].items()
    }


def find_subject(text: str) -> Subject | None:
    """The relative whose pain the story tells, or None when the story is the writer's own (or
    when it is not clear: then family wording keeps its usual meaning)."""
    said_for = next((m for rx in _compiled("for_them") if (m := rx.search(text))), None)
    if said_for is None and any(rx.search(text) for rx in _compiled("own_pain")):
        return None
    theirs = [m for rx in _compiled("their_pain") for m in rx.finditer(text)]
    relatives = list(_relative_words().finditer(text))
    # "Typing for my husband, he's 47. Bad back ...": the writer names whose story it is, so
    # the story needs no pain told in the third person to be theirs.
    named = _relative_words().search(said_for.group()) if said_for is not None else None
    pain = word_lists()["pain"]
    first_pain = next((s.group() for s in _SENTENCE.finditer(text) if pain.search(s.group())), "")
    told_of_them = bool(_THIRD_PERSON.search(first_pain) or _relative_words().search(first_pain))
    # "My husband is 55 and ...": a story that opens with the relative's age is theirs when
    # its pain is told of him or her.
    intro = next((m for rx in _compiled("introduced") if (m := rx.search(text))), None)
    if named is None and intro is not None and told_of_them:
        named = _relative_words().search(intro.group())
    if named is None:
        if not theirs or not relatives or not told_of_them:
            return None
        first = min(theirs, key=lambda m: m.start())
        named = _relative_words().search(first.group()) or relatives[0]
    word = named.group(1).lower()
    sex = _relatives()[word]
    if sex is None:  # "my partner": told by the pronouns
        he = len(re.findall(r"\b(he|him|his|he's)\b", text, re.IGNORECASE))
        she = len(re.findall(r"\b(she|her|hers|she's)\b", text, re.IGNORECASE))
        sex = "male" if he > she else "female" if she > he else None
    return Subject(word, sex)


def rewrite(text: str, subject: Subject) -> tuple[str, list[int]]:
    """The story with the subject's pronouns in the first person, and for each character of the
    new text (and one past its end) the offset in the original it stands for."""
    pairs = _rewrites().get(subject.sex or "", ())
    edits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for rx, to in pairs:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append(m.span())
            edits.append((m.start(), m.end(), to))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for start, end, to in sorted(edits):
        out.append(text[pos:start])
        offsets += range(pos, start)
        out.append(to)
        # The replacement stands for the original words: spread it over their characters.
        # First to first and last to last, so a quote of the words ends where they end.
        offsets += [start + i * (end - start - 1) // max(len(to) - 1, 1) for i in range(len(to))]
        pos = end
    out.append(text[pos:])
    offsets += range(pos, len(text) + 1)
    return "".join(out), offsets
