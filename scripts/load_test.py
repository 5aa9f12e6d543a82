"""Load and soak tests (issue 13): locust against `backstride serve --workers 2` (or
`--web-workers N`) and one `backstride worker`, on a fresh PostgreSQL database, all on
loopback, bounded in time.

    python scripts/load_test.py load    # `make load`: 200 people, then the baseline
    python scripts/load_test.py soak    # `make soak`: 10 minutes at moderate load, memory

``load`` runs benchmarks/load/locustfile.py's ``Baseline`` (GET /api/v1/health) and then
``Person`` (interviews and check-ins), each with the same number of users and the same pace,
and compares them; the job worker meanwhile imports a folder of generated watch files queued as
a background job. ``soak`` runs ``Person`` at a moderate load and samples each web worker's
resident memory; growth is measured from the end of the first minute (warm-up: caches filling)
to the end. Figures go to build/load.json or build/soak.json (each phase's percentiles over time to
build/baseline-history.csv and build/person-history.csv); the exit code is 1 when a target
is missed (load: any error, p99 >= 250 ms; soak: any error, a worker's memory growth > 10%).

Every request's own time is kept too (the locustfile writes them), and ``phases`` in the figures
splits the same requests where the last simulated person arrived: ``all`` (every request, the
figure the target is judged on), ``ramp`` (people arriving, each with a first plan and
interview) and ``steady`` (everyone there), with 10-second windows. People arrive at a tenth of
them each second unless ``--spawn-rate`` says otherwise.

The load generator runs at a lower CPU priority (nice 10; `--nice N`, 0 for the same as the
server's) than the server, so that on a machine as small as the app's own it does not take the
workers' CPU. On a machine that other work keeps busy, though, a niced generator waits for the
CPU itself and counts that wait in what it measures: so `load` also runs a probe at the
server's priority during the people's phase (GET /api/v1/health every 100 ms; figures under
``probe_health``).

PostgreSQL: BACKSTRIDE_TEST_POSTGRES (an admin URL, as for the tests; default
postgresql+psycopg://postgres@127.0.0.1:5432/test); a database is created and dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
ADMIN_URL = os.environ.get(
    "BACKSTRIDE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BIN = Path(sys.executable).parent

if (
    TYPE_CHECKING
):  # psutil comes with the load extra; the figures' tests import this file without it
    import psutil


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_database() -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"backstride_load_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def watch_files(folder: Path, count: int) -> Path:
    """Generated FIT files for the job worker to import (tests/watchfiles.py makes them)."""
    sys.path.insert(0, str(ROOT))
    from tests.watchfiles import fit_file

    folder.mkdir(parents=True)
    start = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
    for n in range(count):
        (folder / f"{n:04d}.fit").write_bytes(fit_file(start + timedelta(hours=7 * n), km=5.0))
    return folder


class Service:
    """`backstride serve --workers N` (2 unless told) and `backstride worker` on one database."""

    def __init__(self, url: str, home: Path, logs: Path, mode: str, web_workers: int = 2) -> None:
        self.env = {**os.environ, "BACKSTRIDE_HOME": str(home), "BACKSTRIDE_DATABASE_URL": url}
        self.env.pop("BACKSTRIDE_NOW", None)
        self.mode = mode
        self.tokens: Path | None = None  # the accounts' bearer tokens (service mode)
        if mode == "service":  # sign-in required; plain HTTP on loopback, so no Secure cookie
            self.env.update(
                BACKSTRIDE_MODE="service",
                BACKSTRIDE_SECRET_KEY=secrets.token_urlsafe(48),
                BACKSTRIDE_COOKIE_SECURE="false",
            )
        else:
            self.env.pop("BACKSTRIDE_MODE", None)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logs = logs
        self.run("db", "upgrade")
        self.web = self.spawn(
            "web", "serve", "--port", str(self.port), "--workers", str(web_workers)
        )
        self.jobs = self.spawn("worker", "worker")
        self.workers = self.wait_for_workers(web_workers)

    def run(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "backstride", *args], env=self.env, check=True, timeout=300
        )

    def spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "backstride", *args],
            env=self.env,
            stdout=(self.logs / f"{name}.log").open("ab"),
            stderr=subprocess.STDOUT,
        )

    def wait_for_workers(self, count: int) -> list[psutil.Process]:
        import psutil

        seen: set[int] = set()
        deadline = time.monotonic() + 240
        while len(seen) < count:
            if self.web.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {self.logs / 'web.log'}")
            try:
                with httpx.Client(base_url=self.base, timeout=5) as c:
                    seen.add(int(c.get("/api/v1/health").headers["x-backstride-worker"]))
            except httpx.TransportError:
                time.sleep(0.5)
        return [psutil.Process(pid) for pid in sorted(seen)]

    def rss_mb(self) -> list[float]:
        return [round(p.memory_info().rss / 2**20, 1) for p in self.workers]

    def stop(self) -> None:
        for proc in (self.jobs, self.web):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def make_accounts(service: Service, count: int, folder: Path) -> Path:
    """Sign up and in ``count`` accounts with the contract's routes (register, then token),
    one after another, and write their bearer tokens to a file for the locustfile."""
    tokens = []
    password = "an easy ten k along the canal"
    with httpx.Client(base_url=service.base, timeout=60) as client:
        for n in range(count):
            email = f"runner-{n}-{secrets.token_hex(4)}@example.org"
            made = client.post("/api/v1/auth/register", json={"email": email, "password": password})
            made.raise_for_status()
            signed = client.post(
                "/api/v1/auth/token", data={"username": email, "password": password}
            )
            signed.raise_for_status()
            tokens.append(signed.json()["access_token"])
            if (n + 1) % 50 == 0:
                print(f"accounts: {n + 1} of {count}", file=sys.stderr, flush=True)
    path = folder / "tokens.txt"
    path.write_text("\n".join(tokens) + "\n")
    return path


def locust(
    service: Service,
    user: str,
    users: int,
    seconds: int,
    out: Path,
    sample: Any = None,
    nice: int = 10,
    spawn_rate: float | None = None,
) -> dict[str, Any]:
    """One headless locust run (niced), bounded in time; its figures from the CSV stats, and
    from every request's own time the run split where the last user arrived (``phases``)."""
    prefix = out / user.lower()
    times = out / f"{user.lower()}-times.json"
    command = [
        "nice",
        "-n",
        str(nice),
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate or max(1, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        service.base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--csv-full-history",
        "--loglevel",
        "WARNING",
        user,
    ]
    proc = subprocess.Popen(
        command,
        stdout=(out / "locust.log").open("ab"),
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "BACKSTRIDE_LOAD_MODE": service.mode,
            "BACKSTRIDE_LOAD_TOKENS": str(service.tokens or ""),
            "BACKSTRIDE_LOAD_TIMES": str(times),
        },
    )
    started = time.monotonic()
    while proc.poll() is None:
        if sample is not None:
            sample(time.monotonic() - started)
        time.sleep(5)
        if time.monotonic() - started > seconds + 120:
            proc.kill()
            raise SystemExit("locust did not stop in time")
    rows = list(csv.DictReader((out / f"{user.lower()}_stats.csv").open()))
    figures: dict[str, Any] = {}
    for row in rows:
        figures[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"] or 0),
            "p99_ms": float(row["99%"] or 0),
        }
    # Each request kind's percentiles over time (10 s windows), kept beside the figures: they
    # show whether the slow requests come in the ramp-up or all along.
    history = out / f"{user.lower()}_stats_history.csv"
    if history.exists():
        shutil.copy(history, ROOT / "build" / f"{user.lower()}-history.csv")
    failures = (out / f"{user.lower()}_failures.csv").read_text()
    figures["Aggregated"]["failure_lines"] = failures.splitlines()[1:6]
    if times.exists():
        figures["phases"] = phases(json.loads(times.read_text()))
    return figures


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none): the smallest value with at
    least ``share`` (in thousandths) of them at or below it."""
    if not ordered:
        return 0.0
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))  # ceil(share * n), exactly
    return round(ordered[min(rank, len(ordered)) - 1], 1)


def summary(rows: list[list[Any]]) -> dict[str, Any]:
    """Count, errors, p50, p99 and max of some requests."""
    ordered = sorted(r[2] for r in rows)
    return {
        "requests": len(rows),
        "failures": sum(1 for r in rows if not r[3]),
        "p50_ms": percentile(ordered, 0.5),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": round(ordered[-1], 1) if ordered else 0.0,
    }


def phases(times: dict[str, Any]) -> dict[str, Any]:
    """The run's requests all together, and split where the last user was started: the ramp-up
    (people arriving: each one's first plan and interview) and the steady state after it. Every
    request is in "all" and in exactly one of the two, by when it started. A run whose last user
    never started is all ramp-up."""
    rows = times["requests"]
    spawned = times["spawned_at"] if times["spawned_at"] is not None else float("inf")
    ramp = [r for r in rows if r[0] < spawned]
    steady = [r for r in rows if r[0] >= spawned]
    names = sorted({r[1] for r in steady})
    start = times["started_at"]
    windows = []  # 10-second windows from the start: where in the run the slow requests are
    for n in range(int(max((r[0] - start for r in rows), default=0) // 10) + 1):
        inside = [r for r in rows if n * 10 <= r[0] - start < (n + 1) * 10]
        if inside:
            w = summary(inside)
            windows.append([n * 10, w["requests"], w["p50_ms"], w["p99_ms"]])
    return {
        "spawned_after_s": (
            None if times["spawned_at"] is None else round(spawned - times["started_at"], 1)
        ),
        "all": summary(rows),
        "ramp": summary(ramp),
        "steady": summary(steady),
        "ramp_by_name": {
            n: summary([r for r in ramp if r[1] == n]) for n in sorted({r[1] for r in ramp})
        },
        "steady_by_name": {n: summary([r for r in steady if r[1] == n]) for n in names},
        "windows_10s": windows,
    }


class Probe:
    """A client at the server's own CPU priority asking for the trivial endpoint every 100 ms
    while the people run: how long the server takes, apart from the load generator's own
    delays (the generator is niced, and on a busy machine it waits for the CPU too)."""

    def __init__(self, base: str) -> None:
        import threading

        self.base = base
        self.times: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                client.get("/api/v1/health")
                self.times.append((time.perf_counter() - started) * 1000)
                self.stop.wait(0.1)

    def __enter__(self) -> Probe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)

    def figures(self) -> dict[str, float]:
        """Count, p50, p99 and max of the probe's requests (percentiles as for the people's)."""
        ordered = sorted(self.times)
        return {
            "requests": len(ordered),
            "p50_ms": percentile(ordered, 0.5),
            "p99_ms": percentile(ordered, 0.99),
            "max_ms": percentile(ordered, 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["load", "soak"])
    parser.add_argument("--users", type=int, help="simulated people (load 200, soak 60)")
    parser.add_argument("--seconds", type=int, help="per phase (load 90, soak 600)")
    parser.add_argument(
        "--mode",
        choices=["service", "local"],
        default="service",
        help="service: every simulated person signs up and in (default); local: one person",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        help="people arriving per second (default: a tenth of them each second)",
    )
    parser.add_argument(
        "--web-workers",
        type=int,
        default=2,
        help="web worker processes (`backstride serve --workers`; default 2, as deployed)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=10,
        help="the load generator's CPU priority below the server's (default 10; 0: the same)",
    )
    args = parser.parse_args()
    soak = args.kind == "soak"
    users = args.users or (60 if soak else 200)
    seconds = args.seconds or (600 if soak else 90)
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"backstride-{args.kind}-"))
    url = fresh_database()
    service = None
    try:
        service = Service(url, work / "home", work, args.mode, args.web_workers)
        if args.mode == "service":
            service.tokens = make_accounts(service, users, work)
        report: dict[str, Any] = {
            "kind": args.kind,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "users": users,
            "mode": args.mode,
            "seconds": seconds,
            "cpus": os.cpu_count(),
            "generator_nice": args.nice,
            "web_workers": args.web_workers,
            "spawn_rate": args.spawn_rate or max(1, users // 10),
            "settings": {
                k: v
                for k, v in os.environ.items()
                if k.startswith(("BACKSTRIDE_POOL", "BACKSTRIDE_WEB_THREADS"))
            },
            "load_average_before": os.getloadavg(),
        }
        if soak:
            samples: list[tuple[float, list[float]]] = []

            def sample(at: float) -> None:
                samples.append((round(at), service.rss_mb() if service else []))

            report["person"] = locust(
                service, "Person", users, seconds, work, sample, args.nice, args.spawn_rate
            )
            warm = next((s for s in samples if s[0] >= 60), samples[0])
            last = samples[-1]
            growth = [round((b - a) / a * 100, 1) for a, b in zip(warm[1], last[1], strict=True)]
            report["rss_mb"] = {"after_warm_up": warm[1], "end": last[1], "growth_pct": growth}
            report["rss_samples"] = samples
            ok = max(growth) <= 10 and report["person"]["Aggregated"]["failures"] == 0
        else:
            report["baseline"] = locust(
                service,
                "Baseline",
                users,
                seconds // 3,
                work,
                nice=args.nice,
                spawn_rate=args.spawn_rate,
            )
            service.run("import", str(watch_files(work / "watch", 150)), "--background")
            with Probe(service.base) as probe:
                report["person"] = locust(
                    service,
                    "Person",
                    users,
                    seconds,
                    work,
                    nice=args.nice,
                    spawn_rate=args.spawn_rate,
                )
            report["probe_health"] = probe.figures()
            total = report["person"]["Aggregated"]
            report["ratio_rps"] = round(total["rps"] / report["baseline"]["Aggregated"]["rps"], 2)
            ok = total["failures"] == 0 and total["p99_ms"] < 250
        report["rss_mb_end"] = service.rss_mb()
        report["load_average_after"] = os.getloadavg()
        report["ok"] = ok
        out = build / f"{args.kind}.json"
        out.write_text(json.dumps(report, indent=1) + "\n")
        print(json.dumps({k: v for k, v in report.items() if k != "rss_samples"}, indent=1))
        print(f"{'targets met' if ok else 'TARGETS MISSED'}; figures in {out}")
        return 0 if ok else 1
    finally:
        if service is not None:
            service.stop()
        drop_database(url)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
