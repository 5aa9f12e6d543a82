"""The interview and plan routes of shared/contract/api.md, over real HTTP, on SQLite and
PostgreSQL: whole interviews driven through them give what `backstride eval` gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from backstride.api import read_story_evidence
from backstride.evaluation.vignettes import Vignette, load_vignettes, run_case
from backstride.kb import KnowledgeBase
from tests.conftest import ROOT, Run

DEV = ROOT / "tests" / "vignettes" / "dev.jsonl"
# A spread of the development set: self-care, soon, urgent and emergency, with and without
# stories, long and short interviews.
CASES = ("dev-001", "dev-007", "dev-018", "dev-031", "dev-052", "dev-066", "dev-080", "dev-095")


@pytest.fixture(scope="module")
def vignettes(kb: KnowledgeBase) -> dict[str, Vignette]:
    return {v.id: v for v in load_vignettes(DEV, kb)}


def drive(http: httpx.Client, story: str, facts: dict[str, bool]) -> tuple[str, dict[str, Any]]:
    """A whole interview through the API, answering from facts (null = don't know)."""
    r = http.post("/api/v1/interviews", json={"story": story})
    assert r.status_code == 201, r.text
    state = r.json()
    asked = 0
    while not state["done"]:
        items = state["question"]["items"]
        answers = {i["finding"]: facts.get(i["finding"]) for i in items}
        r = http.post(f"/api/v1/interviews/{state['id']}/answers", json={"answers": answers})
        assert r.status_code == 200, r.text
        state = r.json()
        asked += 1
        assert asked <= 40
    assert state["question"] is None
    result = http.get(f"/api/v1/interviews/{state['id']}/result")
    assert result.status_code == 200
    return state["id"], result.json()


def without_summary(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "summary"}


def test_whole_interviews_equal_backstride_eval(
    http: httpx.Client,
    api_db: str,
    vignettes: dict[str, Vignette],
    kb: KnowledgeBase,
    run: Run,
    tmp_path: Path,
) -> None:
    chosen = [vignettes[c] for c in CASES]
    got: dict[str, dict[str, Any]] = {}
    for v in chosen:
        _, result = drive(http, v.story, v.facts)
        # the very function `backstride eval --mode interview` runs for each vignette
        expected = run_case(v, "interview", kb, read_story_evidence).assessment.to_dict()
        assert without_summary(result) == expected, v.id
        got[v.id] = result
    assert "emergency" in {r["triage"]["level"] for r in got.values()}
    # and the command's own scores over the same vignettes agree with the API's results
    subset = tmp_path / "subset.jsonl"
    lines = [line for line in DEV.read_text().splitlines() if any(f'"{c}"' in line for c in CASES)]
    subset.write_text("\n".join(lines) + "\n")
    scores = run("eval", str(subset), "--mode", "interview", "--json").json
    top1 = [got[v.id]["conditions"][0]["id"] == v.expected.condition for v in chosen]
    with_cond = [v for v in chosen if v.expected.condition]
    assert scores["cases"] == len(chosen)
    assert scores["top1"] == round(sum(top1) / len(with_cond), 4)
    questions = sorted(got[v.id]["questions_asked"] for v in chosen)
    assert scores["questions_mean"] == round(sum(questions) / len(questions), 2)


def test_result_equals_check_simulate(
    http: httpx.Client, vignettes: dict[str, Vignette], run: Run, tmp_path: Path
) -> None:
    v = vignettes["dev-001"]
    _, result = drive(http, v.story, v.facts)
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(v.facts))
    cli = run("check", "--story", v.story, "--facts", str(facts), "--simulate", "--json").json
    assert without_summary(result) == without_summary(cli)
    assert result["summary"]["causes"] == cli["summary"]["causes"]


def test_start_has_the_contract_shape(http: httpx.Client, api_db: str) -> None:
    r = http.post(
        "/api/v1/interviews",
        json={"story": "pain in my upper glutes when I sit, no numbness, and no leg pain"},
    )
    assert r.status_code == 201
    body = r.json()
    assert isinstance(body["id"], str) and body["id"]
    assert body["done"] is False
    by_id = {u["id"]: u for u in body["understood"]}
    assert by_id["pain_buttock"]["present"] is True
    assert by_id["pain_buttock"]["uncertain"] is False
    assert "glutes" in by_id["pain_buttock"]["text"]
    assert by_id["numbness_leg"]["present"] is False
    q = body["question"]
    assert q["kind"] in ("checklist", "single")
    assert q["why"] and q["id"]
    assert all({"finding", "text"} <= set(i) for i in q["items"])
    # an empty story is allowed: the questions cover everything
    empty = http.post("/api/v1/interviews", json={"story": ""})
    assert empty.status_code == 201 and empty.json()["understood"] == []
    assert http.post("/api/v1/interviews", json={}).status_code == 201


def test_answers_undo_and_result_before_the_end(http: httpx.Client) -> None:
    start = http.post("/api/v1/interviews", json={"story": ""}).json()
    iid, first = start["id"], start["question"]
    answers = {i["finding"]: None for i in first["items"]}
    second = http.post(f"/api/v1/interviews/{iid}/answers", json={"answers": answers}).json()
    assert second["question"]["id"] != first["id"]
    assert second["questions_asked"] == 1 and second["can_undo"] is True
    back = http.post(f"/api/v1/interviews/{iid}/undo")
    assert back.status_code == 200
    assert back.json()["question"] == first
    assert back.json()["questions_asked"] == 0
    # nothing more to undo
    again = http.post(f"/api/v1/interviews/{iid}/undo")
    assert again.status_code == 409 and again.json()["error"]["code"] == "nothing_to_undo"
    # the result may be asked before the end: it reflects the answers so far
    partial = http.get(f"/api/v1/interviews/{iid}/result")
    assert partial.status_code == 200
    assert partial.json()["questions_asked"] == 0
    assert partial.json()["screen"]["complete"] is False
    # the GET of the interview gives the same state
    assert http.get(f"/api/v1/interviews/{iid}").json()["question"] == first


def test_story_warning_signs_come_pre_ticked_with_their_words(http: httpx.Client) -> None:
    story = "my bum is numb around the saddle area and I can't pee properly since yesterday"
    body = http.post("/api/v1/interviews", json={"story": story}).json()
    items = {i["finding"]: i for i in body["question"]["items"]}
    ticked = [i for i in items.values() if i["from_story"]]
    assert ticked, body["question"]
    assert all(i["story_words"] and i["warning_sign"] for i in ticked)
    # confirming them ends the interview at the emergency level
    answers = {f: (True if i["from_story"] else None) for f, i in items.items()}
    state = http.post(f"/api/v1/interviews/{body['id']}/answers", json={"answers": answers})
    assert state.json()["done"] is True
    result = http.get(f"/api/v1/interviews/{body['id']}/result").json()
    assert result["triage"]["level"] == "emergency"


@pytest.mark.parametrize(
    ("answers", "code", "named"),
    [
        ({"no_such_finding": True, "also_not": None}, "unknown_findings", "no_such_finding"),
        ({"saddle_numbness": True}, "not_in_question", "saddle_numbness"),
        ({}, "missing_answers", "left out"),
    ],
)
def test_bad_answers_get_422_naming_them(
    http: httpx.Client, answers: dict[str, Any], code: str, named: str
) -> None:
    iid = http.post("/api/v1/interviews", json={"story": ""}).json()["id"]
    r = http.post(f"/api/v1/interviews/{iid}/answers", json={"answers": answers})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == code
    assert named in r.json()["error"]["message"]
    assert http.get(f"/api/v1/interviews/{iid}").json()["questions_asked"] == 0


@pytest.mark.parametrize("value", ["yes", 1, 0, "null", [True]])
def test_answers_must_be_true_false_or_null(http: httpx.Client, value: Any) -> None:
    state = http.post("/api/v1/interviews", json={"story": ""}).json()
    item = state["question"]["items"][0]["finding"]
    r = http.post(f"/api/v1/interviews/{state['id']}/answers", json={"answers": {item: value}})
    assert r.status_code == 422
    body = r.json()
    assert body["error"]["code"] == "invalid_request"
    assert item in body["error"]["message"]


def test_a_stale_question_is_refused(http: httpx.Client) -> None:
    state = http.post("/api/v1/interviews", json={"story": ""}).json()
    answers = {i["finding"]: None for i in state["question"]["items"]}
    url = f"/api/v1/interviews/{state['id']}/answers"
    ok = http.post(url, json={"answers": answers, "question": state["question"]["id"]})
    assert ok.status_code == 200
    again = http.post(url, json={"answers": answers, "question": state["question"]["id"]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "question_changed"
    assert http.get(f"/api/v1/interviews/{state['id']}").json()["questions_asked"] == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/interviews/nope"),
        ("POST", "/api/v1/interviews/nope/answers"),
        ("POST", "/api/v1/interviews/nope/undo"),
        ("GET", "/api/v1/interviews/nope/result"),
        ("GET", "/api/v1/interviews/nope/plan"),
        ("GET", "/api/v1/interviews/nope/plan.pdf"),
        ("GET", "/api/v1/no/such/route"),
    ],
)
def test_unknown_ids_are_404_with_a_json_error(http: httpx.Client, method: str, path: str) -> None:
    body = {"answers": {}} if path.endswith("answers") else None
    r = http.request(method, path, json=body)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_an_id_with_a_nul_character_is_not_found(http: httpx.Client, api_db: str) -> None:
    """PostgreSQL refuses NUL in text: such an id is not found, not a database error (503)."""
    for path in ("/api/v1/interviews/a%00b", "/api/v1/interviews/a%00b/result"):
        r = http.get(path)
        assert r.status_code == 404, (path, r.text)
    r = http.post("/api/v1/plan", json={"interview": "a\x00b"})
    assert r.status_code == 404, r.text


def test_a_story_with_a_nul_character_is_saved_with_it_replaced(
    http: httpx.Client, api_db: str
) -> None:
    """PostgreSQL refuses NUL in text and jsonb; the story is kept with U+FFFD in its place and
    read as before, on both databases."""
    story = "sore low back after hills\x00, no numbness"
    r = http.post("/api/v1/interviews", json={"story": story})
    assert r.status_code == 201, r.text
    body = r.json()
    understood = {f["id"]: f["present"] for f in body["understood"]}
    assert understood.get("saddle_numbness") is False or understood.get("numbness_leg") is False
    again = http.get(f"/api/v1/interviews/{body['id']}")
    assert again.status_code == 200, again.text
    assert "\x00" not in again.text and "\\u0000" not in again.text


def test_corrections_before_the_first_answer(http: httpx.Client) -> None:
    story = "sore low back after hills, no numbness"
    body = http.post("/api/v1/interviews", json={"story": story}).json()
    iid = body["id"]
    first = {u["id"]: u for u in body["understood"]}
    assert first["numbness_leg"]["present"] is False
    fixed = http.post(
        f"/api/v1/interviews/{iid}/understood",
        json={"flip": ["numbness_leg"], "remove": ["pain_low_back"]},
    ).json()
    now = {u["id"]: u for u in fixed["understood"]}
    assert now["numbness_leg"]["present"] is True and now["numbness_leg"]["corrected"] is True
    assert "pain_low_back" not in now
    result = http.get(f"/api/v1/interviews/{iid}/result").json()
    assert result["findings"]["numbness_leg"] is True
    assert "pain_low_back" not in result["findings"]
    bad = http.post(f"/api/v1/interviews/{iid}/understood", json={"flip": ["saddle_numbness"]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "not_understood"
    answers = {i["finding"]: None for i in fixed["question"]["items"]}
    http.post(f"/api/v1/interviews/{iid}/answers", json={"answers": answers})
    late = http.post(f"/api/v1/interviews/{iid}/understood", json={"remove": ["numbness_leg"]})
    assert late.status_code == 409 and late.json()["error"]["code"] == "interview_started"


def test_plan_equals_backstride_plan_json(
    http: httpx.Client, api_db: str, vignettes: dict[str, Vignette], run: Run, tmp_path: Path
) -> None:
    v = vignettes["dev-001"]
    iid, result = drive(http, v.story, v.facts)
    plan = http.get(f"/api/v1/interviews/{iid}/plan")
    assert plan.status_code == 200
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(result))
    cli = run("plan", "--assessment", str(saved), "--json").json
    assert plan.json() == cli
    four = http.get(f"/api/v1/interviews/{iid}/plan", params={"days": 4, "equipment": "band"})
    cli4 = run(
        "plan", "--assessment", str(saved), "--days", "4", "--equipment", "band", "--json"
    ).json
    assert four.json() == cli4
    assert http.get(f"/api/v1/interviews/{iid}/plan", params={"days": 9}).status_code == 422
    bad_kit = http.get(f"/api/v1/interviews/{iid}/plan", params={"equipment": "trampoline"})
    assert bad_kit.status_code == 422 and "trampoline" in bad_kit.json()["error"]["message"]


def test_plan_exports(http: httpx.Client, vignettes: dict[str, Vignette]) -> None:
    v = vignettes["dev-001"]
    iid, _ = drive(http, v.story, v.facts)
    base = f"/api/v1/interviews/{iid}/plan"
    pdf = http.get(f"{base}.pdf", params={"start": "2026-03-02"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    ics = http.get(f"{base}.ics", params={"start": "2026-03-02"})
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART" in ics.text and "20260302" in ics.text
    md = http.get(f"{base}.md")
    assert md.status_code == 200 and md.text.startswith("# Your backstride plan")
    html = http.get(f"{base}.html")
    assert html.status_code == 200 and html.text.startswith("<!DOCTYPE html>")
    assert http.get(f"{base}.ics", params={"start": "2026-02-30"}).status_code == 422


def test_a_plan_needs_answers(http: httpx.Client) -> None:
    iid = http.post("/api/v1/interviews", json={"story": ""}).json()["id"]
    r = http.get(f"/api/v1/interviews/{iid}/plan")
    assert r.status_code == 422 and r.json()["error"]["code"] == "no_answers"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"story": "a", "story": "b"}', "invalid_json"),
        (b'{"story": NaN}', "invalid_json"),
        (b'{"story": "caf\xe9"}', "invalid_json"),
        (b'{"story": ', "invalid_json"),
        (b"[" * 40 + b"]" * 40, "invalid_json"),
        (b'{"story": 5}', "invalid_request"),
        (b'["story"]', "invalid_request"),
    ],
)
def test_bad_json_bodies_get_one_line_errors(http: httpx.Client, content: bytes, code: str) -> None:
    r = http.post(
        "/api/v1/interviews", content=content, headers={"content-type": "application/json"}
    )
    assert 400 <= r.status_code < 500
    error = r.json()["error"]
    assert error["code"] == code
    assert "\n" not in error["message"] and "Traceback" not in error["message"]


def test_openapi_and_docs_are_served_without_a_cdn(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    for path in (
        "/api/v1/interviews",
        "/api/v1/interviews/{interview_id}/answers",
        "/api/v1/interviews/{interview_id}/undo",
        "/api/v1/interviews/{interview_id}/result",
        "/api/v1/interviews/{interview_id}/plan",
        "/api/v1/interviews/{interview_id}/plan.pdf",
    ):
        assert path in schema["paths"], path
    docs = http.get("/docs")
    assert docs.status_code == 200
    assert "http://" not in docs.text and "https://" not in docs.text
    assert http.get("/static/vendor/swagger-ui-bundle.js").status_code == 200
