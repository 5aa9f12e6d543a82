"""The one voice on running: what a plan, and `backstride check`, say about running (pure).

``running_advice`` decides it for a triage level, the causes and a phase; the texts are data
(``running:`` in plan_rules.yaml). The plan generator stores the advice in every phase, and
``check`` shows the first phase's, so the two commands never disagree.
"""

from __future__ import annotations

from backstride.kb.schema import TriageLevel
from backstride.plan.model import PlanPhaseId, RunningAdvice
from backstride.plan.rules import Rules, RunningText

# The phases before this one never have runs in them.
RETURN_PHASE: PlanPhaseId = "return_to_run"


def running_advice(
    rules: Rules,
    level: TriageLevel,
    phase: PlanPhaseId,
    *,
    screen_open: bool = False,
    bone_stress: str | None = None,
    runs_per_week: int = 3,
) -> RunningAdvice:
    """The running advice for this level, these causes and this phase.

    In order: emergency and urgent levels stop all training; open warning-sign questions stop
    running and riding; a possible bone stress injury (``bone_stress`` names it) stops running
    and jumping until a clinician clears it, and then the return is walk-run after clearance;
    otherwise each phase has its own advice. ``runs_per_week`` fills in ``{runs}``.
    """
    running = rules.running
    text: RunningText
    if level == "emergency":
        text = running.emergency
    elif level == "urgent":
        text = running.urgent
    elif screen_open:
        text = running.screen_open
    elif phase == "now":
        # a "what to do now" phase only comes with urgent or emergency levels
        text = running.urgent
    elif bone_stress is not None and phase == RETURN_PHASE:
        text = running.bone_stress_return
    elif bone_stress is not None and _before_return(phase):
        text = running.bone_stress
    else:
        text = running.phases[phase]
    filled = text.text.replace("{runs}", str(runs_per_week)).replace("{cause}", bone_stress or "")
    return RunningAdvice(runs=text.runs, text=filled, sources=text.sources)


def _before_return(phase: PlanPhaseId) -> bool:
    order: tuple[PlanPhaseId, ...] = ("calm", "restore", "strengthen")
    return phase in order
