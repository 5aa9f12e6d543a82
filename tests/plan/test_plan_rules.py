"""The plan rules data is complete and consistent with the library, the sources and the KB."""

from __future__ import annotations

import pytest

from backstride.engine.triage import FLOOR_THRESHOLDS
from backstride.errors import KnowledgeBaseError
from backstride.kb import KnowledgeBase
from backstride.plan.exercises import (
    BONE_STRESS_CONDITIONS,
    VOCABULARY_CONDITION_IDS,
    ExerciseLibrary,
    load_exercise_library,
    load_source_ids,
)
from backstride.plan.rules import Rules, load_rules, parse_rules


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="module")
def library() -> ExerciseLibrary:
    return load_exercise_library()


def test_every_vocabulary_condition_has_tailoring(rules: Rules) -> None:
    assert set(rules.conditions) >= VOCABULARY_CONDITION_IDS


def test_every_reference_resolves_to_exactly_one_thing(
    rules: Rules, library: ExerciseLibrary
) -> None:
    both = set(rules.catalogue) & set(library.exercises)
    assert not both, f"ids both in the catalogue and the library: {sorted(both)}"
    missing = [
        (where, ref.id, alt)
        for where, ref in rules.all_refs()
        for alt in (ref.id, *ref.alternatives)
        if alt not in rules.catalogue and alt not in library
    ]
    assert not missing, f"unknown ids: {missing}"


def test_catalogue_guides_are_library_exercises(rules: Rules, library: ExerciseLibrary) -> None:
    bad = {k: v.guide for k, v in rules.catalogue.items() if v.guide and v.guide not in library}
    assert not bad


def test_exercise_references_belong_in_their_phase(rules: Rules, library: ExerciseLibrary) -> None:
    """A referenced exercise (or one of its alternatives) must be meant for that phase, else the
    rule would silently add nothing."""
    wrong = []
    for where, ref in rules.all_refs():
        if ref.id in rules.catalogue or where.startswith(("now", "soon")):
            continue
        phase = where.split(".")[1] if where.startswith("phases.") else where.rsplit(".", 1)[-1]
        ids = [i for i in (ref.id, *ref.alternatives) if i in library]
        if not any(phase in library.get(i).phases for i in ids):
            wrong.append((where, ref.id))
    assert not wrong, f"exercises referenced outside their phases: {wrong}"


def test_every_cited_source_exists(rules: Rules) -> None:
    known = load_source_ids()
    cited: list[tuple[str, str]] = []
    for key, item in rules.catalogue.items():
        cited += [(f"catalogue.{key}", s) for s in item.sources]
    for where, ref in rules.all_refs():
        cited += [(where, s) for s in ref.sources]
    for gid, group in rules.groups.items():
        cited += [(f"groups.{gid}", s) for s in group.sources]
        for crit in (*group.entry_extra.values(), *group.exit_extra.values()):
            cited += [(f"groups.{gid}.criteria", s) for s in crit.sources]
    for phase in rules.phases:
        cited += [(f"phases.{phase.id}", s) for s in (*phase.entry.sources, *phase.exit.sources)]
    for n, help_line in enumerate(rules.seek_help):
        cited += [(f"seek_help.{n}", s) for s in help_line.sources]
    unknown = [(where, s) for where, s in cited if s not in known]
    assert not unknown, f"unknown sources: {unknown}"


def test_every_catalogue_item_cites_something(rules: Rules) -> None:
    # Items reach people with their sources, so an estimate alone is not enough here.
    assert all(item.sources for item in rules.catalogue.values())


def test_escalation_matches_the_engine_and_the_kb(rules: Rules, kb: KnowledgeBase) -> None:
    for level, value in rules.escalate_at.items():
        assert value == FLOOR_THRESHOLDS[level]
    assert rules.thresholds.caution.value <= min(rules.escalate_at.values())
    for cond in kb.conditions:
        if cond.id not in rules.conditions:
            continue
        group = rules.groups[rules.conditions[cond.id].group]
        if cond.triage_floor in ("urgent", "emergency"):
            assert group.escalate == cond.triage_floor, cond.id
        else:
            assert group.escalate is None, cond.id


def test_bone_stress_groups_keep_six_to_eight_weeks_without_impact(rules: Rules) -> None:
    for cid in BONE_STRESS_CONDITIONS:
        group = rules.groups[rules.conditions[cid].group]
        assert group.bone_stress
        assert any(r.flag == "impact" and r.until == "return_to_run" for r in group.restrict)
        before = [group.days.get(p, rules.phase(p).days) for p in ("calm", "restore", "strengthen")]
        assert sum(lo for lo, _ in before) >= 42, cid
        assert sum(hi for _, hi in before) >= 56, cid


def test_bad_rules_name_the_field() -> None:
    raw = load_rules().model_dump(mode="json")
    raw["phases"][0]["days"] = [5, 2]
    with pytest.raises(KnowledgeBaseError, match="days"):
        parse_rules(raw)
    raw = load_rules().model_dump(mode="json")
    raw["conditions"]["facet_joint"]["group"] = "nope"
    with pytest.raises(KnowledgeBaseError, match="unknown group 'nope'"):
        parse_rules(raw)
