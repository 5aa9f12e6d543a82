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


def _answer_until(interview: Interview, group: str) -> None:
    """Answer every question before the screening group ``group`` with "don't know"."""
    while (q := interview.next_question()) is not None and q.id != group:
        interview.answer({i.finding: None for i in q.items})


def test_age_and_sex_are_asked_first_one_by_one(kb: KnowledgeBase) -> None:
    q = Interview(kb).next_question()
    assert q is not None and q.kind == "screening" and q.id == "about_you"
    assert {i.finding for i in q.items} >= {"age_over_50", "age_over_65", "sex_female"}
    assert kb.screening[0].ask_each


def test_emergency_ends_the_interview_at_once(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    _answer_until(interview, "nerves")
    interview.answer({"saddle_numbness": True})
    assert interview.next_question() is None
    assert interview.assessment().triage.level == "emergency"


def test_a_warning_sign_read_from_the_story_is_confirmed_first(kb: KnowledgeBase) -> None:
    story = Evidence({"saddle_numbness": Answer(True, Origin.STORY)})
    interview = Interview(kb, story)
    q = interview.next_question()  # before the emergency stop, and before age and sex
    assert q is not None and q.id == "nerves"
    shown = {i.finding: i.from_story for i in q.items}
    assert shown["saddle_numbness"] is True and shown["bladder_change"] is False
    # "don't know" keeps the reading: still an emergency
    unsure = Interview(kb, story)
    unsure.answer({"saddle_numbness": None})
    assert unsure.next_question() is None
    assert unsure.assessment().triage.level == "emergency"
    # the person's "no" wins over the reading
    interview.answer({i.finding: False for i in q.items})
    assert interview.evidence["saddle_numbness"].value is False
    assert interview.next_question() is not None  # no longer an emergency: the interview goes on


def test_story_denied_red_flag_is_confirmed_directly(kb: KnowledgeBase) -> None:
    story = Evidence({"bladder_change": Answer(False, Origin.STORY)})
    interview = Interview(kb, story)
    _answer_until(interview, "nerves")
    q = interview.next_question()
    assert q is not None
    items = {i.finding for i in q.items}
    assert "bladder_change" in items


def test_single_questions_say_why(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    while (q := interview.next_question()) is not None and q.kind == "screening":
        interview.answer({i.finding: False for i in q.items})
    assert q is not None and q.kind == "single"
    assert any(word in q.why for word in ("apart", "rule out", "narrows", "in or out"))


def test_clashing_answers_keep_the_graver_reading_and_are_named(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    _answer_until(interview, "nerves")
    # "my weakness is getting worse" but "no" to weakness: people do say this
    interview.answer({"progressive_weakness": True, "leg_weakness": False})
    assert interview.questions_asked == 2
    assert interview.evidence["leg_weakness"].value is True  # the graver reading
    result = interview.assessment()
    assert result.triage.level in ("urgent", "emergency")
    assert len(result.clashes) == 1
    message = result.to_dict()["clashing_answers"][0]
    assert "progressive_weakness" in message and "leg_weakness" in message


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


def test_the_order_of_the_answers_given_does_not_matter(kb: KnowledgeBase) -> None:
    """The same answers, given in the question's order or in reverse (as a stored answer may
    come back from the database), make the same result, explanations included."""
    facts = {"age_over_50": False, "age_under_20": False, "sex_female": True, "age_over_65": None}
    results = []
    for reverse in (False, True):
        interview = Interview(kb)
        while (q := interview.next_question()) is not None:
            answers = [(i.finding, facts.get(i.finding)) for i in q.items]
            interview.answer(dict(reversed(answers) if reverse else answers))
        results.append(interview.assessment().to_dict())
    assert results[0] == results[1]
    assert list(results[0]["findings"]) == list(results[1]["findings"])


def test_answers_outside_the_question_are_refused(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    with pytest.raises(EvidenceError, match="runner"):
        interview.answer({"runner": True})


def test_unknown_ids_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(EvidenceError, match="made_up"):
        Interview(kb, Evidence({"made_up": True}))


def test_past_the_cap_only_completion_questions_are_asked(kb: KnowledgeBase) -> None:
    interview = Interview(kb, stop=StopRule(max_questions=8))
    whys = []
    while (q := interview.next_question()) is not None:  # every answer "don't know"
        whys.append(q.why)
        interview.answer({i.finding: None for i in q.items})
    assert interview.finished
    assert len(whys) <= len(kb.findings)
    assert all("how soon you should be seen" in why for why in whys[8:])


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


def test_an_empty_story_starts_the_screening_and_its_result_is_never_self_care(
    kb: KnowledgeBase,
) -> None:
    interview = Interview(kb)
    first = interview.next_question()
    assert first is not None and first.kind == "screening"  # knowing nothing does not stop it
    story_only = interview.assessment()
    assert story_only.screen_incomplete
    assert story_only.triage.level == "soon"
    assert "warning-sign questions" in story_only.next_steps[0]
    # "don't know" to everything leaves the screen open: still not self-care
    unsure = simulate(Interview(kb), {})
    assert unsure.screen_incomplete and unsure.triage.level == "soon"
    # every warning sign answered no completes the screen
    answered = simulate(Interview(kb), {f.id: False for f in kb.findings if f.red_flag})
    assert not answered.screen_incomplete and answered.to_dict()["screen"]["complete"]


def test_a_story_no_to_a_warning_sign_does_not_complete_the_screen(kb: KnowledgeBase) -> None:
    denied = {f.id: Answer(False, Origin.STORY) for f in kb.findings if f.red_flag}
    story_only = Interview(kb, Evidence(denied)).assessment()
    assert story_only.screen_incomplete
    assert set(story_only.unscreened) == set(denied)
