"""The plan that moves: its start, the weekly decisions, and where it stands now."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backstride.clock import now
from backstride.store import records as rec
from backstride.store.models import Person, PlanRow
from backstride.track.state import Rung, plan_ladder


def start_plan(session: Session, who: Person, plan: PlanRow) -> Rung:
    """Put a new plan on its first rung and record why."""
    first = plan_ladder(plan.document)[0]
    if first.phase == "now":
        reason = (
            "The plan is suspended: the triage level is "
            f"{plan.triage.replace('_', ' ')}, so see a doctor before any exercise."
        )
        decision = "suspend"
    else:
        reason = "A new plan starts at its first phase."
        decision = "start"
    rec.add_phase_move(
        session,
        who,
        plan_id=plan.id,
        at=plan.created_at or now(),
        decision=decision,
        phase=first.phase,
        step=first.step,
        reason=reason,
        week_start=plan.created_at.date(),
    )
    return first
