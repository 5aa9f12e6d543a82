"""Where a person stands in their plan: the phase and, in the return to run, the walk-run step.

The plan's phases and steps form one ladder: calm, restore, strengthen, the six walk-run steps
of the return to run, then prevent. A plan without exercise (urgent or emergency triage) has a
single rung, "now": the plan is suspended until a doctor has been seen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

RUN_PHASE = "return_to_run"
WALK_RUN_STEPS = 6  # walk_run_1 .. walk_run_6 in the plan's catalogue


@dataclass(frozen=True, slots=True, order=True)
class Rung:
    """One rung of the ladder: a phase, and the walk-run step in the return to run."""

    phase: str
    step: int | None = None

    @property
    def label(self) -> str:
        """For people: 'strengthen' or 'return_to_run (walk_run_3)'."""
        return self.phase if self.step is None else f"{self.phase} (walk_run_{self.step})"

    @property
    def run_item(self) -> str | None:
        """The plan item id of this rung's run, if it has one."""
        return None if self.step is None else f"walk_run_{self.step}"


def ladder(phase_ids: Sequence[str]) -> tuple[Rung, ...]:
    """The rungs of a plan with these phases, in order."""
    rungs: list[Rung] = []
    for pid in phase_ids:
        if pid == RUN_PHASE:
            rungs += [Rung(pid, n) for n in range(1, WALK_RUN_STEPS + 1)]
        else:
            rungs.append(Rung(pid))
    return tuple(rungs)


def plan_ladder(plan: Mapping[str, Any]) -> tuple[Rung, ...]:
    """The ladder of a plan document (``plan --json``)."""
    return ladder([str(p["id"]) for p in plan.get("phases", [])])


def position(rungs: Sequence[Rung], rung: Rung) -> int:
    """Index of a rung in the ladder (0 when unknown, so a bad record restarts safely)."""
    try:
        return list(rungs).index(rung)
    except ValueError:
        return 0


def step_up(rungs: Sequence[Rung], rung: Rung) -> Rung:
    """The next rung (the last one stays)."""
    return rungs[min(position(rungs, rung) + 1, len(rungs) - 1)]


def step_down(rungs: Sequence[Rung], rung: Rung) -> Rung:
    """The rung before (the first one stays)."""
    return rungs[max(position(rungs, rung) - 1, 0)]
