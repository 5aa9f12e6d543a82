"""What every export shares: the exercises a plan uses and the citations of its sources."""

from __future__ import annotations

from collections.abc import Mapping

from backstride.kb import default_knowledge_base
from backstride.kb.schema import Source
from backstride.plan.exercises import Exercise, ExerciseLibrary
from backstride.plan.model import ItemKind, Plan

KIND_LABEL: dict[ItemKind, str] = {
    "stop": "STOP",
    "advice": "Advice",
    "exercise": "Exercise",
    "run": "Run",
    "ride": "Ride",
}
TITLE = "Your backstride plan"


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


def linked_names(ids: tuple[str, ...], library: ExerciseLibrary) -> str:
    """Names of linked exercises ('' when there are none)."""
    return ", ".join(library.get(i).name for i in ids if i in library)


def summary_lines(plan: Plan) -> list[str]:
    """Short lines saying what the plan was tailored to."""
    lines: list[str] = []
    if plan.tailored_to:
        causes = "; ".join(f"{c.name} ({round(c.probability * 100)}%)" for c in plan.tailored_to)
        lines.append(f"Tailored to possible causes: {causes}.")
    else:
        lines.append("No single cause stands out, so this is a general plan.")
    if plan.factors:
        lines.append("Contributing factors: " + ", ".join(plan.factor_names).lower() + ".")
    days = plan.days_per_week
    lines.append(
        f"For a {plan.athlete} training {days} day{'s' if days > 1 else ''} a week, "
        f"with: {', '.join(e.replace('_', ' ') for e in plan.equipment) or 'no equipment'}."
    )
    return lines
