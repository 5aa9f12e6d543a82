"""Start-up: `backstride --help` and `backstride plan --help` in a fresh process, against a bare
`python -c "import typer, rich.console"` timed in the same run (subprocess wall time, several
rounds, median). Target (issue 10): each within 2.5x of the baseline.

`make bench` times them; `make test` runs each command once, untimed, and asserts nothing about
time.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Any

import pytest

GROUP = "start-up: fresh process"
ROUNDS = 11
TARGET = 2.5
BASELINE = [sys.executable, "-c", "import typer, rich.console"]
HELP = [sys.executable, "-m", "backstride", "--help"]
PLAN_HELP = [sys.executable, "-m", "backstride", "plan", "--help"]


def start(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def seconds(command: list[str]) -> float:
    begin = time.perf_counter()
    start(command)
    return time.perf_counter() - begin


@pytest.mark.benchmark(group=GROUP)
def test_baseline_import_typer_and_rich(benchmark: Any) -> None:
    benchmark.pedantic(start, args=(BASELINE,), rounds=ROUNDS, warmup_rounds=1)


@pytest.mark.benchmark(group=GROUP)
def test_backstride_help(benchmark: Any) -> None:
    benchmark.pedantic(start, args=(HELP,), rounds=ROUNDS, warmup_rounds=1)


@pytest.mark.benchmark(group=GROUP)
def test_plan_help(benchmark: Any) -> None:
    benchmark.pedantic(start, args=(PLAN_HELP,), rounds=ROUNDS, warmup_rounds=1)


@pytest.mark.benchmark(group="start-up: target, interleaved rounds")
def test_help_within_target_of_the_baseline(benchmark: Any) -> None:
    """The target as an assertion, on rounds interleaved so that a busy moment of the shared
    machine slows all three alike. Under `make test` (benchmarks off) each runs once, untimed."""
    commands = {"baseline": BASELINE, "--help": HELP, "plan --help": PLAN_HELP}
    if benchmark.disabled:
        benchmark(lambda: [start(command) for command in commands.values()])
        return
    times: dict[str, list[float]] = {name: [] for name in commands}

    def interleaved() -> None:
        for command in commands.values():
            start(command)  # warm the file cache
        for _ in range(ROUNDS):
            for name, command in commands.items():
                times[name].append(seconds(command))

    benchmark.pedantic(interleaved, rounds=1, iterations=1)
    median = {name: statistics.median(t) for name, t in times.items()}
    ratios = {name: median[name] / median["baseline"] for name in ("--help", "plan --help")}
    benchmark.extra_info.update({f"ratio {name}": round(r, 2) for name, r in ratios.items()})
    shown = [f"{n} {median[n] * 1000:.0f} ms ({r:.2f}x)" for n, r in ratios.items()]
    base = f"baseline {median['baseline'] * 1000:.0f} ms"
    print(f"\nstart-up, median of {ROUNDS} interleaved rounds: {base}, " + ", ".join(shown))
    assert all(r <= TARGET for r in ratios.values()), ratios
