"""Safety properties of the plan generator, checked with hypothesis over random assessments.

Each property is computed here from the inputs, the exercise library and the rules' thresholds,
not from the generator's own bookkeeping:

- with a bone stress cause leading or among the likely ones, no impact item in any phase
  before return_to_run, and a stop item;
- at urgent or emergency triage, no run (or any exercise) and a stop item;
- no exercise, run or ride from the library is contraindicated for any cause under
  consideration in the phase where it appears;
- every item says why it is there and cites sources that exist;
- triage is never lowered.
"""

from __future__ import annotations

from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.engine.assessment import assess
from backstride.kb import default_knowledge_base
from backstride.kb.schema import TRIAGE_ORDER
from backstride.plan.exercises import (
    BONE_STRESS_CONDITIONS,
    PHASES,
    VOCABULARY_CONDITION_IDS,
    Equipment,
    load_exercise_library,
    load_source_ids,
)
from backstride.plan.generator import build_plan, first_running
from backstride.plan.model import AssessmentInput, PersonSettings, Plan, parse_assessment
from backstride.plan.rules import load_rules
from tests.screening import SCREENED

LIBRARY = load_exercise_library()
RULES = load_rules()
SOURCES = load_source_ids()
CONDITIONS = sorted(VOCABULARY_CONDITION_IDS)
FINDINGS = sorted(default_knowledge_base().finding_ids)
FACTORS = sorted(f.id for f in default_knowledge_base().factors)
EQUIPMENT = list(get_args(Equipment))
CAUTION = RULES.thresholds.caution.value
CLEARANCE = PHASES.index("return_to_run")


@st.composite
def assessments(draw: Any) -> AssessmentInput:
    level = draw(st.sampled_from(TRIAGE_ORDER))
    chosen = draw(st.lists(st.sampled_from(CONDITIONS), max_size=8, unique=True))
    if chosen and draw(st.booleans()):
        # Make bone stress common in the sample: it is the case the properties care most about.
        extra = draw(st.sampled_from(BONE_STRESS_CONDITIONS))
        if extra not in chosen:
            chosen.insert(draw(st.integers(0, len(chosen))), extra)
    weights = [draw(st.floats(0.01, 1.0)) for _ in chosen]
    total = sum(weights) or 1.0
    conditions = sorted(
        ({"id": c, "probability": w / total} for c, w in zip(chosen, weights, strict=True)),
        key=lambda c: -c["probability"],
    )
    return parse_assessment(
        {
            "triage": {"level": level, "reasons": []},
            "conditions": conditions,
            "contributing_factors": draw(st.lists(st.sampled_from(FACTORS), unique=True)),
            # half the time the warning-sign screen was answered, so whole plans are tested too
            "findings": {
                **(SCREENED if draw(st.booleans()) else {}),
                **draw(st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=20)),
            },
        }
    )


persons = st.builds(
    PersonSettings,
    days_per_week=st.integers(1, 7),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)).map(lambda s: s | {"mat"}),
    athlete=st.sampled_from([None, "runner", "triathlete"]),
)


def considered(a: AssessmentInput) -> list[str]:
    """The leading cause and every cause at or above the caution threshold."""
    ranked = a.ranked()
    return [c.id for n, c in enumerate(ranked) if n == 0 or c.probability >= CAUTION]


def is_impact(item: Any) -> bool:
    guide = LIBRARY.exercises.get(item.guide) if item.guide else None
    return item.kind == "run" or item.impact or bool(guide and guide.impact)


def before_clearance(plan: Plan) -> list[Any]:
    return [p for p in plan.phases if p.id in PHASES and PHASES.index(p.id) < CLEARANCE]


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(assessments(), persons)
def test_no_impact_before_clearance_with_possible_bone_stress(
    a: AssessmentInput, person: PersonSettings
) -> None:
    plan = build_plan(a, person)
    if not set(considered(a)) & set(BONE_STRESS_CONDITIONS):
        return
    assert plan.running_stopped
    assert any(i.kind == "stop" for i in plan.phases[0].items)
    for phase in before_clearance(plan):
        impact = [i.id for i in phase.items if is_impact(i)]
        assert not impact, f"impact in {phase.id}: {impact}"


@SETTINGS
@given(assessments(), persons)
def test_no_running_at_urgent_or_emergency(a: AssessmentInput, person: PersonSettings) -> None:
    plan = build_plan(a, person)
    if TRIAGE_ORDER.index(plan.triage) < TRIAGE_ORDER.index("urgent"):
        assert plan.exercise_plan
        return
    items = [i for p in plan.phases for i in p.items]
    assert not plan.exercise_plan
    assert not [i for i in items if i.kind in ("run", "exercise", "ride")]
    assert any(i.kind == "stop" for i in items)


@SETTINGS
@given(assessments(), persons)
def test_no_run_before_clearance_when_running_stops(
    a: AssessmentInput, person: PersonSettings
) -> None:
    plan = build_plan(a, person)
    if plan.running_stopped:
        for phase in before_clearance(plan):
            assert not [i.id for i in phase.items if i.kind == "run"]


@SETTINGS
@given(assessments(), persons)
def test_no_contraindicated_exercise_in_any_phase(
    a: AssessmentInput, person: PersonSettings
) -> None:
    plan = build_plan(a, person)
    causes = considered(a)
    for phase in plan.phases:
        if phase.id == "now":
            continue
        for item in phase.items:
            if item.guide and item.guide in LIBRARY:
                assert LIBRARY.allowed(item.guide, causes, phase.id), (
                    f"{item.guide} is contraindicated in {phase.id} for {causes}"
                )


@SETTINGS
@given(assessments(), persons)
def test_exercises_only_need_equipment_at_hand(a: AssessmentInput, person: PersonSettings) -> None:
    plan = build_plan(a, person)
    have = (
        set(person.equipment)
        | set(RULES.always_available)
        | set(RULES.athletes[plan.athlete].equipment)
    )
    for _, item in plan.items():
        if item.guide and item.guide in LIBRARY and item.id == item.guide:
            assert set(LIBRARY.get(item.guide).equipment) <= have, item.id


@SETTINGS
@given(assessments(), persons)
def test_every_item_has_a_reason_and_real_sources(
    a: AssessmentInput, person: PersonSettings
) -> None:
    plan = build_plan(a, person)
    assert plan.phases
    for phase, item in plan.items():
        assert item.why.strip(), f"{phase.id}/{item.id} has no why"
        assert item.sources, f"{phase.id}/{item.id} has no sources"
        unknown = [s for s in item.sources if s not in SOURCES]
        assert not unknown, f"{phase.id}/{item.id} cites unknown {unknown}"


@SETTINGS
@given(assessments(), persons)
def test_triage_is_never_lowered(a: AssessmentInput, person: PersonSettings) -> None:
    plan = build_plan(a, person)
    assert TRIAGE_ORDER.index(plan.triage) >= TRIAGE_ORDER.index(a.triage.level)


@SETTINGS
@given(assessments(), persons)
def test_the_plan_rechecks_triage_with_the_engine(
    a: AssessmentInput, person: PersonSettings
) -> None:
    """A saved level can never lower what the assessment's own findings demand."""
    plan = build_plan(a, person)
    checked = assess(a.evidence()).triage
    assert TRIAGE_ORDER.index(plan.triage) >= TRIAGE_ORDER.index(checked.level)


@SETTINGS
@given(assessments(), persons)
def test_no_run_or_ride_while_the_screen_is_open(
    a: AssessmentInput, person: PersonSettings
) -> None:
    plan = build_plan(a, person)
    if not assess(a.evidence()).triage.screen_incomplete:
        return
    assert plan.screen_missing
    items = [i for p in plan.phases for i in p.items]
    assert not [i.id for i in items if i.kind in ("run", "ride")]
    if plan.exercise_plan:
        assert [p.id for p in plan.phases] == ["calm"]
        assert {"finish_screen", "no_run_until_screened"} <= {i.id for i in items[:2]}


@settings(max_examples=100, deadline=None)
@given(assessments(), persons)
def test_same_input_same_plan(a: AssessmentInput, person: PersonSettings) -> None:
    assert build_plan(a, person) == build_plan(a, person)


@SETTINGS
@given(assessments(), persons)
def test_every_phase_says_about_running_what_its_items_do(
    a: AssessmentInput, person: PersonSettings
) -> None:
    # One voice: the running advice (plan.guidance) and the phase's run items never disagree.
    plan = build_plan(a, person)
    for phase in plan.phases:
        runs = [i.id for i in phase.items if i.kind == "run"]
        assert phase.running.runs == bool(runs), (phase.id, phase.running.text, runs)
        if plan.running_stopped and phase in before_clearance(plan):
            assert phase.running.text.startswith("No running")


@SETTINGS
@given(assessments(), persons)
def test_check_shows_the_first_phases_running_advice(
    a: AssessmentInput, person: PersonSettings
) -> None:
    # `check --json` takes the running words without building the plan: they must be the plan's.
    assert first_running(a, person) == build_plan(a, person).phases[0].running
