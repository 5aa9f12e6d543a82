"""Print each benchmark group's medians as ratios against the group's baseline (same run)."""

from __future__ import annotations

from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    session = getattr(config, "_benchmarksession", None)
    benches = getattr(session, "benchmarks", None) or []
    groups: dict[str, list[Any]] = {}
    for b in benches:
        if getattr(b, "stats", None) is not None:
            groups.setdefault(b.group or "", []).append(b)
    if not groups:
        return
    terminalreporter.section("ratios against the baseline of each group (median)")
    for group, items in sorted(groups.items()):
        base = next((b for b in items if "baseline" in b.name), None)
        for b in items:
            median_us = b.stats.median * 1e6
            line = f"{group:<24} {b.name:<48} median {median_us:10.1f} µs"
            if base is not None and b is not base:
                ratio = base.stats.median / b.stats.median
                line += (
                    f"   {ratio:8.1f}x faster than baseline"
                    if ratio >= 1
                    else f"   {1 / ratio:8.1f}x the baseline's time"
                )
            terminalreporter.write_line(line)


# The web benchmarks start servers on SQLite and on PostgreSQL, like the store tests.
from tests.store.conftest import postgres_url  # noqa: E402, F401
