"""Assessment: triage, ranked causes with their evidence, contributing factors and next steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from backstride.engine.consistency import Clash, check_ids, implied, reconcile
from backstride.engine.evidence import Evidence
from backstride.engine.inference import Contribution, FloatArray, calibrated_posterior, explain_all
from backstride.engine.triage import Triage, level_rank, triage
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

# While the warning-sign screen is incomplete, finishing it comes before any other step.
SCREEN_STEP = (
    "Answer the warning-sign questions first (run `backstride check` and answer them): "
    "{missing} {verb} not been checked yet. If you have any of the signs under 'seek help "
    "sooner' now, get help as it says."
)


def screen_step(kb: KnowledgeBase, missing: tuple[str, ...]) -> str:
    """The first step of a result whose screen is incomplete, naming what is open."""
    names = [kb.finding(f).question.rstrip("?") for f in missing[:3]]
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    shown = "; ".join(f"'{n}'" for n in names) + more
    return SCREEN_STEP.format(missing=shown, verb="has" if len(missing) == 1 else "have")


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
    flagged: bool = False  # listed first because a warning sign points to it


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
    clashes: tuple[Clash, ...] = ()  # answers that could not all be true, and what was kept

    @property
    def unscreened(self) -> tuple[str, ...]:
        """Red flags neither answered nor read from the story as present."""
        return self.triage.screen.unanswered

    @property
    def screen_incomplete(self) -> bool:
        """True when a warning sign or combination is still open (the level is at least soon)."""
        return self.triage.screen_incomplete

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
                    "flagged_by_warning_sign": c.flagged,
                    "evidence_for": [contrib(x) for x in c.evidence_for],
                    "evidence_against": [contrib(x) for x in c.evidence_against],
                    "sources": list(c.sources),
                }
                for c in self.conditions
            ],
            "contributing_factors": [f.id for f in self.factors],
            "findings": self.evidence.as_dict(),
            # which answers were only read from the story (a plan re-checks the screen with them)
            "story_answers": sorted(
                f for f, a in self.evidence.items() if a.origin == "story" and not a.implied
            ),
            "questions_asked": self.questions_asked,
            "next_steps": list(self.next_steps),
            "seek_help_sooner": list(self.seek_help_sooner),
            "unscreened_red_flags": list(self.unscreened),
            "screen": {
                "complete": self.triage.screen.complete,
                "missing": list(self.triage.screen.missing),
                "open_combinations": [
                    {"rule": c.rule, "level": c.level, "needed": list(c.needed)}
                    for c in self.triage.screen.open
                ],
            },
            "clashing_answers": [c.message() for c in self.clashes],
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


def _ranking(tri: Triage, kb: KnowledgeBase, post: FloatArray) -> list[tuple[int, bool]]:
    """Condition indices in the order shown, each with whether a warning sign put it first.

    Causes that a fired warning sign (urgent or graver) points to come first, so that the list
    never contradicts the triage; the rest follow by probability.
    """
    flagged = [kb.condition_index[c] for c in tri.suggested("urgent")]
    flagged.sort(key=lambda c: -post[c])
    rest = [int(c) for c in np.argsort(-post, kind="stable") if int(c) not in flagged]
    return [(c, True) for c in flagged] + [(c, False) for c in rest]


def assess(
    evidence: Evidence, kb: KnowledgeBase | None = None, *, questions_asked: int = 0
) -> Assessment:
    """Assess a set of answers (EvidenceError for unknown ids).

    Answers that clash are not an error: the graver reading is kept and the clash reported.
    """
    kb = kb or default_knowledge_base()
    check_ids(kb, evidence)
    grade = lambda e: level_rank(triage(kb, e, final=True).level)  # noqa: E731
    consistent, clashes = reconcile(kb, evidence, grade)
    ev = implied(kb, consistent)
    post = calibrated_posterior(kb, ev)
    tri = triage(kb, ev, final=True)
    ranked = []
    explained = explain_all(kb, ev)
    for c, flagged in _ranking(tri, kb, post):
        cond = kb.conditions[c]
        contribs = explained[cond.id]
        ranked.append(
            RankedCondition(
                cond.id,
                cond.name,
                float(post[c]),
                tuple(x for x in contribs if x.weight > 0.05),
                tuple(x for x in contribs if x.weight < -0.05),
                cond.sources,
                flagged,
            )
        )
    top = [kb.condition(r.id) for r in ranked[:ADVICE_FROM_TOP]]
    steps = [screen_step(kb, tri.screen.missing)] if tri.screen_incomplete else []
    steps.append(LEVEL_ADVICE[tri.level])
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
        clashes=clashes,
    )
