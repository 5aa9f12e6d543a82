"""Two scripted six-week recoveries through the real commands (Typer's CliRunner, a real SQLite
database, generated watch files): a piriformis case that reaches the return to run and steps
back after a flare, and a suspected sacral bone stress injury that is never given a run before
its clearance criteria are logged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backstride.cli.app import app
from backstride.recovery.workspace import close_stores
from tests.screening import SCREENED
from tests.watchfiles import fit_file, gpx_file

START = date(2026, 9, 7)  # a Monday
PIRIFORMIS = {
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "seated_piriformis_stretch_pain": True,
    "localised_tender_spot": True,
    "leg_pain_below_knee": False,
    "slr_reproduces_leg_pain": False,
    "pain_sit_bone": False,
    "saddle_numbness": False,
    "bladder_change": False,
    "bowel_change": False,
    "fever_or_chills": False,
    "night_pain_wakes": False,
    "long_daily_sitting": True,
}
SACRAL_BONE_STRESS = {
    "runner": True,
    "recent_mileage_increase": True,
    "pain_buttock": True,
    "pain_over_sacrum": True,
    "pain_one_side": True,
    "single_leg_hop_pain": True,
    "worse_single_leg_loading": True,
    "gradual_onset": True,
    "worse_during_running": True,
    "getting_worse": True,
    "numbness_leg": False,
    "leg_weakness": False,
    "leg_pain_below_knee": False,
    "slr_reproduces_leg_pain": False,
    "pain_groin": False,
    "sex_female": False,
    "fever_or_chills": False,
    "duration_over_2_weeks": False,
}


class Person:
    """Runs backstride commands as one person would, day by day."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp, self.monkeypatch, self.runner = tmp_path, monkeypatch, CliRunner()
        self.day = START

    def on(self, day: date) -> None:
        self.day = day
        self.monkeypatch.setenv("BACKSTRIDE_NOW", f"{day.isoformat()}T20:00:00Z")

    def __call__(self, *args: str) -> Any:
        result = self.runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.output, result.exception)
        return (
            json.loads(result.output.strip().splitlines()[-1])
            if "--json" in args
            else result.output
        )

    def start(self, facts: dict[str, bool]) -> None:
        path = self.tmp / "facts.json"
        # the person answered the warning-sign screen (an open screen keeps the plan calm-only)
        path.write_text(json.dumps({**SCREENED, **facts}))
        self.on(START)
        self("check", "--facts", str(path), "--json")
        self("plan", "--days", "3")

    def run_file(self, minutes: int, km: float, fmt: str = "fit") -> None:
        """A watch file of a run this morning, imported."""
        start = datetime.combine(self.day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
        path = self.tmp / f"run-{self.day.isoformat()}.{fmt}"
        make = fit_file if fmt == "fit" else gpx_file
        path.write_bytes(make(start, minutes=minutes, km=km))
        self("import", str(path), "--json")

    def week(self, n: int) -> list[date]:
        first = START + timedelta(days=7 * n)
        return [first + timedelta(days=d) for d in range(7)]

    def progress(self) -> Any:
        return self("progress", "--json")


@pytest.fixture
def person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_home: Path) -> Person:
    close_stores()
    return Person(tmp_path, monkeypatch)


def quiet_week(p: Person, n: int, met: list[str], *, pain: int = 1, runs: bool = False) -> None:
    """Daily logs within the pain rule; the criteria logged as met on the last day."""
    for i, day in enumerate(p.week(n)):
        p.on(day)
        args = [
            "log",
            "--pain",
            str(pain),
            "--run-pain",
            "2",
            "--morning",
            "1",
            "--did",
            "glute_bridge",
        ]
        if i == 0:
            args += ["--psfs", f"running={min(2 + n, 10)}"]
        if i == 6 and met:
            args += ["--met", ",".join(met)]
        p(*args)
        if runs and day.weekday() in (0, 2, 5):
            p.run_file(minutes=27, km=3.2)


def history(p: Person) -> list[tuple[str, str, int | None]]:
    return [(m["decision"], m["phase"], m["step"]) for m in p.progress()["phase_history"]]


def test_piriformis_reaches_the_return_to_run_then_steps_back_after_a_flare(person: Person) -> None:
    p = person
    p.start(PIRIFORMIS)
    quiet_week(p, 0, ["walk_20", "chair_rise"], pain=2)
    quiet_week(p, 1, ["near_full_range", "brisk_walk_30"])
    quiet_week(
        p, 2, ["single_leg_bridge_20", "side_plank_45", "front_plank_60", "walk_30_pain_free"]
    )
    p.on(p.week(3)[0])
    today = p("today", "--json")
    assert today["phase"] == "return_to_run" and today["run"]["id"] == "walk_run_1"
    quiet_week(p, 3, [], runs=True)
    # week 5: a flare after a run
    for day in p.week(4):
        p.on(day)
        if day.weekday() == 2:
            p.run_file(minutes=30, km=3.6)
            p("log", "--pain", "4", "--run-pain", "6", "--morning", "5")
        else:
            p("log", "--pain", "2", "--run-pain", "2", "--morning", "1")
    p.on(p.week(5)[0])
    moves = history(p)
    phases = [(d, ph) for d, ph, _ in moves]
    assert ("progress", "restore") in phases and ("progress", "strengthen") in phases
    assert ("progress", "return_to_run") in phases
    assert moves[-2] == ("progress", "return_to_run", 2)
    assert moves[-1] == ("step_back", "return_to_run", 1)
    report = p.progress()
    assert "over the pain rule" in report["reason"]
    assert report["psfs"][0]["first"] < report["psfs"][0]["latest"]
    chart = p.tmp / "progress.svg"
    p("progress", "--chart", str(chart))
    assert chart.read_text().lstrip().startswith("<?xml") and "<svg" in chart.read_text()
    quiet_week(p, 5, [], runs=True)
    p.on(p.week(5)[6] + timedelta(days=1))
    assert history(p)[-1] == ("progress", "return_to_run", 2)


def test_bone_stress_never_gets_a_run_before_clearance_is_logged(person: Person) -> None:
    p = person
    p.start(SACRAL_BONE_STRESS)
    weeks_met = [
        ["walk_20", "chair_rise"],
        ["near_full_range", "brisk_walk_30"],
        ["single_leg_bridge_20", "side_plank_45", "front_plank_60", "walk_30_pain_free"],
        ["no_bone_tenderness", "hops_10"],
        [],
    ]
    for n, met in enumerate(weeks_met):
        for i, day in enumerate(p.week(n)):
            p.on(day)
            today = p("today", "--json")
            assert today["run"] is None, f"a run was offered on {day} before clearance"
            args = ["log", "--pain", "1", "--run-pain", "1", "--morning", "1"]
            if i == 6 and met:
                args += ["--met", ",".join(met)]
            p(*args)
            if day.weekday() == 3:  # cross-training from the watch: a ride
                start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
                path = p.tmp / f"ride-{day}.fit"
                path.write_bytes(fit_file(start, sport="ride", minutes=45, km=18))
                p("import", str(path), "--json")
    p.on(p.week(5)[0])
    report = p.progress()
    assert report["phase"] == "strengthen", report
    assert "clinician has cleared you" in report["reason"]
    assert p("today", "--json")["run"] is None
    # week 6: the clinician clears the return
    for i, day in enumerate(p.week(5)):
        p.on(day)
        args = ["log", "--pain", "0", "--morning", "0"]
        if i == 2:
            args += ["--met", "clinician_clearance"]
        p(*args)
        if i < 6:
            assert p("today", "--json")["run"] is None
    p.on(p.week(5)[6] + timedelta(days=1))  # a Monday: a run day
    assert p.progress()["phase"] == "return_to_run", p.progress()
    assert p("today", "--json")["run"]["id"] == "walk_run_1"


def test_a_flare_logged_after_its_week_was_decided_steps_the_plan_back_once(
    person: Person,
) -> None:
    p = person
    p.start(PIRIFORMIS)
    quiet_week(p, 0, ["walk_20", "chair_rise"], pain=2)
    p.on(p.week(1)[1])  # Tuesday of week 2: week 1 is decided (progress to restore)
    assert history(p)[-1] == ("progress", "restore", None)
    # the flare on week 1's Friday, logged only now
    p("log", "--date", p.week(0)[4].isoformat(), "--pain", "5", "--run-pain", "6")
    moves = history(p)
    assert moves[-1] == ("step_back", "calm", None)
    reason = p.progress()["phase_history"][-1]["reason"]
    assert "after that week was decided" in reason and p.week(0)[4].isoformat() in reason
    # a second late log of the same kind, and a late log within the rule, move nothing more
    p("log", "--date", p.week(0)[5].isoformat(), "--pain", "5", "--run-pain", "6")
    p("log", "--date", p.week(0)[6].isoformat(), "--pain", "1", "--run-pain", "1")
    assert history(p) == moves


def test_a_flare_logged_before_its_week_was_decided_counts_once(person: Person) -> None:
    p = person
    p.start(PIRIFORMIS)
    quiet_week(p, 0, ["walk_20", "chair_rise"], pain=2)
    # nothing ran since week 1 ended: it is decided first, then the late flare steps back once
    p.on(p.week(1)[2])
    p("log", "--date", p.week(0)[4].isoformat(), "--pain", "5", "--run-pain", "6")
    assert [d for d, _, _ in history(p)].count("step_back") == 1
    assert history(p)[-1] == ("step_back", "calm", None)
