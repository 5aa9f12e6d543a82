"""Pydantic models for the knowledge-base YAML files (the data contract).

Every number carries provenance: either ``sources`` (ids from sources.yaml) or
``estimate: true`` with a ``note`` saying how it was estimated.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TriageLevel = Literal["self_care", "soon", "urgent", "emergency"]
TRIAGE_ORDER: tuple[TriageLevel, ...] = ("self_care", "soon", "urgent", "emergency")

# Words that make a first step into running advice (see Condition.do).
RUNNING_ADVICE = re.compile(
    r"\b(?:run|runs|running|jog\w*|strides?|overstrid\w*|speed work|hills?)\b", re.I
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Strict):
    """Where a fact or number comes from."""

    sources: tuple[str, ...] = ()
    estimate: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _has_provenance(self) -> Provenance:
        if not self.sources and not self.estimate:
            raise ValueError("give 'sources' or mark it 'estimate: true' with a note")
        if self.estimate and not self.note:
            raise ValueError("an estimate needs a 'note' saying how it was estimated")
        return self


class Probability(Provenance):
    """A probability with its provenance."""

    p: float = Field(gt=0.0, lt=1.0)


class Source(_Strict):
    id: str
    citation: str
    url: str | None = None
    kind: Literal["study", "review", "guideline", "textbook", "article", "shared"] = "study"


class Condition(_Strict):
    id: str
    name: str
    description: str
    prior: Probability
    triage_floor: TriageLevel
    # the probability at which the floor applies, when it differs from the engine's default for
    # the level (engine/triage.py FLOOR_THRESHOLDS)
    floor_threshold: Probability | None = None
    serious: bool = False
    do: tuple[str, ...] = Field(min_length=1)
    avoid: tuple[str, ...] = ()
    seek_help_sooner: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("do")
    @classmethod
    def _no_running_advice(cls, steps: tuple[str, ...]) -> tuple[str, ...]:
        # One voice on running: the plan's running rules decide it for every level, cause and
        # phase, and `check` shows the plan's words. A running line here would contradict them.
        for step in steps:
            if RUNNING_ADVICE.search(step):
                raise ValueError(
                    f"'{step}' is running advice: it belongs in the plan's running rules"
                )
        return steps


class SelfTest(_Strict):
    steps: tuple[str, ...] = Field(min_length=2)
    stop_if: str
    sources: tuple[str, ...] = Field(min_length=1)


Category = Literal[
    "person",
    "course",
    "location",
    "quality",
    "neuro",
    "aggravating",
    "easing",
    "systemic",
    "training",
    "bike",
    "self_test",
]


class Finding(_Strict):
    id: str
    question: str
    help: str = ""
    category: Category
    red_flag: bool = False
    self_test: SelfTest | None = None
    base: Probability
    likelihoods: dict[str, Probability] = Field(default_factory=dict)


class Rule(_Strict):
    """A combination of findings answered yes that demands at least a triage level.

    The rule fires when every id in ``all`` is yes and (if ``any`` is given) at least one
    id in ``any`` is yes. ``suggests`` names the causes the rule is a warning sign of: when it
    fires they are listed first, so that the ranking never contradicts the triage. A
    ``screen`` rule has no findings: it fires on a final result whose warning-sign screen is
    incomplete (docs/model.md).
    """

    id: str
    kind: Literal["red_flag", "course", "screen"]
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    level: TriageLevel
    reason: str
    suggests: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_empty(self) -> Rule:
        if self.kind == "screen":
            if self.all or self.any:
                raise ValueError("a screen rule takes no 'all' or 'any'")
        elif not self.all and not self.any:
            raise ValueError("a rule needs 'all' or 'any'")
        return self

    @property
    def findings(self) -> tuple[str, ...]:
        """Every finding the rule looks at."""
        return (*self.all, *self.any)


class ScreeningGroup(_Strict):
    id: str
    prompt: str
    why: str
    ask_each: bool = False  # ask every item (no "any of these?" shortcut), e.g. age and sex
    items: tuple[str, ...] = Field(min_length=1)


class Factor(_Strict):
    id: str
    name: str
    findings: tuple[str, ...] = Field(min_length=1)
    why: str
    sources: tuple[str, ...] = Field(min_length=1)


class AnswerGroup(_Strict):
    """Findings that each ask about one underlying quantity (age, duration, ...).

    The quantity takes one of ``categories`` (ordered from least to most worrying), and each
    finding is yes exactly when it lies in that finding's categories. So the answers imply one
    another ("over 65" means "over 50") and can clash ("under 20" and "over 50"); and the
    engine counts the group's answers together, once, instead of multiplying nested
    likelihoods (docs/model.md).
    """

    id: str
    reason: str
    categories: tuple[str, ...] = Field(min_length=2)
    findings: dict[str, tuple[str, ...]] = Field(min_length=1)

    @model_validator(mode="after")
    def _sets_are_proper(self) -> AnswerGroup:
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("a category appears twice")
        for fid, cats in self.findings.items():
            unknown = [c for c in cats if c not in self.categories]
            if unknown:
                raise ValueError(f"finding '{fid}': unknown category '{unknown[0]}'")
            if not cats or len(set(cats)) == len(self.categories):
                raise ValueError(f"finding '{fid}': must be yes for some but not all categories")
        return self


def _plain(text: str) -> str:
    # "/" joined names that themselves held "/" into an unreadable list (issue 10).
    if "/" in text:
        raise ValueError(f"'{text}': write it without '/' (say 'or', or name one thing)")
    return text


class ConditionWords(_Strict):
    """A cause in everyday words."""

    name: str = Field(min_length=3)

    @field_validator("name")
    @classmethod
    def _no_slash(cls, value: str) -> str:
        return _plain(value)


class FindingWords(_Strict):
    """An answer as a short phrase: "pain when you sit", "no pain below the knee"."""

    when_yes: str = Field(min_length=2)
    when_no: str = Field(min_length=2)

    @field_validator("when_yes", "when_no")
    @classmethod
    def _no_slash(cls, value: str) -> str:
        return _plain(value)


class Wording(_Strict):
    """Plain words for people (wording.yaml): every cause's name and every answer's phrase."""

    conditions: dict[str, ConditionWords]
    findings: dict[str, FindingWords]

    def name(self, condition_id: str) -> str:
        """The cause in everyday words (KeyError if unknown)."""
        return self.conditions[condition_id].name

    def short_name(self, condition_id: str) -> str:
        """The everyday name without its bracketed clinical name, for running text."""
        return re.sub(r"\s*\([^)]*\)", "", self.name(condition_id))

    def phrase(self, finding_id: str, answer: bool) -> str:
        """The answer as a short phrase (KeyError if unknown)."""
        words = self.findings[finding_id]
        return words.when_yes if answer else words.when_no
