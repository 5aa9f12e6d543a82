"""The warning-sign screen: which warning signs are still open, and which combinations.

The screen is complete when every red-flag finding has been answered (directly, or read from
the story as present) and no combination rule is left half met: a rule above the current level
with one of its findings yes, none of its requirements ruled out and some still unanswered. A
"no" read from a story does not screen a warning sign: readers miss words, so a denial is
confirmed by asking (docs/model.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.engine.evidence import Evidence, Origin
from backstride.kb import KnowledgeBase
from backstride.kb.schema import TRIAGE_ORDER, Rule, TriageLevel


@dataclass(frozen=True, slots=True)
class OpenCombination:
    """A warning-sign rule that is partly met and could still raise the level."""

    rule: str
    level: TriageLevel
    needed: tuple[str, ...]  # unanswered findings, any of which could help complete it


@dataclass(frozen=True, slots=True)
class Screen:
    """The state of the warning-sign screen."""

    unanswered: tuple[str, ...]  # red flags not yet answered
    open: tuple[OpenCombination, ...]  # combinations still open, gravest first

    @property
    def complete(self) -> bool:
        """True when no warning sign and no combination is left open."""
        return not self.unanswered and not self.open

    @property
    def missing(self) -> tuple[str, ...]:
        """Every finding still needed to finish the screen, gravest first, without repeats."""
        ids = [*self.unanswered, *(f for c in self.open for f in c.needed)]
        return tuple(dict.fromkeys(ids))


def ruled_out(kb: KnowledgeBase, evidence: Evidence, finding: str) -> bool:
    """True when the finding is answered no in a way that counts for the screen."""
    answer = evidence.get(finding)
    if answer is None or answer.value:
        return False
    return answer.origin is Origin.ASKED or not kb.finding(finding).red_flag


def settled(kb: KnowledgeBase, evidence: Evidence, finding: str) -> bool:
    """True when the finding is answered yes, or ruled out."""
    return evidence.is_yes(finding) or ruled_out(kb, evidence, finding)


def open_combination(kb: KnowledgeBase, evidence: Evidence, rule: Rule) -> OpenCombination | None:
    """The rule as an open combination, or None when it is met, blocked or not started."""
    if rule.kind != "red_flag":
        return None
    if any(ruled_out(kb, evidence, f) for f in rule.all):
        return None
    if rule.any and all(ruled_out(kb, evidence, f) for f in rule.any):
        return None
    if not any(evidence.is_yes(f) for f in rule.findings):
        return None
    needed = [f for f in rule.all if not evidence.is_yes(f)]
    if rule.any and not any(evidence.is_yes(f) for f in rule.any):
        needed += [f for f in rule.any if not ruled_out(kb, evidence, f)]
    needed = [f for f in needed if not settled(kb, evidence, f)]
    if not needed:
        return None  # met, or waiting only on answers that cannot come
    return OpenCombination(rule.id, rule.level, tuple(needed))


def screen_status(kb: KnowledgeBase, evidence: Evidence, level: TriageLevel) -> Screen:
    """The screen for these answers, given the level the answers demand so far."""
    unanswered = tuple(f for f in kb.screen_order if not settled(kb, evidence, f))
    rank = TRIAGE_ORDER.index(level)
    yes = {f for f, a in evidence.items() if a.value}
    combos = [
        c
        for rule in kb.rules
        if TRIAGE_ORDER.index(rule.level) > rank
        and not yes.isdisjoint(rule.findings)  # cheap pre-check: something is met
        and (c := open_combination(kb, evidence, rule)) is not None
    ]
    combos.sort(key=lambda c: -TRIAGE_ORDER.index(c.level))
    return Screen(unanswered, tuple(combos))
