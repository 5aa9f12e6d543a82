"""Triage: the highest level demanded by red-flag rules, likely serious causes and the course.

Monotone by construction: a new "yes" to a red-flag finding (from "don't know" or from "no")
never lowers the level.
- Rules fire on yes-answers only, so more yeses fire more rules.
- A cause's floor counts when its posterior reaches the threshold for the actual answers OR for
  any *variant* in which some red flags answered yes are instead unknown or no. A red flag thus
  never reassures about another cause. Adding a yes only adds variants (the old answer is one of
  the new yes's variants), so the set of floors that count can only grow.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

import numpy as np

from backstride.engine.evidence import Evidence
from backstride.engine.inference import (
    STORY_NO_WEIGHT,
    FloatArray,
    log_posterior_unnormalised,
    normalise,
)
from backstride.kb import KnowledgeBase
from backstride.kb.schema import TRIAGE_ORDER, TriageLevel

# A cause counts towards triage when its probability reaches this threshold. Graver floors need
# less certainty: missing them costs more.
FLOOR_THRESHOLDS: dict[TriageLevel, float] = {
    "emergency": 0.10,
    "urgent": 0.20,
    "soon": 0.35,
}


def level_rank(level: TriageLevel) -> int:
    """0 for self_care up to 3 for emergency."""
    return TRIAGE_ORDER.index(level)


@dataclass(frozen=True, slots=True)
class TriageReason:
    """One thing that demands a level, in plain words, with its sources."""

    level: TriageLevel
    kind: Literal["red_flag", "condition", "course", "nothing_known"]
    id: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage:
    """The triage level and every reason that demands a level above self-care, gravest first."""

    level: TriageLevel
    reasons: tuple[TriageReason, ...]

    @property
    def nothing_known(self) -> bool:
        """True when the level is the fail-safe for answers that rule nothing out."""
        return any(r.kind == "nothing_known" for r in self.reasons)


def nothing_reassuring(kb: KnowledgeBase, evidence: Evidence) -> bool:
    """True when no answer rules anything out: none at all, or only red flags answered yes.

    Red-flag yeses keep the fail-safe on, so that a warning sign given alone (level soon, say)
    never lowers the level below the fail-safe's: a more worrying answer never lowers triage.
    """
    return all(a.value and kb.finding(f).red_flag for f, a in evidence.items())


def rule_reasons(
    kb: KnowledgeBase, evidence: Evidence, *, final: bool = False
) -> list[TriageReason]:
    """Reasons from the rules that fire on these answers (the fail-safe only when ``final``)."""
    out: list[TriageReason] = []
    for rule in kb.rules:
        if rule.kind == "nothing_known":
            if final and nothing_reassuring(kb, evidence):
                out.append(TriageReason(rule.level, rule.kind, rule.id, rule.reason, rule.sources))
        elif all(evidence.is_yes(f) for f in rule.all) and (
            not rule.any or any(evidence.is_yes(f) for f in rule.any)
        ):
            out.append(TriageReason(rule.level, rule.kind, rule.id, rule.reason, rule.sources))
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


def floor_scores(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """Each cause's highest posterior over the red-flag variants of these answers."""
    varied = [f for f, a in evidence.items() if a.value and kb.finding(f).red_flag]
    fixed = Evidence({f: a for f, a in evidence.items() if f not in varied})
    base = log_posterior_unnormalised(kb, fixed)
    if not varied:
        return normalise(base)
    rows = np.stack([_variant_rows(kb, f) for f in varied])  # (k, 4, C)
    combos = np.array(list(itertools.product(range(4), repeat=len(varied))), dtype=np.intp)
    total = base + rows[np.arange(len(varied)), combos].sum(axis=1)  # (4^k, C)
    best: FloatArray = normalise(total).max(axis=0)
    return best


def condition_reasons(kb: KnowledgeBase, evidence: Evidence) -> list[TriageReason]:
    """Reasons from causes likely enough to demand their triage floor."""
    red_yes = sum(1 for f, a in evidence.items() if a.value and kb.finding(f).red_flag)
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
        if floor == "self_care" or scores[c] < FLOOR_THRESHOLDS[floor]:
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


def triage(kb: KnowledgeBase, evidence: Evidence, *, final: bool = False) -> Triage:
    """The triage for these answers (evidence should already include implied answers).

    ``final`` marks the level a person is shown: then answers that rule nothing out (none, or
    only red flags answered yes) take the fail-safe ``nothing_known`` rule. The interview asks
    with ``final=False``, so that knowing nothing makes it start asking rather than stop.
    """
    reasons = rule_reasons(kb, evidence, final=final) + condition_reasons(kb, evidence)
    reasons.sort(key=lambda r: -level_rank(r.level))
    level: TriageLevel = reasons[0].level if reasons else "self_care"
    return Triage(level, tuple(reasons))
