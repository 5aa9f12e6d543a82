"""Triage: rules, floors, course, and the monotonicity property (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.engine.consistency import contradictions, implied
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.triage import level_rank, triage
from backstride.kb import KnowledgeBase, default_knowledge_base


def level(kb: KnowledgeBase, answers: dict[str, bool]) -> str:
    return triage(kb, implied(kb, Evidence(answers))).level


def test_fixture_rules_and_course(small_kb: KnowledgeBase) -> None:
    assert level(small_kb, {"numb_saddle": True}) == "emergency"
    assert level(small_kb, {"fever": True, "old": True}) == "urgent"  # old implies older
    assert level(small_kb, {"long": True, "numb_saddle": False}) == "soon"
    assert level(small_kb, {"numb_saddle": False, "leg_pain": False}) == "self_care"


def test_an_incomplete_screen_is_never_self_care(kb: KnowledgeBase) -> None:
    empty = Evidence()
    # the interview steers by the level without the screen: knowing nothing must not stop it
    assert triage(kb, empty).level == "self_care"
    final = triage(kb, empty, final=True)
    assert final.level == "soon" and [r.kind for r in final.reasons] == ["screen"]
    # a harmless answer does not switch the screen's level off ("sore low back for 3 days")
    short = Evidence({"duration_over_2_weeks": False, "pain_low_back": True})
    assert triage(kb, short, final=True).level == "soon"
    # ruling every warning sign out completes it
    clear = {f.id: False for f in kb.findings if f.red_flag}
    done = triage(kb, Evidence({**clear, "runner": True}), final=True)
    assert done.screen.complete and done.level == "self_care"
    # new weakness alone is urgent (NICE CKS sciatica), with or without other answers
    assert triage(kb, Evidence({"leg_weakness": True}), final=True).level == "urgent"
    assert (
        triage(kb, Evidence({"leg_weakness": True, "runner": True}), final=True).level == "urgent"
    )


def test_a_half_met_combination_keeps_the_screen_open(kb: KnowledgeBase) -> None:
    clear = {f.id: False for f in kb.findings if f.red_flag}
    cancer = Evidence({**clear, "history_of_cancer": True})
    t = triage(kb, cancer, final=True)
    assert not t.screen.complete
    assert "age_over_50" in t.screen.missing
    assert next(c.rule for c in t.screen.open) == "cancer_plus"
    # the answer that completes the combination raises the level; the one that rules it out
    # closes the screen
    assert (
        triage(kb, implied(kb, cancer.with_answer("age_over_50", True)), final=True).level
        == "urgent"
    )
    closed = triage(kb, implied(kb, cancer.with_answer("age_over_50", False)), final=True)
    assert closed.screen.complete and closed.level == "soon"


def test_floor_of_a_likely_cause_counts(small_kb: KnowledgeBase) -> None:
    # no rule fires, but leg pain and no spasm make the nerve cause likely: its floor is "soon"
    t = triage(small_kb, Evidence({"leg_pain": True, "spasm": False, "numb_saddle": False}))
    assert t.level == "soon"
    assert any(r.kind == "condition" and r.id == "nerve" for r in t.reasons)


def test_real_kb_red_flag_examples(kb: KnowledgeBase) -> None:
    assert level(kb, {"saddle_numbness": True}) == "emergency"
    assert level(kb, {"bladder_change": True}) == "emergency"
    assert level(kb, {"bowel_change": True}) == "emergency"
    assert level(kb, {"tearing_pain_into_abdomen": True}) == "emergency"
    assert level_rank(level(kb, {"progressive_weakness": True})) >= level_rank("urgent")
    assert level_rank(
        level(kb, {"fever_or_chills": True, "immunosuppressed_or_iv_drug_use": True})
    ) >= level_rank("urgent")
    assert level_rank(
        level(
            kb,
            {
                "runner": True,
                "pain_groin": True,
                "worse_single_leg_loading": True,
                "recent_mileage_increase": True,
            },
        )
    ) >= level_rank("urgent")


_KB = default_knowledge_base()
_IDS = list(_KB.finding_ids)
_RED = [f.id for f in _KB.findings if f.red_flag]
_answer = st.builds(Answer, st.booleans(), st.sampled_from(list(Origin)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.dictionaries(st.sampled_from(_IDS), _answer, max_size=30),
    flag=st.sampled_from(_RED),
    origin=st.sampled_from(list(Origin)),
)
def test_a_red_flag_yes_never_lowers_triage(
    answers: dict[str, Answer], flag: str, origin: Origin
) -> None:
    base = Evidence(answers)
    if contradictions(_KB, base):
        return
    raised = base.with_answer(flag, True, origin)
    if contradictions(_KB, raised):
        return
    # the level the interview steers by, and the final level with its screen
    for final in (False, True):
        after = level_rank(triage(_KB, implied(_KB, raised), final=final).level)
        # from "don't know" and from "no" alike
        for before_ev in (base.without(flag), base.with_answer(flag, False, origin)):
            if contradictions(_KB, before_ev):
                continue
            before = level_rank(triage(_KB, implied(_KB, before_ev), final=final).level)
            assert after >= before, (final, flag, before_ev, raised)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.dictionaries(st.sampled_from(_IDS), _answer, max_size=30),
    added=st.sampled_from(_IDS),
    value=st.booleans(),
    origin=st.sampled_from(list(Origin)),
)
def test_only_ruling_a_warning_sign_out_lowers_an_open_screen(
    answers: dict[str, Answer], added: str, value: bool, origin: Origin
) -> None:
    """The screen is monotone: while it is open, an added answer keeps the level at or above the
    screen's level unless that answer is a "no" (which may rule a warning sign out)."""
    before_ev = Evidence(answers).without(added)
    after_ev = before_ev.with_answer(added, value, origin)
    if contradictions(_KB, before_ev) or contradictions(_KB, after_ev):
        return
    before = triage(_KB, implied(_KB, before_ev), final=True)
    if before.screen.complete or not value:
        return
    after = triage(_KB, implied(_KB, after_ev), final=True)
    assert level_rank(after.level) >= level_rank(_KB.screen_rule.level), (before_ev, added)
