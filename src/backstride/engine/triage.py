"""Triage: the highest level demanded by red-flag rules, likely serious causes and the course.

Monotone by construction: a new "yes" to a red-flag finding never lowers the level.
- Rules fire on yes-answers only, so more yeses fire more rules.
- Condition floors use a *triage posterior* (see KnowledgeBase.triage_log_yes) in which a red
  flag never counts against a graver cause, and a floor is judged by the cause's probability
  against the causes with LOWER floors only. A red-flag yes therefore never lowers any score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backstride.engine.evidence import Evidence
from backstride.engine.inference import FloatArray, evidence_arrays, log_contributions, normalise
from backstride.kb import KnowledgeBase
from backstride.kb.schema import TRIAGE_ORDER, TriageLevel

# A cause counts towards triage when its probability against every less urgent cause reaches
# this threshold. Graver floors need less certainty: missing them costs more.
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
    kind: Literal["red_flag", "condition", "course"]
    id: str
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage:
    """The triage level and every reason that demands a level above self-care, gravest first."""

    level: TriageLevel
    reasons: tuple[TriageReason, ...]


def rule_reasons(kb: KnowledgeBase, evidence: Evidence) -> list[TriageReason]:
    """Reasons from the red-flag and course rules that fire on these answers."""
    out: list[TriageReason] = []
    for rule in kb.rules:
        if all(evidence.is_yes(f) for f in rule.all) and (
            not rule.any or any(evidence.is_yes(f) for f in rule.any)
        ):
            out.append(TriageReason(rule.level, rule.kind, rule.id, rule.reason, rule.sources))
    return out


def floor_scores(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """Each cause's triage-posterior probability against the causes with lower floors."""
    idx, val, wgt = evidence_arrays(kb, evidence)
    log_u = kb.log_prior + log_contributions(
        kb.triage_log_yes, kb.triage_log_no, idx, val, wgt
    ).sum(0)
    post = normalise(log_u)
    lower = kb.floor_rank[None, :] < kb.floor_rank[:, None]  # lower[c, b]: b's floor below c's
    against = (lower * post[None, :]).sum(axis=1)
    scores: FloatArray = post / (post + against)
    return scores


def condition_reasons(kb: KnowledgeBase, evidence: Evidence) -> list[TriageReason]:
    """Reasons from causes likely enough to demand their triage floor."""
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


def triage(kb: KnowledgeBase, evidence: Evidence) -> Triage:
    """The triage for these answers (evidence should already include implied answers)."""
    reasons = rule_reasons(kb, evidence) + condition_reasons(kb, evidence)
    reasons.sort(key=lambda r: -level_rank(r.level))
    level: TriageLevel = reasons[0].level if reasons else "self_care"
    return Triage(level, tuple(reasons))
