"""The adaptive interview: red-flag screening first, then the most informative questions.

Order of questions
1. Screening: every red flag not yet answered directly is asked in grouped checklists (one
   question per group). A red flag read as present from the story is never dropped or re-asked;
   one the story denied is confirmed directly.
2. Findings the story mentioned uncertainly ("maybe numb") are asked next.
3. Then the finding with the highest expected information gain about the cause.

Stop rule (StopRule, docs/model.md): stop at once when triage is emergency; otherwise, after
screening, stop when the leading cause (or the three leading causes together) is likely enough,
when no question left is worth asking, or at the question cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from backstride.engine.assessment import Assessment, assess
from backstride.engine.consistency import (
    broken_constraints,
    contradictions,
    implied,
    unknown_ids,
)
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.inference import FloatArray, information_gain, posterior, update
from backstride.engine.triage import triage
from backstride.errors import EvidenceError
from backstride.kb import KnowledgeBase, default_knowledge_base
from backstride.kb.schema import SelfTest


@dataclass(frozen=True, slots=True)
class StopRule:
    """When the interview has asked enough (documented in docs/model.md)."""

    confident: float = 0.85  # the leading cause is this likely
    top3_mass: float = 0.97  # or the three leading causes hold this much probability together
    min_gain: float = 0.04  # or no question left is worth this many bits
    max_questions: int = 20  # or this many questions were asked in all

    def satisfied(self, post: FloatArray) -> bool:
        """True when the posterior alone is settled enough to stop."""
        top = np.sort(post)[::-1]
        return bool(top[0] >= self.confident or top[:3].sum() >= self.top3_mass)


DEFAULT_STOP = StopRule()
# Causes below this probability are not named when explaining why a question is asked.
NAME_ABOVE = 0.03


@dataclass(frozen=True, slots=True)
class QuestionItem:
    """One yes/no item of a question."""

    finding: str
    text: str
    help: str
    self_test: SelfTest | None


@dataclass(frozen=True, slots=True)
class Question:
    """A screening checklist (several items, one question) or a single yes/no question."""

    kind: Literal["screening", "single"]
    id: str
    prompt: str
    items: tuple[QuestionItem, ...]
    why: str


@dataclass(slots=True)
class _Step:
    question: Question
    previous: dict[str, Answer | None]


@dataclass
class Interview:
    """One person's interview. Mutable session state on top of the pure engine functions."""

    kb: KnowledgeBase = field(default_factory=default_knowledge_base)
    story: Evidence = field(default_factory=Evidence)
    uncertain: tuple[str, ...] = ()
    stop: StopRule = DEFAULT_STOP
    _answers: dict[str, Answer] = field(default_factory=dict, init=False)
    _asked: set[str] = field(default_factory=set, init=False)
    _history: list[_Step] = field(default_factory=list, init=False)
    _pending: Question | None = field(default=None, init=False)
    _done: bool = field(default=False, init=False)
    _cache: tuple[Evidence, FloatArray] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        unknown = unknown_ids(self.kb, [*self.story, *self.uncertain])
        if unknown:
            raise EvidenceError("unknown finding id(s): " + ", ".join(unknown))
        self._answers = dict(self.story)
        # A story can contradict itself ("left side... both sides"); drop the non-red-flag
        # side of such a clash and ask instead, never a red flag read as present.
        for clash in broken_constraints(self.kb, Evidence(self._answers)):
            for fid in (clash.a, clash.b):
                if not (self.kb.finding(fid).red_flag and self._answers[fid].value):
                    self._answers.pop(fid, None)

    @property
    def evidence(self) -> Evidence:
        """All answers so far, with the answers they imply."""
        return implied(self.kb, Evidence(self._answers))

    @property
    def questions_asked(self) -> int:
        """Questions asked so far (a screening checklist counts as one)."""
        return len(self._history)

    @property
    def finished(self) -> bool:
        """True once the stop rule has ended the interview."""
        return self._done

    def _directly_known(self, evidence: Evidence) -> set[str]:
        direct = {f for f, a in evidence.items() if a.origin is Origin.ASKED}
        story_yes = {f for f, a in evidence.items() if a.origin is Origin.STORY and a.value}
        return self._asked | direct | story_yes

    def next_question(self) -> Question | None:
        """The next question to ask, or None when the interview is over."""
        if self._done:
            return None
        if self._pending is not None:
            return self._pending
        question = self._choose()
        if question is None:
            self._done = True
        self._pending = question
        return question

    def _choose(self) -> Question | None:
        ev = self.evidence
        if triage(self.kb, ev).level == "emergency":
            return None
        known = self._directly_known(ev)
        for group in self.kb.screening:
            todo = [f for f in group.items if f not in known]
            if todo:
                return Question("screening", group.id, group.prompt, self._items(todo), group.why)
        if self.questions_asked >= self.stop.max_questions:
            return None
        for fid in self.uncertain:
            if fid not in known and fid not in ev:
                return self._single(
                    fid, "Your story mentioned this, but not for certain, so it is worth checking."
                )
        candidates = np.array(
            [i for i, f in enumerate(self.kb.finding_ids) if f not in ev and f not in self._asked],
            dtype=np.intp,
        )
        if candidates.size == 0:
            return None
        post = self._posterior(ev)
        if self.stop.satisfied(post):
            return None
        gains = information_gain(self.kb, post, candidates)
        best = int(np.argmax(gains))
        if gains[best] < self.stop.min_gain:
            return None
        f = int(candidates[best])
        return self._single(self.kb.finding_ids[f], self._why(f, post))

    def _posterior(self, ev: Evidence) -> FloatArray:
        """Posterior for ``ev``, updated one answer at a time from the last one when possible."""
        post: FloatArray | None = None
        if self._cache is not None:
            old, old_post = self._cache
            if all(ev.get(f) == a for f, a in old.items()):
                post = old_post
                for f, a in ev.items():
                    if f not in old:
                        post = update(self.kb, post, f, a)
        if post is None:
            post = posterior(self.kb, ev)
        self._cache = (ev, post)
        return post

    def _items(self, ids: Iterable[str]) -> tuple[QuestionItem, ...]:
        return tuple(
            QuestionItem(
                f,
                self.kb.finding(f).question,
                self.kb.finding(f).help,
                self.kb.finding(f).self_test,
            )
            for f in ids
        )

    def _single(self, fid: str, why: str) -> Question:
        finding = self.kb.finding(fid)
        return Question("single", fid, finding.question, self._items([fid]), why)

    def _why(self, f: int, post: FloatArray) -> str:
        p = self.kb.p_yes[f]
        p_answer = float(p @ post)
        lean = post * (p - p_answer)
        names = [c.name for c in self.kb.conditions]
        live = post >= NAME_ABOVE
        yes_side = [names[i] for i in np.argsort(-lean) if live[i] and lean[i] > 0][:2]
        no_side = [names[i] for i in np.argsort(lean) if live[i] and lean[i] < 0][:2]
        if yes_side and no_side:
            return (
                f"It helps tell apart {' / '.join(yes_side)} (more likely if yes) "
                f"and {' / '.join(no_side)} (more likely if no)."
            )
        side = yes_side or no_side
        if side:
            return f"It helps confirm or rule out {' / '.join(side)}."
        return "It narrows down the remaining possible causes."

    def answer(self, answers: Mapping[str, bool | None]) -> None:
        """Answer the current question: each item yes (True), no (False) or don't know (None).

        Raises EvidenceError naming the problem when the answer names an item that was not asked
        or contradicts an earlier answer; nothing is recorded then.
        """
        question = self.next_question()
        if question is None:
            raise EvidenceError("the interview is over; there is no question to answer")
        asked = {i.finding for i in question.items}
        extra = sorted(set(answers) - asked)
        if extra:
            raise EvidenceError("not part of this question: " + ", ".join(extra))
        trial = dict(self._answers)
        for fid, value in answers.items():
            if value is None:
                trial.pop(fid, None)
            else:
                trial[fid] = Answer(value, Origin.ASKED)
        problems = contradictions(self.kb, Evidence(trial))
        if problems:
            raise EvidenceError("that answer contradicts an earlier one: " + "; ".join(problems))
        previous = {f: self._answers.get(f) for f in asked}
        self._history.append(_Step(question, previous))
        self._answers = trial
        self._asked |= asked
        self._pending = None

    def back(self) -> bool:
        """Undo the last answered question; False when there is nothing to undo."""
        if not self._history:
            return False
        step = self._history.pop()
        for fid, prev in step.previous.items():
            if prev is None:
                self._answers.pop(fid, None)
            else:
                self._answers[fid] = prev
        self._asked -= {i.finding for i in step.question.items}
        self._pending = None
        self._done = False
        return True

    def assessment(self) -> Assessment:
        """The assessment on the answers so far."""
        return assess(Evidence(self._answers), self.kb, questions_asked=self.questions_asked)


def simulate(interview: Interview, facts: Mapping[str, bool]) -> Assessment:
    """Run an interview to its end, answering from ``facts`` ("don't know" when not given)."""
    while (question := interview.next_question()) is not None:
        interview.answer({i.finding: facts.get(i.finding) for i in question.items})
    return interview.assessment()
