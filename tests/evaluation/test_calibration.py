"""The calibration figures: reliability bins, Brier score and ECE on hand-made results."""

from __future__ import annotations

from typing import Any

import pytest

from backstride.evaluation.calibration import calibration
from backstride.evaluation.vignettes import CaseResult, Vignette


class _Cond:
    def __init__(self, cid: str, p: float) -> None:
        self.id, self.probability = cid, p


class _Assessment:
    def __init__(self, ranked: list[tuple[str, float]]) -> None:
        self.conditions = [_Cond(c, p) for c, p in ranked]


def case(expected: str, ranked: list[tuple[str, float]]) -> Any:
    v = Vignette.model_validate(
        {"id": "x", "facts": {}, "expected": {"condition": expected, "triage": "soon"}}
    )
    return CaseResult(v, _Assessment(ranked), 0.0)  # type: ignore[arg-type]


def test_a_perfectly_calibrated_set_has_no_error() -> None:
    # four cases at 0.5, two right: confidence equals accuracy
    results = [case("a", [("a", 0.5), ("b", 0.5)])] * 2 + [case("b", [("a", 0.5), ("c", 0.5)])] * 2
    cal = calibration(results)
    assert cal.ece == pytest.approx(0.0)
    assert cal.brier == pytest.approx(0.25)
    assert [b.cases for b in cal.bins] == [0, 0, 4, 0, 0]


def test_the_leading_cause_is_the_most_probable_one_not_the_first_listed() -> None:
    # a warning sign may list a 5% cause first: calibration judges the most probable cause
    cal = calibration([case("b", [("a", 0.05), ("b", 0.9)])])
    assert cal.bins[-1].cases == 1 and cal.bins[-1].accuracy == 1.0
    assert cal.ece == pytest.approx(0.1)


def test_overconfidence_shows_as_error() -> None:
    cal = calibration([case("b", [("a", 0.95), ("b", 0.05)])] * 3)
    assert cal.ece == pytest.approx(0.95)
    assert cal.brier == pytest.approx(0.95**2)
