"""Assessment: triage, ranked causes with their evidence, contributing factors and next steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from backstride.engine.consistency import implied, validate
from backstride.engine.evidence import Evidence
from backstride.engine.inference import Contribution, explain, posterior
from backstride.engine.triage import Triage, triage
from backstride.kb import KnowledgeBase, default_knowledge_base
from backstride.kb.schema import TriageLevel

DISCLAIMER = (
    "backstride suggests possible causes to discuss with a clinician. It does not diagnose, "
    "and it does not replace an examination."
)

# Shown in every result, whatever the causes: the warning signs that change everything.
ALWAYS_SEEK_HELP = (
    "Call the emergency number if you get numbness around the genitals or anus, new trouble "
    "passing or holding urine or stool, or weakness in both legs.",
    "See a doctor the same day if you develop a fever, pain that wakes you and won't settle, "
    "or a leg that keeps getting weaker.",
)

LEVEL_ADVICE: dict[TriageLevel, str] = {
    "emergency": "Call the emergency number or go to an emergency department now.",
    "urgent": "See a doctor today (within 24 hours). Stop running until then.",
    "soon": "Book a doctor or physiotherapist within about 1-2 weeks; follow the modified plan "
    "meanwhile.",
    "self_care": "Self-manage with the plan; get checked if not clearly better in 2 weeks or if "
    "any warning sign appears.",
}

# When no answer rules anything out, the level is the fail-safe one (rules.yaml, nothing_known):
# the first step is to answer the warning-sign questions, not to ring for an ambulance.
NOTHING_KNOWN_STEP = (
    "Answer the warning-sign questions first: nothing read or answered so far rules any of them "
    "out. If you have any of the signs under 'seek help sooner' now, call the emergency number "
    "or go to an emergency department."
)

# Advice comes from the leading cause only: a merged list from several causes grew too long to
# read on a phone, and the warning signs that matter for every cause are in ALWAYS_SEEK_HELP.
ADVICE_FROM_TOP = 1


@dataclass(frozen=True, slots=True)
class RankedCondition:
    """One possible cause with its probability and the answers for and against it."""

    id: str
    name: str
    probability: float
    evidence_for: tuple[Contribution, ...]
    evidence_against: tuple[Contribution, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorHit:
    """A contributing factor the plan can work on, and the answers that showed it."""

    id: str
    name: str
    why: str
    findings: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of an interview or of a set of answers."""

    triage: Triage
    conditions: tuple[RankedCondition, ...]
    factors: tuple[FactorHit, ...]
    evidence: Evidence
    questions_asked: int
    next_steps: tuple[str, ...]
    seek_help_sooner: tuple[str, ...]
    unscreened: tuple[str, ...] = ()  # red flags neither answered nor read from the story

    @property
    def nothing_known(self) -> bool:
        """True when the level is the fail-safe for answers that rule nothing out."""
        return self.triage.nothing_known

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of shared/contract/cli.md (`check --json`), with extra detail."""

        def contrib(c: Contribution) -> dict[str, Any]:
            return {
                "finding": c.finding,
                "answer": c.answer,
                "weight": round(c.weight, 3),
                "sources": list(c.sources),
                "estimate": c.estimate,
            }

        return {
            "triage": {
                "level": self.triage.level,
                "reasons": [r.reason for r in self.triage.reasons],
                "details": [
                    {"level": r.level, "kind": r.kind, "id": r.id, "sources": list(r.sources)}
                    for r in self.triage.reasons
                ],
            },
            "conditions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "probability": round(c.probability, 4),
                    "evidence_for": [contrib(x) for x in c.evidence_for],
                    "evidence_against": [contrib(x) for x in c.evidence_against],
                    "sources": list(c.sources),
                }
                for c in self.conditions
            ],
            "contributing_factors": [f.id for f in self.factors],
            "findings": self.evidence.as_dict(),
            "questions_asked": self.questions_asked,
            "next_steps": list(self.next_steps),
            "seek_help_sooner": list(self.seek_help_sooner),
            "unscreened_red_flags": list(self.unscreened),
            "disclaimer": DISCLAIMER,
        }


def contributing_factors(kb: KnowledgeBase, evidence: Evidence) -> tuple[FactorHit, ...]:
    """Factors with at least one finding answered yes."""
    hits = []
    for fac in kb.factors:
        yes = tuple(f for f in fac.findings if evidence.is_yes(f))
        if yes:
            hits.append(FactorHit(fac.id, fac.name, fac.why, yes, fac.sources))
    return tuple(hits)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def assess(
    evidence: Evidence, kb: KnowledgeBase | None = None, *, questions_asked: int = 0
) -> Assessment:
    """Assess a set of answers: raises EvidenceError for unknown ids or contradictions."""
    kb = kb or default_knowledge_base()
    validate(kb, evidence)
    ev = implied(kb, evidence)
    post = posterior(kb, ev)
    order = np.argsort(-post, kind="stable")
    ranked = []
    for c in order:
        cond = kb.conditions[int(c)]
        contribs = explain(kb, ev, cond.id)
        ranked.append(
            RankedCondition(
                cond.id,
                cond.name,
                float(post[c]),
                tuple(x for x in contribs if x.weight > 0.05),
                tuple(x for x in contribs if x.weight < -0.05),
                cond.sources,
            )
        )
    tri = triage(kb, ev, final=True)
    top = [kb.condition(r.id) for r in ranked[:ADVICE_FROM_TOP]]
    steps = [NOTHING_KNOWN_STEP if tri.nothing_known else LEVEL_ADVICE[tri.level]]
    if tri.level in ("self_care", "soon"):
        steps += list(top[0].do)
    sooner = list(ALWAYS_SEEK_HELP) + [s for c in top for s in c.seek_help_sooner]
    return Assessment(
        triage=tri,
        conditions=tuple(ranked),
        factors=contributing_factors(kb, ev),
        evidence=ev,
        questions_asked=questions_asked,
        next_steps=_unique(steps),
        seek_help_sooner=_unique(sooner),
        unscreened=tuple(f.id for f in kb.findings if f.red_flag and f.id not in ev),
    )
