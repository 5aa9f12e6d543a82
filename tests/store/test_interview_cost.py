"""What one interview step (and a finished result) costs the database, and that the per-process
cache of interviews never hides a change made by another process (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

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
