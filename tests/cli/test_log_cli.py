"""`backstride log`, `run` and `profile` through the real command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backstride.recovery.workspace import close_stores, person_session
from backstride.store import records as rec

NOW = "2026-10-10T08:00:00Z"
PIRIFORMIS = {
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "seated_piriformis_stretch_pain": True,
    "saddle_numbness": False,
    "bladder_change": False,
}


def stored_checkins() -> list[Any]:
    close_stores()
    with person_session() as (s, who):
        found = rec.checkins(s, who)
    close_stores()
    return found


def start_plan(run: Any, tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(PIRIFORMIS))
    assert run("check", "--facts", str(facts), "--json", now=NOW).code == 0
    assert run("plan", now=NOW).code == 0


def test_log_with_flags_is_saved(run: Any) -> None:
    r = run(
        "log", "--pain", "3", "--run-pain", "4", "--morning", "2", "--did",
        "glute_bridge,side_plank", "--psfs", "running=5", "--stiffness", "15", now=NOW,
    )  # fmt: skip
    assert r.code == 0, r.err
    [c] = stored_checkins()
    assert (c.pain_now, c.pain_activity, c.pain_morning, c.stiffness_min) == (3, 4, 2, 15)
    assert c.done == ("glute_bridge", "side_plank") and c.psfs == (("running", 5),)
    assert str(c.day) == "2026-10-10"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pain", "11"), "--pain 11 must be between 0 and 10"),
        (("--run-pain", "-1"), "--run-pain -1 must be between 0 and 10"),
        (("--morning", "12"), "--morning 12"),
        (("--pain", "2", "--date", "2026-10-11"), "in the future"),
        (("--pain", "2", "--date", "10/10/2026"), "not a date"),
        (("--sign", "broken_toe"), "unknown warning sign"),
        (("--met", "run_a_marathon"), "unknown check"),
        (("--psfs", "running=eleven"), "whole number"),
        (("--psfs", "a=1", "--psfs", "b=1", "--psfs", "c=1", "--psfs", "d=1"), "at most 3"),
        ((), "nothing to log"),  # asked, but every answer left empty
    ],
)
def test_bad_values_are_refused_with_one_line_and_nothing_saved(
    run: Any, args: tuple[str, ...], message: str
) -> None:
    r = run("log", *args, now=NOW, stdin="")
    assert r.code == 2
    assert message in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert stored_checkins() == []


def test_log_asks_interactively(run: Any) -> None:
    answers = "2\n3\n1\n10\nrunning, sitting\n4\n6\nglute_bridge\nn\nfelt ok\n"
    r = run("log", stdin=answers, now=NOW)
    assert r.code == 0, r.err
    [c] = stored_checkins()
    assert (c.pain_now, c.pain_activity, c.pain_morning, c.stiffness_min) == (2, 3, 1, 10)
    assert c.psfs == (("running", 4), ("sitting", 6)) and c.notes == "felt ok"


def test_a_new_warning_sign_retriages_first_and_suspends_the_plan(run: Any, tmp_path: Path) -> None:
    start_plan(run, tmp_path)
    r = run("log", "--pain", "4", "--sign", "saddle_numbness", now=NOW)
    assert r.code == 0, r.err
    assert r.out.lstrip().startswith("Emergency")
    assert "suspended" in r.out
    j = run("log", "--pain", "4", "--sign", "fever_or_chills", "--json", now=NOW).json
    assert j["triage"]["level"] == "emergency" and j["plan_suspended"] and j["phase"] == "now"
    close_stores()
    with person_session() as (s, who):
        plan = rec.latest_plan(s, who)
        assert plan is not None
        kinds = {i["kind"] for p in plan.document["phases"] for i in p["items"]}
        assert "stop" in kinds and "run" not in kinds and "exercise" not in kinds
        assert rec.phase_moves(s, who, plan.id)[-1].decision == "suspend"


def test_run_is_saved_once(run: Any) -> None:
    args = ("run", "--date", "2026-10-09", "--duration", "30:00", "--distance", "5", "--pain", "2")
    first = run(*args, "--terrain", "hilly", "--json", now=NOW)
    assert first.code == 0 and first.json["added"], first.err
    again = run(*args, "--json", now=NOW)
    assert again.json["duplicate"]
    bad = run("run", "--duration", "30", "--terrain", "moon", now=NOW)
    assert bad.code == 2 and "--terrain 'moon'" in bad.err


def test_profile_is_set_and_shown(run: Any) -> None:
    r = run("profile", "--days", "4", "--psfs-activity", "running", "--age-band", "35_49", "--json")
    assert r.code == 0, r.err
    assert r.json["days_per_week"] == 4 and r.json["psfs_activities"] == ["running"]
    assert run("profile", "--days", "9").code == 2
