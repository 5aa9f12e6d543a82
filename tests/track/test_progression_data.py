"""progression.yaml stays in step with the plan rules it makes measurable."""

from __future__ import annotations

import pytest

from backstride.errors import KnowledgeBaseError
from backstride.kb import default_knowledge_base
from backstride.plan.progression import load_progression, parse_progression
from backstride.plan.rules import load_rules

RULES = load_progression()
PLAN = load_rules()


def test_each_phase_exit_and_each_group_extra_matches_the_plan_rules() -> None:
    phases = {p.id for p in PLAN.phases}
    assert set(RULES.exits) == phases - {"prevent"}
    for group, extra in RULES.groups.items():
        assert group in PLAN.groups, group
        rule = PLAN.groups[group]
        assert set(extra.entry) == set(rule.entry_extra), group
        assert set(extra.exit) == set(rule.exit_extra), group
    assert set(RULES.entries) <= phases


def test_numbers_match_the_words_people_read() -> None:
    calm = PLAN.phase("calm").exit.text
    assert f"{RULES.exits['calm'].rest_pain_max}/10" in calm
    rtr = PLAN.phase("return_to_run").exit.text
    assert f"{RULES.exits['return_to_run'].continuous_minutes} minutes" in rtr
    assert f"{RULES.pain_rule.during_max}/10" in PLAN.catalogue["pain_monitoring"].text
    assert f"after {RULES.walk_run.runs_to_move_up} runs" in PLAN.catalogue["walk_run_1"].dose


def test_every_source_is_known() -> None:
    known = set(default_knowledge_base().sources) | {s.id for s in RULES.sources}
    cited = set(RULES.pain_rule.sources) | set(RULES.longest_run.sources)
    cited |= set(RULES.session_rpe.sources) | set(RULES.acwr.sources) | set(RULES.walk_run.sources)
    for part in (*RULES.exits.values(), *RULES.entries.values()):
        cited |= set(part.sources)
    assert cited <= known, cited - known


def test_an_undefined_check_is_named() -> None:
    data = RULES.model_dump(mode="json")
    data["exits"]["calm"]["checks"] = ["walk_20", "fly"]
    with pytest.raises(KnowledgeBaseError, match="fly"):
        parse_progression(data)
