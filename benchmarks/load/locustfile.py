"""Simulated people for `make load` and `make soak` (issue 13), run by scripts/load_test.py.

``Person`` does what a runner does with backstride: an interview from a story to the result
and the plan (one question at a time, thinking between answers), and daily check-ins with a
look at today's session and the progress. ``Baseline`` only asks for the trivial endpoint
(GET /api/v1/health) at the same pace: the same run's yardstick.

In service mode (``BACKSTRIDE_LOAD_MODE=service``, set by scripts/load_test.py) each simulated
person uses the bearer token of an account of its own (:func:`sign_in`), so each is a person of
their own. In local mode there is one person and no sign-in, so every simulated
person acts for that one person.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

from gevent.lock import Semaphore
from locust import FastHttpUser, between, events, task

API = "/api/v1"
PLAN_LOCKS: dict[str, Semaphore] = {}  # one plan follow at a time per person
STORIES = [
    "",  # no story: every question is asked
    "Sore low back after my long run on Sunday, it gets better when I walk. No numbness.",
    "Pain deep in the right buttock when I sit, and it goes down the back of my thigh.",
    "I am a triathlete; my lower back aches after cycling and is stiff in the morning.",
]


def _tokens() -> list[str]:
    path = os.environ.get("BACKSTRIDE_LOAD_TOKENS")
    return Path(path).read_text().split() if path else []


TOKENS = _tokens()  # made by scripts/load_test.py before the run: one account per person

# Every request's start, name, time and outcome, and when the last user was started, written to
# BACKSTRIDE_LOAD_TIMES at the end: scripts/load_test.py splits the run there (the ramp-up, and
# the steady state once every person has arrived) with exact percentiles over the same requests.
TIMES: dict[str, Any] = {"started_at": time.time(), "spawned_at": None, "requests": []}


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: Any, start_time: float | None = None, **_: Any
) -> None:
    at = start_time if start_time is not None else time.time() - response_time / 1000
    TIMES["requests"].append((round(at, 3), name, round(response_time, 1), exception is None))


@events.spawning_complete.add_listener
def _spawned(user_count: int, **_: Any) -> None:
    if TIMES["spawned_at"] is None:
        TIMES["spawned_at"] = time.time()


@events.quitting.add_listener
def _write(**_: Any) -> None:
    path = os.environ.get("BACKSTRIDE_LOAD_TIMES")
    if path:
        Path(path).write_text(json.dumps(TIMES))


def sign_in(user: FastHttpUser) -> dict[str, str]:
    """The headers that say which simulated person sends a request: in service mode the bearer
    token of an account of its own (the accounts are signed up and in before the measure, with
    the contract's routes: hashing 200 passwords at once would be a measure of argon2); in
    local mode none."""
    if os.environ.get("BACKSTRIDE_LOAD_MODE") != "service":
        return {}
    if not TOKENS:
        raise RuntimeError("more simulated people than accounts made for the run")
    return {"Authorization": f"Bearer {TOKENS.pop()}"}


class Person(FastHttpUser):
    """A runner using the app: interviews, check-ins, today's session, the progress."""

    # Reading and thinking between two requests: a question with its "why", a check-in form.
    # 200 people at this pace send about 40 requests/s.
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.headers = sign_in(self)
        self.rng = random.Random()
        self.follow_a_plan()

    def follow_a_plan(self) -> None:
        """Make sure a plan is followed, so that today's session and the progress exist: once
        per person (in local mode every simulated user is the one local person, so the first
        one follows a plan while the others wait)."""
        who = self.headers.get("Authorization", "local")
        with PLAN_LOCKS.setdefault(who, Semaphore()):
            self.follow_once()

    def follow_once(self) -> None:
        with self.client.get(
            f"{API}/plan", headers=self.headers, name=f"{API}/plan", catch_response=True
        ) as r:
            if r.status_code == 404:
                r.success()
            elif r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return
            else:
                return
        # In service mode each person answers at a reading pace like any other interview; in
        # local mode the others wait for this one (one shared person), so it does not think.
        think = "Authorization" in self.headers
        done = self.interview_to_the_end(self.rng.choice(STORIES[1:]), think=think)
        if done is not None:
            self.client.post(
                f"{API}/plan",
                json={"interview": done, "days_per_week": 3},
                headers=self.headers,
                name=f"{API}/plan",
            )

    def answers_for(self, state: dict[str, Any]) -> dict[str, bool | None]:
        """No to the warning signs (a plan follows), anything to the other questions."""
        question = state["question"]
        if question["stage"] == "warning_signs":
            return {i["finding"]: False for i in question["items"]}
        return {i["finding"]: self.rng.choice([True, False, None]) for i in question["items"]}

    def interview_to_the_end(self, story: str, *, think: bool = True) -> str | None:
        """An interview from the story to the result; its id (None if a request failed)."""
        r = self.client.post(
            f"{API}/interviews", json={"story": story}, headers=self.headers, name="start"
        )
        if r.status_code != 201:
            return None
        state = r.json()
        url = f"{API}/interviews/{state['id']}"
        while not state["done"]:
            if think:
                self.wait()
            body = {"answers": self.answers_for(state), "question": state["question"]["id"]}
            r = self.client.post(f"{url}/answers", json=body, headers=self.headers, name="answer")
            if r.status_code != 200:
                return None
            state = r.json()
        r = self.client.get(f"{url}/result", headers=self.headers, name="result")
        return state["id"] if r.status_code == 200 else None

    @task(1)
    def interview(self) -> None:
        """The questions, one at a time, then the result and the plan."""
        done = self.interview_to_the_end(self.rng.choice(STORIES))
        if done is not None:
            self.wait()
            self.client.get(
                f"{API}/interviews/{done}/plan", headers=self.headers, name="interview plan"
            )

    @task(3)
    def check_in(self) -> None:
        """Today's session, a check-in, then the progress."""
        self.client.get(f"{API}/today", headers=self.headers, name="today")
        self.wait()
        body = {
            "pain_now": self.rng.randint(0, 6),
            "pain_activity": self.rng.randint(0, 7),
            "pain_morning": self.rng.randint(0, 5),
            "notes": "easy 5 km",
        }
        self.client.post(f"{API}/checkins", json=body, headers=self.headers, name="check-in")
        self.wait()
        self.client.get(f"{API}/progress", headers=self.headers, name="progress")


class Baseline(FastHttpUser):
    """The yardstick: the trivial endpoint at the same pace."""

    wait_time = between(2, 8)

    @task
    def health(self) -> None:
        self.client.get(f"{API}/health", name="health")
