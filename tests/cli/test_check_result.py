"""What a person sees after `backstride check`: plain words first, numbers only with --details,
the same running advice as the plan, the next step and where the result went."""

from __future__ import annotations

import json
import re
from pathlib import Path

from backstride.kb import KnowledgeBase
from tests.conftest import Run, run_subprocess
from tests.screening import SCREENED
from tests.stored import saved

PIRIFORMIS = {
    **SCREENED,
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "seated_piriformis_stretch_pain": True,
    "localised_tender_spot": True,
    "leg_pain_below_knee": False,
    "slr_reproduces_leg_pain": False,
    "wallet_back_pocket": True,
}
SOON = {
    **SCREENED,
    "runner": True,
    "pain_low_back": True,
    "pain_both_sides": True,
    "duration_over_2_weeks": True,
    "recent_mileage_increase": True,
}
# the JSON keys `check --json` had before issue 10: all are kept
KEYS = {
    "triage",
    "conditions",
    "contributing_factors",
    "findings",
    "story_answers",
    "questions_asked",
    "next_steps",
    "seek_help_sooner",
    "unscreened_red_flags",
    "screen",
    "clashing_answers",
    "disclaimer",
}
WEIGHT = re.compile(r"[+-]\d+\.\d")
SLASH = re.compile(r"(?<!\d)/|/(?!\d)")  # a "/" that is not part of "3/10"


def facts(tmp_path: Path, answers: dict[str, bool]) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(answers))
    return str(path)


def without_path(text: str) -> str:
    return "\n".join(x for x in text.splitlines() if not x.startswith("Saved to:"))


def test_the_result_reads_top_down_and_says_where_it_was_saved(
    run: Run, tmp_path: Path, private_home: Path
) -> None:
    r = run("check", "--facts", facts(tmp_path, PIRIFORMIS))
    assert r.code == 0, r.err
    order = [
        "SELF-CARE",
        "Do now:",
        "Running:",
        "Possible causes to discuss with a clinician",
        " 1. deep buttock muscles pressing on the sciatic nerve",
        "Why we think so:",
        "Get help sooner if",
        "Your plan: `backstride plan`",
        "Saved to:",
    ]
    where = [r.out.find(text) for text in order]
    assert -1 not in where and where == sorted(where), dict(zip(order, where, strict=True))
    saved = " ".join(r.out.split("Saved to:")[1].split())
    assert saved.startswith(str(private_home / "backstride.db"))
    assert "pain when you sit" in r.out or "pain in the buttock" in r.out
    assert r.out.count("\n 1. ") == 1 and "\n 4. " not in r.out  # at most three causes


def test_no_numbers_keys_or_log_likelihoods_without_details(
    run: Run, tmp_path: Path, kb: KnowledgeBase
) -> None:
    f = facts(tmp_path, PIRIFORMIS)
    plain = without_path(run("check", "--facts", f).out)
    for sid in kb.sources:
        assert not re.search(rf"\b{re.escape(sid)}\b", plain), sid
    for fid in kb.finding_ids:
        assert fid not in plain or "_" not in fid, fid
    assert not WEIGHT.search(plain) and "%" not in plain and not SLASH.search(plain)
    assert "lumbopelvic" not in plain and "Piriformis / deep gluteal" not in plain

    detailed = without_path(run("check", "--facts", f, "--details").out)
    assert WEIGHT.search(detailed) and "%" in detailed
    assert "Fishman et al. 2002" in detailed  # a short citation
    for sid in kb.sources:
        assert not re.search(rf"\b{re.escape(sid)}\b", detailed), sid


def test_check_and_plan_say_the_same_about_running(run: Run, tmp_path: Path) -> None:
    r = run("check", "--facts", facts(tmp_path, SOON))
    assert r.code == 0, r.err
    plan = run("plan", "--json")
    assert plan.code == 0, plan.err
    running = plan.json["phases"][0]["running"]["text"]
    assert running.startswith("No running")
    assert " ".join(running.split()) in " ".join(r.out.split())
    assert "easy effort" not in r.out  # the old contradiction: "run only at an easy effort"
    assert plan.json["triage"] == "soon" and "SOON" in r.out


def test_check_json_and_plan_say_the_same_about_running(run: Run, tmp_path: Path) -> None:
    # The JSON too: its summary carries the plan's running words, and no next step gives
    # running advice of its own (the old "run only at an easy effort" beside "no running").
    for answers in (SOON, PIRIFORMIS):
        r = run("check", "--facts", facts(tmp_path, answers), "--json")
        assert r.code == 0, r.err
        plan = run("plan", "--json")
        assert plan.code == 0, plan.err
        assert r.json["summary"]["running"] == plan.json["phases"][0]["running"]["text"]
        steps = " ".join(r.json["next_steps"]).lower()
        assert not re.search(r"\brun(s|ning)?\b", steps), steps


def test_an_emergency_names_what_the_warning_sign_points_to(run: Run, tmp_path: Path) -> None:
    r = run("check", "--facts", facts(tmp_path, {"saddle_numbness": True, "runner": True}))
    assert r.code == 0, r.err
    out = " ".join(r.out.split())
    assert "EMERGENCY" in out and "Do now: Call the emergency number" in out
    assert "What the warning sign points to" in out
    assert "cauda equina syndrome" in out and "general back pain" not in out
    assert "Running: No running or training" in out
    assert out.count("genitals or anus") == 1  # the emergency signs, listed once


def test_dont_know_to_every_warning_sign_in_the_interview(run: Run, private_home: Path) -> None:
    # empty story; no to age and sex; "don't know" to everything else
    r = run("check", stdin="\n" + "n\n" * 3 + "?\n" * 80)
    assert r.code == 0, r.err[-2000:]
    out = " ".join(r.out.split())
    assert 'You answered "don\'t know" about' in out
    assert "--facts" not in out and "run `backstride check`" not in out
    assert "Saved to:" in out and "Your plan: `backstride plan`" in out
    asked = re.sub(r"\[y/n/\?(/b/q)?\]", "", without_path(r.out))  # the answer prompts
    assert "Why I ask" in asked and not SLASH.search(asked)  # no names joined with "/"
    assert saved() is not None


def test_the_interview_with_no_answer_at_all_says_why_nothing_was_saved(run: Run) -> None:
    r = run("check", stdin="\n" + "?\n" * 90)
    assert r.code == 0, r.err[-2000:]
    out = " ".join(r.out.split())
    assert 'Not saved: every answer was "don\'t know"' in out
    assert "run `backstride check`" not in out


def test_json_keeps_every_key_and_adds_the_causes_in_words(
    run: Run, tmp_path: Path, private_home: Path
) -> None:
    r = run("check", "--facts", facts(tmp_path, PIRIFORMIS), "--json")
    assert r.code == 0, r.err
    assert set(r.json) >= KEYS
    summary = r.json["summary"]
    assert summary["next_step"] == "backstride plan"
    assert summary["saved_to"] == str(private_home / "backstride.db")
    top = summary["causes"][0]
    assert top["id"] == "deep_gluteal_piriformis" and "/" not in top["name"]
    assert top["why"] and "_" not in top["why"]
    assert "Saved to" in r.err and "backstride plan" in r.err
    r = run("check", "--facts", facts(tmp_path, PIRIFORMIS), "--json", "--no-save")
    assert r.json["summary"]["saved_to"] is None and "Saved" not in r.err


def test_no_save_says_how_to_get_a_plan(run: Run, tmp_path: Path) -> None:
    r = run("check", "--facts", facts(tmp_path, PIRIFORMIS), "--no-save")
    assert r.code == 0, r.err
    assert "Not saved (--no-save)" in r.out and "--assessment" in r.out


def test_the_installed_command_shows_the_result_in_its_own_process(
    tmp_path: Path, private_home: Path
) -> None:
    r = run_subprocess("check", "--facts", facts(tmp_path, SOON))
    assert r.code == 0, r.err
    assert "Your plan: `backstride plan`" in r.out and "Saved to:" in r.out
    assert not WEIGHT.search(without_path(r.out))


def test_with_facts_the_open_warning_signs_are_named_in_everyday_words(
    run: Run, tmp_path: Path
) -> None:
    r = run("check", "--facts", facts(tmp_path, {"runner": True, "pain_low_back": True}))
    assert r.code == 0, r.err
    out = " ".join(r.out.split())
    assert "Do now: Answer the warning-sign questions first (run `backstride check`" in out
    assert "numbness around the genitals or bottom" in out
    assert "'Is there new numbness" not in out
    assert "Running: No running or riding yet" in out
