"""Engine speed: one posterior update plus the choice of the next question, on a mid-interview
state, against pgmpy's exact inference (variable elimination) on the same model as baseline.

Run with `make bench`. Targets (issue 2): next-question step under 200 µs; posterior at least
100x faster than the pgmpy baseline.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from backstride.engine.evidence import Answer, Evidence
from backstride.engine.inference import information_gain, posterior, update
from backstride.engine.interview import Interview
from backstride.kb import KnowledgeBase, default_knowledge_base

MID_INTERVIEW = {
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "leg_pain_below_knee": False,
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_change": False,
    "fever_or_chills": False,
    "history_of_cancer": False,
    "recent_trauma": False,
    "night_pain_wakes": False,
    "duration_over_2_weeks": True,
    "gradual_onset": True,
    "long_daily_sitting": True,
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


def pgmpy_model(kb: KnowledgeBase) -> Any:
    """The same single-cause model as a pgmpy Bayesian network: Cause -> every finding."""
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork

    model = DiscreteBayesianNetwork([("cause", f) for f in kb.finding_ids])
    prior = np.exp(kb.log_prior)
    cpds = [TabularCPD("cause", len(prior), prior.reshape(-1, 1))]
    for i, f in enumerate(kb.finding_ids):
        p = kb.p_yes[i]
        cpds.append(
            TabularCPD(f, 2, np.vstack([1 - p, p]), evidence=["cause"], evidence_card=[len(prior)])
        )
    model.add_cpds(*cpds)
    return model


@pytest.mark.benchmark(group="posterior")
def test_posterior_pgmpy_baseline(benchmark: Any, kb: KnowledgeBase) -> None:
    pytest.importorskip("pgmpy", reason="the pgmpy baseline is installed by `make bench`")
    from pgmpy.inference import VariableElimination

    infer = VariableElimination(pgmpy_model(kb))
    # Answers inside an answer group ("one side", "over 2 weeks") count as one categorical answer
    # in our model, which a one-node-per-finding network cannot say: compare on the others.
    plain = {k: v for k, v in MID_INTERVIEW.items() if kb.group_of[kb.finding_index[k]] < 0}
    evidence = {k: int(v) for k, v in plain.items()}
    result = benchmark(lambda: infer.query(["cause"], evidence=evidence, show_progress=False))
    ours = posterior(kb, Evidence(plain))
    assert np.allclose(result.values, ours, atol=1e-6)  # same model, same answer


@pytest.mark.benchmark(group="posterior")
def test_posterior_update_backstride(benchmark: Any, kb: KnowledgeBase) -> None:
    """What one interview answer costs: Bayes' rule on the current posterior."""
    before = dict(MID_INTERVIEW)
    last = before.pop("long_daily_sitting")
    post = posterior(kb, Evidence(before))
    new = benchmark(update, kb, post, "long_daily_sitting", Answer(last))
    assert np.allclose(new, posterior(kb, Evidence(MID_INTERVIEW)))


@pytest.mark.benchmark(group="posterior")
def test_posterior_from_scratch_backstride(benchmark: Any, kb: KnowledgeBase) -> None:
    """The whole posterior recomputed from all 15 answers (used after "back")."""
    ev = Evidence(MID_INTERVIEW)
    post = benchmark(posterior, kb, ev)
    assert post.sum() == pytest.approx(1.0)


@pytest.mark.benchmark(group="next-question step")
def test_next_question_step(benchmark: Any, kb: KnowledgeBase) -> None:
    """One posterior update plus the information-gain choice over every unasked finding."""
    ev = Evidence(MID_INTERVIEW)
    candidates = np.array([i for i, f in enumerate(kb.finding_ids) if f not in ev], dtype=np.intp)

    before = dict(MID_INTERVIEW)
    last = before.pop("long_daily_sitting")
    prev = posterior(kb, Evidence(before))

    def step() -> int:
        post = update(kb, prev, "long_daily_sitting", Answer(last))
        return int(candidates[int(np.argmax(information_gain(kb, post, candidates)))])

    best = benchmark(step)
    assert kb.finding_ids[best] not in ev


@pytest.mark.benchmark(group="interview")
def test_interview_next_question(benchmark: Any, kb: KnowledgeBase) -> None:
    """The whole Interview.next_question call (screening done), including triage and why-text."""
    interview = Interview(kb, Evidence(MID_INTERVIEW))
    while (q := interview.next_question()) is not None and q.kind == "screening":
        interview.answer({i.finding: False for i in q.items})

    def step() -> object:
        interview._pending = None  # force a fresh choice each round
        interview._done = False
        return interview.next_question()

    benchmark(step)
