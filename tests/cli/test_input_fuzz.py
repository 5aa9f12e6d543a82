"""Random bytes and random JSON fed to each command's input: exit 0 or 2, never a crash.

Hypothesis writes the file (or standard input) and runs the real command in-process; the `run`
fixture raises any exception that is not an exit, so a crash fails the test with its example.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.errors import InputError
from backstride.inputs import MAX_DEPTH, _depth, decode, parse_answers, parse_json, read_json_lines
from backstride.kb import default_knowledge_base
from tests.conftest import Result, Run

FINDING_IDS = sorted(default_knowledge_base().finding_index)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
keys = st.sampled_from(FINDING_IDS) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=25,
)
facts_like = st.dictionaries(
    st.sampled_from(FINDING_IDS), st.booleans() | scalars, min_size=1, max_size=8
)
assessment_like = st.fixed_dictionaries(
    {
        "triage": st.fixed_dictionaries(
            {"level": st.sampled_from(["self_care", "soon", "urgent", "emergency", "maybe"])}
        )
        | json_values,
        "findings": facts_like | json_values,
    },
    optional={"conditions": json_values, "contributing_factors": json_values},
)
vignette_like = st.fixed_dictionaries(
    {
        "id": st.text(max_size=8) | json_values,
        "facts": facts_like | json_values,
        "expected": st.fixed_dictionaries(
            {"triage": st.sampled_from(["soon", "later"]), "condition": st.none() | st.text()}
        )
        | json_values,
    },
    optional={"story": st.text(max_size=80) | json_values},
)
documents = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | json_values.map(lambda v: json.dumps(v).encode("utf-16"))
)


def exit_0_or_one_line(r: Result) -> None:
    assert r.code in (0, 2), (r.code, r.err)
    if r.code == 2:
        lines = r.err.strip().splitlines()
        assert len(lines) == 1 and len(lines[0]) < 600, r.err


def fuzz_file(tmp_path: Path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@FUZZ
@given(data=documents | facts_like.map(lambda v: json.dumps(v).encode()))
def test_check_facts(run: Run, tmp_path: Path, data: bytes) -> None:
    exit_0_or_one_line(run("check", "--json", "--facts", fuzz_file(tmp_path, data, "f.json")))


@FUZZ
@given(data=documents | assessment_like.map(lambda v: json.dumps(v).encode()))
def test_plan_assessment(run: Run, tmp_path: Path, data: bytes) -> None:
    exit_0_or_one_line(run("plan", "--json", "--assessment", fuzz_file(tmp_path, data, "a.json")))


@FUZZ
@given(
    data=documents
    | st.lists(vignette_like.map(json.dumps), min_size=1, max_size=3).map(
        lambda lines: "\n".join(lines).encode()
    )
)
def test_eval_vignettes(run: Run, tmp_path: Path, data: bytes) -> None:
    exit_0_or_one_line(
        run("eval", "--json", "--mode", "full", fuzz_file(tmp_path, data, "v.jsonl"))
    )


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_read_story_file_and_standard_input(run: Run, tmp_path: Path, data: bytes) -> None:
    exit_0_or_one_line(run("read", "--json", "--story-file", fuzz_file(tmp_path, data, "s.txt")))
    exit_0_or_one_line(run("read", "--json", "-", stdin=data))


@FUZZ
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_check_story_file(run: Run, tmp_path: Path, data: bytes) -> None:
    story = fuzz_file(tmp_path, data, "s.txt")
    exit_0_or_one_line(run("check", "--json", "--no-save", "--story-file", story))


@FUZZ
@given(text=st.text(max_size=200))
def test_read_text_argument(run: Run, text: str) -> None:
    # argv may hold undecodable bytes: Python gives them as lone surrogates
    exit_0_or_one_line(run("read", "--json", text.replace("\x00", "") or "x"))


# --- the input layer itself, many more examples (no command around it) --------------------------


@settings(max_examples=500, deadline=None)
@given(data=documents)
def test_decoding_and_parsing_raise_only_input_errors(data: bytes) -> None:
    try:
        text = decode(data, "x")
        value: Any = parse_json(text, "x")
        parse_answers(value, "x", FINDING_IDS)
    except InputError as exc:
        assert str(exc).startswith("x")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=documents)
def test_json_lines_raise_only_input_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_bytes(data + b"\n" + data)
    with contextlib.suppress(InputError):
        list(read_json_lines(path, "lines"))


@pytest.mark.parametrize(
    ("text", "depth"),
    [('"\\\\"', 0), ('"\\', 0), ('["\\"]"]', 1), ('["[", {"a": "]"}]', 2), ("[" * 10_000, 10_000)],
)
def test_the_depth_scan_skips_strings_even_unterminated_ones(text: str, depth: int) -> None:
    assert _depth(text) == depth
    if depth > MAX_DEPTH:
        with pytest.raises(InputError, match="nested more than"):
            parse_json(text, "x")
