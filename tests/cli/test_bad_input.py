"""Bad input never crashes: every case through the real command, exit 2 and one short line.

The `run` fixture runs the command in-process and raises any exception other than an exit, so a
crash fails the test with the traceback a person would have seen.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from tests.conftest import Result, Run, run_subprocess
from tests.stored import saved

GOOD_FACTS = {"runner": True, "pain_buttock": True, "saddle_numbness": False}
VIGNETTE = {
    "id": "v1",
    "facts": {"runner": True, "pain_buttock": True},
    "expected": {"condition": None, "triage": "self_care"},
}


def one_line(r: Result, *words: str) -> None:
    """Exit 2 with one short line on stderr that holds every word given."""
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert len(lines[0]) < 600
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert "╭" not in r.err and "Traceback" not in r.err


def write_bytes(tmp_path: Path, data: bytes, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- text that is not UTF-8 -------------------------------------------------------------------


def test_invalid_utf8_on_the_command_line_is_refused_not_a_crash() -> None:
    r = run_subprocess("read", b"sore \xff back")  # the shell's $'sore \xff back'
    one_line(r, "not UTF-8", "0xff", "offset 5")
    r = run_subprocess("check", "--story", b"sore \xff back", "--json")
    one_line(r, "--story", "0xff", "offset 5")


def test_invalid_utf8_from_argv_in_process(run: Run) -> None:
    # Python hands undecodable argv bytes over as lone surrogates.
    one_line(run("read", "sore \udcff back"), "not UTF-8", "0xff", "offset 5")
    one_line(run("check", "--story", "sore \udcff back", "--json"), "0xff", "offset 5")


def test_invalid_utf8_on_standard_input(run: Run) -> None:
    one_line(run("read", "-", stdin=b"sore \xff back"), "standard input", "0xff", "offset 5")
    r = run("check", "--story", "-", "--json", stdin=b"sore back \xfe")
    one_line(r, "standard input", "0xfe", "offset 10")


def test_invalid_utf8_typed_in_the_interview(run: Run, private_home: Path) -> None:
    r = run("check", stdin=b"sore \xff back\n" + b"n\n" * 3)
    one_line(r, "your story", "0xff")
    assert saved() is None
    # an undecodable answer is asked again, not a crash
    r = run("check", stdin=b"\n\xff\nq\n")
    assert r.code == 1 and "did not understand" in r.out and "Nothing was saved" in r.out


@pytest.mark.parametrize(
    ("command", "name", "content"),
    [
        (("check", "--json", "--facts"), "facts.json", json.dumps(GOOD_FACTS)),
        (
            ("plan", "--json", "--assessment"),
            "a.json",
            '{"triage": {"level": "soon"}, "findings": {"runner": true}}',
        ),
        (("eval", "--json"), "v.jsonl", json.dumps(VIGNETTE)),
        (("check", "--json", "--story-file"), "story.txt", "sore low back after a long run"),
        (("read", "--json", "--story-file"), "story.txt", "sore low back after a long run"),
    ],
)
def test_files_in_latin1_are_refused_and_utf16_or_bom_files_are_read(
    run: Run, tmp_path: Path, command: tuple[str, ...], name: str, content: str
) -> None:
    latin1 = content.replace('"runner"', '"rünner"').replace("sore", "süre")
    r = run(*command, write_bytes(tmp_path, latin1.encode("latin-1"), name))
    one_line(r, name, "not UTF-8 text", "0xfc", "offset")
    for encoding in ("utf-16", "utf-8-sig", "utf-16-be", "utf-32"):
        data = content.encode(encoding)
        if encoding == "utf-16-be":
            data = codecs.BOM_UTF16_BE + data
        r = run(*command, write_bytes(tmp_path, data, name))
        assert r.code == 0, (encoding, r.err)


def test_a_broken_utf16_file_names_the_offset(run: Run, tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + '{"runner": true}'.encode("utf-16-le") + b"\x00\xd8"
    r = run("check", "--json", "--facts", write_bytes(tmp_path, data))
    one_line(r, "not UTF-16 text", "offset 34")


# --- JSON the standard library would accept but we do not -------------------------------------


def deep(levels: int) -> str:
    return '{"runner": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"runner": true, "runner": false}', ("'runner' appears twice",)),
        (deep(100_000), ("nested more than",)),
        (deep(40), ("nested more than",)),
        ('{"runner": NaN}', ("NaN",)),
        ('{"runner": ' + "9" * 5000 + "}", ("not usable JSON",)),
        ("{not json", ("not valid JSON", "line 1, column 2")),
        ("", ("not valid JSON",)),
        ("[1, 2]", ("must be a JSON object",)),
    ],
)
def test_facts_json_rules(run: Run, tmp_path: Path, text: str, words: tuple[str, ...]) -> None:
    one_line(run("check", "--json", "--facts", write_bytes(tmp_path, text.encode())), *words)


def test_the_same_json_rules_hold_for_assessments_and_vignettes(run: Run, tmp_path: Path) -> None:
    dup = '{"triage": {"level": "soon"}, "findings": {"runner": true, "runner": true}}'
    one_line(run("plan", "--assessment", write_bytes(tmp_path, dup.encode())), "twice")
    nested = '{"triage": ' + "[" * 50 + "]" * 50 + "}"
    one_line(run("plan", "--assessment", write_bytes(tmp_path, nested.encode())), "nested")
    line = json.dumps(VIGNETTE).replace('"runner": true', '"runner": true, "runner": false')
    r = run("eval", write_bytes(tmp_path, b"\n" + line.encode(), "v.jsonl"))
    one_line(r, "v.jsonl:2", "twice")
    r = run("eval", write_bytes(tmp_path, deep(1000).encode(), "v.jsonl"))
    one_line(r, "v.jsonl:1", "nested")


# --- one answer check everywhere ---------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 0, "no", "yes", None, [True], {"a": True}, 0.5])
def test_eval_refuses_what_check_refuses(run: Run, tmp_path: Path, value: object) -> None:
    facts = {"runner": True, "pain_buttock": value}
    r_check = run("check", "--json", "--facts", write_bytes(tmp_path, json.dumps(facts).encode()))
    one_line(r_check, "answers must be true or false", "pain_buttock is")
    vignette = json.dumps({**VIGNETTE, "facts": facts}).encode()
    r_eval = run("eval", "--json", write_bytes(tmp_path, vignette, "v.jsonl"))
    one_line(r_eval, "answers must be true or false", "pain_buttock is")
    # the same words after the place
    assert r_check.err.split("facts file")[1].split(": ", 1)[1] == r_eval.err.split(" facts: ")[1]


def test_many_unknown_ids_give_a_short_message(run: Run, tmp_path: Path) -> None:
    facts = {f"not_a_finding_{n}": True for n in range(200_000)}
    text = json.dumps(facts).encode()
    r = run("check", "--json", "--facts", write_bytes(tmp_path, text))
    one_line(r, "not_a_finding_0", "not_a_finding_4", "199,995 more", "backstride findings")
    assert "not_a_finding_5," not in r.err
    vignette = json.dumps({**VIGNETTE, "facts": facts}).encode()
    r = run("eval", write_bytes(tmp_path, vignette, "v.jsonl"))
    one_line(r, "not_a_finding_0", "199,995 more")


def test_one_huge_id_gives_a_short_message(run: Run, tmp_path: Path) -> None:
    facts = {"x" * 300_000: True}
    r = run("check", "--json", "--facts", write_bytes(tmp_path, json.dumps(facts).encode()))
    one_line(r, "unknown finding id", "more characters")


# --- files, folders and the data home -----------------------------------------------------------


def test_missing_files_and_folders_given_as_files(run: Run, tmp_path: Path) -> None:
    one_line(run("check", "--json", "--facts", str(tmp_path / "nope.json")), "cannot read")
    one_line(run("check", "--json", "--facts", str(tmp_path)), "is a folder")
    one_line(run("eval", str(tmp_path)), "is a folder")
    one_line(run("read", "--story-file", str(tmp_path / "nope.txt")), "cannot read story file")


def test_backstride_home_naming_a_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("BACKSTRIDE_HOME", str(home))
    # refused before the first question, so nothing typed is lost
    r = run("check", stdin="n\n" * 40)
    one_line(r, "BACKSTRIDE_HOME", "is a file")
    assert "Q1." not in r.out
    one_line(run("plan"), "BACKSTRIDE_HOME", "is a file")
    facts = write_bytes(tmp_path, json.dumps(GOOD_FACTS).encode())
    assert run("check", "--json", "--no-save", "--facts", facts).code == 0  # no saving, no need
    assert home.read_text() == "not a folder"


def test_a_refused_input_keeps_the_saved_result(
    run: Run, tmp_path: Path, private_home: Path
) -> None:
    facts = write_bytes(tmp_path, json.dumps(GOOD_FACTS).encode())
    assert run("check", "--json", "--facts", facts).code == 0
    kept = saved()
    assert kept is not None
    bad = write_bytes(tmp_path, b'{"runner": "yes"}', "bad.json")
    one_line(run("check", "--json", "--facts", bad), "true or false")
    assert saved() == kept


# --- long stories -----------------------------------------------------------------------------


LONG_STORY = "Deep ache in my right buttock after long runs, worse when I sit. " + (
    "It has been like this for weeks and I keep running through it. " * 3000
)  # about 200 KB: more than the shell lets one argument be


def test_a_long_story_from_a_file_or_standard_input(run: Run, tmp_path: Path) -> None:
    assert len(LONG_STORY.encode()) > 128 * 1024
    story = tmp_path / "story.txt"
    story.write_text(LONG_STORY, encoding="utf-8")
    from_file = run("check", "--story-file", str(story), "--json")
    assert from_file.code == 0, from_file.err
    from_stdin = run("check", "--story", "-", "--json", stdin=LONG_STORY)
    assert from_stdin.code == 0, from_stdin.err
    assert from_file.json["findings"] == from_stdin.json["findings"]
    assert from_file.json["findings"]["pain_buttock"] is True
    r = run("check", "--story", "sore", "--story-file", str(story), "--json")
    one_line(r, "not both")


# --- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--bogus",), ("backstride:", "No such option: --bogus", "backstride --help")),
        (("nosuch",), ("No such command 'nosuch'",)),
        (("check", "--bogus"), ("backstride check:", "--bogus", "backstride check --help")),
        (("check", "--story"), ("--story", "requires an argument")),
        (("plan", "--days", "many"), ("backstride plan:", "'--days'", "many")),
        (("eval",), ("backstride eval:", "Missing argument")),
        (("findings", "--jsn"), ("No such option: --jsn",)),
    ],
)
def test_usage_errors_are_one_line(run: Run, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    one_line(run(*args), *words)


def test_usage_error_from_the_installed_command() -> None:
    one_line(run_subprocess("plan", "--days", "many"), "backstride plan:", "'--days'")
