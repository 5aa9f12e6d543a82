"""`backstride plan` end to end (in-process; one export run as a real subprocess), bad input too."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.conftest import Result, Run, run_subprocess
from tests.screening import SCREENED

ASSESSMENT = {
    "triage": {"level": "soon", "reasons": ["Pain has lasted more than 2 weeks."]},
    "conditions": [
        {"id": "bone_stress_sacral_pelvic", "probability": 0.41},
        {"id": "sacroiliac_joint", "probability": 0.3},
        {"id": "nonspecific_mechanical", "probability": 0.1},
    ],
    "contributing_factors": ["recent_mileage_increase", "low_energy_availability"],
    "findings": {**SCREENED, "runner": True, "single_leg_hop_pain": True},
    "questions_asked": 9,
}


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_json_plan_from_a_file(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    r = run("plan", "--assessment", str(f), "--json")
    assert r.code == 0, r.err
    phases = r.json["phases"]
    assert r.json["triage"] == "soon"
    assert phases[0]["id"] == "calm"
    first = phases[0]["items"]
    assert first[0]["kind"] == "stop"
    before = [p for p in phases if p["id"] in ("calm", "restore", "strengthen")]
    assert not [i for p in before for i in p["items"] if i["kind"] == "run"]
    assert any(i["kind"] == "run" for p in phases for i in p["items"])


def test_terminal_output_shows_banner_phases_and_help(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    r = run("plan", "--assessment", str(f))
    assert r.code == 0, r.err
    for text in (
        "Soon: book a visit",
        "Phase 1 of 5: Calm",
        "Phase 4 of 5: Return to run",
        "Get help sooner if",
        "No running or jumping",
        "Why:",
    ):
        assert text in r.out, text


def _export_args(f: Path, out: Path) -> list[str]:
    return [
        "plan",
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
    ]


def _check_exports(r: Result, out: Path) -> None:
    assert r.code == 0, r.err
    assert r.json["days_per_week"] == 4
    assert {"ball", "band", "foam_roller", "mat"} == set(r.json["equipment"])
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
    assert "Wrote" in r.err  # messages go to stderr so the JSON stays the last line


def test_exports_are_written(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    out = tmp_path / "out"
    out.mkdir()
    _check_exports(run(*_export_args(f, out)), out)


def test_exports_from_the_installed_command_in_its_own_process(
    tmp_path: Path, private_home: Path
) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    _check_exports(run_subprocess(*_export_args(f, tmp_path)), tmp_path)


def test_an_export_folder_that_does_not_exist_is_refused_and_not_created(
    run: Run, tmp_path: Path
) -> None:
    f = write(tmp_path / "a.json", ASSESSMENT)
    for option in ("--pdf", "--html", "--md", "--ics"):
        target = tmp_path / "no" / "such" / "dir" / "plan.out"
        r = run("plan", "--assessment", str(f), option, str(target))
        assert r.code == 2, r.err
        assert option in r.err and "does not exist" in r.err
        assert len(r.err.strip().splitlines()) == 1
        assert r.out == ""  # refused before any plan is built or shown
        assert not (tmp_path / "no").exists()
    r = run("plan", "--assessment", str(f), "--html", str(tmp_path))
    assert r.code == 2 and "is a folder" in r.err


def test_uses_the_last_saved_assessment(run: Run, private_home: Path) -> None:
    private_home.mkdir(parents=True, exist_ok=True)
    write(private_home / "last_assessment.json", ASSESSMENT)
    r = run("plan", "--json")
    assert r.code == 0, r.err
    assert r.json["triage"] == "soon"


def test_saved_output_of_check_with_text_before_the_json_line(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Some table for people\n\n" + json.dumps(ASSESSMENT) + "\n")
    r = run("plan", "--assessment", str(f), "--json")
    assert r.code == 0, r.err


def test_no_saved_assessment_says_to_run_check_first(run: Run) -> None:
    r = run("plan")
    assert r.code == 2
    assert "backstride check" in r.err


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, (), "cannot read assessment"),
        ("{not json", (), "not valid JSON"),
        ([1, 2], (), "expected a JSON object"),
        ({"triage": {"level": "maybe"}}, (), "triage.level"),
        ({**ASSESSMENT, "findings": {"runner": "no"}}, (), 'runner is "no"'),
        ({**ASSESSMENT, "findings": {"runner": 1}}, (), "true or false"),
        ('{"triage": {"level": "soon"}, "triage": {"level": "soon"}}', (), "appears twice"),
        (ASSESSMENT, ("--equipment", "trampoline"), "unknown equipment 'trampoline'"),
        (ASSESSMENT, ("--start", "next week"), "--start 'next week'"),
        (ASSESSMENT, ("--athlete", "swimmer"), "--athlete 'swimmer'"),
        (ASSESSMENT, ("--days", "9"), "--days 9 must be between 1 and 7"),
        (ASSESSMENT, ("--days", "many"), "'--days'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    run: Run, tmp_path: Path, content: Any, args: tuple[str, ...], message: str
) -> None:
    f = tmp_path / "a.json"
    if content is not None:
        write(f, content)
    r = run("plan", "--assessment", str(f), *args)
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_an_assessment_with_nothing_known_gets_no_plan(run: Run, tmp_path: Path) -> None:
    empty = {
        "triage": {
            "level": "emergency",
            "reasons": ["Nothing about your symptoms is known yet."],
            "details": [{"level": "emergency", "kind": "nothing_known", "id": "nothing_known"}],
        },
        "conditions": [{"id": "nonspecific_mechanical", "probability": 0.3}],
        "findings": {},
    }
    r = run("plan", "--assessment", str(write(tmp_path / "a.json", empty)), "--json")
    assert r.code == 2
    assert "no answers" in r.err and "backstride check" in r.err
    assert r.out == ""


def test_a_hand_edited_self_care_file_with_warning_signs_gets_no_running(
    run: Run, tmp_path: Path
) -> None:
    """plan re-checks: the saved level says self-care, the findings say emergency."""
    edited = {
        "triage": {"level": "self_care", "reasons": []},
        "conditions": [{"id": "nonspecific_mechanical", "probability": 0.8}],
        "findings": {**SCREENED, "saddle_numbness": True, "bladder_change": True},
    }
    r = run("plan", "--assessment", str(write(tmp_path / "a.json", edited)), "--json")
    assert r.code == 0, r.err
    assert r.json["triage"] == "emergency"
    kinds = [i["kind"] for p in r.json["phases"] for i in p["items"]]
    assert "stop" in kinds and "run" not in kinds and "exercise" not in kinds


def test_an_unscreened_file_gets_only_a_calm_plan(run: Run, tmp_path: Path) -> None:
    """What `check --story "sore low back for 3 days"` saves: 19 warning signs unchecked."""
    story_only = {
        "triage": {"level": "self_care", "reasons": []},
        "conditions": [{"id": "muscle_strain", "probability": 0.5}],
        "findings": {"pain_low_back": True, "duration_over_2_weeks": False},
        "story_answers": ["pain_low_back", "duration_over_2_weeks"],
    }
    r = run("plan", "--assessment", str(write(tmp_path / "a.json", story_only)), "--json")
    assert r.code == 0, r.err
    assert r.json["triage"] == "soon"  # never self-care with the screen open
    assert [p["id"] for p in r.json["phases"]] == ["calm"]
    items = r.json["phases"][0]["items"]
    assert {i["id"] for i in items[:2]} == {"no_run_until_screened", "finish_screen"}
    assert not [i for i in items if i["kind"] in ("run", "ride")]
    assert len(r.json["screen_missing"]) >= 19


def test_check_then_plan_from_a_short_story(run: Run) -> None:
    first = run("check", "--story", "sore low back for 3 days", "--json")
    assert first.code == 0, first.err
    r = run("plan", "--json")
    assert r.code == 0, r.err
    assert [p["id"] for p in r.json["phases"]] == ["calm"]
    assert not [i for p in r.json["phases"] for i in p["items"] if i["kind"] in ("run", "ride")]
