"""What each page shows, assembled from the library's own words (explain, the plan's summary, the
recovery report). Nothing is decided here: this only arranges for templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backstride.engine.assessment import Assessment
    from backstride.kb import KnowledgeBase
    from backstride.plan.model import Plan

# Words for each level; templates/_icons.html draws its symbol: colour is never the only sign.
LEVELS: dict[str, dict[str, str]] = {
    "emergency": {"word": "Emergency"},
    "urgent": {"word": "Urgent"},
    "soon": {"word": "See someone soon"},
    "self_care": {"word": "Self-care"},
}
NOT_THIS = (
    "This is not a diagnosis and not an examination. backstride suggests possible causes to "
    "discuss with a clinician, from what you told it; a clinician who examines you may find "
    "something it cannot. If anything gets worse, or a warning sign appears, get help as it says."
)
EXAMPLE_STORY = (
    "I run 40 km a week. For three weeks the right side of my lower back and upper buttock has "
    "ached, worse after long runs and when I sit at my desk. No numbness and no leg pain."
)


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One answer for or against a cause, in words, with its weight and sources."""

    phrase: str
    weight: float
    sources: tuple[tuple[str, str | None], ...]  # (short citation, link)


@dataclass(frozen=True, slots=True)
class CauseView:
    """A cause on the result page."""

    name: str
    probability: float
    flagged: bool
    why: str
    against: str | None
    evidence_for: tuple[EvidenceRow, ...]
    evidence_against: tuple[EvidenceRow, ...]
    sources: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, slots=True)
class ResultView:
    """The result page, top down."""

    level: str
    word: str
    headline: str
    do_now: str
    reasons: tuple[str, ...]
    running: str
    causes_title: str
    causes: tuple[CauseView, ...]
    factors: tuple[tuple[str, str], ...]
    seek_help: tuple[str, ...]
    clashes: tuple[str, ...]
    disclaimer: str
    not_this: str = NOT_THIS
    plan_possible: bool = True
    no_answers: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def emergency(self) -> bool:
        """True when nothing may compete with what to do now."""
        return self.level == "emergency"


def _sources(ids: tuple[str, ...], kb: KnowledgeBase) -> tuple[tuple[str, str | None], ...]:
    from backstride.explain import short_citation

    known = [kb.sources[i] for i in dict.fromkeys(ids) if i in kb.sources]
    return tuple((short_citation(s), s.url) for s in known)


def _rows(contribs: Any, kb: KnowledgeBase) -> tuple[EvidenceRow, ...]:
    return tuple(
        EvidenceRow(kb.wording.phrase(c.finding, c.answer), c.weight, _sources(c.sources, kb))
        for c in contribs
    )


def result_view(assessment: Assessment, kb: KnowledgeBase, shown: int = 3) -> ResultView:
    """The result page for an assessment: the level first, in plain words."""
    from backstride.engine.assessment import DISCLAIMER
    from backstride.explain import cause_in_words, do_now, first_plan, level_reasons

    plan = first_plan(assessment)
    level = assessment.triage.level
    urgent = level in ("urgent", "emergency")
    conditions = list(assessment.conditions)
    if urgent:  # only what a warning sign points to (as explain.causes_in_words)
        conditions = [c for c in conditions if c.flagged]
    causes = []
    for cond in conditions[:shown]:
        words = cause_in_words(cond, kb)
        causes.append(
            CauseView(
                name=words.name,
                probability=cond.probability,
                flagged=cond.flagged,
                why=words.why(),
                against=words.against(),
                evidence_for=_rows(cond.evidence_for[:5], kb),
                evidence_against=_rows(cond.evidence_against[:5], kb),
                sources=_sources(cond.sources, kb),
            )
        )
    return ResultView(
        level=level,
        word=LEVELS[level]["word"],
        headline=plan.triage_headline,
        do_now=do_now(assessment, plan, kb, interviewed=True),
        reasons=tuple(level_reasons(assessment, plan, kb)[:3]),
        running=plan.phases[0].running.text,
        causes_title="What the warning sign points to"
        if urgent
        else "Possible causes to discuss with a clinician",
        causes=tuple(causes) if assessment.evidence else (),
        factors=tuple((f.name, f.why) for f in assessment.factors),
        seek_help=(*plan.seek_help, *plan.seek_help_causes),
        clashes=tuple(c.message() for c in assessment.clashes),
        disclaimer=DISCLAIMER,
        plan_possible=bool(assessment.evidence) and level != "emergency",
        no_answers=not assessment.evidence,
    )


@dataclass(frozen=True, slots=True)
class ExerciseView:
    """An exercise of the plan with its figure and how to do it."""

    id: str
    name: str
    dose: str
    why: str
    cues: tuple[str, ...]
    steps: tuple[str, ...]
    alt: str
    sources: tuple[str, ...]


def plan_items(plan: Plan) -> dict[str, Any]:
    """The plan's phases for the page: each with its items, exercises with figure and cues."""
    from backstride.plan.exercises import load_exercise_library
    from backstride.plan.export.common import cite_line, phase_detail, plan_summary
    from backstride.plan.figures import alt_text

    library = load_exercise_library()
    phases = []
    for view in phase_detail(plan):
        items = []
        for item in view.items:
            ex = library.exercises.get(item.guide) if item.guide else None
            items.append(
                {
                    "item": item,
                    "cite": cite_line(item.sources),
                    "exercise": None
                    if ex is None
                    else ExerciseView(
                        ex.id,
                        ex.name,
                        item.dose,
                        item.why,
                        ex.cues,
                        ex.steps,
                        alt_text(ex),
                        ex.sources,
                    ),
                }
            )
        phases.append({"view": view, "entries": items})
    return {"summary": plan_summary(plan), "phases": phases}
