"""A person's record as a FHIR Bundle (type ``collection``), every resource validated.

- the interview: a Questionnaire (the knowledge base's questions, grouped as the interview asks
  them) and, for each assessment, a QuestionnaireResponse with the answers and the story;
- each assessment: a ClinicalImpression with the triage level and the ranked causes;
- each check-in's pain scores: Observations (LOINC 72514-3, 0-10, ``valueInteger``);
- each plan: a CarePlan whose activities are the plan's items, phase by phase, with where the
  person stands (done, under way, not started).

Resources refer to each other by ``urn:uuid`` ids that are stable for a person's record, so
exporting twice gives the same ids. backstride's own codes (triage levels, causes, plan items)
use code systems under ``BASE``: they are not a registered terminology.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.clinicalimpression import ClinicalImpression
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from backstride.errors import BackstrideError
from backstride.kb import KnowledgeBase

FHIR_VERSION = "4.3.0"  # R4B, the models of fhir.resources.R4B
BASE = "urn:backstride:fhir"
QUESTIONNAIRE_URL = f"{BASE}:Questionnaire:interview"
TRIAGE_SYSTEM = f"{BASE}:CodeSystem:triage-level"
TRIAGE_EXTENSION = f"{BASE}:StructureDefinition:triage-level"
CONDITION_SYSTEM = f"{BASE}:CodeSystem:cause"
PLAN_ITEM_SYSTEM = f"{BASE}:CodeSystem:plan-item"
LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
LEVELS = {
    "self_care": "Self-care with the plan",
    "soon": "See a clinician within 1-2 weeks",
    "urgent": "See a doctor today",
    "emergency": "Emergency care now",
}
PAIN_SCORES = (
    ("pain_now", "Pain now (0-10)"),
    ("pain_activity", "Pain during activity (0-10)"),
    ("pain_next_morning", "Pain this morning (0-10)"),
)
GROUPS = {
    "person": "About you",
    "course": "How it started and how it has gone",
    "location": "Where it hurts",
    "quality": "What the pain is like",
    "neuro": "Numbness, tingling and weakness",
    "aggravating": "What makes it worse",
    "easing": "What eases it",
    "systemic": "Feeling unwell",
    "training": "Your training",
    "bike": "On the bike",
    "self_test": "Self-tests",
}
RETIRED = "retired"  # answers to questions the knowledge base no longer asks
STORY = "story"


class FhirExportError(BackstrideError):
    """The record could not be expressed as valid FHIR (names the resource and the field)."""


@dataclass(frozen=True, slots=True)
class _Ids:
    """Stable ids: a UUID from the person and the record's kind and position."""

    seed: str

    def __call__(self, kind: str, n: int | str = 0) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}:{self.seed}:{kind}:{n}"))


def _ref(resource_id: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id}"}


def _validated(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The resource as FHIR JSON after fhir.resources has validated it; FhirExportError names
    the resource and the first field that is wrong."""
    try:
        resource = model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise FhirExportError(
            f"FHIR {model.__name__} {data.get('id', '')}: {where}: {error['msg']}"
        ) from None
    out: dict[str, Any] = resource.model_dump(mode="json", by_alias=True, exclude_none=True)
    return out


def questionnaire(
    kb: KnowledgeBase, version: str, *, answered: Sequence[str] = ()
) -> dict[str, Any]:
    """The interview's questions as a Questionnaire: the story, then one group per category.
    Answered findings that the knowledge base no longer has go into a last group, so that no
    answer is left without its question."""
    groups: dict[str, list[dict[str, Any]]] = {}
    known = set()
    for finding in kb.findings:
        known.add(finding.id)
        groups.setdefault(finding.category, []).append(
            {"linkId": finding.id, "text": finding.question, "type": "boolean"}
        )
    retired = sorted(set(answered) - known)
    items: list[dict[str, Any]] = [
        {"linkId": STORY, "text": "Your story, in your own words", "type": "text"}
    ]
    for category, questions in groups.items():
        items.append(
            {
                "linkId": f"group-{category}",
                "text": GROUPS.get(category, category),
                "type": "group",
                "item": questions,
            }
        )
    if retired:
        items.append(
            {
                "linkId": f"group-{RETIRED}",
                "text": "Questions no longer asked",
                "type": "group",
                "item": [
                    {"linkId": f, "text": f"(no longer asked) {f}", "type": "boolean"}
                    for f in retired
                ],
            }
        )
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": version,
        "name": "BackstrideInterview",
        "title": "backstride interview: low back and buttock pain in runners and triathletes",
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def _answer_items(
    form: Mapping[str, Any], answers: Mapping[str, Any], story: str | None
) -> list[dict[str, Any]]:
    """The response's items, in the Questionnaire's order and nesting."""
    out: list[dict[str, Any]] = []
    for item in form["item"]:
        if item["linkId"] == STORY:
            if story:
                out.append(
                    {"linkId": STORY, "text": item["text"], "answer": [{"valueString": story}]}
                )
            continue
        inner = [
            {
                "linkId": q["linkId"],
                "text": q["text"],
                "answer": [{"valueBoolean": answers[q["linkId"]]}],
            }
            for q in item["item"]
            if isinstance(answers.get(q["linkId"]), bool)
        ]
        if inner:
            out.append({"linkId": item["linkId"], "text": item["text"], "item": inner})
    return out


def _basis(n: int, total: int, cond: Mapping[str, Any], words: Mapping[str, Any]) -> str:
    probability = float(cond.get("probability", 0.0))
    text = f"Rank {n} of {total}, probability {probability:.0%}."
    if words.get("why"):
        text += f" Why: {words['why']}."
    if words.get("against"):
        text += f" Against it: {words['against']}."
    if cond.get("flagged_by_warning_sign"):
        text += " A warning sign points to it."
    return text


def clinical_impression(
    ids: _Ids, n: int, assessment: Mapping[str, Any], patient: str, response: str
) -> dict[str, Any]:
    """One assessment: the triage level (an extension and the summary) and the causes as
    findings, highest probability first."""
    result = assessment.get("result") or {}
    triage = result.get("triage") or {}
    level = str(triage.get("level", ""))
    reasons = " ".join(str(r) for r in triage.get("reasons", []))
    conditions = list(result.get("conditions") or [])
    words = {c.get("id"): c for c in (result.get("summary") or {}).get("causes", [])}
    level_concept = {
        "coding": [{"system": TRIAGE_SYSTEM, "code": level, "display": LEVELS.get(level, level)}],
        "text": LEVELS.get(level, level),
    }
    data: dict[str, Any] = {
        "resourceType": "ClinicalImpression",
        "id": ids("impression", n),
        "status": "completed",
        "code": {"text": "Low back and buttock pain: warning-sign triage and possible causes"},
        "subject": _ref(patient),
        "effectiveDateTime": assessment["created_at"],
        "date": assessment["created_at"],
        "summary": f"Triage: {LEVELS.get(level, level)}. {reasons}".strip(),
        "extension": [{"url": TRIAGE_EXTENSION, "valueCodeableConcept": level_concept}],
        "investigation": [
            {"code": {"text": "Interview answers and story"}, "item": [_ref(response)]}
        ],
        "protocol": [
            f"{BASE}:engine:{assessment.get('engine_version') or 'unknown'}",
            f"{BASE}:knowledge-base:{assessment.get('kb_version') or 'unknown'}",
        ],
        "finding": [
            {
                "itemCodeableConcept": {
                    "coding": [
                        {"system": CONDITION_SYSTEM, "code": c["id"], "display": c.get("name")}
                    ],
                    "text": (words.get(c["id"]) or {}).get("name") or c.get("name") or c["id"],
                },
                "basis": _basis(k, len(conditions), c, words.get(c["id"]) or {}),
            }
            for k, c in enumerate(conditions, start=1)
        ],
    }
    if result.get("disclaimer"):
        data["note"] = [{"text": str(result["disclaimer"])}]
    return data


def pain_observations(
    ids: _Ids, n: int, checkin: Mapping[str, Any], patient: str
) -> list[dict[str, Any]]:
    """A check-in's pain scores, one Observation each (none for a score not given)."""
    out = []
    for field, label in PAIN_SCORES:
        value = checkin.get(field)
        if value is None:
            continue
        out.append(
            {
                "resourceType": "Observation",
                "id": ids(f"pain-{field}", n),
                "status": "final",
                "category": [{"coding": [SURVEY]}],
                "code": {
                    "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
                    "text": label,
                },
                "subject": _ref(patient),
                "effectiveDateTime": checkin["date"],
                "issued": checkin["created_at"],
                "valueInteger": int(value),
            }
        )
    return out


def _activity_status(index: int, here: int | None, current_plan: bool, held: bool) -> str:
    if here is None:  # not started: the plan has no recorded phase yet
        return "not-started" if current_plan else "cancelled"
    if held:
        return "on-hold"
    if index < here:
        return "completed"
    if index == here:
        return "in-progress" if current_plan else "stopped"
    return "not-started" if current_plan else "cancelled"


def care_plan(
    ids: _Ids,
    n: int,
    plan: Mapping[str, Any],
    patient: str,
    impression: str,
    *,
    current: bool,
    phase: str | None,
) -> dict[str, Any]:
    """One plan: its items as activities, phase by phase, with where the person stands."""
    doc = plan.get("plan") or {}
    phases = list(doc.get("phases") or [])
    phase_ids = [p.get("id") for p in phases]
    held = phase == "now"  # suspended: a warning sign came up
    here = phase_ids.index(phase) if phase in phase_ids else (0 if held else None)
    activities = []
    for index, ph in enumerate(phases):
        status = _activity_status(index, here, current, held)
        for item in ph.get("items") or []:
            detail: dict[str, Any] = {
                "code": {
                    "coding": [
                        {
                            "system": PLAN_ITEM_SYSTEM,
                            "code": item["id"],
                            "display": item.get("name") or item["id"],
                        }
                    ],
                    "text": item.get("name") or item["id"],
                },
                "status": status,
                "description": " ".join(
                    part
                    for part in (
                        f"{ph.get('name', ph.get('id'))} phase ({item.get('kind')}).",
                        f"Why: {item['why']}" if item.get("why") else "",
                    )
                    if part
                ),
            }
            if item.get("dose"):
                detail["scheduledString"] = item["dose"]
            if item.get("kind") == "stop":
                detail["doNotPerform"] = True
            activities.append({"detail": detail})
    notes = [
        {"text": f"{p.get('name', p.get('id'))}: {p.get('goal', '')} Move on when: {p.get('exit')}"}
        for p in phases
    ]
    if doc.get("disclaimer"):
        notes.append({"text": str(doc["disclaimer"])})
    status = ("on-hold" if held else "active") if current else "revoked"
    data: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": ids("careplan", n),
        "status": status,
        "intent": "plan",
        "title": "backstride recovery and return-to-run plan",
        "subject": _ref(patient),
        "created": plan["created_at"],
        "period": {"start": plan["created_at"]},
        "supportingInfo": [_ref(impression)],
        "activity": activities,
        "note": notes,
    }
    if doc.get("triage_meaning"):
        data["description"] = str(doc["triage_meaning"])
    return data


GENDERS = {"female": "female", "male": "male", "other": "other"}


def person_bundle(
    doc: Mapping[str, Any], kb: KnowledgeBase, kb_version: str, *, seed: str = ""
) -> dict[str, Any]:
    """The person's export document (``backstride export``) as a FHIR Bundle of type
    ``collection``, as JSON; every resource and the Bundle are validated by fhir.resources.
    ``seed`` (the person's key) keeps different people's resource ids apart."""
    person = doc.get("person") or {}
    ids = _Ids(f"{seed}|{person.get('created_at', '')}")
    patient_id = ids("patient")
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id, "active": True}
    if person.get("sex") in GENDERS:
        patient["gender"] = GENDERS[person["sex"]]
    assessments = list(doc.get("assessments") or [])
    answered = sorted({f for a in assessments for f in (a.get("answers") or {})})
    form = questionnaire(kb, kb_version, answered=answered)
    form["id"] = ids("questionnaire", kb_version)
    resources: list[tuple[Any, dict[str, Any]]] = [(Patient, patient), (Questionnaire, form)]

    impression_ids = []
    for n, a in enumerate(assessments, start=1):
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": ids("response", n),
            "questionnaire": f"{QUESTIONNAIRE_URL}|{kb_version}",
            "status": "completed",
            "subject": _ref(patient_id),
            "authored": a["created_at"],
            "item": _answer_items(form, a.get("answers") or {}, a.get("story")),
        }
        resources.append((QuestionnaireResponse, response))
        impression = clinical_impression(ids, n, a, patient_id, response["id"])
        resources.append((ClinicalImpression, impression))
        impression_ids.append(impression["id"])

    for n, c in enumerate(doc.get("checkins") or [], start=1):
        resources += [(Observation, o) for o in pain_observations(ids, n, c, patient_id)]

    plans = list(doc.get("plans") or [])
    last_phase: dict[int, str] = {}
    for move in doc.get("phase_history") or []:
        last_phase[int(move["plan"])] = str(move["phase"])
    for n, p in enumerate(plans, start=1):
        impression_id = impression_ids[int(p["assessment"]) - 1]
        resources.append(
            (
                CarePlan,
                care_plan(
                    ids,
                    n,
                    p,
                    patient_id,
                    impression_id,
                    current=n == len(plans),
                    phase=last_phase.get(n),
                ),
            )
        )

    entries = []
    for model, data in resources:
        checked = _validated(model, data)
        entries.append({"fullUrl": f"urn:uuid:{checked['id']}", "resource": checked})
    bundle = {
        "resourceType": "Bundle",
        "id": ids("bundle", str(doc.get("exported_at", ""))),
        "meta": {"tag": [{"system": f"{BASE}:fhir-version", "code": FHIR_VERSION}]},
        "type": "collection",
        "timestamp": doc.get("exported_at"),
        "entry": entries,
    }
    return _validated(Bundle, bundle)


def read_bundle(data: Any) -> Bundle:
    """Parse and validate a Bundle (JSON text or a decoded object) with fhir.resources;
    FhirExportError names the first field that is wrong."""
    try:
        if isinstance(data, str | bytes):
            return Bundle.model_validate_json(data)
        return Bundle.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise FhirExportError(f"FHIR Bundle: {where}: {error['msg']}") from None
