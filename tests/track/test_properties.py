"""Properties (hypothesis): the decision, the re-triage and the load figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backstride.engine.assessment import assess
from backstride.engine.evidence import Evidence
from backstride.errors import EvidenceError
from backstride.kb import default_knowledge_base
from backstride.plan.progression import load_progression
from backstride.recovery.checkins import LEVELS, retriage_result
from backstride.track.decision import decide_week, requirements
from backstride.track.load import load_summary
from backstride.track.model import Activity, CheckIn
from backstride.track.state import ladder, position

RULES = load_progression()
PHASES = ("calm", "restore", "strengthen", "return_to_run", "prevent")
LADDER = ladder(PHASES)
WEEK = date(2026, 10, 5)
KB = default_knowledge_base()
RED_FLAGS = sorted(f.id for f in KB.findings if f.red_flag)
FINDINGS = sorted(f.id for f in KB.findings)

pain = st.one_of(st.none(), st.integers(0, 10))
checkins = st.builds(
    CheckIn,
    day=st.integers(0, 6).map(lambda d: WEEK + timedelta(days=d)),
    pain_now=pain,
    pain_activity=pain,
    pain_morning=pain,
    passed=st.lists(st.sampled_from(sorted(RULES.checks)), max_size=6).map(tuple),
)
runs = st.builds(
    Activity,
    sport=st.sampled_from(["run", "ride", "walk"]),
    start=st.integers(0, 6 * 24).map(
        lambda h: datetime(2026, 10, 5, tzinfo=UTC) + timedelta(hours=h)
    ),
    duration_s=st.floats(300, 7200),
    distance_m=st.one_of(st.none(), st.floats(500, 40000)),
    pain_during=pain,
    rpe=st.one_of(st.none(), st.integers(0, 10)),
)


@settings(max_examples=300, deadline=None)
@given(
    rung=st.sampled_from(LADDER),
    week=st.lists(checkins, max_size=8),
    activities=st.lists(runs, max_size=6),
    usual=st.one_of(st.none(), st.integers(0, 10)),
    groups=st.lists(st.sampled_from(sorted(RULES.groups)), max_size=2),
)
def test_never_a_later_phase_while_a_checkin_breaks_the_pain_rule(
    rung, week, activities, usual, groups
) -> None:
    decision = decide_week(
        RULES,
        week_start=WEEK,
        rung=rung,
        ladder=LADDER,
        needs=requirements(RULES, rung, LADDER, groups),
        week=week,
        activities=activities,
        met={c for ci in week for c in ci.passed},
        usual=usual,
    )
    over = any(
        (c.pain_activity is not None and c.pain_activity > RULES.pain_rule.during_max)
        or (c.pain_morning is not None and usual is not None and c.pain_morning > usual)
        for c in week
    )
    if over:
        assert decision.decision == "step_back"
        assert position(LADDER, decision.after) <= position(LADDER, rung)
    assert position(LADDER, decision.after) - position(LADDER, rung) <= 1
    assert decision.reasons


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    stored=st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=12),
    new=st.lists(st.sampled_from(RED_FLAGS), min_size=1, max_size=3, unique=True),
)
def test_a_new_red_flag_yes_never_lowers_the_triage(stored, new) -> None:
    try:
        before = assess(Evidence(stored)).triage.level
        after = retriage_result(stored, before, tuple(new))["triage"]["level"]
    except EvidenceError:
        assume(False)
        return
    assert LEVELS.index(after) >= LEVELS.index(before)
    try:
        raw = assess(Evidence({**stored, **{s: True for s in new}})).triage.level
    except EvidenceError:
        return
    assert LEVELS.index(raw) >= LEVELS.index(before), "the engine itself is monotone too"


@settings(max_examples=100, deadline=None)
@given(activities=st.lists(runs, max_size=30), data=st.data())
def test_load_figures_do_not_depend_on_import_order(activities, data) -> None:
    shuffled = data.draw(st.permutations(activities))
    until = datetime(2026, 10, 12, tzinfo=UTC)
    assert load_summary(activities, until, RULES) == load_summary(shuffled, until, RULES)
