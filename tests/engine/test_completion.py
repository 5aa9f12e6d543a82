"""Generative safety test: no interview ends below a warning-sign combination or a cause's floor.

For every warning-sign rule of the knowledge base (each way of meeting it) and every
development vignette as the background, the facts are set so that the rule holds; the simulated
interview must end at the rule's level or above, in every combination. The same is done for
every cause with a triage floor: its typical answers are laid over the background, and wherever
the full facts reach the floor, the interview must reach it too. Built from the knowledge base,
so it keeps holding, or fails, as rules and causes are added.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from backstride.api import read_story_evidence
from backstride.engine.assessment import assess
from backstride.engine.consistency import allowed_categories, contradictions
from backstride.engine.evidence import Answer, Evidence, Origin
from backstride.engine.interview import Interview, simulate
from backstride.engine.triage import level_rank
from backstride.kb import KnowledgeBase, default_knowledge_base
from backstride.kb.schema import Rule

DEV = Path(__file__).parents[1] / "vignettes" / "dev.jsonl"
KB = default_knowledge_base()


@cache
def backgrounds() -> tuple[tuple[str, dict[str, bool], Evidence, tuple[str, ...]], ...]:
    """(id, facts, story answers, uncertain ids) of every development vignette."""
    out = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        v = json.loads(line)
        story, uncertain = (
            read_story_evidence(v["story"]) if v["story"].strip() else (Evidence(), ())
        )
        out.append((v["id"], dict(v["facts"]), story, uncertain))
    return tuple(out)


def overlay(kb: KnowledgeBase, facts: dict[str, bool], forced: dict[str, bool]) -> dict[str, bool]:
    """The background's facts with ``forced`` answers on top, made consistent again.

    A background answer that clashes with a forced one in its answer group is dropped (the
    person would not say both).
    """
    out = {**facts, **forced}
    for g, group in enumerate(kb.answer_groups):
        pinned = Evidence({f: v for f, v in forced.items() if f in group.findings})
        for fid in group.findings:
            if fid in forced or fid not in out:
                continue
            trial = pinned.with_answer(fid, out[fid])
            if allowed_categories(kb, g, trial):
                pinned = trial
            else:
                del out[fid]
    return out


def story_for(kb: KnowledgeBase, story: Evidence, facts: dict[str, bool]) -> Evidence:
    """The story's answers that agree with the facts (a story would not contradict them)."""
    kept: dict[str, Answer] = {}
    for fid, answer in story.items():
        if facts.get(fid, answer.value) != answer.value:
            continue
        g = int(kb.group_of[kb.finding_index[fid]])
        if g >= 0:
            pinned = Evidence({f: v for f, v in facts.items() if f in kb.answer_groups[g].findings})
            if not allowed_categories(kb, g, pinned.with_answer(fid, answer.value)):
                continue
        kept[fid] = answer
    return Evidence(kept)


def ways_to_meet(rule: Rule) -> Iterator[dict[str, bool]]:
    """Each minimal set of yes-answers that makes the rule fire."""
    if not rule.any:
        yield dict.fromkeys(rule.all, True)
    for option in rule.any:
        yield {**dict.fromkeys(rule.all, True), option: True}


def end_level(facts: dict[str, bool], story: Evidence, uncertain: tuple[str, ...]) -> str:
    story = story_for(KB, story, facts)
    interview = Interview(KB, story, tuple(u for u in uncertain if u not in story))
    return simulate(interview, facts).triage.level


RULES = [r for r in KB.rules if r.kind == "red_flag"]


@pytest.mark.slow
@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_is_completed_behind_every_background(rule: Rule) -> None:
    misses = []
    for forced in ways_to_meet(rule):
        for vid, facts, story, uncertain in backgrounds():
            full = overlay(KB, facts, forced)
            got = end_level(full, story, uncertain)
            if level_rank(got) < level_rank(rule.level):
                misses.append(f"{vid} + {sorted(forced)} -> {got}")
    assert not misses, f"{len(misses)} combination(s) below {rule.level}: {misses[:5]}"


def typical_answers(kb: KnowledgeBase, condition: str) -> dict[str, bool]:
    """Answers characteristic of one cause: findings far likelier (yes) or far rarer (no) in it
    than in the other causes, weighted by their priors."""
    import numpy as np

    c = kb.condition_index[condition]
    prior = np.exp(kb.log_prior)
    rest = (kb.p_yes @ prior - kb.p_yes[:, c] * prior[c]) / (1 - prior[c])
    out: dict[str, bool] = {}
    for f, fid in enumerate(kb.finding_ids):
        p = kb.p_yes[f, c]
        if p >= 0.5 and p / rest[f] >= 2.0:
            out[fid] = True
        elif p <= 0.1 and rest[f] >= 0.25:
            out[fid] = False
    # keep each answer group consistent: the likeliest category's answers win
    for g, group in enumerate(kb.answer_groups):
        cat = int(np.argmax(kb.group_prob[g][:, c]))
        for fid, cats in group.findings.items():
            out[fid] = group.categories[cat] in cats
    return out


FLOORED = [c.id for c in KB.conditions if c.triage_floor != "self_care"]


@pytest.mark.slow
@pytest.mark.parametrize("condition", FLOORED)
def test_every_floor_is_reached_behind_every_background(condition: str) -> None:
    floor = KB.condition(condition).triage_floor
    forced = typical_answers(KB, condition)
    misses, held = [], 0
    for vid, facts, story, uncertain in backgrounds():
        full = overlay(KB, facts, forced)
        if level_rank(assess(Evidence(full), KB).triage.level) < level_rank(floor):
            continue  # the floor does not hold on these facts
        held += 1
        got = end_level(full, story, uncertain)
        if level_rank(got) < level_rank(floor):
            misses.append(f"{vid} -> {got}")
    assert held >= 50, f"the typical answers reach the floor on only {held} backgrounds"
    assert not misses, f"{len(misses)} of {held} below {floor}: {misses[:5]}"


def test_the_overlay_keeps_answer_groups_consistent() -> None:
    facts = {"age_under_20": True, "runner": True}
    out = overlay(KB, facts, {"age_over_65": True})
    assert out == {"runner": True, "age_over_65": True}
    assert not contradictions(KB, Evidence(out))
    story = Evidence({"age_under_20": Answer(True, Origin.STORY)})
    assert "age_under_20" not in story_for(KB, story, out)
