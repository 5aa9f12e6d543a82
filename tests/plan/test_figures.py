"""Exercise figures: valid SVG with alt text, both frames, the right limbs, kit, animation."""

from __future__ import annotations

import importlib.util
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from backstride.plan.exercises import Exercise, Point, load_exercise_library
from backstride.plan.figures import (
    alt_text,
    inbetween,
    moving_joints,
    render_animated_svg,
    render_legend_svg,
    render_svg,
    segments,
)

LIB = load_exercise_library()
NS = {"svg": "http://www.w3.org/2000/svg"}

# One side-view frame with one shared arm and one shared leg with a toe.
SIMPLE = {
    "head": (20.0, 80.0),
    "neck": (20.0, 72.0),
    "hip": (20.0, 44.0),
    "elbow": (22.0, 59.0),
    "hand": (24.0, 47.0),
    "knee": (20.0, 24.0),
    "ankle": (20.0, 4.0),
    "toe": (26.0, 3.0),
}
# The same figure with a bent spine and both arms and legs drawn, toes on both feet.
PAIRED = {
    "head": (60.0, 80.0),
    "neck": (60.0, 72.0),
    "spine": (58.0, 58.0),
    "hip": (60.0, 44.0),
    "elbow_l": (56.0, 59.0),
    "hand_l": (54.0, 47.0),
    "elbow_r": (64.0, 59.0),
    "hand_r": (66.0, 47.0),
    "knee_l": (56.0, 24.0),
    "ankle_l": (55.0, 4.0),
    "toe_l": (61.0, 3.0),
    "knee_r": (64.0, 24.0),
    "ankle_r": (65.0, 4.0),
    "toe_r": (71.0, 3.0),
}


def _exercise(
    *frames: Mapping[str, Point], name: str = "Test figure", view: str = "side"
) -> Exercise:
    base = LIB.get("glute_bridge").model_dump(mode="json")
    base.update(
        id="test_figure", name=name, pose={"frames": [dict(f) for f in frames], "view": view}
    )
    return Exercise.model_validate(base)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def _limbs(root: ET.Element) -> list[ET.Element]:
    return [
        e for e in root.iter("{http://www.w3.org/2000/svg}line") if "limb" in e.get("class", "")
    ]


def _expected_limbs(frame: Mapping[str, Point], view: str = "side") -> int:
    # Counted from the joints, independently of the renderer: neck bar, trunk (two bars with
    # a mid-back joint; a polygon in a front or top view), two bars per arm, two per leg, one per
    # foot.
    arms = sum(1 for j in frame if j.startswith("elbow"))
    legs = sum(1 for j in frame if j.startswith("knee"))
    feet = sum(1 for j in frame if j.startswith("toe"))
    trunk = 0 if view != "side" else 2 if "spine" in frame else 1
    return 1 + trunk + 2 * arms + 2 * legs + feet


def test_simple_and_paired_figures_draw_the_right_number_of_limbs() -> None:
    # Both frames are drawn, one panel each.
    assert len(_limbs(_parse(render_svg(_exercise(SIMPLE, SIMPLE))))) == 2 * 7
    assert len(_limbs(_parse(render_svg(_exercise(PAIRED, PAIRED))))) == 2 * 13
    two_frames = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (40.0, 60.0)})))
    assert len(_limbs(two_frames)) == 14
    front = _parse(render_svg(_exercise(PAIRED, PAIRED, view="front")))
    assert len(_limbs(front)) == 2 * _expected_limbs(PAIRED, "front") == 2 * 11
    assert len(front.findall(".//svg:polygon[@class='torso']", NS)) == 2


def test_a_single_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        _exercise(SIMPLE)


def test_every_exercise_has_a_start_and_an_end_frame() -> None:
    for exercise in LIB:
        frames = exercise.pose.frames
        assert len(frames) >= 2, exercise.id
        root = _parse(render_svg(exercise))
        labels = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert labels[0] == "1 Start" and labels[-1] == f"{len(frames)} End", exercise.id
        # A hold (equal frames) is allowed, but then the figure says so in its alt text.
        moves = any(f != frames[0] for f in frames[1:])
        assert moves or "still hold" in alt_text(exercise), exercise.id


def test_every_library_figure_is_valid_svg_with_all_its_limbs_and_alt_text() -> None:
    for exercise in LIB:
        root = _parse(render_svg(exercise))
        frames = exercise.pose.frames
        view = exercise.pose.view
        assert len(_limbs(root)) == sum(_expected_limbs(f, view) for f in frames), exercise.id
        assert len(root.findall(".//svg:circle[@class='head']", NS)) == len(frames), exercise.id
        assert len(root.findall(".//svg:g[@class='frame']", NS)) == len(frames)
        text = alt_text(exercise)
        assert text.startswith(exercise.name) and len(text) > len(exercise.name) + 20
        assert root.findtext("svg:title", namespaces=NS) == text
        assert root.get("role") == "img" and root.get("aria-label") == text
        assert len(root.get("viewBox", "").split()) == 4
        floors = 0 if view == "above" else len(frames)  # seen from above there is no floor line
        assert len(root.findall(".//svg:line[@class='floor']", NS)) == floors, exercise.id


def test_every_animation_is_valid_svg_that_loops_without_script() -> None:
    for exercise in LIB:
        svg = render_animated_svg(exercise)
        root = _parse(svg)
        assert root.get("aria-label") == alt_text(exercise)
        animations = root.findall(".//svg:animate", NS)
        assert animations, exercise.id
        assert all(a.get("repeatCount") == "indefinite" for a in animations)
        assert "<script" not in svg and "onload" not in svg
        if any(f != exercise.pose.frames[0] for f in exercise.pose.frames[1:]):
            moved = {a.get("attributeName") for a in animations}
            assert moved & {"x1", "y1", "x2", "y2", "cx", "cy", "points"}, exercise.id


def test_in_between_poses_keep_the_bones_their_length() -> None:
    # A straight-line blend would shorten a swinging limb by up to a third.
    for exercise in LIB:
        first, last = exercise.pose.frames[0], exercise.pose.frames[-1]
        middle = inbetween(first, last, 0.5)
        for _, group in segments(first):
            for part in group:
                if part.a not in first or part.b not in first:
                    continue
                want = (
                    math.dist(first[part.a], first[part.b]) + math.dist(last[part.a], last[part.b])
                ) / 2
                got = math.dist(middle[part.a], middle[part.b])
                assert abs(got - want) <= 0.15 * want + 0.5, (exercise.id, part)
        assert inbetween(first, last, 0.0) == {j: tuple(p) for j, p in first.items()}


def test_movement_gets_an_arrow_and_a_still_pose_does_not() -> None:
    moving = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (40.0, 60.0)})))
    assert len(moving.findall(".//svg:path[@class='motion']", NS)) == 1
    still = _parse(render_svg(_exercise(SIMPLE, SIMPLE)))
    assert still.findall(".//svg:path[@class='motion']", NS) == []
    barely = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (25.0, 47.0)})))
    assert barely.findall(".//svg:path[@class='motion']", NS) == []


def test_two_limbs_moving_get_two_arrows_one_limb_gets_one() -> None:
    bird_dog = LIB.get("bird_dog")
    limbs = {j.split("_")[-1] if "_" in j else "" for j in moving_joints(bird_dog.pose)}
    assert len(moving_joints(bird_dog.pose)) == 2 and len(limbs) == 2
    one_leg = _exercise(
        PAIRED, PAIRED | {"knee_r": (75.0, 35.0), "ankle_r": (85.0, 20.0), "toe_r": (91.0, 21.0)}
    )
    assert len(moving_joints(one_leg.pose)) == 1


def test_alt_text_says_what_moves() -> None:
    assert alt_text(LIB.get("glute_bridge")) == (
        "Glute bridge, side view, start and end position: the hips move up; with a mat."
    )
    assert "still hold" in alt_text(_exercise(SIMPLE, SIMPLE))
    side_plank = alt_text(LIB.get("side_plank"))
    assert "front view" in side_plank and "hips move up" in side_plank


def test_the_side_plank_is_drawn_from_the_front_with_the_top_arm_up() -> None:
    # Seen from the side a side plank looks like a front plank (issue 10).
    pose = LIB.get("side_plank").pose
    end = pose.frames[-1]
    assert pose.view == "front"
    assert end["hand_l"][1] > end["head"][1] + 10  # the top arm points at the ceiling
    assert end["elbow_r"][1] < 5  # the bottom forearm is on the floor


KIT = {
    "ball": "ball",
    "foam_roller": "roller",
    "step": "step",
    "band": "band",
    "bench": "bench",
    "dumbbell": "dumbbell",
}


def test_knees_falling_to_the_side_are_drawn_from_above() -> None:
    for exercise_id in ("lumbar_rotation", "groin_stretch"):
        exercise = LIB.get(exercise_id)
        assert exercise.pose.view == "above"
        assert "seen from above" in alt_text(exercise) and "out to the side" in alt_text(exercise)


def test_the_kit_an_exercise_uses_is_drawn() -> None:
    for exercise in LIB:
        kinds = {p.kind for p in exercise.pose.props}
        for equipment in exercise.equipment:
            if equipment in KIT:
                assert KIT[equipment] in kinds, (exercise.id, equipment)
        root = _parse(render_svg(exercise))
        for kind in kinds:
            assert root.findall(f".//*[@class='prop {kind}']", NS), (exercise.id, kind)


def test_the_legend_explains_panels_arrows_and_limbs() -> None:
    root = _parse(render_legend_svg())
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for words in ("1 Start, 2 End", "Blue dashed arrow", "near", "far", "mat"):
        assert words in text
    assert root.get("aria-label", "").startswith("Key to the figures")


def test_render_is_deterministic_and_distinct() -> None:
    bridge, plank = LIB.get("glute_bridge"), LIB.get("side_plank")
    assert render_svg(bridge) == render_svg(bridge)
    assert render_svg(bridge) != render_svg(plank)
    svgs = {render_svg(e) for e in LIB}
    assert len(svgs) == len(LIB)


@pytest.mark.parametrize("width", [120, 240, 480])
def test_width_sets_size_and_keeps_the_aspect(width: int) -> None:
    root = _parse(render_svg(LIB.get("side_plank"), width=width))
    assert root.get("width") == str(width)
    _, _, vb_w, vb_h = (float(v) for v in root.get("viewBox", "").split())
    assert int(root.get("height", "0")) == round(width * vb_h / vb_w)


def test_names_are_escaped() -> None:
    root = _parse(render_svg(_exercise(SIMPLE, SIMPLE, name='Hip & "knee" <drill>')))
    assert root.findtext("svg:title", namespaces=NS).startswith('Hip & "knee" <drill>')


def test_figure_stays_inside_the_view_box() -> None:
    for exercise in LIB:
        for svg in (render_svg(exercise), render_animated_svg(exercise)):
            root = _parse(svg)
            _, top, width, height = (float(v) for v in root.get("viewBox", "").split())
            for line in _limbs(root):
                for attr in ("y1", "y2"):
                    assert top <= float(line.get(attr, "nan")) <= top + height, exercise.id
                for attr in ("x1", "x2"):
                    assert 0.0 <= float(line.get(attr, "nan")) <= width, exercise.id


def test_the_contact_sheet_in_docs_is_up_to_date() -> None:
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "figure_sheet", root / "scripts" / "figure_sheet.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sheet = module.contact_sheet()
    assert ET.fromstring(sheet).tag == "{http://www.w3.org/2000/svg}svg"
    for exercise in LIB:
        assert f">{escape(exercise.name)}</text>" in sheet, exercise.id
    current = (root / "docs" / "figures" / "contact_sheet.svg").read_text(encoding="utf-8")
    assert current == sheet, "run scripts/figure_sheet.py to update docs/figures/contact_sheet.svg"
