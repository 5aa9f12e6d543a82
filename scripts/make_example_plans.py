"""Write one worked example plan per vocabulary condition to docs/plans/ (Markdown + figures).

Each example is a made-up but typical assessment with that condition leading, run through the
real plan generator. Re-run after changing the plan rules or the exercise library:

    .venv/bin/python scripts/make_example_plans.py
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from backstride.kb import default_knowledge_base
from backstride.plan.exercises import VOCABULARY_CONDITION_IDS, load_exercise_library
from backstride.plan.export.markdown import figure_files, render_markdown
from backstride.plan.generator import build_plan, load_kb_conditions
from backstride.plan.model import PersonSettings, Plan, parse_assessment

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "plans"

# condition -> (second cause, findings answered yes, contributing factors, athlete)
EXAMPLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = {
    "nonspecific_mechanical": (
        "muscle_strain",
        ("runner", "pain_both_sides", "better_with_movement"),
        ("recent_mileage_increase", "weak_glutes"),
        "runner",
    ),
    "muscle_strain": (
        "nonspecific_mechanical",
        ("runner", "sudden_onset_moment", "muscle_spasm", "localised_tender_spot"),
        (),
        "runner",
    ),
    "training_soreness": (
        "nonspecific_mechanical",
        ("runner", "unaccustomed_exercise_recently", "pain_both_sides"),
        ("speed_or_hill_work_increase",),
        "runner",
    ),
    "facet_joint": (
        "nonspecific_mechanical",
        ("runner", "worse_bending_backward", "worse_downhill", "extension_rotation_pain"),
        ("tight_hip_flexors",),
        "runner",
    ),
    "sacroiliac_joint": (
        "nonspecific_mechanical",
        ("triathlete", "pain_over_sacrum", "worse_single_leg_loading"),
        ("weak_glutes",),
        "triathlete",
    ),
    "discogenic": (
        "nonspecific_mechanical",
        ("runner", "worse_sitting", "worse_bending_forward", "worse_cough_sneeze"),
        ("long_daily_sitting",),
        "runner",
    ),
    "radiculopathy": (
        "discogenic",
        (
            "runner",
            "leg_pain_below_knee",
            "burning_or_electric_leg_pain",
            "slr_reproduces_leg_pain",
            "worse_sitting",
        ),
        ("long_daily_sitting",),
        "runner",
    ),
    "deep_gluteal_piriformis": (
        "sacroiliac_joint",
        ("runner", "pain_buttock", "worse_sitting", "seated_piriformis_stretch_pain"),
        ("long_daily_sitting", "wallet_back_pocket"),
        "runner",
    ),
    "proximal_hamstring_tendinopathy": (
        "deep_gluteal_piriformis",
        ("runner", "pain_sit_bone", "bent_knee_hamstring_stretch_pain", "worse_uphill_or_fast"),
        ("speed_or_hill_work_increase",),
        "runner",
    ),
    "hip_joint": (
        "sacroiliac_joint",
        ("runner", "pain_groin", "hip_rotation_stiff_or_painful"),
        (),
        "runner",
    ),
    "bone_stress_sacral_pelvic": (
        "sacroiliac_joint",
        ("runner", "sex_female", "single_leg_hop_pain", "pain_over_sacrum"),
        ("recent_mileage_increase", "low_energy_availability"),
        "runner",
    ),
    "femoral_neck_stress_fracture": (
        "hip_joint",
        ("runner", "pain_groin", "single_leg_hop_pain"),
        ("recent_mileage_increase",),
        "runner",
    ),
    "spondylolysis": (
        "facet_joint",
        ("runner", "age_under_20", "worse_bending_backward", "extension_rotation_pain"),
        (),
        "runner",
    ),
    "lumbar_stenosis": (
        "nonspecific_mechanical",
        ("runner", "age_over_65", "walking_pain_eased_by_sitting"),
        (),
        "runner",
    ),
    "axial_spondyloarthritis": (
        "nonspecific_mechanical",
        (
            "runner",
            "morning_stiffness_over_30_min",
            "wakes_late_night_eases_getting_up",
            "better_with_movement",
        ),
        (),
        "runner",
    ),
    "cauda_equina_syndrome": (
        "radiculopathy",
        ("runner", "saddle_numbness", "bladder_change"),
        (),
        "runner",
    ),
    "spinal_infection": (
        "nonspecific_mechanical",
        ("runner", "fever_or_chills", "feeling_unwell"),
        (),
        "runner",
    ),
    "spinal_malignancy": (
        "nonspecific_mechanical",
        ("runner", "history_of_cancer", "night_pain_wakes"),
        (),
        "runner",
    ),
    "vertebral_fracture": (
        "muscle_strain",
        ("runner", "recent_trauma", "osteoporosis_or_long_term_steroids"),
        (),
        "runner",
    ),
    "abdominal_aortic_aneurysm": (
        "kidney_problem",
        ("runner", "age_over_65", "tearing_pain_into_abdomen"),
        (),
        "runner",
    ),
    "kidney_problem": (
        "nonspecific_mechanical",
        ("runner", "pain_flank", "pain_in_waves", "urinary_burning_or_blood"),
        (),
        "runner",
    ),
}


def example_assessment(condition: str) -> dict[str, Any]:
    """The made-up assessment for one condition, in the shape `backstride check --json` prints."""
    second, findings, factors, _ = EXAMPLES[condition]
    floor = load_kb_conditions()[condition].triage_floor
    return {
        "triage": {
            "level": floor,
            "reasons": []
            if floor == "self_care"
            else [f"An example where {condition.replace('_', ' ')} is the leading cause."],
        },
        "conditions": [
            {"id": condition, "probability": 0.55},
            {"id": second, "probability": 0.25},
        ],
        "contributing_factors": list(factors),
        # the example person answered the warning-sign screen: every other sign is a no
        "findings": {**_screen_answered_no(), **dict.fromkeys(findings, True)},
    }


def _screen_answered_no() -> dict[str, bool]:
    kb = default_knowledge_base()
    asked = [f for g in kb.screening if not g.ask_each for f in g.items]
    return dict.fromkeys(asked, False)


def example_plan(condition: str) -> Plan:
    """The worked example plan for one condition."""
    athlete = EXAMPLES[condition][3]
    person = PersonSettings(days_per_week=3, equipment=frozenset({"mat", "band"}), athlete=athlete)  # type: ignore[arg-type]
    return build_plan(parse_assessment(example_assessment(condition)), person)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (docs/plans)")
    args = parser.parse_args()
    out: Path = args.out
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for old in figures.glob("*.svg"):  # figures of exercises no example uses any more
        old.unlink()
    library = load_exercise_library()
    missing = VOCABULARY_CONDITION_IDS - set(EXAMPLES)
    if missing:
        raise SystemExit(f"no example for: {', '.join(sorted(missing))}")
    index = [
        "# Worked example plans",
        "",
        "One plan per condition of the shared vocabulary, generated by",
        "`scripts/make_example_plans.py` from a made-up but typical assessment with that",
        "condition leading (55%) and a second cause (25%), for a person training 3 days a week",
        "with a mat and a resistance band. They show what the rules produce; they are not advice",
        "for anyone in particular.",
        "",
        "| condition | triage | plan |",
        "|---|---|---|",
    ]
    for condition in sorted(EXAMPLES):
        plan = example_plan(condition)
        for name, svg in figure_files(plan, library).items():
            (figures / name).write_text(svg, encoding="utf-8")
        head = (
            f"<!-- Generated by scripts/make_example_plans.py; do not edit by hand. -->\n\n"
            f"*Worked example: {default_knowledge_base().wording.name(condition)} leading.*\n\n"
        )
        text = head + render_markdown(plan, library, figure_dir="figures")
        (out / f"{condition}.md").write_text(text, encoding="utf-8")
        kind = f"{len(plan.phases)} phases" if plan.exercise_plan else "what to do now"
        index.append(f"| [{condition}]({condition}.md) | {plan.triage} | {kind} |")
    (out / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"wrote {len(EXAMPLES)} example plans to {out}")


if __name__ == "__main__":
    main()
