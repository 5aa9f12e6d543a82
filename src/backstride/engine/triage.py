"""Triage: the highest level demanded by red-flag rules, likely serious causes and the course.

Monotone by construction: a new "yes" to a red-flag finding (from "don't know" or from "no")
never lowers the level.
- Rules fire on yes-answers only, so more yeses fire more rules.
- A cause's floor counts when its posterior reaches the threshold for the actual answers OR for
  any *variant* in which some red flags answered yes are instead unknown or no. A red flag thus
  never reassures about another cause. Adding a yes only adds variants (the old answer is one of
  the new yes's variants), so the set of floors that count can only grow.
- A final result whose warning-sign screen is incomplete takes at least the screen rule's level
  (engine/screen.py); only an answer that rules a warning sign out can complete the screen below
  that level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from backstride.engine.consistency import allowed_categories
from backstride.engine.evidence import Evidence
from backstride.engine.inference import (
    STORY_NO_WEIGHT,
    FloatArray,
    group_log_likelihood,
    log_posterior_unnormalised,
    normalise,
)
from backstride.engine.screen import Screen, screen_status
from backstride.kb import KnowledgeBase
from backstride.kb.schema import TRIAGE_ORDER, TriageLevel

# A cause counts towards triage when its probability reaches this threshold. Graver floors need
# less certainty: missing them costs more.
FLOOR_THRESHOLDS: dict[TriageLevel, float] = {
    "emergency": 0.10,
    "urgent": 0.20,
    "soon": 0.35,
}


def floor_threshold(kb: KnowledgeBase, condition: int) -> float:
    """The probability at which a cause's triage floor applies."""
    cond = kb.conditions[condition]
    if cond.floor_threshold is not None:
        return cond.floor_threshold.p
    return FLOOR_THRESHOLDS.get(cond.triage_floor, 1.0)


_RANKS = {level: rank for rank, level in enumerate(TRIAGE_ORDER)}


def level_rank(level: TriageLevel) -> int:
    """0 for self_care up to 3 for emergency."""
    return _RANKS[level]


@dataclass(frozen=True, slots=True)
class TriageReason:
    """One thing that demands a level, in plain words, with its sources."""

    level: TriageLevel
    kind: Literal["red_flag", "condition", "course", "screen"]
    id: str
    reason: str
    sources: tuple[str, ...]
    suggests: tuple[str, ...] = ()  # causes this warning sign points to


@dataclass(frozen=True, slots=True)
class Triage:
    """The triage level, every reason that demands a level above self-care (gravest first), and
    the state of the warning-sign screen."""

    level: TriageLevel
    reasons: tuple[TriageReason, ...]
    screen: Screen = field(default_factory=lambda: Screen((), ()))

    @property
    def screen_incomplete(self) -> bool:
        """True when the screen's level applies: a warning sign or combination is still open."""
        return any(r.kind == "screen" for r in self.reasons)

    def suggested(self, at_least: TriageLevel = "urgent") -> tuple[str, ...]:
        """Causes pointed to by warning signs at ``at_least`` or graver, gravest first."""
        ids = [
            c
            for r in self.reasons
            if level_rank(r.level) >= level_rank(at_least)
            for c in r.suggests
        ]
        return tuple(dict.fromkeys(ids))


def rule_reasons(kb: KnowledgeBase, evidence: Evidence) -> list[TriageReason]:
    """Reasons from the red-flag and course rules that fire on these answers."""
    out: list[TriageReason] = []
    yes = {f for f, a in evidence.items() if a.value}
    for rule in kb.rules:
        if rule.kind == "screen":
            continue
        if yes.issuperset(rule.all) and (not rule.any or not yes.isdisjoint(rule.any)):
            out.append(
                TriageReason(
                    rule.level, rule.kind, rule.id, rule.reason, rule.sources, rule.suggests
                )
            )
    return out


# Beyond this many red flags answered yes, the variants are not enumerated (4^n of them): so many
# warning signs together are an emergency in themselves. Keeps triage monotone and bounded.
MAX_VARIED = 6


def _variant_rows(kb: KnowledgeBase, finding: str) -> FloatArray:
    """Log-likelihood rows of one red-flag yes and its variants: yes, unknown, no, story no."""
    f = kb.finding_index[finding]
    return np.stack(
        [kb.log_yes[f], np.zeros_like(kb.log_yes[f]), kb.log_no[f], STORY_NO_WEIGHT * kb.log_no[f]]
    )


def _group_variant_rows(
    kb: KnowledgeBase, group: int, fixed: Evidence, varied: list[str]
) -> FloatArray:
    """Log-likelihood rows of one answer group over its varied red flags (yes, unknown, no).

    A group's answers count together, so its variants are whole answer sets; sets that clash
    are skipped. (A story "no" counts in full inside a group, so it needs no row of its own.)
    """
    rows = []
    for values in itertools.product((True, None, False), repeat=len(varied)):
        trial = fixed
        for fid, value in zip(varied, values, strict=True):
            if value is not None:
                trial = trial.with_answer(fid, value)
        if allowed_categories(kb, group, trial):
            rows.append(group_log_likelihood(kb, group, trial))
    return np.stack(rows)


def floor_scores(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """Each cause's highest posterior over the red-flag variants of these answers."""
    given = evidence.given()
    varied = [f for f, a in given.items() if a.value and kb.finding(f).red_flag]
    fixed = Evidence({f: a for f, a in given.items() if f not in varied})
    if not varied:
        return normalise(log_posterior_unnormalised(kb, fixed))
    units: list[FloatArray] = []
    grouped: dict[int, list[str]] = {}
    for f in varied:
        g = int(kb.group_of[kb.finding_index[f]])
        if g < 0:
            units.append(_variant_rows(kb, f))
        else:
            grouped.setdefault(g, []).append(f)
    base = log_posterior_unnormalised(kb, fixed)
    for g, fids in grouped.items():
        fixed_group = Evidence({f: fixed[f] for f in kb.answer_groups[g].findings if f in fixed})
        # the unit below replaces the group's own likelihood
        base = base - group_log_likelihood(kb, g, fixed_group)
        units.append(_group_variant_rows(kb, g, fixed_group, fids))
    combos = np.array(list(itertools.product(*(range(len(u)) for u in units))), dtype=np.intp)
    total = base + sum(u[combos[:, i]] for i, u in enumerate(units))
    best: FloatArray = normalise(total).max(axis=0)
    return best


def condition_reasons(kb: KnowledgeBase, evidence: Evidence) -> list[TriageReason]:
    """Reasons from causes likely enough to demand their triage floor."""
    red_yes = sum(1 for f, a in evidence.given().items() if a.value and kb.finding(f).red_flag)
    if red_yes > MAX_VARIED:
        return [
            TriageReason(
                "emergency",
                "red_flag",
                "many_red_flags",
                f"{red_yes} warning signs at once: get emergency care now.",
                ("finucane2020",),
            )
        ]
    scores = floor_scores(kb, evidence)
    out: list[TriageReason] = []
    for c, cond in enumerate(kb.conditions):
        floor = cond.triage_floor
        if floor == "self_care" or scores[c] < floor_threshold(kb, c):
            continue
        out.append(
            TriageReason(
                floor,
                "condition",
                cond.id,
                f"The answers fit {cond.name.lower()} closely enough that it should be checked "
                f"({_LEVEL_WORDS[floor]}).",
                cond.sources,
            )
        )
    return out


_LEVEL_WORDS: dict[TriageLevel, str] = {
    "emergency": "emergency care now",
    "urgent": "a doctor today",
    "soon": "a doctor or physiotherapist within 1-2 weeks",
    "self_care": "self-care",
}


def _gravest(reasons: list[TriageReason]) -> TriageLevel:
    return max((r.level for r in reasons), key=level_rank, default="self_care")


def triage(kb: KnowledgeBase, evidence: Evidence, *, final: bool = False) -> Triage:
    """The triage for these answers (evidence should already include implied answers).

    ``final`` marks the level a person is shown: then an incomplete warning-sign screen adds
    the screen rule's level. The interview asks with ``final=False``: an open screen is a
    reason to keep asking, not a level.
    """
    reasons = rule_reasons(kb, evidence) + condition_reasons(kb, evidence)
    screen = screen_status(kb, evidence, _gravest(reasons))
    if final and not screen.complete:
        rule = kb.screen_rule
        reasons.append(TriageReason(rule.level, "screen", rule.id, rule.reason, rule.sources))
    reasons.sort(key=lambda r: -level_rank(r.level))
    return Triage(_gravest(reasons), tuple(reasons), screen)
