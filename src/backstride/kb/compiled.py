"""The compiled, immutable knowledge base: validated records plus the engine's numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from backstride.kb.schema import (
    TRIAGE_ORDER,
    Condition,
    Constraint,
    Factor,
    Finding,
    Probability,
    Rule,
    ScreeningGroup,
    Source,
)

FloatArray = npt.NDArray[np.float64]

# The "leak": no single answer may make a cause impossible or certain. People misread questions
# and causes outside the model exist, so every likelihood is kept within these bounds.
P_MIN = 0.01
P_MAX = 0.99


def _frozen(a: FloatArray) -> FloatArray:
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
    constraints: tuple[Constraint, ...]
    condition_index: Mapping[str, int]
    finding_index: Mapping[str, int]
    log_prior: FloatArray
    p_yes: FloatArray
    p_no: FloatArray
    log_yes: FloatArray
    log_no: FloatArray
    answer_entropy: FloatArray
    floor_rank: npt.NDArray[np.int64]
    red_flag: npt.NDArray[np.bool_]
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
        constraints: Sequence[Constraint],
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
        np.clip(p_yes, P_MIN, P_MAX, out=p_yes)
        floor_rank = np.array([TRIAGE_ORDER.index(c.triage_floor) for c in conditions])
        red_flag = np.array([f.red_flag for f in findings], dtype=np.bool_)
        q = p_yes
        entropy = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
        return cls(
            sources=MappingProxyType({s.id: s for s in sources}),
            conditions=tuple(conditions),
            findings=tuple(findings),
            rules=tuple(rules),
            screening=tuple(screening),
            factors=tuple(factors),
            constraints=tuple(constraints),
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
            _by_id=MappingProxyType({f.id: f for f in findings}),
            _conditions_by_id=MappingProxyType({c.id: c for c in conditions}),
        )

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """Condition ids in array order."""
        return tuple(c.id for c in self.conditions)

    @property
    def finding_ids(self) -> tuple[str, ...]:
        """Finding ids in array order."""
        return tuple(f.id for f in self.findings)

    def finding(self, finding_id: str) -> Finding:
        """The finding with this id (KeyError if unknown)."""
        return self._by_id[finding_id]

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id (KeyError if unknown)."""
        return self._conditions_by_id[condition_id]

    def likelihood(self, finding_id: str, condition_id: str) -> Probability:
        """P(yes | condition) for one finding with its provenance (the base rate if not listed)."""
        f = self._by_id[finding_id]
        return f.likelihoods.get(condition_id, f.base)
