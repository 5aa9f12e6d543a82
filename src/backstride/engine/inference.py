"""Posterior over conditions, per-answer explanations and expected information gain.

The model is a single-main-cause Bayesian model with a leak (see docs/model.md): conditions are
mutually exclusive, findings are conditionally independent given the cause, and every likelihood
is kept within [0.01, 0.99]. The findings of one answer group (age, duration, ...) ask about one
quantity, so their answers are counted together, once: the likelihood of a group is
P(the categories its answers allow | cause). Implied answers therefore add nothing, and nested
answers are never multiplied. The arithmetic is hand-written numpy because it is the hot path of
every interview step (a general inference library is ~100-1000x slower on this model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from backstride.engine.consistency import allowed_categories, answered_groups
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.kb import KnowledgeBase

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# A "no" read from free text is weaker than a "no" answered directly: its log-likelihood is
# tempered by this factor (people leave things out of stories more often than they deny them).
# Answer groups count in full whatever their origin: an age or a duration a story states is a
# statement, not an omission.
STORY_NO_WEIGHT = 0.5


# Calibration of the probabilities shown: the summed log-likelihoods are multiplied by this
# exponent before the causes are ranked and their probabilities reported. Fitted on the
# development vignettes (scripts/calibrate.py; figures in docs/model.md): the naive-Bayes
# product with hedged, leaked likelihoods was under-confident, not over-confident. Triage
# floors, the stop rule and the choice of questions keep the model's own posterior, whose
# thresholds were set on it.
EVIDENCE_EXPONENT = 2.0


def answer_weight(value: bool, origin: Origin) -> float:
    """How much one answer counts (1.0 = full weight)."""
    return STORY_NO_WEIGHT if (origin is Origin.STORY and not value) else 1.0


def evidence_arrays(
    kb: KnowledgeBase, evidence: Evidence
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Indices, values (1 yes / 0 no) and weights of the answers outside answer groups."""
    items = [(kb.finding_index[f], a) for f, a in evidence.items()]
    items = [(i, a) for i, a in items if kb.group_of[i] < 0]
    idx = np.array([i for i, _ in items], dtype=np.intp)
    val = np.array([1.0 if a.value else 0.0 for _, a in items], dtype=np.float64)
    wgt = np.array([answer_weight(a.value, a.origin) for _, a in items], dtype=np.float64)
    return idx, val, wgt


def log_contributions(
    log_yes: FloatArray, log_no: FloatArray, idx: IntArray, val: FloatArray, wgt: FloatArray
) -> FloatArray:
    """Per-answer log-likelihood rows, shape (answers, conditions)."""
    rows = np.where(val[:, None] > 0.5, log_yes[idx], log_no[idx])
    rows *= wgt[:, None]
    return rows


def group_log_likelihood(kb: KnowledgeBase, group: int, evidence: Evidence) -> FloatArray:
    """log P(the categories these answers allow | cause), per cause (0 when they clash)."""
    out: FloatArray = kb.group_log_sum[group][allowed_categories(kb, group, evidence)]
    return out


def normalise(log_unnorm: FloatArray) -> FloatArray:
    """Softmax along the last axis."""
    shifted = log_unnorm - log_unnorm.max(axis=-1, keepdims=True)
    p: FloatArray = np.exp(shifted)
    p /= p.sum(axis=-1, keepdims=True)
    return p


def log_posterior_unnormalised(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """log prior + weighted log-likelihoods of the answers, per condition."""
    return kb.log_prior + log_likelihood(kb, evidence)


def log_likelihood(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """The weighted log-likelihood of the answers, per condition (no prior, no exponent)."""
    idx, val, wgt = evidence_arrays(kb, evidence)
    out: FloatArray = log_contributions(kb.log_yes, kb.log_no, idx, val, wgt).sum(0)
    for g in answered_groups(kb, evidence):
        out = out + group_log_likelihood(kb, g, evidence)
    return out


def posterior(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """P(condition is the main cause | evidence), in kb.conditions order (the model's own)."""
    return normalise(log_posterior_unnormalised(kb, evidence))


def calibrated_posterior(kb: KnowledgeBase, evidence: Evidence) -> FloatArray:
    """The probabilities shown to a person: the evidence weighted by EVIDENCE_EXPONENT."""
    return normalise(kb.log_prior + EVIDENCE_EXPONENT * log_likelihood(kb, evidence))


def update(kb: KnowledgeBase, post: FloatArray, finding: str, answer: Answer) -> FloatArray:
    """The posterior after one more answer: Bayes' rule on the current posterior, O(conditions).

    Only for findings outside answer groups (a group's answers are counted together); it gives
    the same result as ``posterior`` on the evidence with the answer added (tests check this).
    """
    f = kb.finding_index[finding]
    if kb.group_of[f] >= 0:
        raise ValueError(f"'{finding}' is in an answer group: recompute the posterior instead")
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


def candidate_likelihoods(
    kb: KnowledgeBase, evidence: Evidence, candidates: IntArray
) -> FloatArray:
    """P(yes | cause) of each candidate finding given the answers so far, shape (n, C).

    Outside answer groups this is the finding's own likelihood. Inside one it is conditional on
    the group's answers: "over 65?" after "over 50: yes" is P(65+ | 50+, cause).
    """
    p = kb.p_yes[candidates].copy()
    for row in np.flatnonzero(kb.group_of[candidates] >= 0):
        f = int(candidates[row])
        g = int(kb.group_of[f])
        allowed = allowed_categories(kb, g, evidence)
        within = kb.group_sum[g][allowed]
        yes = kb.group_sum[g][allowed & kb.group_mask[f]]
        p[row] = np.clip(yes / np.maximum(within, 1e-300), 1e-6, 1 - 1e-6)
    return p


def information_gain(
    kb: KnowledgeBase, post: FloatArray, candidates: IntArray, evidence: Evidence | None = None
) -> FloatArray:
    """Expected information gain (bits) about the cause from asking each candidate finding.

    Uses I(C; F) = H(F) - H(F | C): two matrix-vector products, no per-answer posteriors.
    """
    if evidence is None or not answered_groups(kb, evidence):
        p = kb.p_yes[candidates]
        return binary_entropy(p @ post) - kb.answer_entropy[candidates] @ post
    p = candidate_likelihoods(kb, evidence, candidates)
    out: FloatArray = binary_entropy(p @ post) - binary_entropy(p) @ post
    return out


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one answer moved one condition: its log-likelihood ratio and the sources behind it."""

    finding: str
    answer: bool
    weight: float  # natural-log likelihood ratio: P(answer | this cause) / P(answer | other causes)
    sources: tuple[str, ...]
    estimate: bool


def explain_all(kb: KnowledgeBase, evidence: Evidence) -> dict[str, tuple[Contribution, ...]]:
    """Every given answer's weight for every condition, strongest first per condition.

    A weight is log P(answer | this cause) / P(answer | the other causes), the other causes
    weighted by their priors, so it means the same whatever else was answered. Answers of one
    group are taken in turn, each given the ones before it (the chain rule), so together they
    add up to the group's single likelihood and implied answers add nothing.
    """
    prior = np.exp(kb.log_prior)
    given = list(evidence.given().items())
    weights = np.zeros((len(given), len(kb.conditions)))
    seen_groups: dict[int, Evidence] = {}
    for row, (fid, ans) in enumerate(given):
        f = kb.finding_index[fid]
        g = int(kb.group_of[f])
        if g < 0:
            p_c = kb.p_yes[f] if ans.value else kb.p_no[f]
            # the other causes' mixture, leaving each cause out in turn
            p_rest = ((p_c * prior).sum() - p_c * prior) / (1.0 - prior)
            weights[row] = np.log(p_c / p_rest) * answer_weight(ans.value, ans.origin)
        else:
            before = seen_groups.get(g, Evidence())
            after = before.with_answer(fid, ans.value, ans.origin)
            seen_groups[g] = after
            old = group_log_likelihood(kb, g, before)
            ratio = group_log_likelihood(kb, g, after) - old
            w = prior * np.exp(old)
            rest = ((w * np.exp(ratio)).sum() - w * np.exp(ratio)) / np.maximum(w.sum() - w, 1e-300)
            weights[row] = ratio - np.log(np.maximum(rest, 1e-300))
    provenance = [kb.provenance(kb.finding_index[fid]) for fid, _ in given]
    out: dict[str, tuple[Contribution, ...]] = {}
    for c, cond in enumerate(kb.conditions):
        items = []
        for row, (fid, ans) in enumerate(given):
            prov = provenance[row][c]
            items.append(
                Contribution(fid, ans.value, float(weights[row, c]), prov.sources, prov.estimate)
            )
        items.sort(key=lambda x: -abs(x.weight))
        out[cond.id] = tuple(items)
    return out


def explain(kb: KnowledgeBase, evidence: Evidence, condition_id: str) -> tuple[Contribution, ...]:
    """Every given answer's weight for one condition, strongest first (see ``explain_all``)."""
    return explain_all(kb, evidence)[condition_id]
