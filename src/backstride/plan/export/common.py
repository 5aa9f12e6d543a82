"""What every view of a plan shares: the one-page summary, the detail with each fact once, the
exercises it uses, and its sources as short citations.

The terminal, the HTML page, the PDF and the Markdown file all show :func:`plan_summary` first
(the level; this phase with its goal and exit test; this week's exercises with their dose;
today's run; when to get help), then the phases as :func:`phase_detail` gives them: stop items
are said by the phase's running advice, and an item already shown in an earlier phase is named
once more, not repeated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backstride.explain import author_year, join_words
from backstride.kb import default_knowledge_base
from backstride.kb.schema import Source
from backstride.plan.exercises import Exercise, ExerciseLibrary
from backstride.plan.model import ConditionRef, ItemKind, Phase, Plan, PlanItem

KIND_LABEL: dict[ItemKind, str] = {
    "stop": "STOP",
    "advice": "Advice",
    "exercise": "Exercise",
    "run": "Run",
    "ride": "Ride",
}
TITLE = "Your backstride plan"
SUMMARY_TITLE = "Your plan on one page"
DETAIL_TITLE = "The full plan"
# Items of these kinds are what a person does in a week of the phase: the summary lists them.
WEEKLY: tuple[ItemKind, ...] = ("exercise", "ride")


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The plan on one page."""

    level: str
    headline: str
    meaning: str
    reasons: tuple[str, ...]
    causes_label: str  # "For" or "A warning sign points to"
    causes: tuple[ConditionRef, ...]
    first: str | None  # what comes before anything else (finish the warning-sign questions)
    phase_title: str  # "Phase 1 of 5: Calm (about 3–10 days)"
    goal: str
    exit: str
    week: tuple[tuple[str, str], ...]  # this week's exercises: (name, dose)
    running: str  # today's run, or "No running yet, because …"
    help: tuple[str, ...]


def open_questions(plan: Plan, show: int = 3) -> str:
    """The warning-sign questions still open, in everyday words: 'a, b, c and 16 more'."""
    words = default_knowledge_base().wording
    names = [
        words.phrase(f, True) if f in words.findings else f.replace("_", " ")
        for f in plan.screen_missing[:show]
    ]
    if len(plan.screen_missing) > show:
        names.append(f"{len(plan.screen_missing) - show} more")
    return join_words(names)


def phase_title(plan: Plan, phase: Phase) -> str:
    """'Phase 2 of 5: Restore (about 1–2 weeks)', or the name of a 'what to do now' phase."""
    if phase.id == "now":
        return phase.name
    about = f"{phase.name} (about {phase.duration_text()})"
    if len(plan.phases) == 1:  # the calm phase alone, while warning-sign questions are open
        return about
    return f"Phase {plan.phases.index(phase) + 1} of {len(plan.phases)}: {about}"


def shown_causes(plan: Plan) -> tuple[str, tuple[ConditionRef, ...]]:
    """The causes a person is shown, and their label.

    A "what to do now" plan names only what a warning sign points to (or nothing: the
    instruction to get help stands alone), never a harmless cause that happens to rank high.
    """
    if not plan.exercise_plan:
        return "A warning sign points to", tuple(c for c in plan.tailored_to if c.flagged)
    return "For", plan.tailored_to


def plan_summary(plan: Plan) -> PlanSummary:
    """The plan on one page: everything a person needs this week."""
    phase = plan.phases[0]
    label, causes = shown_causes(plan)
    # while warning-sign questions are open, answering them comes before anything else
    first = None
    if plan.exercise_plan and plan.screen_missing:
        first = next((i.details for i in phase.items if i.kind == "advice"), None)
        first = f"{first} Still open: {open_questions(plan)}." if first else None
    return PlanSummary(
        level=plan.triage,
        headline=plan.triage_headline,
        meaning=plan.triage_meaning,
        reasons=plan.triage_reasons,
        causes_label=label,
        causes=causes,
        first=first,
        phase_title=phase_title(plan, phase),
        goal=phase.goal,
        exit=phase.exit,
        week=tuple((i.name, i.dose) for i in phase.items if i.kind in WEEKLY),
        running=phase.running.text,
        help=plan.seek_help,
    )


@dataclass(frozen=True, slots=True)
class PhaseDetail:
    """One phase as the detail shows it: its own items, and the names of those kept from
    earlier phases (shown there in full)."""

    phase: Phase
    title: str
    items: tuple[PlanItem, ...]
    kept: tuple[str, ...]


def phase_detail(plan: Plan) -> list[PhaseDetail]:
    """Every phase with each item in full once: a stop item is said by the phase's running
    advice, and an item repeated from an earlier phase is only named."""
    seen: set[str] = set()
    out = []
    for phase in plan.phases:
        items = [i for i in phase.items if i.kind != "stop"]
        new = tuple(i for i in items if i.id not in seen)
        kept = tuple(i.name for i in items if i.id in seen)
        seen |= {i.id for i in items}
        out.append(PhaseDetail(phase, phase_title(plan, phase), new, kept))
    return out


def citations() -> Mapping[str, Source]:
    """Every source of the knowledge base by id (all ``kb/data/sources*.yaml`` files)."""
    return default_knowledge_base().sources


def plan_exercises(plan: Plan, library: ExerciseLibrary) -> list[Exercise]:
    """The library entries the plan's items link to (exercises, runs, rides), in order."""
    return [library.get(e) for e in plan.guide_ids() if e in library]


def plan_sources(plan: Plan, library: ExerciseLibrary) -> list[tuple[str, Source | None]]:
    """The plan's source ids (items and exercise guide) with their citations, if known."""
    ids = dict.fromkeys(plan.source_ids())
    for ex in plan_exercises(plan, library):
        ids.update(dict.fromkeys(ex.sources))
    known = citations()
    return [(sid, known.get(sid)) for sid in ids]


def source_numbers(plan: Plan, library: ExerciseLibrary) -> dict[str, int]:
    """Each cited source's number in the plan's list of sources (1, 2, ...)."""
    return {sid: n for n, (sid, _) in enumerate(plan_sources(plan, library), start=1)}


def in_text(ids: tuple[str, ...]) -> list[tuple[str, str]]:
    """(source id, 'Author et al. 2007') for each cited source, for links to the list."""
    known = citations()
    return [(sid, author_year(known[sid]) if sid in known else "source missing") for sid in ids]


def cite_line(ids: tuple[str, ...]) -> str:
    """'Author et al. 2007; Other 2016': sources in their in-text form, never their keys."""
    return "; ".join(dict.fromkeys(text for _, text in in_text(ids)))


def reference(source: Source | None) -> str:
    """A source in the plan's list: its in-text form (as the items cite it), then in full."""
    if source is None:
        return "(citation missing)"
    if source.kind == "shared":  # described, not authored: the description is the citation
        about = source.citation.split(": ", 1)[-1]
        return about[:1].upper() + about[1:]
    return f"{author_year(source)}: {source.citation}"


def pain_rules(exercises: list[Exercise]) -> dict[str, str]:
    """Each guide exercise's pain rule, said once: an exercise whose rule is the same as an
    earlier one's says so instead of repeating it."""
    first: dict[str, str] = {}
    out = {}
    for ex in exercises:
        if ex.pain_rule in first:
            out[ex.id] = f"as for {first[ex.pain_rule]}."
        else:
            first[ex.pain_rule] = ex.name
            out[ex.id] = ex.pain_rule
    return out


def linked_names(ids: tuple[str, ...], library: ExerciseLibrary) -> str:
    """Names of linked exercises ('' when there are none)."""
    return ", ".join(library.get(i).name for i in ids if i in library)


def setting_line(plan: Plan) -> str:
    """Who the plan is for: athlete, training days and equipment."""
    days = plan.days_per_week
    kit = ", ".join(e.replace("_", " ") for e in plan.equipment) or "no equipment"
    return f"For a {plan.athlete} training {days} day{'s' if days > 1 else ''} a week, with: {kit}."


def factor_line(plan: Plan) -> str | None:
    """The contributing factors the plan works on, or None."""
    if not plan.factor_names:
        return None
    return "It also works on: " + ", ".join(plan.factor_names).lower() + "."
