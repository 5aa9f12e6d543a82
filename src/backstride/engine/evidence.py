"""Evidence: the answers known so far, each yes or no, with where it came from.

"Don't know" is simply absence: it carries no evidence. An answer is strictly True or False:
anything else (None, "no", 1) is refused, because a coerced "no" would read as a yes.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass
from enum import StrEnum

from backstride.errors import EvidenceError


class Origin(StrEnum):
    """Where an answer came from. A "no" read from a story is weaker than one answered directly."""

    ASKED = "asked"
    STORY = "story"


@dataclass(frozen=True, slots=True)
class Answer:
    """One yes/no answer to a finding.

    ``implied`` marks an answer derived from another one of the same answer group ("over 65"
    gives "over 50"); it keeps the origin of the answer it came from.
    """

    value: bool
    origin: Origin = Origin.ASKED
    implied: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.value, bool):
            raise EvidenceError(f"an answer must be true or false, not {self.value!r}")


class Evidence(Mapping[str, Answer]):
    """An immutable mapping of finding id to Answer. Adding an answer returns a new Evidence."""

    __slots__ = ("_answers",)

    def __init__(self, answers: Mapping[str, Answer | bool] | None = None) -> None:
        items: dict[str, Answer] = {}
        for key, value in (answers or {}).items():
            if isinstance(value, Answer):
                items[key] = value
            elif isinstance(value, bool):
                items[key] = Answer(value)
            else:
                raise EvidenceError(f"the answer to '{key}' must be true or false, not {value!r}")
        self._answers = items

    def __getitem__(self, key: str) -> Answer:
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, key: object) -> bool:
        return key in self._answers

    # Fast paths for the Mapping views: the engine iterates evidence on every interview step.
    def items(self) -> ItemsView[str, Answer]:
        return self._answers.items()

    def keys(self) -> KeysView[str]:
        return self._answers.keys()

    def values(self) -> ValuesView[Answer]:
        return self._answers.values()

    def get(self, key: str, default: Answer | None = None) -> Answer | None:  # type: ignore[override]
        """The answer to ``key``, or ``default`` (fast path: the engine calls this a lot)."""
        return self._answers.get(key, default)

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

    def given(self) -> Evidence:
        """Only the answers given (read or asked), without the ones implied by them."""
        return Evidence({k: a for k, a in self._answers.items() if not a.implied})

    def as_dict(self) -> dict[str, bool]:
        """Plain ``{finding: bool}``, the shape of a vignette's facts."""
        return {k: a.value for k, a in self._answers.items()}
