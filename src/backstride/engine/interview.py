"""The adaptive interview: red-flag screening first, then the most informative questions.

Order of questions
1. Screening: age and sex, then every red flag not yet answered directly, in grouped checklists
   (one question per group). A red flag read as present from the story is never dropped or
   re-asked; one the story denied is confirmed directly.
2. Findings the story mentioned uncertainly ("maybe numb") are asked next.
3. Completion: while a warning-sign combination is partly met and could still raise the level
   (engine/screen.py), the findings that would complete it, gravest rule first; then, while one
   answer could still lift a cause with a graver triage floor over its threshold, the question
   that best tells that cause apart.
4. Then the finding with the highest expected information gain about the cause.

Stop rule (StopRule, docs/model.md): stop at once when triage is emergency; never while
screening or completion has something left to ask; otherwise stop when the leading cause (or
the three leading causes together) is likely enough, when no question left is worth asking, or
at the question cap (which completion questions do not wait for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from backstride.engine.assessment import Assessment, assess
from backstride.engine.consistency import (
    check_ids,
    clashing_groups,
    contradictions,
    implied,
    reconcile,
)
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.inference import (
    FloatArray,
    IntArray,
    binary_entropy,
    candidate_likelihoods,
    information_gain,
    posterior,
    update,
)
from backstride.engine.screen import settled
from backstride.engine.triage import floor_threshold, level_rank, triage
from backstride.errors import EvidenceError
from backstride.kb import KnowledgeBase, default_knowledge_base
from backstride.kb.schema import SelfTest, TriageLevel


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
    from_story: bool = False  # read from the story as present: shown ticked, to be confirmed


@dataclass(frozen=True, slots=True)
class Question:
    """A screening checklist (several items, one question) or a single yes/no question."""

    kind: Literal["screening", "single"]
    id: str
    prompt: str
    items: tuple[QuestionItem, ...]
    why: str
    ask_each: bool = False  # ask every item on its own (no "any of these?" shortcut)


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
        check_ids(self.kb, [*self.story, *self.uncertain])
        self._answers = dict(self.story.given())

    @property
    def evidence(self) -> Evidence:
        """All answers so far (clashes resolved to the graver reading), with what they imply."""
        answers = Evidence(self._answers)
        if clashing_groups(self.kb, answers):
            answers, _ = reconcile(
                self.kb, answers, lambda e: level_rank(triage(self.kb, e, final=True).level)
            )
        return implied(self.kb, answers)

    def clashes(self) -> list[str]:
        """Plain sentences for answers that cannot all be true (the graver reading is used)."""
        return contradictions(self.kb, Evidence(self._answers))

    @property
    def questions_asked(self) -> int:
        """Questions asked so far (a screening checklist counts as one)."""
        return len(self._history)

    @property
    def finished(self) -> bool:
        """True once the stop rule has ended the interview."""
        return self._done

    def _known(self, evidence: Evidence) -> set[str]:
        """Findings not to ask again: asked before, or settled (a story "no" to a red flag is
        not settled: it is confirmed by asking)."""
        settled_ids = {f for f in evidence if settled(self.kb, evidence, f)}
        return self._asked | settled_ids

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
        # Warning signs read from the story are confirmed before anything else, even before an
        # emergency stops the interview: a misreading must be correctable, and the person's
        # answer wins ("don't know" keeps the reading).
        unconfirmed = {
            f
            for f, a in self._answers.items()
            if a.origin is Origin.STORY and a.value and self.kb.finding(f).red_flag
        } - self._asked
        for group in self.kb.screening:
            if unconfirmed & set(group.items):
                todo = [f for f in group.items if f not in self._known(ev) or f in unconfirmed]
                return Question(
                    "screening", group.id, group.prompt, self._items(todo), group.why, True
                )
        now = triage(self.kb, ev)
        if now.level == "emergency":
            return None
        known = self._known(ev)
        for group in self.kb.screening:
            todo = [f for f in group.items if f not in known]
            if todo:
                return Question(
                    "screening",
                    group.id,
                    group.prompt,
                    self._items(todo),
                    group.why,
                    group.ask_each,
                )
        for fid in self.uncertain:
            if fid not in known and fid not in ev:
                return self._single(
                    fid, "Your story mentioned this, but not for certain, so it is worth checking."
                )
        for combo in now.screen.open:
            for fid in combo.needed:
                if fid not in known:
                    return self._single(fid, self._why_combination(combo.rule, ev))
        excluded = self._asked.union(ev.keys())
        candidates = np.array(
            [i for i, f in enumerate(self.kb.finding_ids) if f not in excluded], dtype=np.intp
        )
        if candidates.size == 0:
            return None
        post = self._posterior(ev)
        floor_question = self._floor_question(ev, post, now.level, candidates)
        if floor_question is not None:
            return floor_question
        if self.questions_asked >= self.stop.max_questions:
            return None
        if self.stop.satisfied(post):
            return None
        gains = information_gain(self.kb, post, candidates, ev)
        best = int(np.argmax(gains))
        if gains[best] < self.stop.min_gain:
            return None
        f = int(candidates[best])
        return self._single(self.kb.finding_ids[f], self._why(f, post))

    def _floor_question(
        self, ev: Evidence, post: FloatArray, level: TriageLevel, candidates: IntArray
    ) -> Question | None:
        """A question that could lift a cause with a graver floor over its threshold, or None.

        A cause is still open when a single answer to some unasked question would take its
        probability to its floor's threshold. The gravest such cause is pursued with the
        question that tells most about it (information about "this cause or not").
        """
        kb = self.kb
        targets = [
            c
            for c, cond in enumerate(kb.conditions)
            if level_rank(cond.triage_floor) > level_rank(level)
        ]
        if not targets:
            return None
        p = candidate_likelihoods(kb, ev, candidates)  # (n, C)
        joint_yes = p * post
        p_yes = joint_yes.sum(axis=1)
        post_yes = joint_yes / p_yes[:, None]
        post_no = (post - joint_yes) / (1.0 - p_yes)[:, None]
        # the most one answer could take each cause to (for every cause at once: a column at a
        # time cost two numpy calls per cause)
        reach = np.maximum(post_yes.max(axis=0), post_no.max(axis=0))
        targets.sort(key=lambda c: (-level_rank(kb.conditions[c].triage_floor), -post[c]))
        for c in targets:
            threshold = floor_threshold(kb, c)
            if post[c] >= threshold or reach[c] < threshold:
                continue
            gain = binary_entropy(np.array(post[c])) - (
                p_yes * binary_entropy(post_yes[:, c])
                + (1.0 - p_yes) * binary_entropy(post_no[:, c])
            )
            f = int(candidates[int(np.argmax(gain))])
            name = kb.conditions[c].name.lower()
            return self._single(
                kb.finding_ids[f],
                f"It helps rule {name} in or out; that would change how soon you should be seen.",
            )
        return None

    def _why_combination(self, rule_id: str, ev: Evidence) -> str:
        rule = next(r for r in self.kb.rules if r.id == rule_id)
        told = [self.kb.finding(f).question.rstrip("?") for f in rule.findings if ev.is_yes(f)]
        said = "; ".join(f"'{t}': yes" for t in told)
        return (
            f"Together with what you have told us ({said}), the answer decides how soon you "
            "should be seen."
        )

    def _posterior(self, ev: Evidence) -> FloatArray:
        """Posterior for ``ev``, updated one answer at a time from the last one when possible."""
        post: FloatArray | None = None
        if self._cache is not None:
            old, old_post = self._cache
            new = [(f, a) for f, a in ev.items() if f not in old]
            if all(ev.get(f) == a for f, a in old.items()) and all(
                self.kb.group_of[self.kb.finding_index[f]] < 0 for f, _ in new
            ):
                post = old_post
                for f, a in new:
                    post = update(self.kb, post, f, a)
        if post is None:
            post = posterior(self.kb, ev)
        self._cache = (ev, post)
        return post

    def _items(self, ids: Iterable[str]) -> tuple[QuestionItem, ...]:
        def read_yes(f: str) -> bool:
            answer = self._answers.get(f)
            return answer is not None and answer.value and answer.origin is Origin.STORY

        return tuple(
            QuestionItem(
                f,
                self.kb.finding(f).question,
                self.kb.finding(f).help,
                self.kb.finding(f).self_test,
                read_yes(f),
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

        Raises EvidenceError naming the problem when the answer names an item that was not
        asked; nothing is recorded then. An answer that clashes with an earlier one is kept: the
        evidence takes the graver reading and the assessment names the clash.
        """
        question = self.next_question()
        if question is None:
            raise EvidenceError("the interview is over; there is no question to answer")
        asked = {i.finding for i in question.items}
        extra = sorted(set(answers) - asked)
        if extra:
            raise EvidenceError("not part of this question: " + ", ".join(extra))
        trial = dict(self._answers)
        # In the question's order, whatever the mapping's: the answers' order is the order of
        # the evidence, which the explanation follows (a stored answer may come back reordered:
        # PostgreSQL's jsonb keeps keys in an order of its own).
        for item in question.items:
            value = answers.get(item.finding)
            if value is not None:  # "don't know" adds nothing and keeps what the story said
                trial[item.finding] = Answer(value, Origin.ASKED)
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
