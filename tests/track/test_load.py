"""Load figures on hand-made activities whose answers are known."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from backstride.plan.progression import load_progression
from backstride.track.load import (
    acwr,
    daily_rpe_load,
    longest_run_flags,
    week_strain,
    weekly_totals,
)
from backstride.track.model import Activity

RULES = load_progression()
T0 = datetime(2026, 10, 5, 7, tzinfo=UTC)  # a Monday


def run(day: int, km: float, minutes: float = 30, rpe: int | None = None) -> Activity:
    return Activity("run", T0 + timedelta(days=day), minutes * 60, km * 1000, rpe=rpe)


def test_frandsen_grades_against_the_longest_of_the_previous_30_days() -> None:
    acts = [
        run(0, 10),
        run(2, 10.9),  # 9% longer: no flag
        run(4, 12.5),  # 15% over 10.9: 10-30% band
        run(6, 20),  # 60% over 12.5: 30-100% band
        run(8, 41),  # 105% over 20: over 100%
        run(60, 5),  # the 30-day window has emptied: nothing to compare with
        run(61, 5.4),  # 8%: no flag
    ]
    flags = longest_run_flags(acts, RULES)
    assert [(f.start.day, f.hazard_ratio) for f in flags] == [(9, 1.64), (11, 1.52), (13, 2.28)]
    assert flags[0].longer_by == pytest.approx(12.5 / 10.9 - 1)
    assert flags[0].longest_before_m == 10900


def test_weekly_totals_per_sport() -> None:
    acts = [run(0, 5), run(2, 7), Activity("ride", T0, 3600, 30000), run(7, 4)]
    weeks = weekly_totals(acts)
    assert [(w.week, w.sport, w.count, w.distance_m) for w in weeks] == [
        (date(2026, 10, 5), "ride", 1, 30000),
        (date(2026, 10, 5), "run", 2, 12000),
        (date(2026, 10, 12), "run", 1, 4000),
    ]


def test_session_rpe_monotony_and_strain() -> None:
    acts = [run(0, 5, 40, rpe=5), run(2, 5, 30, rpe=4), run(4, 8, 60, rpe=6)]
    loads = daily_rpe_load(acts)
    assert loads[date(2026, 10, 5)] == 200 and loads[date(2026, 10, 9)] == 360
    week = week_strain(loads, date(2026, 10, 5))
    assert week.load == 680
    daily = [200, 0, 120, 0, 360, 0, 0]
    mean = sum(daily) / 7
    sd = (sum((x - mean) ** 2 for x in daily) / 7) ** 0.5
    assert week.monotony == pytest.approx(mean / sd)
    assert week.strain == pytest.approx(680 * mean / sd)


def test_acwr_is_information_with_its_caveat() -> None:
    acts = [run(d, 5, 30) for d in range(0, 28, 2)]
    info = acwr(acts, T0 + timedelta(days=28), RULES)
    assert info.ratio is not None and 0.5 < info.ratio < 1.5
    assert "should not guide decisions" in info.caveat
    assert acwr([], T0, RULES).ratio is None
