"""The plan's data types: what goes in (an assessment, the person) and what comes out (a Plan).

``AssessmentInput`` reads the JSON that ``backstride check --json`` prints (extra keys ignored).
A ``Plan`` is a sequence of ``Phase``s, each with measurable entry and exit criteria and a list
of ``PlanItem``s; every item says why it is there and cites its sources.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.errors import InputError
from backstride.kb.schema import TriageLevel

PlanPhaseId = Literal["now", "calm", "restore", "strengthen", "return_to_run", "prevent"]
ItemKind = Literal["exercise", "run", "ride", "advice", "stop"]
AthleteType = Literal["runner", "triathlete"]

PHASE_ORDER: tuple[PlanPhaseId, ...] = (
    "now",
    "calm",
    "restore",
    "strengthen",
    "return_to_run",
    "prevent",
)


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TriageDetail(_Input):
    """What kind of thing demanded a level (``check --json`` gives these under ``details``)."""

    kind: str = ""
    id: str = ""
    level: TriageLevel | None = None


class TriageInput(_Input):
    """The triage part of an assessment."""

    level: TriageLevel
    reasons: tuple[str, ...] = ()
    details: tuple[TriageDetail, ...] = ()

    @field_validator("reasons", mode="before")
    @classmethod
    def _reason_texts(cls, value: Any) -> Any:
        # `check` may give reasons as plain strings or as objects with a "reason" text.
        if isinstance(value, list | tuple):
            return tuple(
                str(r.get("reason") or r.get("id") or r) if isinstance(r, dict) else r
                for r in value
            )
        return value


class ConditionInput(_Input):
    """One possible cause, its probability, and whether a warning sign points to it."""

    id: str = Field(min_length=1)
    probability: float = Field(ge=0.0, le=1.0)
    flagged_by_warning_sign: bool = False


class AssessmentInput(_Input):
    """What the plan needs from an assessment: triage, ranked causes, factors and findings."""

    triage: TriageInput
    conditions: tuple[ConditionInput, ...] = ()
    contributing_factors: tuple[str, ...] = ()
    findings: dict[str, bool] = Field(default_factory=dict)
    story_answers: tuple[str, ...] = ()  # findings only read from the story, not asked

    @field_validator("contributing_factors", mode="before")
    @classmethod
    def _factor_ids(cls, value: Any) -> Any:
        # Accept ["id", ...] or [{"id": ...}, ...].
        if isinstance(value, list | tuple):
            return tuple(v.get("id") if isinstance(v, dict) else v for v in value)
        return value

    def ranked(self) -> tuple[ConditionInput, ...]:
        """Conditions sorted by probability, highest first (ties keep their given order)."""
        return tuple(sorted(self.conditions, key=lambda c: -c.probability))

    def is_yes(self, finding: str) -> bool:
        """True when the finding was answered yes."""
        return self.findings.get(finding) is True

    def evidence(self) -> Evidence:
        """The findings as engine evidence, story answers marked as such."""
        return Evidence(
            {
                f: Answer(v, Origin.STORY if f in self.story_answers else Origin.ASKED)
                for f, v in self.findings.items()
            }
        )


def parse_assessment(data: Any, source: str = "assessment") -> AssessmentInput:
    """Validate assessment JSON, or raise InputError naming the first problem and where it is."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object, got {type(data).__name__}")
    try:
        return AssessmentInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise InputError(f"{source}: field '{where}': {err['msg']}") from None


class PersonSettings(BaseModel):
    """The person's situation: days available, equipment at hand and athlete type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_per_week: int = Field(default=3, ge=1, le=7)
    equipment: frozenset[str] = frozenset({"mat"})
    athlete: AthleteType | None = None


class PlanItem(BaseModel):
    """One thing to do (or stop doing), with its dose, the reason it is there and its sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ItemKind
    id: str
    name: str
    dose: str = ""
    why: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    details: str = ""
    impact: bool = False
    replaces: str | None = None
    guide: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The item as in shared/contract/cli.md, with a few extra keys."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "dose": self.dose,
            "why": self.why,
            "sources": list(self.sources),
        }
        if self.details:
            out["details"] = self.details
        if self.replaces:
            out["replaces"] = self.replaces
        if self.guide:
            out["guide"] = self.guide
        return out


class RunningAdvice(BaseModel):
    """What the plan says about running in one phase (decided by ``plan.guidance``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    runs: bool  # whether the phase has runs in it
    text: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    def to_json(self) -> dict[str, Any]:
        """The advice as JSON."""
        return {"runs": self.runs, "text": self.text, "sources": list(self.sources)}


class Phase(BaseModel):
    """A stage of the plan, entered and left by measurable criteria, with its running advice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: PlanPhaseId
    name: str
    goal: str
    entry: str
    exit: str
    days_min: int = Field(ge=0)
    days_max: int = Field(ge=0)
    running: RunningAdvice
    items: tuple[PlanItem, ...]

    def to_json(self) -> dict[str, Any]:
        """The phase as in shared/contract/cli.md, with its duration and running advice added."""
        return {
            "id": self.id,
            "name": self.name,
            "goal": self.goal,
            "entry": self.entry,
            "exit": self.exit,
            "days": [self.days_min, self.days_max],
            "running": self.running.to_json(),
            "items": [i.to_json() for i in self.items],
        }

    def duration_text(self) -> str:
        """'3-5 days' or '2-3 weeks', for people."""
        lo, hi = self.days_min, self.days_max
        if hi < 14:
            return f"{lo} days" if lo == hi else f"{lo}–{hi} days"
        wlo, whi = round(lo / 7), round(hi / 7)
        return f"{whi} weeks" if wlo == whi else f"{wlo}–{whi} weeks"


class ConditionRef(BaseModel):
    """A cause the plan was tailored to: its everyday name, its probability, whether a warning
    sign points to it, and why we think so (the strongest answers for it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    probability: float
    flagged: bool = False
    why: str = ""


class Plan(BaseModel):
    """The whole plan: triage, the causes it was tailored to, phases, and when to seek help."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    triage: TriageLevel
    triage_headline: str
    triage_meaning: str
    triage_reasons: tuple[str, ...] = ()
    exercise_plan: bool
    leading: ConditionRef | None
    tailored_to: tuple[ConditionRef, ...] = ()
    factors: tuple[str, ...] = ()
    factor_names: tuple[str, ...] = ()
    athlete: AthleteType
    days_per_week: int
    equipment: tuple[str, ...]
    running_stopped: bool
    clearance_phase: PlanPhaseId | None
    # warning-sign questions still open when the plan was made: no run or ride until answered
    screen_missing: tuple[str, ...] = ()
    phases: tuple[Phase, ...]
    seek_help: tuple[str, ...]  # the warning signs every plan lists
    seek_help_causes: tuple[str, ...] = ()  # each tailored cause's own, not restating those
    notes: tuple[str, ...] = ()
    disclaimer: str

    def items(self) -> list[tuple[Phase, PlanItem]]:
        """Every (phase, item) pair in order."""
        return [(p, i) for p in self.phases for i in p.items]

    def guide_ids(self) -> list[str]:
        """Ids of the library exercises the plan's items link to, in order of first use."""
        seen: dict[str, None] = {}
        for _, item in self.items():
            if item.guide:
                seen.setdefault(item.guide, None)
        return list(seen)

    def source_ids(self) -> list[str]:
        """Every cited source id (running advice and items) in order of first appearance."""
        seen: dict[str, None] = {}
        for phase in self.phases:
            for s in (*phase.running.sources, *(x for i in phase.items for x in i.sources)):
                seen.setdefault(s, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        """The plan as in shared/contract/cli.md (``triage`` and ``phases``) plus extras."""
        return {
            "triage": self.triage,
            "triage_headline": self.triage_headline,
            "triage_meaning": self.triage_meaning,
            "triage_reasons": list(self.triage_reasons),
            "exercise_plan": self.exercise_plan,
            "leading_condition": self.leading.model_dump() if self.leading else None,
            "tailored_to": [c.model_dump() for c in self.tailored_to],
            "contributing_factors": list(self.factors),
            "athlete": self.athlete,
            "days_per_week": self.days_per_week,
            "equipment": list(self.equipment),
            "running_stopped": self.running_stopped,
            "clearance_phase": self.clearance_phase,
            "screen_missing": list(self.screen_missing),
            "phases": [p.to_json() for p in self.phases],
            "seek_help_sooner": [*self.seek_help, *self.seek_help_causes],
            "notes": list(self.notes),
            "disclaimer": self.disclaimer,
        }
