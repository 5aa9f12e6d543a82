"""The measurable side of the plan's criteria: schema and loader for ``data/progression.yaml``.

``plan_rules.yaml`` words each phase's entry and exit criteria for people; this file gives the
same criteria as checks the weekly decision can test (``backstride.track.decision``), with the
pain rule, the walk-run ladder's pace and the load figures' grades.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backstride.errors import KnowledgeBaseError
from backstride.kb.schema import Provenance, Source

PROGRESSION_PATH = Path(__file__).resolve().parent / "data" / "progression.yaml"
_DISPLAY = "plan/data/progression.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PainRule(Provenance):
    """Pain during at most ``during_max``; next morning at most the usual level plus a margin."""

    during_max: int = Field(ge=0, le=10)
    morning_over_usual_max: int = Field(ge=0, le=10)
    usual_days: int = Field(ge=1)


class Check(_Strict):
    """Something a person tests and logs as met."""

    name: str = Field(min_length=5)


class PhaseExit(Provenance):
    """What leaving a phase takes."""

    rest_pain_max: int | None = Field(default=None, ge=0, le=10)
    checks: tuple[str, ...] = ()
    no_signs: tuple[str, ...] = ()
    continuous_minutes: int | None = Field(default=None, ge=1)
    continuous_runs: int | None = Field(default=None, ge=1)


class PhaseEntry(Provenance):
    """Checks needed to enter a phase, beyond the previous phase's exit."""

    checks: tuple[str, ...] = ()


class GroupExtra(_Strict):
    """A plan group's extra checks, per phase, to enter or to leave it."""

    entry: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    exit: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class WalkRun(Provenance):
    """The walk-run ladder's pace."""

    runs_to_move_up: int = Field(ge=1)


class Grade(_Strict):
    """A band of 'longer than the longest run of the last 30 days' and its hazard ratio."""

    over: float = Field(ge=0)
    up_to: float | None = None
    hazard_ratio: float = Field(gt=0)
    label: str


class LongestRun(Provenance):
    """How single runs are graded against the longest of the previous window."""

    window_days: int = Field(ge=1)
    grades: tuple[Grade, ...] = Field(min_length=1)


class Acwr(Provenance):
    """The acute:chronic ratio's windows and the caveat shown with it."""

    acute_days: int = Field(ge=1)
    chronic_days: int = Field(ge=1)
    caveat: str = Field(min_length=20)


class Progression(_Strict):
    """Everything in progression.yaml."""

    version: int
    pain_rule: PainRule
    checks: dict[str, Check]
    exits: dict[str, PhaseExit]
    entries: dict[str, PhaseEntry] = Field(default_factory=dict)
    groups: dict[str, GroupExtra] = Field(default_factory=dict)
    walk_run: WalkRun
    longest_run: LongestRun
    session_rpe: Provenance
    acwr: Acwr
    sources: tuple[Source, ...] = ()

    def check_ids(self) -> set[str]:
        """Every check named anywhere in the file."""
        ids = {c for e in self.exits.values() for c in e.checks}
        ids |= {c for e in self.entries.values() for c in e.checks}
        for g in self.groups.values():
            ids |= {c for cs in (*g.entry.values(), *g.exit.values()) for c in cs}
        return ids


def parse_progression(data: Any, display: str = _DISPLAY) -> Progression:
    """Validate the file's data; KnowledgeBaseError names the first problem."""
    try:
        parsed = Progression.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise KnowledgeBaseError(display, None, where, err["msg"]) from None
    unknown = sorted(parsed.check_ids() - set(parsed.checks))
    if unknown:
        raise KnowledgeBaseError(display, None, "checks", f"not defined: {', '.join(unknown)}")
    return parsed


@cache
def load_progression(path: Path = PROGRESSION_PATH) -> Progression:
    """The packaged progression rules (loaded once per process)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(_DISPLAY, None, None, f"cannot read: {exc}") from None
    return parse_progression(data)
