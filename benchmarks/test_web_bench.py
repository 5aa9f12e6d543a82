"""Issue 12 speed targets, each against a baseline measured in the same run (`make bench`):

- "answer a question" and "get the result" on `backstride serve --workers 2`, SQLite and
  PostgreSQL, driven by a bounded httpx load loop on loopback with 20 concurrent clients;
- the baseline is a trivial JSON endpoint (GET /api/v1/health) on the same server;
- targets: at least 0.5 of the baseline's requests/s, and p99 under 100 ms;
- the question page weighs under 60 KB in all, scripts included.

The load loop runs in one asyncio process beside the two workers (all on this machine's two
cores): the figures are for this machine, and the ratios are what to compare. Each run writes
its figures to build/web-bench.json. In `make test` (benchmarks disabled) a few requests per
measure check that the loop works.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 20
RESULTS: dict[str, dict[str, Any]] = {}


def enabled(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("benchmark_enable", False))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """`backstride serve --workers 2` on a fresh database."""
    env = {**os.environ, "BACKSTRIDE_HOME": str(tmp_path_factory.mktemp("home"))}
    env.pop("BACKSTRIDE_NOW", None)
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        env["BACKSTRIDE_DATABASE_URL"] = url
    else:
        env.pop("BACKSTRIDE_DATABASE_URL", None)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backstride", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        seen: set[str] = set()
        deadline = time.monotonic() + 240
        while len(seen) < 2:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            try:
                with httpx.Client(base_url=base, timeout=5) as c:
                    seen.add(c.get("/api/v1/health").headers["x-backstride-worker"])
            except httpx.TransportError:
                time.sleep(0.5)
        yield request.param, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def figures(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
    }


async def load(
    base: str, jobs: list[Callable[[httpx.AsyncClient], Awaitable[None]]]
) -> dict[str, float]:
    """Run the jobs on CLIENTS concurrent clients (one connection each); time each request."""
    latencies: list[float] = []
    queue: asyncio.Queue[Callable[[httpx.AsyncClient], Awaitable[None]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def client() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
            await c.get("/api/v1/health")  # connect before the clock starts
            await ready.wait()
            while not queue.empty():
                job = queue.get_nowait()
                t0 = time.perf_counter()
                await job(c)
                latencies.append(time.perf_counter() - t0)

    ready = asyncio.Event()
    tasks = [asyncio.create_task(client()) for _ in range(CLIENTS)]
    await asyncio.sleep(0.5)
    start = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    return figures(latencies, time.perf_counter() - start)


def health_jobs(n: int) -> list[Callable[[httpx.AsyncClient], Awaitable[None]]]:
    async def job(c: httpx.AsyncClient) -> None:
        r = await c.get("/api/v1/health")
        assert r.status_code == 200

    return [job] * n


def start_interviews(base: str, n: int) -> list[dict[str, Any]]:
    with httpx.Client(base_url=base, timeout=60) as c:
        return [c.post("/api/v1/interviews", json={"story": ""}).json() for _ in range(n)]


def answer_jobs(
    states: list[dict[str, Any]], n: int
) -> list[Callable[[httpx.AsyncClient], Awaitable[None]]]:
    """n answers, spread over the interviews: each job answers one interview's next question
    ("don't know" to every item), so each request is a real step of a real interview."""
    pending = [s for s in states if not s["done"]]

    def make(state: dict[str, Any]) -> Callable[[httpx.AsyncClient], Awaitable[None]]:
        async def job(c: httpx.AsyncClient) -> None:
            question = state["question"]
            if question is None:  # this interview ended: ask for its result instead of idling
                await c.get(f"/api/v1/interviews/{state['id']}")
                return
            answers = {i["finding"]: None for i in question["items"]}
            r = await c.post(f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers})
            assert r.status_code == 200, r.text
            state.update(r.json())

        return job

    # one job per interview per round, so no two clients answer one interview at once
    jobs = []
    while len(jobs) < n:
        jobs += [make(s) for s in pending]
    return jobs[:n]


def result_jobs(ids: list[str], n: int) -> list[Callable[[httpx.AsyncClient], Awaitable[None]]]:
    def make(iid: str) -> Callable[[httpx.AsyncClient], Awaitable[None]]:
        async def job(c: httpx.AsyncClient) -> None:
            r = await c.get(f"/api/v1/interviews/{iid}/result")
            assert r.status_code == 200

        return job

    return [make(ids[k % len(ids)]) for k in range(n)]


def test_answer_and_result_against_the_baseline(
    served: tuple[str, str], request: pytest.FixtureRequest, benchmark: Any
) -> None:
    db, base = served
    full = enabled(request)
    n = 1500 if full else 20
    baseline = asyncio.run(load(base, health_jobs(n)))
    # Answers: interviews with 20 clients on 40 interviews, one question per job in turn.
    states = start_interviews(base, 40 if full else CLIENTS)
    answered = asyncio.run(load(base, answer_jobs(states, n)))
    # Results: finished interviews (their result is kept in the database).
    finished = [s["id"] for s in states if s["done"]]
    if not finished:
        finished = [s["id"] for s in states]
    result = asyncio.run(load(base, result_jobs(finished, n)))
    figures_here = {
        "baseline": baseline,
        "answer": {**answered, "ratio": round(answered["rps"] / baseline["rps"], 3)},
        "result": {**result, "ratio": round(result["rps"] / baseline["rps"], 3)},
    }
    RESULTS[db] = figures_here
    benchmark.extra_info.update(figures_here)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    if full:
        out = ROOT / "build" / "web-bench.json"
        out.parent.mkdir(exist_ok=True)
        old = json.loads(out.read_text()) if out.exists() else {}
        out.write_text(json.dumps({**old, db: figures_here}, indent=1) + "\n")
        print(f"\n{db}: {json.dumps(figures_here)}")


def test_question_page_weight(served: tuple[str, str], benchmark: Any) -> None:
    """The question page with everything it loads: bytes on the wire (gzip) and unpacked."""
    _, base = served
    weights: dict[str, int] = {}
    with httpx.Client(base_url=base, timeout=60) as c:
        state = c.post("/api/v1/interviews", json={"story": ""}).json()
        for encoding in ("gzip", "identity"):
            headers = {"accept-encoding": encoding}
            page = c.get(f"/interview/{state['id']}", headers=headers)
            total = page.num_bytes_downloaded
            for ref in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
                total += c.get(ref, headers=headers).num_bytes_downloaded
            weights[encoding] = total
    benchmark.extra_info.update(weights)
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    sent, unpacked = weights["gzip"], weights["identity"]
    print(f"\nquestion page: {sent:,} bytes sent (gzip), {unpacked:,} unpacked")
    assert weights["gzip"] < 60 * 1024
