"""Issue 13: an import run as a job (``recovery.jobs.run_job``: a job row, its progress written
at most twice a second, the result stored) against the bare importer it wraps
(``import_sources``), on the same files into fresh SQLite databases, timed in turn in the same
run. Target: the job costs at most 10% more (a speed of at least 0.9 of the bare import)."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.watchfiles import fit_file

from backstride.ingest.sources import expand
from backstride.recovery.activities import import_sources
from backstride.recovery.jobs import create_inline_job, import_args, run_job
from backstride.recovery.workspace import close_stores, person_session

FILES = 300
ROUNDS = 3
T0 = datetime(2016, 1, 4, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fit")
    for n in range(FILES):
        (out / f"{n:05d}.fit").write_bytes(fit_file(T0 + timedelta(hours=13 * n), km=5))
    return out


@pytest.mark.benchmark(group="import as a job")
def test_import_as_a_job_costs_little_over_the_bare_import(
    benchmark: Any, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    homes = iter(range(1000))

    def fresh() -> None:
        close_stores()
        monkeypatch.setenv("BACKSTRIDE_HOME", str(tmp_path / f"home{next(homes)}"))
        with person_session():
            pass  # create the database outside the timing

    def bare() -> float:
        fresh()
        start = time.perf_counter()
        summary = import_sources(expand([folder]))
        assert summary.imported == FILES
        return time.perf_counter() - start

    def job() -> float:
        fresh()
        start = time.perf_counter()
        status = run_job(create_inline_job("import", import_args([folder])))
        assert status.status == "done" and status.done == FILES
        return time.perf_counter() - start

    if benchmark.disabled:  # `make test`: each once, untimed
        benchmark(lambda: (bare(), job()))
        return
    bare_times, job_times = [], []
    for _ in range(ROUNDS):  # interleaved, so a busy moment slows both alike
        bare_times.append(bare())
        job_times.append(job())
    benchmark.pedantic(job, rounds=1, iterations=1)
    speed = statistics.median(bare_times) / statistics.median(job_times)
    print(
        f"\n{FILES} FIT files: bare import {statistics.median(bare_times):.2f} s, as a job "
        f"{statistics.median(job_times):.2f} s: job speed {speed:.2f} of the bare import"
    )
    assert speed >= 0.9, f"the job reached only {speed:.2f} of the bare import's speed"
