"""The figures of scripts/load_test.py: nearest-rank percentiles, and each run split where the
last simulated person arrived (ramp-up, steady state), on made-up request times. Pure: no
server, no locust."""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any

from scripts.load_test import Probe, percentile, phases, summary


def nearest_rank(values: list[float], share: Fraction) -> float:
    """The definition, slowly: the smallest value with at least ``share`` of them at or below."""
    ordered = sorted(values)
    for value in ordered:
        if Fraction(sum(1 for v in ordered if v <= value), len(ordered)) >= share:
            return value
    raise AssertionError("unreachable")


def test_percentiles_are_nearest_rank() -> None:
    hundred = [float(n) for n in range(1, 101)]
    assert (percentile(hundred, 0.5), percentile(hundred, 0.99), percentile(hundred, 1)) == (
        50.0,
        99.0,
        100.0,
    )
    thousand = [float(n) for n in range(1, 1001)]
    assert percentile(thousand, 0.99) == 990.0 and percentile(thousand, 0.999) == 999.0
    assert percentile([1.0, 2, 3, 4, 5, 6, 7], 0.5) == 4.0  # ceil(3.5): the 4th
    assert percentile([1.0, 2, 3], 0.99) == 3.0
    assert percentile([7.0], 0.01) == percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.99) == 0.0
    assert percentile([1.26], 0.5) == 1.3  # to a tenth of a millisecond


def test_percentiles_match_the_definition_for_every_share_in_thousandths() -> None:
    rng = random.Random(13)
    for size in (1, 2, 3, 10, 99, 100, 101, 257):
        values = sorted(round(rng.uniform(1, 500), 1) for _ in range(size))
        for thousandths in range(1, 1001):
            share = Fraction(thousandths, 1000)
            assert percentile(values, thousandths / 1000) == nearest_rank(values, share), (
                size,
                thousandths,
            )


def test_a_summary_counts_failures_and_keeps_the_slowest() -> None:
    rows = [[0.0, "a", 30.0, True], [0.1, "a", 10.0, False], [0.2, "b", 20.0, True]]
    assert summary(rows) == {
        "requests": 3,
        "failures": 1,
        "p50_ms": 20.0,
        "p99_ms": 30.0,
        "max_ms": 30.0,
    }
    assert summary([]) == {
        "requests": 0,
        "failures": 0,
        "p50_ms": 0.0,
        "p99_ms": 0.0,
        "max_ms": 0.0,
    }


def times(spawned_at: float | None, *requests: tuple[float, str, float]) -> dict[str, Any]:
    """The locustfile's record: when it started, when the last person arrived, and each
    request as (start, name, milliseconds, ok) with absolute start times."""
    return {
        "started_at": 1000.0,
        "spawned_at": spawned_at,
        "requests": [[1000.0 + at, name, ms, True] for at, name, ms in requests],
    }


def test_the_run_is_split_where_the_last_person_arrived() -> None:
    run = times(
        1012.5,
        (0.5, "start", 300.0),
        (3.0, "answer", 200.0),
        (12.4, "answer", 100.0),  # started just before the last person arrived: ramp-up
        (12.5, "answer", 40.0),  # started as the last person arrived: steady state
        (15.0, "check-in", 20.0),
        (31.0, "answer", 10.0),
    )
    got = phases(run)
    assert got["spawned_after_s"] == 12.5
    assert (got["ramp"]["requests"], got["steady"]["requests"], got["all"]["requests"]) == (3, 3, 6)
    assert (got["ramp"]["max_ms"], got["steady"]["max_ms"]) == (300.0, 40.0)
    assert got["all"]["p99_ms"] == 300.0 and got["steady"]["p99_ms"] == 40.0
    assert sorted(got["ramp_by_name"]) == ["answer", "start"]
    assert got["ramp_by_name"]["answer"]["requests"] == 2
    assert sorted(got["steady_by_name"]) == ["answer", "check-in"]
    assert got["steady_by_name"]["answer"] == summary(
        [[0, "answer", 40.0, True], [0, "answer", 10.0, True]]
    )
    # 10-second windows from the start, [from, requests, p50, p99]; none for the empty 20-30 s
    assert got["windows_10s"] == [[0, 2, 200.0, 300.0], [10, 3, 40.0, 100.0], [30, 1, 10.0, 10.0]]


def test_every_request_is_in_exactly_one_phase() -> None:
    rng = random.Random(7)
    requests = [(rng.uniform(0, 90), rng.choice("abc"), rng.uniform(1, 400)) for _ in range(500)]
    for spawned in (1000.0, 1020.0, 1089.9, 1200.0):
        got = phases(times(spawned, *requests))
        ramp, steady = got["ramp"]["requests"], got["steady"]["requests"]
        assert ramp + steady == got["all"]["requests"] == 500
        assert ramp == sum(1 for at, _, _ in requests if 1000.0 + at < spawned)
        by_name = sum(s["requests"] for s in got["ramp_by_name"].values())
        assert by_name + sum(s["requests"] for s in got["steady_by_name"].values()) == 500
        assert sum(w[1] for w in got["windows_10s"]) == 500


def test_a_run_where_the_last_person_never_arrived_is_all_ramp_up() -> None:
    got = phases(times(None, (1.0, "a", 5.0), (2.0, "a", 7.0)))
    assert got["spawned_after_s"] is None  # not infinity: the figures are JSON
    assert math.isfinite(got["all"]["p99_ms"])
    assert (got["ramp"]["requests"], got["steady"]["requests"]) == (2, 0)
    assert got["steady_by_name"] == {}


def test_people_who_all_arrived_before_the_first_request_leave_no_ramp_up() -> None:
    got = phases(times(1000.2, (1.0, "a", 5.0), (2.0, "a", 7.0)))
    assert got["spawned_after_s"] == 0.2  # when the last one arrived, even with no ramp-up
    assert (got["ramp"]["requests"], got["steady"]["requests"]) == (0, 2)


def test_the_probe_reports_the_same_percentiles() -> None:
    probe = Probe("http://127.0.0.1:9")  # not started: only its figures
    probe.times = [float(n) for n in range(100, 0, -1)]
    assert probe.figures() == {"requests": 100, "p50_ms": 50.0, "p99_ms": 99.0, "max_ms": 100.0}
