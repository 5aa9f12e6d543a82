"""The compiled, immutable knowledge base: validated records plus the engine's numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from backstride.kb.schema import (
    TRIAGE_ORDER,
    AnswerGroup,
    Condition,
    Factor,
    Finding,
    Probability,
    Rule,
    ScreeningGroup,
    Source,
    Wording,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# The "leak": no single answer may make a cause impossible or certain. People misread questions
# and causes outside the model exist, so every likelihood is kept within these bounds.
P_MIN = 0.01
P_MAX = 0.99
# Warning signs may be rarer outside their cause than the leak allows: new saddle numbness
# almost never occurs without nerve compression, and clipping it at 0.01 made it no stronger
# than a common symptom. Their floor is lower.
P_MIN_RED_FLAG = 0.001
# No category of an answer group may be less likely than this under any cause (the same leak).
P_CATEGORY_MIN = 0.001


def category_probabilities(group: AnswerGroup, p_yes: dict[str, float]) -> FloatArray:
    """P(category) under one cause, solved from its findings' P(yes): ValueError if impossible.

    Each finding's P(yes) is the sum of its categories' probabilities and the categories sum to
    one; the loader requires this to pin every category down.
    """
    k = len(group.categories)
    rows = [
        [1.0 if c in cats else 0.0 for c in group.categories] for cats in group.findings.values()
    ]
    a = np.array([*rows, [1.0] * k])
    b = np.array([*(p_yes[f] for f in group.findings), 1.0])
    if np.linalg.matrix_rank(a) < k:
        raise ValueError("its findings do not pin down every category")
    q, *_ = np.linalg.lstsq(a, b, rcond=None)
    if not np.allclose(a @ q, b, atol=1e-9) or (q < -1e-12).any():
        shown = ", ".join(f"{f}={p_yes[f]:.3f}" for f in group.findings)
        raise ValueError(f"these P(yes) cannot all hold for one quantity: {shown}")
    q = np.maximum(q, P_CATEGORY_MIN)
    out: FloatArray = q / q.sum()
    return out


def _frozen(a: FloatArray) -> FloatArray:
    a.setflags(write=False)
    return a


def _frozen_int(a: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class KnowledgeBase:
    """Conditions, findings, rules and sources, with dense likelihood arrays.

    ``p_yes[f, c]`` is P(finding f answered yes | condition c is the main cause).
    """

    sources: Mapping[str, Source]
    conditions: tuple[Condition, ...]
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    screening: tuple[ScreeningGroup, ...]
    factors: tuple[Factor, ...]
    answer_groups: tuple[AnswerGroup, ...]
    condition_index: Mapping[str, int]
    finding_index: Mapping[str, int]
    log_prior: FloatArray
    p_yes: FloatArray
    p_no: FloatArray
    log_yes: FloatArray
    log_no: FloatArray
    answer_entropy: FloatArray
    floor_rank: npt.NDArray[np.int64]
    red_flag: BoolArray
    group_of: npt.NDArray[np.intp]  # answer group of each finding, -1 for none
    group_prob: tuple[FloatArray, ...]  # per group: P(category | cause), shape (categories, C)
    group_mask: Mapping[int, int]  # per grouped finding: bit k set when it is yes in category k
    group_full: tuple[int, ...]  # per group: every category's bit
    # per group and subset of categories (as bits): P(the quantity is in the subset | cause).
    # Groups have a handful of categories, so all 2^k subsets are tabulated once.
    group_sum: tuple[FloatArray, ...]
    group_log_sum: tuple[FloatArray, ...]
    group_members: tuple[tuple[int, ...], ...]  # per group: its finding indices, in order
    screen_order: tuple[str, ...]  # red-flag findings in the order the screening asks them
    wording: Wording = field(repr=False)  # plain words for people (wording.yaml)
    _finding_ids: tuple[str, ...] = field(repr=False)
    _condition_ids: tuple[str, ...] = field(repr=False)
    _provenance: tuple[tuple[Probability, ...], ...] = field(repr=False)
    _by_id: Mapping[str, Finding] = field(repr=False)
    _conditions_by_id: Mapping[str, Condition] = field(repr=False)

    @classmethod
    def compile(
        cls,
        *,
        sources: Sequence[Source],
        conditions: Sequence[Condition],
        findings: Sequence[Finding],
        rules: Sequence[Rule],
        screening: Sequence[ScreeningGroup],
        factors: Sequence[Factor],
        answer_groups: Sequence[AnswerGroup],
        wording: Wording,
    ) -> KnowledgeBase:
        """Build the arrays from validated records (the loader has cross-checked the ids)."""
        cidx = {c.id: i for i, c in enumerate(conditions)}
        fidx = {f.id: i for i, f in enumerate(findings)}
        prior = np.array([c.prior.p for c in conditions], dtype=np.float64)
        prior /= prior.sum()
        p_yes = np.empty((len(findings), len(conditions)), dtype=np.float64)
        for i, f in enumerate(findings):
            p_yes[i, :] = f.base.p
            for cid, prob in f.likelihoods.items():
                p_yes[i, cidx[cid]] = prob.p
        red_flag = np.array([f.red_flag for f in findings], dtype=np.bool_)
        low = np.where(red_flag, P_MIN_RED_FLAG, P_MIN)[:, None]
        np.clip(p_yes, low, P_MAX, out=p_yes)
        floor_rank = np.array([TRIAGE_ORDER.index(c.triage_floor) for c in conditions])
        group_of = np.full(len(findings), -1, dtype=np.intp)
        group_prob: list[FloatArray] = []
        group_mask: dict[int, int] = {}
        group_sum: list[FloatArray] = []
        for g, group in enumerate(answer_groups):
            cols = [
                category_probabilities(group, {f: float(p_yes[fidx[f], c]) for f in group.findings})
                for c in range(len(conditions))
            ]
            cat_prob: FloatArray = np.stack(cols, axis=1)
            group_prob.append(_frozen(cat_prob))
            k = len(group.categories)
            bits = np.array([[(b >> i) & 1 for i in range(k)] for b in range(2**k)], dtype=float)
            group_sum.append(_frozen(bits @ cat_prob))
            for fid, cats in group.findings.items():
                group_of[fidx[fid]] = g
                group_mask[fidx[fid]] = sum(
                    1 << i for i, c in enumerate(group.categories) if c in cats
                )
        q = p_yes
        entropy = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
        return cls(
            sources=MappingProxyType({s.id: s for s in sources}),
            conditions=tuple(conditions),
            findings=tuple(findings),
            rules=tuple(rules),
            screening=tuple(screening),
            factors=tuple(factors),
            answer_groups=tuple(answer_groups),
            condition_index=MappingProxyType(cidx),
            finding_index=MappingProxyType(fidx),
            log_prior=_frozen(np.log(prior)),
            p_yes=_frozen(p_yes),
            p_no=_frozen(1.0 - p_yes),
            log_yes=_frozen(np.log(p_yes)),
            log_no=_frozen(np.log1p(-p_yes)),
            answer_entropy=_frozen(entropy),
            floor_rank=floor_rank,
            red_flag=red_flag,
            group_of=_frozen_int(group_of),
            group_prob=tuple(group_prob),
            group_mask=MappingProxyType(group_mask),
            group_full=tuple((1 << len(g.categories)) - 1 for g in answer_groups),
            group_sum=tuple(group_sum),
            group_log_sum=tuple(
                _frozen(np.log(np.maximum(t, 1e-300)) * (np.arange(len(t)) > 0)[:, None])
                for t in group_sum
            ),
            group_members=tuple(tuple(fidx[f] for f in group.findings) for group in answer_groups),
            screen_order=tuple(
                f
                for f in dict.fromkeys([*(i for g in screening for i in g.items), *fidx])
                if findings[fidx[f]].red_flag
            ),
            wording=wording,
            _finding_ids=tuple(f.id for f in findings),
            _condition_ids=tuple(c.id for c in conditions),
            _provenance=tuple(
                tuple(f.likelihoods.get(c.id, f.base) for c in conditions) for f in findings
            ),
            _by_id=MappingProxyType({f.id: f for f in findings}),
            _conditions_by_id=MappingProxyType({c.id: c for c in conditions}),
        )

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """Condition ids in array order."""
        return self._condition_ids

    @property
    def finding_ids(self) -> tuple[str, ...]:
        """Finding ids in array order."""
        return self._finding_ids

    def finding(self, finding_id: str) -> Finding:
        """The finding with this id (KeyError if unknown)."""
        return self._by_id[finding_id]

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id (KeyError if unknown)."""
        return self._conditions_by_id[condition_id]

    @property
    def screen_rule(self) -> Rule:
        """The rule that fires on a final result whose warning-sign screen is incomplete."""
        return next(r for r in self.rules if r.kind == "screen")

    def group_findings(self, group: int) -> tuple[int, ...]:
        """Finding indices of one answer group, in the group's order."""
        return self.group_members[group]

    def likelihood(self, finding_id: str, condition_id: str) -> Probability:
        """P(yes | condition) for one finding with its provenance (the base rate if not listed)."""
        return self._provenance[self.finding_index[finding_id]][self.condition_index[condition_id]]

    def provenance(self, finding: int) -> tuple[Probability, ...]:
        """Each condition's likelihood entry for one finding (by index), in condition order."""
        return self._provenance[finding]
