"""Calibration of the leading cause's probability: a reliability table, Brier score and ECE.

"Leading" is the cause with the highest probability (not a cause a warning sign lists first).
A case counts as right when that cause is the expected one or an acceptable one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backstride.evaluation.vignettes import CaseResult


@dataclass(frozen=True, slots=True)
class Bin:
    """One row of the reliability table."""

    low: float
    high: float
    cases: int
    confidence: float  # mean probability of the leading cause
    accuracy: float  # share of cases where it was right


@dataclass(frozen=True, slots=True)
class Calibration:
    """How well the leading cause's probability matches how often it is right."""

    cases: int
    brier: float
    ece: float
    bins: tuple[Bin, ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "cases": self.cases,
            "brier": round(self.brier, 4),
            "ece": round(self.ece, 4),
            "bins": [
                {
                    "range": [round(b.low, 2), round(b.high, 2)],
                    "cases": b.cases,
                    "confidence": round(b.confidence, 3),
                    "accuracy": round(b.accuracy, 3),
                }
                for b in self.bins
            ],
        }


def leading(result: CaseResult) -> tuple[float, bool]:
    """The leading cause's probability, and whether it is an expected cause."""
    top = max(result.assessment.conditions, key=lambda c: c.probability)
    e = result.vignette.expected
    return top.probability, top.id in {e.condition, *e.acceptable}


def calibration(results: Iterable[CaseResult], bins: int = 5) -> Calibration:
    """Reliability table (equal-width bins), Brier score and expected calibration error."""
    pairs = [leading(r) for r in results if r.vignette.expected.condition]
    n = max(len(pairs), 1)
    brier = sum((p - ok) ** 2 for p, ok in pairs) / n
    rows = []
    ece = 0.0
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [(p, ok) for p, ok in pairs if low <= p < high or (i == bins - 1 and p == 1.0)]
        if not inside:
            rows.append(Bin(low, high, 0, 0.0, 0.0))
            continue
        conf = sum(p for p, _ in inside) / len(inside)
        acc = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / n * abs(conf - acc)
        rows.append(Bin(low, high, len(inside), conf, acc))
    return Calibration(len(pairs), brier, ece, tuple(rows))
