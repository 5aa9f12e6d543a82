"""Two uvicorn worker processes (`backstride serve --workers 2`) serve one interview in turn:
the interview lives in the database, so no answer is lost or doubled, and the result is the
same as one process gives. Two answers sent at once to the same question: one wins."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest

from backstride.api import read_story_evidence
from backstride.evaluation.vignettes import load_vignettes, run_case
from backstride.kb import KnowledgeBase
from tests.web.conftest import free_port
from tests.web.test_api_contract import DEV


@pytest.fixture
def two_workers(private_home: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backstride", "serve", "--port", str(port), "--workers", "2"],
        env={**os.environ, "BACKSTRIDE_HOME": str(private_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        workers: set[str] = set()
        while len(workers) < 2:  # both workers up (each loads the story reader first)
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"the server did not start: {out[-2000:]}")
            try:
                with httpx.Client(base_url=url, timeout=5) as fresh:
                    workers.add(fresh.get("/api/v1/health").headers["x-backstride-worker"])
            except httpx.TransportError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def client_on(url: str, worker: str | None, avoid: str | None = None) -> Iterator[httpx.Client]:
    """A keep-alive connection to a given worker (or to one other than ``avoid``): new
    connections are opened until the kernel hands one to that worker."""
    for _ in range(400):
        client = httpx.Client(base_url=url, timeout=60)
        pid = client.get("/api/v1/health").headers["x-backstride-worker"]
        if (worker is None or pid == worker) and pid != avoid:
            try:
                yield client
            finally:
                client.close()
            return
        client.close()
    raise AssertionError("could not reach the other worker")


def test_two_workers_serve_one_interview_in_turn(two_workers: str, kb: KnowledgeBase) -> None:
    v = next(v for v in load_vignettes(DEV, kb) if v.id == "dev-001")
    with client_on(two_workers, None) as first:
        state = first.post("/api/v1/interviews", json={"story": v.story}).json()
        last = first.get("/api/v1/health").headers["x-backstride-worker"]
    served: list[str] = []
    while not state["done"]:
        with client_on(two_workers, None, avoid=last) as client:  # the other worker each time
            answers = {i["finding"]: v.facts.get(i["finding"]) for i in state["question"]["items"]}
            r = client.post(f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers})
            assert r.status_code == 200, r.text
            last = r.headers["x-backstride-worker"]
            served.append(last)
            state = r.json()
    assert len(set(served)) == 2
    assert all(a != b for a, b in pairwise(served))
    with client_on(two_workers, None, avoid=last) as client:
        result = client.get(f"/api/v1/interviews/{state['id']}/result").json()
    expected = run_case(v, "interview", kb, read_story_evidence).assessment.to_dict()
    assert {k: x for k, x in result.items() if k != "summary"} == expected
    assert result["questions_asked"] == len(served)
    # an undo on one worker is seen by the other
    with client_on(two_workers, None, avoid=last) as client:
        back = client.post(f"/api/v1/interviews/{state['id']}/undo").json()
        last = client.get("/api/v1/health").headers["x-backstride-worker"]
    with client_on(two_workers, None, avoid=last) as client:
        again = client.get(f"/api/v1/interviews/{state['id']}").json()
    assert again["question"] == back["question"] and again["questions_asked"] == len(served) - 1


def send_together(clients: list[httpx.Client], url: str, body: dict[str, Any]) -> list[Any]:
    """The same request from each client at the same moment."""
    replies: list[Any] = []
    go = threading.Barrier(len(clients))

    def send(client: httpx.Client) -> None:
        go.wait()
        replies.append(client.post(url, json=body))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return replies


def test_the_same_answer_sent_twice_at_once_counts_once(two_workers: str) -> None:
    with client_on(two_workers, None) as a:
        pid = a.get("/api/v1/health").headers["x-backstride-worker"]
        with client_on(two_workers, None, avoid=pid) as b:
            state = a.post("/api/v1/interviews", json={"story": ""}).json()
            for _ in range(3):
                answers = {i["finding"]: None for i in state["question"]["items"]}
                url = f"/api/v1/interviews/{state['id']}/answers"
                replies = send_together([a, b], url, {"answers": answers})
                codes = sorted(r.status_code for r in replies)
                assert codes[0] == 200, [r.text for r in replies]
                assert codes[1] in (200, 409, 422), [r.text for r in replies]
                if codes[1] == 200:  # one after the other: the second answered the next one
                    asked = {r.json()["questions_asked"] for r in replies}
                    assert len(asked) == 2
                state = a.get(f"/api/v1/interviews/{state['id']}").json()
            assert 3 <= state["questions_asked"] <= 6
            # both workers rebuild the same interview from the stored answers
            assert b.get(f"/api/v1/interviews/{state['id']}").json() == state
