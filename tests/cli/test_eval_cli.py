"""`backstride eval` through the real command (shared/contract/vignettes.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SHARED, TESTS

KEYS = {
    "cases",
    "top1",
    "top3",
    "triage_exact",
    "triage_under",
    "serious_under",
    "triage_over",
    "questions_median",
    "questions_mean",
    "ms_per_case",
    "failures",
}


def examples() -> str:
    shared = SHARED / "contract" / "examples.jsonl"
    return str(shared if shared.exists() else TESTS / "contract" / "examples.jsonl")


def test_every_mode_prints_every_key(run: Any) -> None:
    for mode in ("story", "interview", "full"):
        r = run("eval", examples(), "--mode", mode, "--json")
        assert r.code == 0, r.err
        out = r.json
        assert set(out) >= KEYS
        assert out["cases"] == 4
        if mode != "interview":
            assert out["questions_median"] == 0


def test_table_output(run: Any) -> None:
    r = run("eval", examples(), "--mode", "full")
    assert r.code == 0 and "top3" in r.out


def test_unknown_ids_exit_2(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {"id": "x", "facts": {"nope": True}, "expected": {"condition": None, "triage": "soon"}}
        )
        + "\n"
    )
    r = run("eval", str(bad), "--json")
    assert r.code == 2 and "nope" in r.err


def test_unreadable_file_exit_2(run: Any, tmp_path: Path) -> None:
    r = run("eval", str(tmp_path / "missing.jsonl"))
    assert r.code == 2 and "cannot read" in r.err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("// a comment\n\n{broken\n")
    r = run("eval", str(bad))
    assert r.code == 2 and ":3:" in r.err


def test_bad_mode_exit_2(run: Any) -> None:
    r = run("eval", examples(), "--mode", "dream")
    assert r.code == 2 and "--mode" in r.err


def test_an_inconsistent_vignette_is_scored_not_fatal(run: Any, tmp_path: Path) -> None:
    """People contradict themselves: the graver reading is scored and the file goes on."""
    lines = [
        {
            "id": "clash",
            "story": "",
            "facts": {"progressive_weakness": True, "leg_weakness": False},
            "expected": {"condition": "radiculopathy", "triage": "urgent"},
        },
        {
            "id": "fine",
            "story": "",
            "facts": {"runner": True},
            "expected": {"condition": "nonspecific_mechanical", "triage": "soon"},
        },
    ]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    r = run("eval", str(path), "--mode", "full", "--json")
    assert r.code == 0, r.err
    assert r.json["cases"] == 2 and r.json["serious_under"] == 0


def test_story_mode_scores_exactly_what_check_story_gives(run: Any, tmp_path: Path) -> None:
    story = "pain in my right buttock after long runs, worse sitting, no numbness, 5 days"
    v = {
        "id": "s",
        "story": story,
        "facts": {},
        "expected": {"condition": "deep_gluteal_piriformis", "triage": "soon"},
    }
    path = tmp_path / "v.jsonl"
    path.write_text(json.dumps(v) + "\n")
    scored = run("eval", str(path), "--mode", "story", "--json")
    checked = run("check", "--story", story, "--json", "--no-save")
    assert scored.code == 0 and checked.code == 0, (scored.err, checked.err)
    got = {
        "conditions": [c["id"] for c in checked.json["conditions"][:3]],
        "triage": checked.json["triage"]["level"],
    }
    failures = scored.json["failures"]
    if failures:  # the evaluation reports what it got: it must be what check gives
        assert failures[0]["got"] == got
    else:
        assert got["triage"] == "soon" and "deep_gluteal_piriformis" in got["conditions"]
