"""Posterior over conditions, per-finding explanations and expected information gain.

The model is a single-main-cause Bayesian model with a leak (see docs/model.md): conditions are
mutually exclusive, findings are conditionally independent given the cause, and every likelihood
is kept within [0.01, 0.99]. The arithmetic is hand-written numpy because it is the hot path of
every interview step (a general inference library is ~100-1000x slower on this model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.kb import KnowledgeBase

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# A "no" read from free text is weaker than a "no" answered directly: its log-likelihood is
# tempered by this factor (people leave things out of stories more often than they deny them).
STORY_NO_WEIGHT = 0.5


def answer_weight(value: bool, origin: Origin) -> float:
    """How much one answer counts (1.0 = full weight)."""
    return STORY_NO_WEIGHT if (origin is Origin.STORY and not value) else 1.0


def evidence_arrays(
    kb: KnowledgeBase, evidence: Evidence
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Finding indices, signed values (1 yes / 0 no) and weights, aligned."""
    n = len(evidence)
    idx = np.empty(n, dtype=np.intp)
    val = np.empty(n, dtype=np.float64)
    wgt = np.empty(n, dtype=np.float64)
    for i, (fid, ans) in enumerate(evidence.items()):
        idx[i] = kb.finding_index[fid]
        val[i] = 1.0 if ans.value else 0.0
        wgt[i] = answer_weight(ans.value, ans.origin)
    return idx, val, wgt


def log_contributions(
    log_yes: FloatArray, log_no: FloatArray, idx: IntArray, val: FloatArray, wgt: FloatArray
) -> FloatArray:
    """Per-answer log-likelihood rows, shape (answers, conditions)."""
    rows = np.where(val[:, None] > 0.5, log_yes[idx], log_no[idx])
    rows *= wgt[:, None]
    return rows


def normalise(log_unnorm: FloatArray) -> FloatArray:
    """Softmax along the last axis."""
    shifted = log_unnorm - log_unnorm.max(axis=-1, keepdims=True)
    p: FloatArray = np.exp(shifted)
    p /= p.sum(axis=-1, keepdims=True)
    return p


def log_posterior_unnormalised(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """log prior + sum of weighted log-likelihoods, per condition."""
    idx, val, wgt = evidence_arrays(kb, evidence)
    out: FloatArray = kb.log_prior + log_contributions(kb.log_yes, kb.log_no, idx, val, wgt).sum(0)
    return out


def posterior(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """P(condition is the main cause | evidence), in kb.conditions order."""
    return normalise(log_posterior_unnormalised(kb, evidence))


def update(kb: KnowledgeBase, post: FloatArray, finding: str, answer: Answer) -> FloatArray:
    """The posterior after one more answer: Bayes' rule on the current posterior, O(conditions).

    This is what each interview step costs; it gives the same result as ``posterior`` on the
    evidence with the answer added (tests check this).
    """
    f = kb.finding_index[finding]
    lik = kb.p_yes[f] if answer.value else kb.p_no[f]
    weight = answer_weight(answer.value, answer.origin)
    new: FloatArray = post * (lik if weight == 1.0 else lik**weight)
    new /= new.sum()
    return new


def binary_entropy(p: FloatArray) -> FloatArray:
    """Entropy in bits of a yes/no variable with P(yes) = p (elementwise)."""
    q = np.clip(p, 1e-12, 1 - 1e-12)
    out: FloatArray = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
    return out


def information_gain(kb: KnowledgeBase, post: FloatArray, candidates: IntArray) -> FloatArray:
    """Expected information gain (bits) about the cause from asking each candidate finding.

    Uses I(C; F) = H(F) - H(F | C): two matrix-vector products, no per-answer posteriors.
    """
    p = kb.p_yes[candidates]
    out: FloatArray = binary_entropy(p @ post) - kb.answer_entropy[candidates] @ post
    return out


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one answer moved one condition: its log-likelihood ratio and the sources behind it."""

    finding: str
    answer: bool
    weight: float  # natural-log likelihood ratio: P(answer | this cause) / P(answer | other causes)
    sources: tuple[str, ...]
    estimate: bool


def explain(kb: KnowledgeBase, evidence: Evidence, condition_id: str) -> tuple[Contribution, ...]:
    """Every answer's weight for one condition, strongest first.

    "Other causes" are weighted by their priors, so a weight means the same whatever else was
    answered.
    """
    c = kb.condition_index[condition_id]
    others = np.exp(kb.log_prior)
    others[c] = 0.0
    others /= others.sum()
    out: list[Contribution] = []
    for fid, ans in evidence.items():
        f = kb.finding_index[fid]
        p_c = kb.p_yes[f, c]
        p_rest = float(kb.p_yes[f] @ others)
        if not ans.value:
            p_c, p_rest = 1.0 - p_c, 1.0 - p_rest
        weight = float(np.log(p_c / p_rest)) * answer_weight(ans.value, ans.origin)
        prov = kb.likelihood(fid, condition_id)
        out.append(Contribution(fid, ans.value, weight, prov.sources, prov.estimate))
    out.sort(key=lambda x: -abs(x.weight))
    return tuple(out)
