"""What one interview step (and a finished result) costs the database, and that the per-process
cache of interviews never hides a change made by another process (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from backstride.recovery import interviews
from backstride.recovery.workspace import open_store


@contextmanager
def statements() -> Iterator[list[str]]:
    """The first words of every SQL statement sent inside the block."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        seen.append(" ".join(sql.split()[:3]))

    engine = open_store().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def dont_know(state: interviews.InterviewState) -> dict[str, bool | None]:
    assert state.question is not None
    return {i.finding: None for i in state.question.items}


def test_an_answer_is_one_read_and_two_writes(use_db: str) -> None:
    state = interviews.start("")
    state = interviews.answer(state.id, dont_know(state))  # the process has met the interview
    for _ in range(3):
        with statements() as sent:
            state = interviews.answer(state.id, dont_know(state))
        kinds = [s.split()[0] for s in sent]
        # the person and the interview in one query, the revision, the step
        assert kinds == ["SELECT", "UPDATE", "INSERT"], sent
    with statements() as sent:
        interviews.current(state.id)
    assert [s.split()[0] for s in sent] == ["SELECT"]


def test_a_finished_result_is_read_as_saved_in_one_query(use_db: str) -> None:
    state = interviews.start("")
    assert interviews.saved_result_json(state.id) is None  # under way: worked out instead
    while not state.done:
        state = interviews.answer(state.id, dont_know(state))
    with statements() as sent:
        text = interviews.saved_result_json(state.id)
    assert [s.split()[0] for s in sent] == ["SELECT"]
    assert text is not None and json.loads(text) == interviews.result(state.id).data
    assert interviews.saved_result_json(state.id, person="someone-else") is None
    interviews.undo(state.id)  # changed since it was saved: no longer read as it is
    assert interviews.saved_result_json(state.id) is None


def test_a_kept_interview_is_not_trusted_after_another_process_changed_it(use_db: str) -> None:
    state = interviews.start("")
    state = interviews.answer(state.id, dont_know(state))
    ours = interviews._cache[state.id]  # this process's interview after one answer
    # Another process (an empty cache) answers the next question.
    interviews.forget_cached()
    theirs = interviews.answer(state.id, dont_know(state))
    assert theirs.questions_asked == 2
    # Back here, the kept interview is a step behind the stored one: it is caught up.
    interviews.forget_cached()
    interviews._cache[state.id] = ours
    now = interviews.current(state.id)
    assert now.questions_asked == 2
    assert now.question_id == theirs.question_id
    # ... and another process's undo is seen too (ours now holds both answers).
    interviews.forget_cached()
    interviews.undo(state.id)
    interviews.forget_cached()
    interviews._cache[state.id] = ours
    assert len(ours.revisions) == 2
    assert interviews.current(state.id).questions_asked == 1


def fresh(public_id: str) -> tuple[interviews.InterviewState, dict[str, object]]:
    """The interview and its result rebuilt from the database alone, as a process that never
    met it would (this process's cache is left as it was)."""
    kept = dict(interviews._cache)
    interviews.forget_cached()
    try:
        return interviews.current(public_id), interviews.result(public_id).data
    finally:
        interviews.forget_cached()
        interviews._cache.update(kept)


def seen(state: interviews.InterviewState) -> tuple[object, ...]:
    """Everything a person is shown of the current question."""
    q = state.question
    items = () if q is None else tuple((i.finding, i.from_story) for i in q.items)
    why = None if q is None else (q.kind, q.prompt, q.why, q.ask_each)
    return state.question_id, items, why, state.questions_asked, state.done, state.understood


def test_two_processes_in_turn_ask_what_a_fresh_rebuild_asks(use_db: str) -> None:
    """Two processes (two caches) serve one interview in turn, as two web workers do: each
    finds its kept interview behind (it reads only the steps from its own last one on), or
    changed further back (the other took an answer back and gave another). After every
    request the question and the result are those of an interview rebuilt from the database
    alone, and so is the result saved at the end."""
    caches: list[dict[str, object]] = [{}, {}]
    pattern = [True, None, False, None, True, False, None]

    def answers(state: interviews.InterviewState, shift: int) -> dict[str, bool | None]:
        # warning signs ruled out (a yes would end it early), the rest in turn
        assert state.question is not None
        screening = state.question.kind == "screening"
        items = state.question.items
        return {
            i.finding: False if screening else pattern[(shift + k) % len(pattern)]
            for k, i in enumerate(items)
        }

    state = interviews.start("sharp pain in my low back since a long run, maybe some numbness")
    turn = 0
    while not state.done:
        process = turn % 2
        interviews.forget_cached()
        interviews._cache.update(caches[process])  # type: ignore[arg-type]
        if turn % 4 == 3:  # another answer to the last question, before the other process looks
            state = interviews.undo(state.id)
            assert seen(state) == seen(fresh(state.id)[0]), f"request {turn}, undo"
            state = interviews.answer(state.id, answers(state, turn + 3))
        else:
            state = interviews.answer(state.id, answers(state, turn))
        result = interviews.result(state.id).data
        caches[process] = dict(interviews._cache)
        again, again_result = fresh(state.id)
        assert seen(state) == seen(again), f"request {turn}"
        assert result == again_result, f"request {turn}"
        turn += 1
    assert turn > 6
    interviews.forget_cached()
    assert json.loads(interviews.saved_result_json(state.id) or "null") == (
        interviews.result(state.id, need_assessment=True).data
    )


def test_a_kept_interview_is_not_used_on_another_knowledge_base(
    use_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process on a newer knowledge base (or reader rules) refuses an interview begun on the
    old one, even one it kept at the stored revision: nothing is reused across versions."""
    state = interviews.start("")
    state = interviews.answer(state.id, dont_know(state))
    assert state.id in interviews._cache
    engine_version, kb_version = interviews.versions()
    monkeypatch.setattr(interviews, "versions", lambda: (engine_version, kb_version + "-next"))
    for call in (interviews.current, interviews.undo):
        with pytest.raises(interviews.Conflict) as refused:
            call(state.id)
        assert refused.value.code == "interview_outdated"
    with pytest.raises(interviews.Conflict):
        interviews.answer(state.id, dont_know(state))
