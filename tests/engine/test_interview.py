"""The adaptive interview: screening first, story handling, stop rule, back, contradictions."""

from __future__ import annotations

import pytest

from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.interview import Interview, StopRule, simulate
from backstride.errors import EvidenceError
from backstride.kb import KnowledgeBase


def test_screening_groups_come_first_and_cover_every_red_flag(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    asked: set[str] = set()
    for group in kb.screening:
        q = interview.next_question()
        assert q is not None and q.kind == "screening" and q.id == group.id
        asked |= {i.finding for i in q.items}
        interview.answer({i.finding: False for i in q.items})
    assert {f.id for f in kb.findings if f.red_flag} <= asked
    assert interview.questions_asked == len(kb.screening)
    nxt = interview.next_question()
    assert nxt is None or nxt.kind == "single"


def test_emergency_ends_the_interview_at_once(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    q = interview.next_question()
    assert q is not None
    interview.answer({"saddle_numbness": True})
    assert interview.next_question() is None
    assert interview.assessment().triage.level == "emergency"


def test_story_red_flag_yes_is_kept_and_not_asked_again(kb: KnowledgeBase) -> None:
    story = Evidence({"fever_or_chills": Answer(True, Origin.STORY)})
    interview = Interview(kb, story)
    seen = set()
    while (q := interview.next_question()) is not None and q.kind == "screening":
        seen |= {i.finding for i in q.items}
        interview.answer({i.finding: False for i in q.items})
    assert "fever_or_chills" not in seen
    assert interview.evidence["fever_or_chills"].value is True


def test_story_denied_red_flag_is_confirmed_directly(kb: KnowledgeBase) -> None:
    story = Evidence({"bladder_change": Answer(False, Origin.STORY)})
    interview = Interview(kb, story)
    q = interview.next_question()
    assert q is not None
    items = {i.finding for i in q.items}
    assert "bladder_change" in items


def test_single_questions_say_why(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    while (q := interview.next_question()) is not None and q.kind == "screening":
        interview.answer({i.finding: False for i in q.items})
    assert q is not None and q.kind == "single"
    assert any(word in q.why for word in ("apart", "rule out", "narrows"))


def test_contradictory_answer_is_refused_and_nothing_recorded(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    q = interview.next_question()
    assert q is not None and {"leg_weakness", "progressive_weakness"} <= {
        i.finding for i in q.items
    }
    with pytest.raises(EvidenceError, match="progressive_weakness"):
        interview.answer({"progressive_weakness": True, "leg_weakness": False})
    assert interview.questions_asked == 0
    assert "progressive_weakness" not in interview.evidence
    assert interview.next_question() == q


def test_implied_answers_are_not_asked(kb: KnowledgeBase) -> None:
    interview = Interview(kb, Evidence({"age_under_20": True}), uncertain=("age_over_65",))
    asked = []
    while (q := interview.next_question()) is not None:
        asked += [i.finding for i in q.items]
        interview.answer({i.finding: None for i in q.items})
    assert "age_over_65" not in asked and "age_over_50" not in asked
    assert interview.evidence["age_over_65"].value is False


def test_back_undoes_the_last_answer(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    q1 = interview.next_question()
    assert q1 is not None
    interview.answer({i.finding: False for i in q1.items})
    interview.back()
    assert interview.questions_asked == 0
    assert interview.next_question() == q1
    assert all(i.finding not in interview.evidence for i in q1.items)


def test_answers_outside_the_question_are_refused(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    with pytest.raises(EvidenceError, match="runner"):
        interview.answer({"runner": True})


def test_unknown_ids_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(EvidenceError, match="made_up"):
        Interview(kb, Evidence({"made_up": True}))


def test_interview_stops_within_the_cap(kb: KnowledgeBase) -> None:
    interview = Interview(kb, stop=StopRule(max_questions=8))
    result = simulate(interview, {})  # every answer "don't know"
    assert result.questions_asked <= 8
    assert interview.finished


def test_simulated_radicular_story_ranks_radiculopathy_high(kb: KnowledgeBase) -> None:
    facts = {
        "leg_pain_below_knee": True,
        "burning_or_electric_leg_pain": True,
        "pins_and_needles_leg": True,
        "slr_reproduces_leg_pain": True,
        "slump_reproduces_symptoms": True,
        "pain_one_side": True,
        "worse_cough_sneeze": True,
        "saddle_numbness": False,
        "bladder_change": False,
        "bowel_change": False,
        "fever_or_chills": False,
        "history_of_cancer": False,
    }
    result = simulate(Interview(kb), facts)
    assert [c.id for c in result.conditions[:3]].count("radiculopathy") == 1
    assert result.conditions[0].id == "radiculopathy"


def test_unscreened_red_flags_are_reported(kb: KnowledgeBase) -> None:
    story_only = Interview(kb, Evidence({"pain_buttock": True})).assessment()
    assert set(story_only.unscreened) == {f.id for f in kb.findings if f.red_flag}
    finished = simulate(Interview(kb), {f.id: False for f in kb.findings if f.red_flag})
    assert finished.unscreened == ()
    assert finished.to_dict()["unscreened_red_flags"] == []


def test_an_empty_story_starts_the_screening_and_its_result_is_the_fail_safe(
    kb: KnowledgeBase,
) -> None:
    interview = Interview(kb)
    first = interview.next_question()
    assert first is not None and first.kind == "screening"  # knowing nothing does not stop it
    story_only = interview.assessment()
    assert story_only.nothing_known
    assert story_only.triage.level == "emergency"
    assert "warning-sign questions" in story_only.next_steps[0]
    # "don't know" to everything still leaves nothing known: the fail-safe holds
    assert simulate(Interview(kb), {}).nothing_known
    # one real answer is enough for a real assessment
    answered = simulate(Interview(kb), {f.id: False for f in kb.findings if f.red_flag})
    assert not answered.nothing_known and answered.triage.level != "emergency"
