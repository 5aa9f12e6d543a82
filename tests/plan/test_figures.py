"""Stick-figure SVGs: valid XML, the right number of limbs, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

import pytest

from backstride.plan.exercises import Exercise, Point, load_exercise_library
from backstride.plan.figures import render_svg

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


def _exercise(*frames: Mapping[str, Point], name: str = "Test figure") -> Exercise:
    base = LIB.get("glute_bridge").model_dump(mode="json")
    base.update(id="test_figure", name=name, pose={"frames": [dict(f) for f in frames]})
    return Exercise.model_validate(base)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def _limbs(root: ET.Element) -> list[ET.Element]:
    return [
        e for e in root.iter("{http://www.w3.org/2000/svg}line") if "limb" in e.get("class", "")
    ]


def _expected_limbs(frame: Mapping[str, Point]) -> int:
    # Counted from the joints, independently of the renderer: neck line, trunk (two lines with
    # a mid-back joint), two lines per arm, two per leg, one per foot.
    arms = sum(1 for j in frame if j.startswith("elbow"))
    legs = sum(1 for j in frame if j.startswith("knee"))
    feet = sum(1 for j in frame if j.startswith("toe"))
    trunk = 2 if "spine" in frame else 1
    return 1 + trunk + 2 * arms + 2 * legs + feet


def test_simple_and_paired_figures_draw_the_right_number_of_limbs() -> None:
    assert len(_limbs(_parse(render_svg(_exercise(SIMPLE))))) == 7
    assert len(_limbs(_parse(render_svg(_exercise(PAIRED))))) == 13
    two_frames = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (40.0, 60.0)})))
    assert len(_limbs(two_frames)) == 14


def test_every_library_figure_is_valid_svg_with_all_its_limbs() -> None:
    for exercise in LIB:
        root = _parse(render_svg(exercise))
        frames = exercise.pose.frames
        assert len(_limbs(root)) == sum(_expected_limbs(f) for f in frames), exercise.id
        assert len(root.findall(".//svg:circle[@class='head']", NS)) == len(frames), exercise.id
        assert len(root.findall(".//svg:g[@class='frame ghost']", NS)) == len(frames) - 1
        assert root.findtext("svg:title", namespaces=NS) == exercise.name
        assert len(root.get("viewBox", "").split()) == 4
        assert root.findall(".//svg:line[@class='floor']", NS), exercise.id


def test_movement_gets_an_arrow_and_a_still_pose_does_not() -> None:
    moving = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (40.0, 60.0)})))
    assert len(moving.findall(".//svg:line[@class='motion']", NS)) == 1
    still = _parse(render_svg(_exercise(SIMPLE)))
    assert still.findall(".//svg:line[@class='motion']", NS) == []
    barely = _parse(render_svg(_exercise(SIMPLE, SIMPLE | {"hand": (25.0, 47.0)})))
    assert barely.findall(".//svg:line[@class='motion']", NS) == []


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
    root = _parse(render_svg(_exercise(SIMPLE, name='Hip & "knee" <drill>')))
    assert root.findtext("svg:title", namespaces=NS) == 'Hip & "knee" <drill>'


def test_figure_stays_inside_the_view_box() -> None:
    for exercise in LIB:
        root = _parse(render_svg(exercise))
        _, top, _, height = (float(v) for v in root.get("viewBox", "").split())
        for line in _limbs(root):
            for attr in ("y1", "y2"):
                assert top <= float(line.get(attr, "nan")) <= top + height, exercise.id
