"""`backstride plan` end to end, in a subprocess, including bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

ASSESSMENT = {
    "triage": {"level": "soon", "reasons": ["Pain has lasted more than 2 weeks."]},
    "conditions": [
        {"id": "bone_stress_sacral_pelvic", "probability": 0.41},
        {"id": "sacroiliac_joint", "probability": 0.3},
        {"id": "nonspecific_mechanical", "probability": 0.1},
    ],
    "contributing_factors": ["recent_mileage_increase", "low_energy_availability"],
    "findings": {"runner": True, "single_leg_hop_pain": True},
    "questions_asked": 9,
}


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "backstride", "plan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_json_plan_from_a_file(tmp_path: Path, private_home: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    proc = run(private_home, "--assessment", str(f), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["triage"] == "soon"
    phases = data["phases"]
    assert phases[0]["id"] == "calm"
    first = phases[0]["items"]
    assert first[0]["kind"] == "stop"
    before = [p for p in phases if p["id"] in ("calm", "restore", "strengthen")]
    assert not [i for p in before for i in p["items"] if i["kind"] == "run"]
    assert any(i["kind"] == "run" for p in phases for i in p["items"])


def test_terminal_output_shows_banner_phases_and_help(tmp_path: Path, private_home: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    proc = run(private_home, "--assessment", str(f))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in (
        "Soon: book a visit",
        "Phase 1: Calm",
        "Phase 4: Return to run",
        "Get help sooner if",
        "No running or jumping",
        "Why:",
    ):
        assert text in out, text


def test_exports_are_written(tmp_path: Path, private_home: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    out = tmp_path / "out"
    proc = run(
        private_home,
        "--assessment",
        str(f),
        "--json",
        "--days",
        "4",
        "--equipment",
        "band,foam_roller",
        "--equipment",
        "ball",
        "--md",
        str(out / "plan.md"),
        "--html",
        str(out / "plan.html"),
        "--pdf",
        str(out / "plan.pdf"),
        "--ics",
        str(out / "plan.ics"),
        "--start",
        "2025-03-03",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["days_per_week"] == 4
    assert {"ball", "band", "foam_roller", "mat"} == set(data["equipment"])
    markdown = (out / "plan.md").read_text()
    assert markdown.startswith("# Your backstride plan")
    # The Markdown's figures are SVG files beside it, and every link points at one of them.
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert links and all(link.startswith("plan-figures/") for link in links)
    for link in links:
        assert ET.parse(out / link).getroot().tag == "{http://www.w3.org/2000/svg}svg", link
    assert {p.name for p in (out / "plan-figures").iterdir()} == {Path(x).name for x in links}
    assert "<svg" in (out / "plan.html").read_text()
    assert (out / "plan.pdf").read_bytes().startswith(b"%PDF")
    cal = Calendar.from_ical((out / "plan.ics").read_bytes())
    assert any("RRULE" in e for e in cal.walk("VEVENT"))
    assert "Wrote" in proc.stderr  # messages go to stderr so the JSON stays the last line


def test_uses_the_last_saved_assessment(private_home: Path) -> None:
    private_home.mkdir(parents=True, exist_ok=True)
    write(private_home / "last_assessment.json", ASSESSMENT)
    proc = run(private_home, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["triage"] == "soon"


def test_saved_output_of_check_with_text_before_the_json_line(
    tmp_path: Path, private_home: Path
) -> None:
    f = write(tmp_path / "a.txt", "Some table for people\n\n" + json.dumps(ASSESSMENT) + "\n")
    proc = run(private_home, "--assessment", str(f), "--json")
    assert proc.returncode == 0, proc.stderr


def test_no_saved_assessment_says_to_run_check_first(private_home: Path) -> None:
    proc = run(private_home)
    assert proc.returncode == 2
    assert "backstride check" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, (), "cannot read assessment"),
        ("{not json", (), "is not valid JSON"),
        ([1, 2], (), "expected a JSON object"),
        ({"triage": {"level": "maybe"}}, (), "triage.level"),
        (ASSESSMENT, ("--equipment", "trampoline"), "unknown equipment 'trampoline'"),
        (ASSESSMENT, ("--start", "next week"), "--start 'next week'"),
        (ASSESSMENT, ("--athlete", "swimmer"), "--athlete 'swimmer'"),
        (ASSESSMENT, ("--days", "9"), "--days 9 must be between 1 and 7"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, private_home: Path, content: Any, args: tuple[str, ...], message: str
) -> None:
    f = tmp_path / "a.json"
    if content is not None:
        write(f, content)
    proc = run(private_home, "--assessment", str(f), *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_an_assessment_with_nothing_known_gets_no_plan(tmp_path: Path) -> None:
    empty = {
        "triage": {
            "level": "emergency",
            "reasons": ["Nothing about your symptoms is known yet."],
            "details": [{"level": "emergency", "kind": "nothing_known", "id": "nothing_known"}],
        },
        "conditions": [{"id": "nonspecific_mechanical", "probability": 0.3}],
        "findings": {},
    }
    r = run(tmp_path, "--assessment", str(write(tmp_path / "a.json", empty)), "--json")
    assert r.returncode == 2
    assert "no answers" in r.stderr and "backstride check" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
