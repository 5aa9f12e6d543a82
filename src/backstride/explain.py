"""Plain words for a result: causes by their everyday names, why we think so, short citations.

Pure: it reads an assessment and the knowledge base (whose ``wording.yaml`` holds the words) and
nothing else. ``backstride check`` shows these in the terminal and adds them to its JSON, and
the plan names its causes the same way, so a person meets one vocabulary from result to plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backstride.engine.assessment import SCREEN_STEP, Assessment, RankedCondition
from backstride.engine.inference import Contribution
from backstride.kb import KnowledgeBase
from backstride.kb.schema import Source

if TYPE_CHECKING:
    from backstride.plan.model import Plan

# An answer counts as a reason for or against a cause from this log-likelihood ratio on: about a
# 10% change in the odds. Weaker answers would fill the line without saying anything.
STRONG = 0.1
MAX_FOR = 3  # "why we think so" names the two or three strongest answers
SHOW_CAUSES = 3
TITLE_MAX = 70  # characters of a title in a short citation


@dataclass(frozen=True, slots=True)
class CauseInWords:
    """One possible cause as a person reads it: its name, the answers for it and the one against."""

    id: str
    name: str
    flagged: bool  # a warning sign points to it
    reasons_for: tuple[str, ...]
    reason_against: str | None

    def why(self) -> str:
        """'pain when you sit, pain on one side and one tender spot in the muscle'."""
        if not self.reasons_for:
            return "no answer points to it strongly; it is listed because it is common"
        return join_words(self.reasons_for)

    def against(self) -> str | None:
        """'pain in the buttock, which fits other causes better', or None."""
        if self.reason_against is None:
            return None
        return f"{self.reason_against}, which fits other causes better"

    def to_json(self) -> dict[str, Any]:
        """The cause in words, for ``check --json``."""
        return {
            "id": self.id,
            "name": self.name,
            "flagged_by_warning_sign": self.flagged,
            "why": self.why(),
            "against": self.against(),
        }


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _strong(contribs: Iterable[Contribution]) -> list[Contribution]:
    return [c for c in contribs if abs(c.weight) >= STRONG]


def cause_in_words(cond: RankedCondition, kb: KnowledgeBase) -> CauseInWords:
    """A ranked cause in plain words: its strongest answers for, and its strongest against."""
    words = kb.wording
    reasons = [words.phrase(c.finding, c.answer) for c in _strong(cond.evidence_for)[:MAX_FOR]]
    against = _strong(cond.evidence_against)[:1]
    return CauseInWords(
        id=cond.id,
        name=words.name(cond.id),
        flagged=cond.flagged,
        reasons_for=tuple(reasons),
        reason_against=words.phrase(against[0].finding, against[0].answer) if against else None,
    )


def causes_in_words(
    assessment: Assessment, kb: KnowledgeBase, limit: int = SHOW_CAUSES
) -> tuple[CauseInWords, ...]:
    """The causes a person is shown, in the assessment's order (warning-sign causes first).

    At urgent or emergency only the causes a warning sign points to are named: the instruction
    to get help is what matters, and a list led by a harmless cause would contradict it.
    """
    conditions = assessment.conditions
    if assessment.triage.level in ("urgent", "emergency"):
        conditions = tuple(c for c in conditions if c.flagged)
    return tuple(cause_in_words(c, kb) for c in conditions[:limit])


@dataclass(frozen=True, slots=True)
class _PlainWords:
    """What :func:`plain` needs from one knowledge base, prepared once."""

    kb: KnowledgeBase  # held, so that its id is not reused while this is kept
    names: dict[str, str]  # clinical name (lower case) -> everyday name
    pattern: re.Pattern[str]
    answers: tuple[tuple[str, str], ...]  # "'Question': yes" -> the answer's phrase
    said: dict[str, str]  # texts already put in plain words (the same few "why"s come back)


_plain_words: dict[int, _PlainWords] = {}
PLAIN_KEPT = 4096  # texts kept in plain words per knowledge base


def _words_for(kb: KnowledgeBase) -> _PlainWords:
    # Built once per knowledge base: `plain` runs for every question the web app sends.
    found = _plain_words.get(id(kb))
    if found is not None and found.kb is kb:
        return found
    words = kb.wording
    names = {c.name.lower(): words.short_name(c.id) for c in kb.conditions}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # An article before the clinical name goes: the everyday name brings its own ("can be a
    # femoral neck stress fracture" -> "can be a stress fracture at the top of the thigh bone").
    pattern = re.compile(rf"\b(?:(?:a|an|the) )?({alternatives})", re.IGNORECASE)
    answers = tuple(
        (f"'{f.question.rstrip('?')}': yes", words.phrase(f.id, True)) for f in kb.findings
    )
    made = _PlainWords(kb, names, pattern, answers, {})
    if len(_plain_words) > 8:  # tests build a few knowledge bases; a process uses one
        _plain_words.clear()
    _plain_words[id(kb)] = made
    return made


def plain(text: str, kb: KnowledgeBase) -> str:
    """Engine text in plain words: clinical cause names become everyday ones, "'Question': yes"
    becomes the answer's phrase, and names joined by " / " are joined by "or"."""
    prepared = _words_for(kb)
    known = prepared.said.get(text)
    if known is not None:
        return known
    names = prepared.names
    out = prepared.pattern.sub(lambda m: names[m.group(1).lower()], text)
    for said, phrase in prepared.answers:
        if said in out:
            out = out.replace(said, phrase)
    out = out.replace(" / ", " or ")
    if len(prepared.said) >= PLAIN_KEPT:
        prepared.said.clear()
    prepared.said[text] = out
    return out


# --- the result's summary for people ---------------------------------------------------------


def first_plan(assessment: Assessment) -> Plan:
    """The plan `backstride plan` would build from this result (default settings). A result
    shows this plan's level, first-phase running advice and warning signs, so that `check`, the
    web result and `plan` say the same."""
    from backstride.plan.generator import build_plan
    from backstride.plan.model import parse_assessment

    return build_plan(parse_assessment(assessment.to_dict()))


def result_summary(
    assessment: Assessment,
    kb: KnowledgeBase,
    *,
    next_step: str | None,
    saved_to: str | None,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """What a result adds for people (`check --json`'s and the API result's `summary`): the
    causes in words, what it means for running (the plan's words), the next step and where
    the result was saved."""
    if plan is not None:
        running = plan.phases[0].running.text
    else:  # the same words without building the whole plan (no exercise library to load)
        from backstride.plan.generator import first_running
        from backstride.plan.model import parse_assessment

        running = first_running(parse_assessment(assessment.to_dict())).text
    return {
        "causes": [c.to_json() for c in causes_in_words(assessment, kb)],
        "running": running,
        "next_step": next_step,
        "saved_to": saved_to,
    }


# --- the level and what to do now ----------------------------------------------------------


def screen_first(assessment: Assessment) -> bool:
    """True when finishing the warning-sign screen is the one thing to do now."""
    level = assessment.triage.level
    return (
        assessment.screen_incomplete
        and level not in ("urgent", "emergency")
        and not any(r.kind != "screen" and r.level == level for r in assessment.triage.reasons)
    )


def do_now(assessment: Assessment, plan: Plan, kb: KnowledgeBase, *, interviewed: bool) -> str:
    """The one thing to do now: finish the warning-sign screen when that comes first, else what
    the level means (the plan's words, so `check` and `plan` say the same)."""
    if not screen_first(assessment):
        return plan.triage_meaning
    missing = assessment.triage.screen.missing
    names = [kb.wording.phrase(f, True) for f in missing[:3]]
    if len(missing) > 3:
        names.append(f"{len(missing) - 3} more")
    if not interviewed:
        # the engine's step (answer them in `backstride check`), naming them in everyday words
        verb = "has" if len(missing) == 1 else "have"
        return SCREEN_STEP.format(missing=join_words(names), verb=verb)
    # They were asked in the interview and answered "don't know": say so, not "run check".
    said = f'You answered "don\'t know" about {join_words(names)}.'
    return f"{said} {plain(kb.screen_rule.reason, kb)}"


def level_reasons(assessment: Assessment, plan: Plan, kb: KnowledgeBase) -> list[str]:
    """Why the level is what it is, in plain words, the engine's reasons first, each once (the
    open screen is left out when finishing it is already the thing to do now)."""
    skip_screen = screen_first(assessment)
    reasons = [
        plain(r.reason, kb)
        for r in assessment.triage.reasons
        if r.level == assessment.triage.level and not (skip_screen and r.kind == "screen")
    ]
    reasons += [plain(r, kb) for r in plan.triage_reasons if r not in reasons]
    return [r for r in dict.fromkeys(reasons) if not (skip_screen and r == kb.screen_rule.reason)]


# --- short citations ------------------------------------------------------------------------

_INITIALS = re.compile(r"^(?P<surname>.*\S)\s+[A-ZÀ-Þ][A-ZÀ-Þ-]{0,5}$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")


def _authors(text: str, rest: str = "") -> str:
    """'Fishman et al.', 'Deyo and Diehl', or an organisation's name (its acronym when the
    citation uses one: 'NICE')."""
    if "," not in text and not _INITIALS.match(text):
        acronym = _ACRONYM.search(rest)
        return acronym.group(0) if acronym else text
    parts = [p.strip() for p in text.split(",") if p.strip()]
    et_al = any(p.rstrip(".") == "et al" for p in parts)
    people = [p for p in parts if p.rstrip(".") != "et al"]
    surnames = [m.group("surname") if (m := _INITIALS.match(p)) else p for p in people]
    if not surnames:
        return text
    if et_al or len(surnames) > 2:
        return f"{surnames[0]} et al."
    return " and ".join(surnames)


def _cut(title: str) -> str:
    title = title.split(": ")[0].strip()
    if len(title) <= TITLE_MAX:
        return title
    return title[:TITLE_MAX].rsplit(" ", 1)[0] + "…"


def _parts(source: Source) -> tuple[str, str, str]:
    """(who, year, title) of a citation; a shared article is described rather than authored."""
    text = source.citation
    if source.kind == "shared":
        about = text.split(": ", 1)[-1]
        who = about.split(" on ")[0].split(" (")[0]
        return who[:1].upper() + who[1:], "", ""
    head, _, rest = text.partition(". ")
    match = re.match(r"(.+?[.?])(?:\s|$)(.*)", rest)
    title, tail = (match.group(1), match.group(2)) if match else (rest, "")
    year = _YEAR.search(tail) or _YEAR.search(text)
    return _authors(head, tail), year.group(0) if year else "", _cut(title.rstrip("."))


def author_year(source: Source) -> str:
    """'Silbernagel et al. 2007': the in-text form of a citation."""
    who, year, _ = _parts(source)
    return f"{who} {year}".strip()


def short_citation(source: Source) -> str:
    """'Silbernagel et al. 2007, Continued sports activity, using a pain-monitoring model…'."""
    who, year, title = _parts(source)
    head = f"{who} {year}".strip()
    return f"{head}, {title}" if title else head


def cite(ids: Iterable[str], kb: KnowledgeBase, *, estimate: bool = False) -> str:
    """Sources in their in-text form, '; '-joined ('our estimate' when none is given)."""
    known = [author_year(kb.sources[i]) for i in ids if i in kb.sources]
    if not known:
        return "our estimate" if estimate else ""
    return "; ".join(dict.fromkeys(known))
