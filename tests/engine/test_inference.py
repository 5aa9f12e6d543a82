"""Posterior, explanations and information gain, checked against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.inference import (
    STORY_NO_WEIGHT,
    explain,
    information_gain,
    posterior,
    update,
)
from backstride.kb import KnowledgeBase


def brute_posterior(kb: KnowledgeBase, answers: dict[str, bool]) -> np.ndarray:
    prior = np.array([c.prior.p for c in kb.conditions])
    post = prior / prior.sum()
    for fid, value in answers.items():
        for c, cond in enumerate(kb.conditions):
            p = kb.likelihood(fid, cond.id).p
            post[c] *= p if value else 1 - p
    return post / post.sum()


def test_posterior_matches_bayes_by_hand(small_kb: KnowledgeBase) -> None:
    answers = {"leg_pain": True, "spasm": False, "fever": False}
    got = posterior(small_kb, Evidence(answers))
    assert got == pytest.approx(brute_posterior(small_kb, answers), rel=1e-9)
    # leg pain (0.9 vs 0.2) should put the nerve cause first
    assert small_kb.condition_ids[int(np.argmax(got))] == "nerve"


def test_no_evidence_gives_the_prior(small_kb: KnowledgeBase) -> None:
    prior = np.array([c.prior.p for c in small_kb.conditions])
    assert posterior(small_kb, Evidence()) == pytest.approx(prior / prior.sum())


def test_story_no_counts_less_than_asked_no(small_kb: KnowledgeBase) -> None:
    asked = posterior(small_kb, Evidence({"leg_pain": Answer(False, Origin.ASKED)}))
    story = posterior(small_kb, Evidence({"leg_pain": Answer(False, Origin.STORY)}))
    nerve = small_kb.condition_index["nerve"]
    prior = posterior(small_kb, Evidence())[nerve]
    assert asked[nerve] < story[nerve] < prior
    # tempered: the story "no" moves the log-odds by exactly STORY_NO_WEIGHT of the full move
    full = math.log(asked[nerve] / asked[0]) - math.log(prior / posterior(small_kb, Evidence())[0])
    half = math.log(story[nerve] / story[0]) - math.log(prior / posterior(small_kb, Evidence())[0])
    assert half == pytest.approx(STORY_NO_WEIGHT * full)


def test_explanation_signs_and_sources(small_kb: KnowledgeBase) -> None:
    contribs = {
        c.finding: c
        for c in explain(small_kb, Evidence({"leg_pain": True, "spasm": True}), "nerve")
    }
    assert contribs["leg_pain"].weight > 0
    assert contribs["leg_pain"].sources == ("s1",)
    assert contribs["spasm"].weight < 0
    assert contribs["spasm"].estimate


def test_information_gain_equals_expected_entropy_drop(small_kb: KnowledgeBase) -> None:
    ev = Evidence({"spasm": False})
    post = posterior(small_kb, ev)

    def entropy(p: np.ndarray) -> float:
        return float(-(p * np.log2(p)).sum())

    candidates = np.array([small_kb.finding_index[f] for f in ("leg_pain", "fever", "old")])
    gains = information_gain(small_kb, post, candidates)
    for gain, f in zip(gains, ("leg_pain", "fever", "old"), strict=True):
        p_yes = float(small_kb.p_yes[small_kb.finding_index[f]] @ post)
        after = p_yes * entropy(posterior(small_kb, ev.with_answer(f, True))) + (
            1 - p_yes
        ) * entropy(posterior(small_kb, ev.with_answer(f, False)))
        assert gain == pytest.approx(entropy(post) - after, abs=1e-9)
    # "old" has the same likelihood under every cause: asking it teaches nothing
    assert gains[2] == pytest.approx(0.0, abs=1e-12)


def test_one_answer_update_equals_recomputing(kb: KnowledgeBase) -> None:
    ev = Evidence({"pain_buttock": True, "leg_pain_below_knee": Answer(False, Origin.STORY)})
    post = posterior(kb, ev)
    for finding, answer in [
        ("worse_sitting", Answer(True)),
        ("slr_reproduces_leg_pain", Answer(False)),
        ("runner", Answer(False, Origin.STORY)),
    ]:
        post = update(kb, post, finding, answer)
        ev = ev.merged({finding: answer})
        assert post == pytest.approx(posterior(kb, ev), rel=1e-9)


def test_evidence_refuses_anything_but_true_or_false() -> None:
    from backstride.errors import EvidenceError

    for bad in (None, "no", "yes", 1, 0, 0.0):
        with pytest.raises(EvidenceError, match="true or false"):
            Evidence({"runner": bad})  # type: ignore[dict-item]
    with pytest.raises(EvidenceError):
        Answer("no")  # type: ignore[arg-type]
    assert Evidence({"runner": False})["runner"].value is False


def test_an_answer_group_counts_once_however_many_of_its_answers(kb: KnowledgeBase) -> None:
    """'Not over 2 weeks' and the two 'no' answers it implies give the same posterior: the
    nested duration findings are one quantity (issue 8: implied answers were counted twice)."""
    from backstride.engine.consistency import implied

    one = Evidence({"duration_over_2_weeks": False})
    three = implied(kb, one)
    assert set(three) == {
        "duration_over_2_weeks",
        "duration_over_6_weeks",
        "duration_over_3_months",
    }
    assert np.allclose(posterior(kb, one), posterior(kb, three))
    spa = kb.condition_index["axial_spondyloarthritis"]
    ratio = posterior(kb, one)[spa] / posterior(kb, Evidence())[spa]
    p_short = 1 - kb.p_yes[kb.finding_index["duration_over_2_weeks"], spa]
    # the one answer moves axial SpA by its own likelihood (up to normalisation), no further
    assert ratio == pytest.approx(
        p_short
        / (posterior(kb, Evidence()) @ (1 - kb.p_yes[kb.finding_index["duration_over_2_weeks"]])),
        rel=1e-3,  # the group clips each category at P_CATEGORY_MIN
    )


def test_a_pathognomonic_warning_sign_lists_its_cause_first(kb: KnowledgeBase) -> None:
    from backstride.engine.assessment import assess

    others_no = {
        "bladder_change": False,
        "bowel_change": False,
        "symptoms_both_legs": False,
        "new_sexual_dysfunction": False,
        "leg_weakness": False,
    }
    result = assess(Evidence({"saddle_numbness": True, **others_no}), kb)
    assert result.triage.level == "emergency"
    first = result.conditions[0]
    assert first.id == "cauda_equina_syndrome" and first.flagged
    assert result.to_dict()["conditions"][0]["flagged_by_warning_sign"] is True
    # without the warning sign nothing is flagged and the order is by probability
    calm = assess(Evidence(others_no), kb)
    probs = [c.probability for c in calm.conditions]
    assert probs == sorted(probs, reverse=True) and not any(c.flagged for c in calm.conditions)
