"""The plan fits on a page: a one-page summary first (terminal, HTML, page 1 of the PDF), then
the full plan with each fact once; export options and --quiet print only what was written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from backstride.kb import KnowledgeBase
from tests.conftest import Run, run_subprocess
from tests.screening import SCREENED

# A terminal's first screen: many are 24 rows, few are fewer than 40.
FIRST_SCREEN = 40
BONE_STRESS = {
    "triage": {"level": "soon", "reasons": ["Pain has lasted more than 2 weeks."]},
    "conditions": [
        {"id": "bone_stress_sacral_pelvic", "probability": 0.41},
        {"id": "sacroiliac_joint", "probability": 0.3},
        {"id": "nonspecific_mechanical", "probability": 0.1},
    ],
    "contributing_factors": ["recent_mileage_increase", "low_energy_availability"],
    "findings": {**SCREENED, "runner": True, "single_leg_hop_pain": True},
}
NONSPECIFIC = {
    "triage": {"level": "self_care", "reasons": []},
    "conditions": [
        {"id": "nonspecific_mechanical", "probability": 0.6},
        {"id": "discogenic", "probability": 0.25},
    ],
    "contributing_factors": ["long_daily_sitting", "fear_of_movement", "weak_glutes"],
    "findings": {**SCREENED, "runner": True, "triathlete": True, "worse_sitting": True},
}
# What `check --json` saved after an emergency answer, harmless cause ranked first by chance
EMERGENCY = {
    "triage": {
        "level": "emergency",
        "reasons": ["Numbness around the genitals can mean pressure on the nerves."],
        "details": [{"level": "emergency", "kind": "red_flag", "id": "ces_saddle"}],
    },
    "conditions": [
        {"id": "nonspecific_mechanical", "probability": 0.36},
        {"id": "cauda_equina_syndrome", "probability": 0.0},
    ],
    "findings": {"saddle_numbness": True, "runner": True},
}
PAIN_RULE = "During exercise or a run, pain may reach 3/10 at most."
CROSS_TRAIN = "Keep your fitness with whatever does not raise the pain"
EMERGENCY_SIGNS = "Numbness around the genitals or anus, new trouble passing"


def write(tmp_path: Path, data: dict[str, Any], name: str = "a.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("assessment", [BONE_STRESS, NONSPECIFIC, EMERGENCY])
def test_the_terminal_plan_opens_with_its_one_page_summary(
    run: Run, tmp_path: Path, assessment: dict[str, Any]
) -> None:
    r = run("plan", "--assessment", write(tmp_path, assessment), "--json")
    plan = r.json
    r = run("plan", "--assessment", write(tmp_path, assessment))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    end = next(n for n, line in enumerate(lines) if line.startswith("The full plan"))
    assert end <= FIRST_SCREEN, f"the summary takes {end} lines"
    first_screen = flat("\n".join(lines[:end]))
    phase = plan["phases"][0]
    for text in (plan["triage_headline"], "Now:", phase["name"], phase["goal"], "Today's run:"):
        assert flat(text) in first_screen, text
    assert flat(phase["running"]["text"]) in first_screen
    assert "Get help sooner if:" in first_screen and EMERGENCY_SIGNS in first_screen
    if plan["exercise_plan"]:
        assert "Move on when:" in first_screen and flat(phase["exit"]) in first_screen
        for item in phase["items"]:
            if item["kind"] == "exercise":
                assert flat(f"{item['name']} — {item['dose']}") in first_screen, item["id"]


def test_the_full_plan_says_each_fact_once(run: Run, tmp_path: Path) -> None:
    r = run("plan", "--assessment", write(tmp_path, NONSPECIFIC))
    out = flat(r.out)
    assert out.count(PAIN_RULE) == 1  # was three times
    assert out.count(CROSS_TRAIN) == 1  # was three times
    assert out.count(EMERGENCY_SIGNS) == 1 and out.count("genitals") == 1  # was three ways
    assert "Keep doing:" in out  # later phases name what carries on
    assert "Running is paused" not in out  # said once, by each phase's running advice


def test_no_source_keys_percentages_or_log_likelihoods(
    run: Run, tmp_path: Path, kb: KnowledgeBase
) -> None:
    for assessment in (BONE_STRESS, NONSPECIFIC, EMERGENCY):
        out = run("plan", "--assessment", write(tmp_path, assessment)).out
        for sid in kb.sources:
            assert not re.search(rf"\b{re.escape(sid)}\b", out), sid
        assert not re.search(r"\(\d+%\)|[+-]\d\.\d", out)
        assert "Warden et al. 2014" in out or "Greenhalgh et al. 2018" in out  # cited in words


def test_after_an_emergency_the_plan_names_what_the_warning_sign_points_to(
    run: Run, tmp_path: Path
) -> None:
    r = run("plan", "--assessment", write(tmp_path, EMERGENCY))
    out = flat(r.out)
    assert "A warning sign points to: pressure on the nerves" in out
    assert "general back pain" not in out and "Tailored to" not in out and "(36%)" not in out
    plan = run("plan", "--assessment", write(tmp_path, EMERGENCY), "--json").json
    assert plan["leading_condition"]["id"] == "cauda_equina_syndrome"
    assert plan["tailored_to"][0]["flagged"] is True


def test_export_options_and_quiet_print_only_what_was_written(run: Run, tmp_path: Path) -> None:
    f = write(tmp_path, NONSPECIFIC)
    html, pdf = tmp_path / "p.html", tmp_path / "p.pdf"
    r = run("plan", "--assessment", f, "--html", str(html))
    assert r.code == 0, r.err
    assert r.out.splitlines() == [f"Wrote HTML: {html}"]
    r = run("plan", "--assessment", f, "--quiet", "--pdf", str(pdf))
    assert r.out.splitlines() == [f"Wrote PDF: {pdf}"]
    r = run("plan", "--assessment", f, "--quiet")
    assert r.code == 0 and r.out == ""
    r = run_subprocess("plan", "--assessment", f, "-q", "--html", str(html))
    assert r.code == 0, r.err
    assert r.out.strip().startswith("Wrote HTML") and len(r.out.strip().splitlines()) == 1


def test_the_html_page_opens_with_the_summary(run: Run, tmp_path: Path, kb: KnowledgeBase) -> None:
    html = tmp_path / "p.html"
    run("plan", "--assessment", write(tmp_path, NONSPECIFIC), "--html", str(html))
    page = html.read_text()
    text = re.sub(r"<[^>]+>", " ", page)
    summary, full = text.index("Your plan on one page"), text.index("The full plan")
    for label in ("Now: Phase 1 of 5", "This week", "Today's run", "Get help sooner if"):
        assert summary < text.index(label) < full, label
    assert ".summary { break-after: page; }" in page  # printed, the summary is page 1
    for sid in kb.sources:
        assert not re.search(rf"\b{re.escape(sid)}\b", text), sid
    assert flat(text).count(PAIN_RULE) == 1


def _pdftotext(pdf: Path, page: int) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not installed (apt-get install -y poppler-utils)")
    args = [tool, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return flat(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("assessment", [BONE_STRESS, NONSPECIFIC, EMERGENCY])
def test_page_one_of_the_pdf_is_the_summary(
    run: Run, tmp_path: Path, assessment: dict[str, Any]
) -> None:
    pdf = tmp_path / "p.pdf"
    r = run("plan", "--assessment", write(tmp_path, assessment), "--pdf", str(pdf))
    assert r.code == 0, r.err
    plan = run("plan", "--assessment", write(tmp_path, assessment), "--json").json
    one, two = _pdftotext(pdf, 1), _pdftotext(pdf, 2)
    assert "Your plan on one page" in one and "Today's run:" in one
    assert "Get help sooner if:" in one and "page 1" in one
    assert plan["phases"][0]["name"] in one
    for item in plan["phases"][0]["items"]:
        if item["kind"] == "exercise":
            assert item["name"] in one, item["id"]
    assert two.startswith("The full plan")


def test_open_warning_sign_questions_come_first_and_are_named(run: Run, tmp_path: Path) -> None:
    story_only = {
        "triage": {"level": "self_care", "reasons": []},
        "conditions": [{"id": "muscle_strain", "probability": 0.5}],
        "findings": {"pain_low_back": True},
        "story_answers": ["pain_low_back"],
    }
    r = run("plan", "--assessment", write(tmp_path, story_only))
    assert r.code == 0, r.err
    out = flat(r.out)
    assert out.index("First:") < out.index("Now: Calm") < out.index("Today's run:")
    assert "Still open: numbness around the genitals or bottom" in out
    assert "Today's run: No running or riding yet" in out
