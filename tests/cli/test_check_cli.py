"""`backstride check` through the real command (in-process): JSON contract, saving, interactive."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from backstride.recovery.exchange import export_document
from backstride.recovery.workspace import close_stores
from tests.stored import saved


def write(tmp_path: Path, obj: object, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(obj))
    return str(path)


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
    "fever_or_chills": False,
    "wallet_back_pocket": True,
    "long_daily_sitting": True,
}


def test_facts_json_follows_the_contract(run: Any, tmp_path: Path, private_home: Path) -> None:
    r = run("check", "--facts", write(tmp_path, PIRIFORMIS), "--json")
    assert r.code == 0, r.err
    out = r.json
    assert out["triage"]["level"] in ("self_care", "soon", "urgent", "emergency")
    assert isinstance(out["triage"]["reasons"], list)
    probs = [c["probability"] for c in out["conditions"]]
    assert probs == sorted(probs, reverse=True)
    assert out["conditions"][0]["id"] == "deep_gluteal_piriformis"
    assert "long_daily_sitting" in out["contributing_factors"]
    assert out["findings"]["pain_buttock"] is True
    assert out["findings"]["leg_pain_below_knee"] is False
    assert out["questions_asked"] == 0
    assert saved()["conditions"][0]["id"] == "deep_gluteal_piriformis"


def test_simulate_asks_questions(run: Any, tmp_path: Path) -> None:
    r = run("check", "--facts", write(tmp_path, PIRIFORMIS), "--simulate", "--json")
    assert r.code == 0, r.err
    assert r.json["questions_asked"] >= 3  # at least the red-flag screening groups


def test_unknown_id_exits_2_and_names_it(run: Any, tmp_path: Path) -> None:
    r = run("check", "--facts", write(tmp_path, {"runner": True, "bad_id": True}), "--json")
    assert r.code == 2
    assert "bad_id" in r.err and "Traceback" not in r.err


def test_malformed_facts_exit_2(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    r = run("check", "--facts", str(path), "--json")
    assert r.code == 2 and "not valid JSON" in r.err
    r = run("check", "--facts", write(tmp_path, {"runner": "yes"}), "--json")
    assert r.code == 2 and "true or false" in r.err
    r = run("check", "--facts", str(tmp_path / "missing.json"), "--json")
    assert r.code == 2 and "cannot read" in r.err


def test_clashing_answers_keep_the_graver_reading(run: Any, tmp_path: Path) -> None:
    # people do give inconsistent answers: a level, the clash named, and no error
    r = run(
        "check",
        "--facts",
        write(tmp_path, {"progressive_weakness": True, "leg_weakness": False}),
        "--json",
    )
    assert r.code == 0, r.err
    assert r.json["triage"]["level"] in ("urgent", "emergency")
    clash = r.json["clashing_answers"][0]
    assert "progressive_weakness" in clash and "leg_weakness" in clash


def test_emergency_story_in_facts(run: Any, tmp_path: Path) -> None:
    r = run("check", "--facts", write(tmp_path, {"saddle_numbness": True}), "--json")
    assert r.code == 0
    assert r.json["triage"]["level"] == "emergency"


def test_interactive_interview_over_stdin(run: Any) -> None:
    # empty story, "?" to age and sex one by one, "n" to every warning-sign group, then "?"
    answers = "\n" + "?\n" * 4 + "n\n" * 3 + "?\n" * 60
    r = run("check", stdin=answers)
    assert r.code == 0, r.err[-2000:]
    assert "Why I ask" in r.out
    assert "SELF-CARE" in r.out or "SOON" in r.out
    assert "Get help sooner if" in r.out


def test_interactive_quit_saves_nothing(run: Any, private_home: Path) -> None:
    r = run("check", stdin="\nq\n")
    assert r.code == 1
    assert "Nothing was saved" in r.out
    assert saved() is None


def test_interactive_check_keeps_the_story_typed(run: Any, private_home: Path) -> None:
    story = "sore low back after my long run"
    r = run("check", stdin=story + "\n\n" + "n\n" * 80)
    assert r.code == 0, r.err[-2000:]
    assert "Saved to:" in r.out
    close_stores()
    assert [a["story"] for a in export_document()["assessments"]] == [story]
    close_stores()


def test_interactive_story_shows_what_was_read_and_reader_messages(run: Any) -> None:
    story = "My lower back hurts on the left after long rides. No numbness. " * 1600
    r = run("check", stdin=story + "\n" + "\n" + "?\n" * 4 + "n\n" * 3 + "q\n")
    assert "From your story I understood" in r.out
    # the reader's notice of what it did not read reaches the person
    assert "100,000" in r.out and "was not read" in r.out
    assert "Nothing was saved" in r.out


def test_empty_input_is_never_self_care_and_keeps_the_saved_result(
    run: Any, tmp_path: Path, private_home: Path
) -> None:
    first = run("check", "--facts", write(tmp_path, PIRIFORMIS), "--json")
    assert first.code == 0, first.err
    kept = saved()
    for story in ("", "Me duele la espalda desde hace dos semanas."):
        r = run("check", "--story", story, "--json")
        assert r.code == 0, r.err
        assert r.json["triage"]["level"] == "soon"
        assert [d["kind"] for d in r.json["triage"]["details"]] == ["screen"]
        assert r.json["screen"]["complete"] is False
        assert "warning-sign questions" in r.json["next_steps"][0]
        assert "not saved" in r.err
    assert saved() == kept


def test_a_short_story_alone_is_not_self_care(run: Any) -> None:
    r = run("check", "--story", "sore low back for 3 days", "--json")
    assert r.code == 0, r.err
    assert r.json["triage"]["level"] == "soon"
    assert len(r.json["screen"]["missing"]) >= 19


def test_a_warning_sign_alone_is_saved_and_planned(
    run: Any, tmp_path: Path, private_home: Path
) -> None:
    r = run("check", "--facts", write(tmp_path, {"saddle_numbness": True}), "--json")
    assert r.code == 0, r.err
    assert r.json["triage"]["level"] == "emergency"
    assert "not saved" not in r.err
    assert saved()["findings"] == {"saddle_numbness": True}
    plan = run("plan", "--json")
    assert plan.code == 0, plan.err
    kinds = {i["kind"] for p in plan.json["phases"] for i in p["items"]}
    assert "stop" in kinds


def test_a_spinner_shows_while_the_story_is_read(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from backstride.cli import check_cmd

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(check_cmd, "console", terminal)
    r = run("check", stdin="My lower back hurts after long rides.\n\nq\n")
    assert r.code == 1
    assert "Reading your story" in screen.getvalue()
