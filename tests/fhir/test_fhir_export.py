"""The FHIR export: a record made through the real commands, written by `export --fhir`, read
back through fhir.resources' validator, and checked resource by resource against what was saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backstride.fhir.bundle import (
    LOINC,
    PAIN_CODE,
    QUESTIONNAIRE_URL,
    TRIAGE_EXTENSION,
    FhirExportError,
    person_bundle,
    read_bundle,
)
from backstride.kb import KnowledgeBase
from backstride.recovery.exchange import export_document
from backstride.recovery.workspace import close_stores
from tests.conftest import Run

NOW = "2026-11-02T09:00:00Z"
FACTS = {"runner": True, "pain_buttock": True, "worse_sitting": True}
# R4 value sets of the elements written (fhir.resources checks structure and types, not codes)
STATUS = {
    "Observation": {"registered", "preliminary", "final", "amended"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "ClinicalImpression": {"in-progress", "completed", "entered-in-error"},
    "CarePlan": {
        "draft",
        "active",
        "on-hold",
        "revoked",
        "completed",
        "entered-in-error",
        "unknown",
    },
    "Questionnaire": {"draft", "active", "retired", "unknown"},
}
ACTIVITY_STATUS = {
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped",
    "unknown", "entered-in-error",
}  # fmt: skip


@pytest.fixture
def record(run: Run, tmp_path: Path) -> dict[str, Any]:
    """A check, a plan, two check-ins (one without pain now) and the FHIR file of them."""
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    story = "Sore deep in the right buttock after long runs, worse when I sit."
    assert run("check", "--story", story, "--facts", str(facts), "--json", now=NOW).code == 0
    assert run("plan", "--days", "4", now=NOW).code == 0
    assert run("log", "--pain", "3", "--run-pain", "4", "--morning", "2", now=NOW).code == 0
    assert run("log", "--run-pain", "5", "--date", "2026-11-01", now=NOW).code == 0
    out = tmp_path / "bundle.json"
    r = run("export", "--fhir", str(out), now=NOW)
    assert r.code == 0, r.err
    assert "(FHIR R4 Bundle): 1 Patient, 1 Questionnaire, 1 QuestionnaireResponse" in r.out
    close_stores()
    return {"text": out.read_text("utf-8"), "doc": export_document(), "out": out}


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_round_trips_through_the_validator(record: dict[str, Any]) -> None:
    parsed = read_bundle(record["text"])  # fhir.resources validates every entry
    assert parsed.type == "collection"
    again = parsed.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert again == json.loads(record["text"])
    assert read_bundle(again).model_dump(mode="json", by_alias=True, exclude_none=True) == again


def test_every_reference_resolves_and_every_status_is_an_r4_code(record: dict[str, Any]) -> None:
    bundle = json.loads(record["text"])
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    refs = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("reference"), str):
                refs.add(node["reference"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bundle)
    assert refs and refs <= urls
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] in STATUS:
            assert resource["status"] in STATUS[resource["resourceType"]]
    for plan in resources(bundle, "CarePlan"):
        assert {a["detail"]["status"] for a in plan["activity"]} <= ACTIVITY_STATUS


def test_pain_scores_are_loinc_observations_with_the_saved_values(record: dict[str, Any]) -> None:
    bundle = json.loads(record["text"])
    observations = resources(bundle, "Observation")
    saved = [
        (c["date"], c[field])
        for c in record["doc"]["checkins"]
        for field in ("pain_now", "pain_activity", "pain_next_morning")
        if c[field] is not None
    ]
    assert len(observations) == len(saved) == 4  # 3 scores, then 1
    for o in observations:
        assert o["code"]["coding"][0] == {
            "system": LOINC,
            "code": PAIN_CODE,
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
        assert isinstance(o["valueInteger"], int)
    assert sorted((o["effectiveDateTime"], o["valueInteger"]) for o in observations) == sorted(
        saved
    )


def test_the_assessment_is_a_clinical_impression_with_triage_and_ranked_causes(
    record: dict[str, Any],
) -> None:
    bundle = json.loads(record["text"])
    [impression] = resources(bundle, "ClinicalImpression")
    result = record["doc"]["assessments"][0]["result"]
    [ext] = impression["extension"]
    assert ext["url"] == TRIAGE_EXTENSION
    assert ext["valueCodeableConcept"]["coding"][0]["code"] == result["triage"]["level"]
    assert impression["summary"].startswith("Triage: ")
    ranked = [f["itemCodeableConcept"]["coding"][0]["code"] for f in impression["finding"]]
    assert ranked == [c["id"] for c in result["conditions"]]
    assert impression["finding"][0]["basis"].startswith(f"Rank 1 of {len(ranked)}, probability")
    [response] = resources(bundle, "QuestionnaireResponse")
    assert impression["investigation"][0]["item"][0]["reference"] == f"urn:uuid:{response['id']}"


def test_the_interview_is_a_questionnaire_response_with_every_answer(
    record: dict[str, Any],
) -> None:
    bundle = json.loads(record["text"])
    [form] = resources(bundle, "Questionnaire")
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|{form['version']}"
    questions = {q["linkId"]: q for g in form["item"] for q in g.get("item", [g])}
    answers = {}
    for item in response["item"]:
        for q in item.get("item", [item]):
            assert q["linkId"] in questions and q["text"] == questions[q["linkId"]]["text"]
            answers[q["linkId"]] = next(iter(q["answer"][0].values()))
    saved = record["doc"]["assessments"][0]
    assert answers.pop("story") == saved["story"]
    assert answers == saved["answers"] and answers["pain_buttock"] is True


def test_the_plan_is_a_care_plan_with_its_activities(record: dict[str, Any]) -> None:
    bundle = json.loads(record["text"])
    [plan] = resources(bundle, "CarePlan")
    saved = record["doc"]["plans"][0]["plan"]
    items = [i for p in saved["phases"] for i in p["items"]]
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]] == [
        i["id"] for i in items
    ]
    first = [i for i in saved["phases"][0]["items"]]
    statuses = [a["detail"]["status"] for a in plan["activity"]]
    assert statuses[: len(first)] == ["in-progress"] * len(first)  # the plan starts at phase 1
    assert set(statuses[len(first) :]) <= {"not-started"}
    stops = [a for a in plan["activity"] if a["detail"].get("doNotPerform")]
    assert len(stops) == sum(1 for i in items if i["kind"] == "stop")


def test_exporting_twice_gives_the_same_bundle(run: Run, record: dict[str, Any]) -> None:
    second = record["out"].with_name("again.json")
    assert run("export", "--fhir", str(second), now=NOW).code == 0
    assert second.read_text("utf-8") == record["text"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r.pop("status"), "status"),
        (lambda r: r.__setitem__("valueInteger", "three"), "valueInteger"),
        (lambda r: r.__setitem__("effectiveDateTime", "yesterday"), "effectiveDateTime"),
    ],
)
def test_the_validator_refuses_a_broken_resource(
    record: dict[str, Any], change: Any, where: str
) -> None:
    bundle = json.loads(record["text"])
    n, observation = next(
        (n, e["resource"])
        for n, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == "Observation"
    )
    change(observation)
    with pytest.raises(FhirExportError) as caught:
        read_bundle(bundle)
    assert str(caught.value).startswith(f"FHIR Bundle: entry.{n}.resource.{where}")


def test_an_answer_to_a_question_no_longer_asked_keeps_its_place(kb: KnowledgeBase) -> None:
    doc = {
        "exported_at": NOW,
        "person": {"created_at": NOW},
        "assessments": [
            {
                "created_at": NOW,
                "story": None,
                "answers": {"pain_buttock": True, "an_old_question": False},
                "result": {"triage": {"level": "soon", "reasons": []}, "conditions": []},
            }
        ],
    }
    bundle = person_bundle(doc, kb, "kb-test")
    [form] = resources(bundle, "Questionnaire")
    assert form["item"][-1]["linkId"] == "group-retired"
    assert form["item"][-1]["item"][0]["linkId"] == "an_old_question"
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["item"][-1]["item"][0]["answer"] == [{"valueBoolean": False}]


def test_an_empty_record_and_a_bad_call(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    assert run("export", "--fhir", str(out)).code == 0
    kinds = [e["resource"]["resourceType"] for e in json.loads(out.read_text())["entry"]]
    assert kinds == ["Patient", "Questionnaire"]
    r = run("export")
    assert r.code == 2 and r.err.strip().startswith("backstride: give a FILE")
    r = run("export", "--fhir", str(tmp_path / "no" / "such" / "folder.json"))
    assert r.code == 2 and "--fhir" in r.err and len(r.err.strip().splitlines()) == 1
