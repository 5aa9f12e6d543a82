"""Plan generation speed against loading the exercise library (the baseline), same run.

Run with `make bench`. Target (issue 4): generating a plan takes under 5 ms (median).
"""

from __future__ import annotations

from typing import Any

import pytest

from backstride.kb import default_knowledge_base
from backstride.plan.exercises import EXERCISE_DATA_DIR, load_exercise_library, load_exercises_from
from backstride.plan.generator import build_plan, load_kb_conditions
from backstride.plan.model import PersonSettings, parse_assessment
from backstride.plan.rules import load_rules

# the warning-sign screen answered (every sign a no), so that the whole plan is built
SCREENED = {f: False for g in default_knowledge_base().screening if not g.ask_each for f in g.items}

# A busy case: several likely causes, a bone stress cause, nerve signs and many factors.
ASSESSMENT = parse_assessment(
    {
        "triage": {"level": "soon", "reasons": ["Pain has lasted more than 2 weeks."]},
        "conditions": [
            {"id": "discogenic", "probability": 0.32},
            {"id": "radiculopathy", "probability": 0.24},
            {"id": "sacroiliac_joint", "probability": 0.2},
            {"id": "bone_stress_sacral_pelvic", "probability": 0.12},
            {"id": "nonspecific_mechanical", "probability": 0.08},
            {"id": "facet_joint", "probability": 0.04},
        ],
        "contributing_factors": [
            "long_daily_sitting",
            "long_aero_rides",
            "recent_mileage_increase",
            "weak_glutes",
            "tight_hip_flexors",
            "fear_of_movement",
        ],
        "findings": {
            **SCREENED,
            "triathlete": True,
            "runner": True,
            "worse_sitting": True,
            "leg_pain_below_knee": True,
            "worse_running_off_bike": True,
        },
    }
)
PERSON = PersonSettings(days_per_week=4, equipment=frozenset({"mat", "band", "ball"}))
TARGET_S = 0.005


@pytest.mark.benchmark(group="plan")
def test_baseline_load_exercise_library(benchmark: Any) -> None:
    library = benchmark(load_exercises_from, EXERCISE_DATA_DIR)
    assert len(library) > 0


@pytest.mark.benchmark(group="plan")
def test_plan_generation(benchmark: Any) -> None:
    # Warm the cached data so only the generation is timed.
    load_rules()
    load_exercise_library()
    load_kb_conditions()
    plan = benchmark(build_plan, ASSESSMENT, PERSON)
    assert len(plan.phases) == 5
    stats = getattr(benchmark, "stats", None)
    if stats is not None:  # None when benchmarks are disabled (plain pytest runs)
        assert stats.stats.median < TARGET_S, f"median {stats.stats.median * 1e3:.2f} ms"
