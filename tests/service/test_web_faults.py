"""Faults in the web service, with real processes and a real PostgreSQL: no partial data, no
corruption, no lost or doubled answer.

- A web worker is killed with SIGKILL in the middle of an answer (held by a table lock right
  after its first write): nothing of that answer is kept, and the interview goes on on the
  other worker.
- PostgreSQL is stopped abruptly and started again under load (a private throwaway cluster on
  another port, so that the shared server of the other tests is never touched): the app answers
  503 with a Retry-After and a JSON error meanwhile, then recovers with no restart of its own,
  and every answer it acknowledged is kept, once, in order.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from tests.web.conftest import free_port

# --- helpers ------------------------------------------------------------------------------------


def serve(url: str, home: Path, log: Path, workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """`backstride serve --workers N` (local mode) on the database at ``url``."""
    port = free_port()
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "BACKSTRIDE_DATABASE_URL": url}
    env.pop("BACKSTRIDE_MODE", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backstride",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    seen: set[str] = set()
    deadline = time.monotonic() + 240
    while len(seen) < workers:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
        try:
            with httpx.Client(base_url=base, timeout=5) as c:
                seen.add(c.get("/api/v1/health").headers["x-backstride-worker"])
        except httpx.TransportError:
            time.sleep(0.3)
    return proc, base


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def connect_to(base: str, avoid: str | None = None) -> tuple[httpx.Client, str]:
    """A keep-alive connection to a worker other than ``avoid``, and that worker's pid."""
    for _ in range(400):
        client = httpx.Client(base_url=base, timeout=60)
        try:
            pid = client.get("/api/v1/health").headers["x-backstride-worker"]
        except httpx.TransportError:
            client.close()
            time.sleep(0.1)
            continue
        if pid != avoid:
            return client, pid
        client.close()
    raise AssertionError("could not reach another worker")


def worker_pids(base: str) -> set[str]:
    """The worker processes that answer new connections (20 tries)."""
    seen = set()
    for _ in range(20):
        with httpx.Client(base_url=base, timeout=10) as c:
            seen.add(c.get("/api/v1/health").headers["x-backstride-worker"])
    return seen


def dont_know(state: dict[str, Any]) -> dict[str, None]:
    return {i["finding"]: None for i in state["question"]["items"]}


def stored_steps(engine: Engine, public_id: str) -> list[tuple[int, str, dict[str, Any]]]:
    """(position, question, answers) of the interview's stored steps, in order."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.position, s.question, s.answers FROM interview_step s "
                "JOIN interview i ON i.id = s.interview_id WHERE i.public_id = :p "
                "ORDER BY s.position"
            ),
            {"p": public_id},
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def revision(engine: Engine, public_id: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT revision FROM interview WHERE public_id = :p"), {"p": public_id}
        ).scalar_one()
    return int(found)


# --- kill -9 a web worker mid-answer ------------------------------------------------------------


def test_a_worker_killed_mid_answer_loses_and_doubles_nothing(
    empty_postgres: str, tmp_path: Path
) -> None:
    proc, base = serve(empty_postgres, tmp_path / "home", tmp_path / "serve.log")
    watcher = create_engine(empty_postgres, isolation_level="AUTOCOMMIT")
    locker = create_engine(empty_postgres)
    try:
        doomed, doomed_pid = connect_to(base)
        state = doomed.post("/api/v1/interviews", json={"story": ""}).json()
        for _ in range(3):
            r = doomed.post(
                f"/api/v1/interviews/{state['id']}/answers", json={"answers": dont_know(state)}
            )
            assert r.status_code == 200, r.text
            state = r.json()
        before_steps = stored_steps(watcher, state["id"])
        before_revision = revision(watcher, state["id"])
        assert len(before_steps) == 3

        # Hold the step table: the worker's answer gets through its revision update and waits
        # on its INSERT, inside its transaction. Then the worker is killed.
        outcome: list[object] = []
        with locker.connect() as lock:
            lock.execute(text("LOCK TABLE interview_step IN SHARE ROW EXCLUSIVE MODE"))

            def send() -> None:
                try:
                    outcome.append(
                        doomed.post(
                            f"/api/v1/interviews/{state['id']}/answers",
                            json={"answers": dont_know(state), "question": state["question"]["id"]},
                        )
                    )
                except httpx.TransportError as exc:
                    outcome.append(exc)

            sender = threading.Thread(target=send)
            sender.start()
            deadline = time.monotonic() + 30
            while True:
                with watcher.connect() as conn:
                    waiting = conn.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            "AND query LIKE 'INSERT INTO interview_step%'"
                        )
                    ).scalar_one()
                if waiting:
                    break
                assert time.monotonic() < deadline, "the answer never reached its INSERT"
                time.sleep(0.05)
            os.kill(int(doomed_pid), signal.SIGKILL)
            sender.join(timeout=30)
            lock.rollback()  # the table is free again; the dead worker's transaction ends
        assert len(outcome) == 1 and isinstance(outcome[0], httpx.TransportError), outcome
        doomed.close()

        # Nothing of the killed answer is kept: not the step, not the revision.
        deadline = time.monotonic() + 30
        while True:
            with watcher.connect() as conn:
                open_ = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in trans%' "
                        "AND datname = current_database()"
                    )
                ).scalar_one()
            if not open_:
                break
            assert time.monotonic() < deadline, "the dead worker's transaction stayed open"
            time.sleep(0.1)
        assert stored_steps(watcher, state["id"]) == before_steps
        assert revision(watcher, state["id"]) == before_revision

        # The interview goes on on another worker: the same question, then to the end.
        other, other_pid = connect_to(base, avoid=doomed_pid)
        try:
            again = other.get(f"/api/v1/interviews/{state['id']}").json()
            assert again["question"] == state["question"]
            assert again["questions_asked"] == 3
            sent: list[tuple[str, dict[str, None]]] = [(s[1], s[2]) for s in before_steps]
            state = again
            while not state["done"]:
                answers = dont_know(state)
                r = other.post(
                    f"/api/v1/interviews/{state['id']}/answers",
                    json={"answers": answers, "question": state["question"]["id"]},
                )
                assert r.status_code == 200, r.text
                sent.append((state["question"]["id"].split("-", 1)[1], answers))
                state = r.json()
            result = other.get(f"/api/v1/interviews/{state['id']}/result")
            assert result.status_code == 200
            assert result.json()["questions_asked"] == len(sent)
        finally:
            other.close()
        steps = stored_steps(watcher, state["id"])
        assert [s[0] for s in steps] == list(range(len(sent)))  # no gap, no double
        assert [(s[1], s[2]) for s in steps] == sent
        assert other_pid != doomed_pid
    finally:
        stop(proc)
        watcher.dispose()
        locker.dispose()


# --- restart PostgreSQL under load --------------------------------------------------------------


def find_pg_bin(name: str) -> str | None:
    """A PostgreSQL server program (initdb, pg_ctl), on PATH or in Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on its own port (trust auth,
    loopback only). As root, the server programs run as the `postgres` user."""

    def __init__(self, folder: Path) -> None:
        initdb, pg_ctl = find_pg_bin("initdb"), find_pg_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            message = "PostgreSQL's initdb/pg_ctl were not found: no private cluster to restart"
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true: " + message)
            pytest.skip(message)
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.prefix: list[str] = []
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # initdb refuses to run as root
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.skip("running as root without runuser: cannot start PostgreSQL")
            self.prefix = [runuser, "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
            folder.parent.chmod(0o755)  # our own mkdtemp folder, in /tmp

    def run(self, *args: str) -> None:
        done = subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")

    def init(self) -> None:
        self.run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=50 -c shared_buffers=16MB"
        )
        log = str(self.folder / "server.log")
        self.run(self.pg_ctl, "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivateCluster]:
    # Not under pytest's tmp_path: as root the cluster runs as `postgres`, and pytest keeps its
    # own temporary root private (mode 0700) whenever a session starts.
    folder = Path(tempfile.mkdtemp(prefix="backstride-pg-"))
    try:
        cluster = PrivateCluster(folder / "pg")
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            with suppress(RuntimeError):  # already stopped
                cluster.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Answerer(threading.Thread):
    """One person answering one interview, on and on, through a database outage: every answer
    the app acknowledged is recorded; after a 503 the interview is read again before going on."""

    def __init__(self, base: str, until: threading.Event) -> None:
        super().__init__()
        self.base, self.until = base, until
        self.interview = ""
        self.acked: list[tuple[str, dict[str, None]]] = []  # the stored answers, as we know them
        self.codes: dict[int, int] = {}
        self.bad: list[str] = []  # any reply that is not a clean 200 or 503
        self.ok_after: list[float] = []  # when each 200 came

    def note(self, r: httpx.Response) -> None:
        self.codes[r.status_code] = self.codes.get(r.status_code, 0) + 1
        if r.status_code == 200:
            self.ok_after.append(time.monotonic())
            return
        body = r.text
        clean = (
            r.status_code == 503
            and r.headers.get("retry-after", "").isdigit()
            and r.headers.get("content-type", "").startswith("application/json")
            and r.json()["error"]["code"] in ("database_unavailable",)
            and "Traceback" not in body
            and 'File "' not in body
        )
        if not clean:
            self.bad.append(f"{r.status_code} {dict(r.headers)} {body[:300]}")

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as c:
            started = c.post("/api/v1/interviews", json={"story": ""})
            assert started.status_code == 201, started.text
            state = started.json()
            self.interview = state["id"]
            url = f"/api/v1/interviews/{self.interview}"
            while not self.until.is_set():
                if state["done"]:
                    r = c.post(f"{url}/undo")  # keep writing: one step back, then on again
                    self.note(r)
                    if r.status_code == 200:
                        self.acked.pop()
                        state = r.json()
                    else:
                        time.sleep(0.2)
                    continue
                answers = dont_know(state)
                question = state["question"]["id"]
                r = c.post(f"{url}/answers", json={"answers": answers, "question": question})
                self.note(r)
                if r.status_code == 200:
                    self.acked.append((question.split("-", 1)[1], answers))
                    state = r.json()
                    continue
                time.sleep(0.2)
                while not self.until.is_set():  # read it again: did that answer get in?
                    g = c.get(url)
                    self.note(g)
                    if g.status_code == 200:
                        now = g.json()
                        if now["questions_asked"] == len(self.acked) + 1:
                            self.acked.append((question.split("-", 1)[1], answers))
                        state = now
                        break
                    time.sleep(0.2)


def test_postgresql_restarted_under_load_gets_clean_503s_then_recovers(
    private_postgres: PrivateCluster, tmp_path: Path
) -> None:
    proc, base = serve(private_postgres.url, tmp_path / "home", tmp_path / "serve.log")
    db = create_engine(private_postgres.url, isolation_level="AUTOCOMMIT")
    until = threading.Event()
    people = [Answerer(base, until) for _ in range(6)]
    try:
        pids = worker_pids(base)
        for p in people:
            p.start()
        time.sleep(3)  # under load
        private_postgres.stop("immediate")  # abrupt, like a crash: recovery from the WAL
        down_at = time.monotonic()
        time.sleep(3)
        private_postgres.start()
        up_at = time.monotonic()
        time.sleep(6)  # recovered, with no restart of the app
        until.set()
        for p in people:
            p.join(timeout=60)
        assert proc.poll() is None  # the app was never restarted
        assert worker_pids(base) <= pids  # the same worker processes: none was restarted
        print("replies per person:", [p.codes for p in people])
        for p in people:
            assert not p.bad, p.bad[:3]
            assert p.codes.get(503, 0) >= 1, p.codes  # it did see the outage
            assert any(t > up_at for t in p.ok_after), "no answer got through after the restart"
            assert any(t < down_at for t in p.ok_after)
            steps = stored_steps(db, p.interview)
            assert [s[0] for s in steps] == list(range(len(steps)))  # no gap, no double
            assert [(s[1], s[2]) for s in steps] == p.acked  # none lost, none extra
        log = (tmp_path / "serve.log").read_text()
        assert "Traceback" not in log
    finally:
        until.set()
        stop(proc)
        db.dispose()
