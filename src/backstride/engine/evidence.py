"""Evidence: the answers known so far, each yes or no, with where it came from.

"Don't know" is simply absence: it carries no evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Origin(StrEnum):
    """Where an answer came from. A "no" read from a story is weaker than one answered directly."""

    ASKED = "asked"
    STORY = "story"


@dataclass(frozen=True, slots=True)
class Answer:
    """One yes/no answer to a finding."""

    value: bool
    origin: Origin = Origin.ASKED


class Evidence(Mapping[str, Answer]):
    """An immutable mapping of finding id to Answer. Adding an answer returns a new Evidence."""

    __slots__ = ("_answers",)

    def __init__(self, answers: Mapping[str, Answer | bool] | None = None) -> None:
        items: dict[str, Answer] = {}
        for key, value in (answers or {}).items():
            items[key] = value if isinstance(value, Answer) else Answer(bool(value))
        self._answers = items

    def __getitem__(self, key: str) -> Answer:
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={'yes' if a.value else 'no'}" for k, a in self._answers.items())
        return f"Evidence({shown})"

    def with_answer(self, finding: str, value: bool, origin: Origin = Origin.ASKED) -> Evidence:
        """A new Evidence with one answer set (replacing any earlier answer)."""
        answers = dict(self._answers)
        answers[finding] = Answer(value, origin)
        return Evidence(answers)

    def without(self, finding: str) -> Evidence:
        """A new Evidence with one answer removed (back to "don't know")."""
        answers = dict(self._answers)
        answers.pop(finding, None)
        return Evidence(answers)

    def merged(self, other: Mapping[str, Answer]) -> Evidence:
        """A new Evidence where ``other``'s answers override these."""
        answers = dict(self._answers)
        answers.update(other)
        return Evidence(answers)

    def is_yes(self, finding: str) -> bool:
        """True when the finding is answered yes."""
        answer = self._answers.get(finding)
        return answer is not None and answer.value

    def as_dict(self) -> dict[str, bool]:
        """Plain ``{finding: bool}``, the shape of a vignette's facts."""
        return {k: a.value for k, a in self._answers.items()}
