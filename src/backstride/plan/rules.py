"""The plan rules: schema and loader for ``plan/data/plan_rules.yaml``.

The rules are data. They say which phases a plan has and how each is entered and left, which
items each leading cause, finding, contributing factor, athlete type and triage level adds to
which phase, and the catalogue of runs, rides, advice and stop items. Exercises come from the
exercise library; everything else comes from the catalogue. Every entry carries its sources or
is marked as an estimate with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backstride.data_files import read_yaml
from backstride.errors import KnowledgeBaseError
from backstride.kb.schema import Provenance, TriageLevel
from backstride.plan.exercises import PhaseId
from backstride.plan.model import AthleteType

RULES_PATH = Path(__file__).resolve().parent / "data" / "plan_rules.yaml"
_DISPLAY = "plan/data/plan_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """A test on the findings: every ``all`` yes, at least one ``any`` yes, no ``none`` yes."""

    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()

    def holds(self, findings: Mapping[str, bool]) -> bool:
        """True when the findings (id -> yes/no; missing = don't know) pass the test."""
        return (
            all(findings.get(f) is True for f in self.all)
            and (not self.any or any(findings.get(f) is True for f in self.any))
            and not any(findings.get(f) is True for f in self.none)
        )

    def matched(self, findings: Mapping[str, bool]) -> tuple[str, ...]:
        """The findings answered yes that made the test pass (for the item's why)."""
        return tuple(f for f in (*self.all, *self.any) if findings.get(f) is True)


class ItemRef(_Strict):
    """A reference from a rule to an exercise (library id) or a catalogue item, with its why."""

    id: str
    why: str = Field(min_length=10)
    when: When | None = None
    alternatives: tuple[str, ...] = ()
    dose: str | None = None
    sources: tuple[str, ...] = ()


class CatalogueItem(Provenance):
    """A run, ride, piece of advice or stop item that is not an exercise."""

    kind: Literal["run", "ride", "advice", "stop"]
    name: str = Field(min_length=3)
    text: str = Field(min_length=10)
    dose: str = ""
    impact: bool = False
    replaced_by: tuple[str, ...] = ()
    guide: str | None = None


class Restriction(_Strict):
    """Exercises with this flag are left out of every phase before ``until``."""

    flag: Literal["impact", "loaded_extension"]
    until: PhaseId


class Criterion(Provenance):
    """A measurable criterion with its provenance."""

    text: str = Field(min_length=10)


class PhaseRule(_Strict):
    """One phase every plan has: name, goal, entry and exit criteria, duration, base items."""

    id: PhaseId
    name: str
    goal: str
    entry: Criterion
    exit: Criterion
    days: tuple[int, int]
    max_exercises: int = Field(ge=1)
    items: tuple[ItemRef, ...] = ()


class GroupRule(Provenance):
    """How the plan is tailored to a family of causes (bone stress, facet, disc, ...)."""

    name: str
    summary: str = Field(min_length=10)
    escalate: TriageLevel | None = None
    bone_stress: bool = False
    restrict: tuple[Restriction, ...] = ()
    avoid: tuple[str, ...] = ()
    days: dict[PhaseId, tuple[int, int]] = Field(default_factory=dict)
    entry_extra: dict[PhaseId, Criterion] = Field(default_factory=dict)
    exit_extra: dict[PhaseId, Criterion] = Field(default_factory=dict)
    items: dict[PhaseId, tuple[ItemRef, ...]] = Field(default_factory=dict)


class ConditionRule(_Strict):
    """A vocabulary condition and the group whose tailoring it uses (its name for people is in
    the knowledge base's wording.yaml)."""

    group: str


class TriggerRule(_Strict):
    """Items added when a finding pattern, a contributing factor or an athlete type is present."""

    name: str
    when: When | None = None
    equipment: tuple[str, ...] = ()
    items: dict[PhaseId, tuple[ItemRef, ...]] = Field(default_factory=dict)


class NowRule(_Strict):
    """The only phase of a plan at urgent or emergency triage: what to do now."""

    name: str
    goal: str
    entry: str
    exit: str
    items: tuple[ItemRef, ...] = Field(min_length=1)


class Threshold(Provenance):
    """A probability cut-off with its provenance."""

    value: float = Field(gt=0.0, lt=1.0)


class Thresholds(_Strict):
    likely: Threshold
    caution: Threshold


class FewDays(Provenance):
    """With fewer training days a week, some phases take longer."""

    below: int = Field(ge=2, le=7)
    stretch: float = Field(ge=1.0, le=3.0)
    phases: tuple[PhaseId, ...]


class SeekHelp(Provenance):
    """A warning sign every plan lists, and what to do if it appears."""

    text: str = Field(min_length=10)
    exercise_plan_only: bool = False  # about exercising, so left out of a "what to do now" plan


class RunningText(Provenance):
    """What a plan says about running in one situation; ``{runs}`` and ``{cause}`` are filled."""

    runs: bool  # whether this phase has runs in it
    text: str = Field(min_length=10)


class RunningRules(_Strict):
    """The running advice for each situation (chosen by ``plan.guidance.running_advice``)."""

    emergency: RunningText
    urgent: RunningText
    screen_open: RunningText
    bone_stress: RunningText
    bone_stress_return: RunningText
    phases: dict[PhaseId, RunningText]


class TriageText(_Strict):
    """How a triage level is shown to people."""

    headline: str
    meaning: str


class Rules(_Strict):
    """Every rule the plan generator follows."""

    version: int
    disclaimer: str
    triage_text: dict[TriageLevel, TriageText]
    thresholds: Thresholds
    escalate_at: dict[TriageLevel, float]
    always_available: tuple[str, ...] = ()
    max_runs_per_week: int = Field(ge=1, le=7)
    few_days: FewDays
    catalogue: dict[str, CatalogueItem]
    phases: tuple[PhaseRule, ...]
    conditions: dict[str, ConditionRule]
    groups: dict[str, GroupRule]
    default_group: str
    findings: dict[str, TriggerRule] = Field(default_factory=dict)
    factors: dict[str, TriggerRule] = Field(default_factory=dict)
    athletes: dict[AthleteType, TriggerRule] = Field(default_factory=dict)
    now: dict[TriageLevel, NowRule]
    soon: tuple[ItemRef, ...] = ()
    open_screen: tuple[ItemRef, ...] = Field(min_length=1)
    seek_help: tuple[SeekHelp, ...] = Field(min_length=1)
    # A cause's own "seek help" line naming one of these restates the warning signs above, so an
    # exercise plan leaves it out: each warning sign is listed once.
    seek_help_restated: tuple[str, ...] = ()
    running: RunningRules

    @model_validator(mode="after")
    def _consistent(self) -> Rules:
        order = [p.id for p in self.phases]
        if order != ["calm", "restore", "strengthen", "return_to_run", "prevent"]:
            raise ValueError(
                f"phases must be calm, restore, strengthen, return_to_run, prevent; got {order}"
            )
        for cid, cond in self.conditions.items():
            if cond.group not in self.groups:
                raise ValueError(f"condition {cid}: unknown group '{cond.group}'")
        if self.default_group not in self.groups:
            raise ValueError(f"default_group: unknown group '{self.default_group}'")
        missing = [p for p in order if p not in self.running.phases]
        if missing:
            raise ValueError(f"running.phases: missing '{missing[0]}'")
        for level in ("self_care", "soon", "urgent", "emergency"):
            if level not in self.triage_text:
                raise ValueError(f"triage_text: missing '{level}'")
        for level in ("urgent", "emergency"):
            if level not in self.now:
                raise ValueError(f"now: missing the '{level}' plan")
        for p in self.phases:
            lo, hi = p.days
            if not 0 < lo <= hi:
                raise ValueError(f"phase {p.id}: days must be 0 < min <= max")
        for gid, group in self.groups.items():
            for phase, (lo, hi) in group.days.items():
                if not 0 < lo <= hi:
                    raise ValueError(f"group {gid}, phase {phase}: days must be 0 < min <= max")
        return self

    def phase(self, phase_id: PhaseId) -> PhaseRule:
        """The rule for one phase."""
        return next(p for p in self.phases if p.id == phase_id)

    def all_refs(self) -> list[tuple[str, ItemRef]]:
        """Every item reference in the rules with where it is, for checks."""
        out: list[tuple[str, ItemRef]] = []
        for p in self.phases:
            out += [(f"phases.{p.id}", r) for r in p.items]
        for gid, g in self.groups.items():
            for ph, refs in g.items.items():
                out += [(f"groups.{gid}.{ph}", r) for r in refs]
        for section, triggers in (("findings", self.findings), ("factors", self.factors)):
            for tid, t in triggers.items():
                for ph, refs in t.items.items():
                    out += [(f"{section}.{tid}.{ph}", r) for r in refs]
        for aid, a in self.athletes.items():
            for ph, refs in a.items.items():
                out += [(f"athletes.{aid}.{ph}", r) for r in refs]
        for level, now in self.now.items():
            out += [(f"now.{level}", r) for r in now.items]
        out += [("soon", r) for r in self.soon]
        return out


def parse_rules(data: Any, display: str = _DISPLAY) -> Rules:
    """Validate rules data, or raise KnowledgeBaseError naming the field and the problem."""
    if not isinstance(data, dict):
        raise KnowledgeBaseError(display, None, None, "expected a mapping at the top level")
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or None
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise KnowledgeBaseError(display, None, where, msg) from None


@cache
def load_rules(path: Path = RULES_PATH) -> Rules:
    """The packaged plan rules, loaded and validated once per process."""
    return parse_rules(read_yaml(path, _DISPLAY))
