"""Draw an exercise's pose frames as standalone SVG figures (pure, no I/O).

A figure has body volume: every limb is a rounded bar with an outline, the trunk is a thicker
one (or, in a front view, a full-width trunk), the head a disc. Paired limbs: ``_r`` is the near
side, drawn in front in a dark tone, ``_l`` the far side, behind in a light one. The kit (mat,
ball, roller, step, bench, wall, band, ...) is drawn where the pose puts it; a band or a
dumbbell follows its joints.

Two drawings of each exercise:

- :func:`render_svg`, the frames side by side as numbered panels ("1 Start", "2 End"), with blue
  dashed arrows on the start panel along the path of the parts that move. It uses nothing but
  lines, circles, polygons, paths and text, so fpdf2 can embed it in the PDF as it is.
- :func:`render_animated_svg`, one panel that loops between the frames (SMIL, no script), for
  the HTML page.

Both carry the same alt text (:func:`alt_text`, from the name and what moves) as ``<title>`` and
``aria-label``. :data:`LEGEND` and :func:`render_legend_svg` explain the drawing wherever
figures appear.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from backstride.plan.exercises import (
    ARM_JOINTS,
    FOOT_JOINT,
    LEG_JOINTS,
    Exercise,
    Point,
    Pose,
    Prop,
)

Frame = Mapping[str, Point]

# Body sizes in pose units (a standing figure is about 90 units tall).
HEAD_RADIUS = 5.2
OUTLINE = 0.7  # outline width on each side of a body part
WIDTH = {
    "neck": 3.6,
    "trunk_low": 9.0,
    "trunk_high": 10.2,
    "upper_arm": 4.0,
    "forearm": 3.3,
    "thigh": 6.4,
    "shin": 4.8,
    "foot": 3.0,
}
FRONT_SHOULDER = 7.5  # half the shoulder width, front view
FRONT_HIP = 5.0  # half the hip width, front view

NEAR_FILL, NEAR_LINE = "#4d5e73", "#1f2937"
TRUNK_FILL = "#73859b"  # lighter than the near limbs, so an arm across the body stands out
FAR_FILL, FAR_LINE = "#b4bfcc", "#6b7787"
FLOOR = "#9aa3ae"
ARROW = "#2563eb"
LABEL = "#5b6472"
PANEL_FILL = "#ffffff"
PANEL_LINE = "#d5d9df"
PROP_STYLE = {  # fill, outline
    "mat": ("#8cc7b5", "#4f8f7c"),
    "ball": ("#f08a5d", "#a9512c"),
    "roller": ("#f6c177", "#a8782b"),
    "step": ("#dcc7a1", "#8f7149"),
    "bench": ("#dcc7a1", "#8f7149"),
    "wall": ("#e4e8ee", "#97a3b3"),
    "band": ("none", "#16a34a"),
    "dumbbell": ("#4b5563", "#1f2937"),
    "bike": ("none", "#4b5563"),
    "water": ("#d5effb", "#7cc4e4"),
    "float_belt": ("#fde68a", "#b7912b"),
}

_ON_TOP = ("band", "dumbbell")  # kit held or worn: drawn over the body
MIN_ARROW = 4.0  # a joint must travel this far (pose units) before it gets an arrow
MAX_ARROWS = 2
MIN_ARROW_LENGTH = 9.0
ARROW_GAP = 4.5  # how far an arrow runs beside the limb it describes
LABEL_BAND = 7.0  # room above the figure for the panel label
PAD = 2.5
GAP = 3.0  # between panels
DEFAULT_SCALE = 2.2  # pixels per pose unit when no width is asked for
HOLD_S, MOVE_S = 0.8, 1.4  # animation: pause at each frame, then move to the next
STEPS = 5  # in-between poses per move (more make a smoother but larger page)
FONT = "Helvetica, Arial, sans-serif"

LEGEND: tuple[tuple[str, str], ...] = (
    ("1 Start, 2 End", "the position you begin in, then the one you move to (and back)"),
    ("Blue dashed arrow", "the path of the part that moves"),
    ("Dark limbs", "the side nearer to you; light limbs: the far side"),
    ("Kit", "mat (green), ball or roller (orange), band (green line), step or bench"),
)


# ---------------------------------------------------------------- body geometry


@dataclass(frozen=True)
class Part:
    """One body part: a rounded bar from joint ``a`` to joint ``b``."""

    a: str
    b: str
    width: float
    near: bool


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def _roots(frame: Frame, view: str) -> dict[str, Point]:
    """Where arms and legs start: the shoulder and hip, or in a front view their two sides."""
    shoulder = frame.get("shoulder", frame["neck"])
    hip = frame["hip"]
    roots = {
        "shoulder": shoulder,
        "hip": hip,
        "shoulder_l": shoulder,
        "shoulder_r": shoulder,
        "hip_l": hip,
        "hip_r": hip,
    }
    if view != "side":
        ux, uy = _unit(frame["neck"][0] - hip[0], frame["neck"][1] - hip[1])
        nx, ny = -uy, ux  # left of the trunk axis, looking from hip to neck
        for side, sign in (("_l", 1.0), ("_r", -1.0)):
            roots["shoulder" + side] = (
                shoulder[0] + sign * nx * FRONT_SHOULDER,
                shoulder[1] + sign * ny * FRONT_SHOULDER,
            )
            roots["hip" + side] = (hip[0] + sign * nx * FRONT_HIP, hip[1] + sign * ny * FRONT_HIP)
    return roots


def _limb_chains(frame: Frame, view: str) -> list[tuple[str, list[Part]]]:
    """Arm and leg chains in drawing order, each named like ``arm_l``; far side first."""
    chains: list[tuple[str, list[Part]]] = []
    for suffix in ("_l", "_r", ""):
        near = suffix != "_l" or view != "side"
        elbow, hand = (j + suffix for j in ARM_JOINTS)
        knee, ankle = (j + suffix for j in LEG_JOINTS)
        root = suffix or ""
        if knee in frame:
            leg = [
                Part("hip" + root, knee, WIDTH["thigh"], near),
                Part(knee, ankle, WIDTH["shin"], near),
            ]
            if FOOT_JOINT + suffix in frame:
                leg.append(Part(ankle, FOOT_JOINT + suffix, WIDTH["foot"], near))
            chains.append(("leg" + suffix, leg))
        if elbow in frame:
            chains.append(
                (
                    "arm" + suffix,
                    [
                        Part("shoulder" + root, elbow, WIDTH["upper_arm"], near),
                        Part(elbow, hand, WIDTH["forearm"], near),
                    ],
                )
            )
    return chains


def _trunk(frame: Frame) -> list[Part]:
    top = "neck"
    if "spine" in frame:
        return [
            Part("hip", "spine", WIDTH["trunk_low"], True),
            Part("spine", top, WIDTH["trunk_high"], True),
        ]
    return [Part("hip", top, WIDTH["trunk_high"], True)]


def segments(frame: Frame, view: str = "side") -> tuple[tuple[str, tuple[Part, ...]], ...]:
    """The body parts of one frame in drawing order, grouped: ``far`` limbs, ``trunk``, ``near``.

    The trunk group holds the neck and the trunk bars (side view) or just the neck (front view,
    where the trunk is a polygon).
    """
    chains = _limb_chains(frame, view)
    far = [p for name, parts in chains if name.endswith("_l") and view == "side" for p in parts]
    near = [p for name, parts in chains for p in parts if p not in far]
    trunk = [Part("neck", "head", WIDTH["neck"], True)]
    if view == "side":
        trunk += _trunk(frame)
    return (("far", tuple(far)), ("trunk", tuple(trunk)), ("near", tuple(near)))


def limb_line_count(frame: Frame, view: str = "side") -> int:
    """How many body bars one frame draws (each bar is one ``limb`` line)."""
    return sum(len(group) for _, group in segments(frame, view))


def _points(frame: Frame, view: str) -> dict[str, Point]:
    """The frame's joints plus the limb roots the parts refer to."""
    return {**frame, **_roots(frame, view)}


def _front_trunk(frame: Frame) -> list[Point]:
    roots = _roots(frame, "front")
    return [roots["hip_l"], roots["shoulder_l"], roots["shoulder_r"], roots["hip_r"]]


# ---------------------------------------------------------------- what moves


_PART_NAMES = {
    "head": "the head",
    "neck": "the shoulders",
    "shoulder": "the shoulders",
    "spine": "the middle of the back",
    "hip": "the hips",
    "elbow": "elbow",
    "hand": "hand",
    "knee": "knee",
    "ankle": "foot",
    "toe": "foot",
}
# The joint each limb joint swings about, for curved arrows.
_PIVOT = {
    "elbow": "shoulder",
    "hand": "shoulder",
    "knee": "hip",
    "ankle": "hip",
    "toe": "hip",
    "head": "hip",
    "neck": "hip",
    "shoulder": "hip",
}


def _base(joint: str) -> tuple[str, str]:
    for suffix in ("_l", "_r"):
        if joint.endswith(suffix):
            return joint[: -len(suffix)], suffix
    return joint, ""


def _limb(joint: str) -> str:
    """The body part a joint belongs to: ``arm_l``, ``leg``, ... or ``trunk``."""
    base, suffix = _base(joint)
    if base in ARM_JOINTS:
        return "arm" + suffix
    if base in (*LEG_JOINTS, FOOT_JOINT):
        return "leg" + suffix
    return "trunk"


def moving_joints(pose: Pose) -> tuple[str, ...]:
    """The joints that get a motion arrow: ``pose.arrow``, else up to two that move most.

    A second arrow is only drawn for a joint well apart from the first (another limb), so one
    movement does not get two arrows.
    """
    first, last = pose.frames[0], pose.frames[-1]

    def travel(joint: str) -> float:
        return math.dist(first[joint], last[joint])

    if pose.arrow is not None:
        # A named joint gets its arrow even for a small movement (a pelvic tilt).
        return (pose.arrow,) if travel(pose.arrow) >= 1.0 else ()
    ranked = sorted((j for j in first if travel(j) >= MIN_ARROW), key=lambda j: (-travel(j), j))
    chosen: list[str] = []
    for joint in ranked:
        if len(chosen) == MAX_ARROWS:
            break
        if chosen and travel(joint) < 0.6 * travel(chosen[0]):
            break
        if all(
            _limb(joint) != _limb(c) and math.dist(first[joint], first[c]) >= 15.0 for c in chosen
        ):
            chosen.append(joint)
    return tuple(chosen)


def _direction(pose: Pose, joint: str) -> str:
    first, last = pose.frames[0], pose.frames[-1]
    dx = last[joint][0] - first[joint][0]
    dy = last[joint][1] - first[joint][1]
    hip, neck = first["hip"], first["neck"]
    lying = abs(neck[0] - hip[0]) > abs(neck[1] - hip[1])
    words: list[str] = []
    if pose.view == "above":  # both picture axes lie in the floor's plane
        return "out to the side"
    if abs(dy) >= 0.4 * abs(dx):
        words.append("up" if dy > 0 else "down")
    if abs(dx) >= 0.4 * abs(dy):
        if pose.view != "side":
            words.append("sideways")
        elif lying:
            towards_head = (dx > 0) == (neck[0] > hip[0])
            words.append("towards the head" if towards_head else "away from the head")
        else:
            toes = [j for j in first if j.startswith(FOOT_JOINT)]
            facing = sum(first[t][0] - first["ankle" + t[3:]][0] for t in toes)
            if facing == 0:
                words.append("sideways")
            else:
                words.append("forward" if (dx > 0) == (facing > 0) else "back")
    return " and ".join(words)


def _moves_with_its_pair(pose: Pose, joint: str) -> bool:
    """True when the same joint of the other side makes the same movement (both knees fall)."""
    base, suffix = _base(joint)
    if not suffix:
        return False
    other = base + ("_l" if suffix == "_r" else "_r")
    first, last = pose.frames[0], pose.frames[-1]

    def shift(j: str) -> Point:
        return last[j][0] - first[j][0], last[j][1] - first[j][1]

    return math.dist(shift(joint), shift(other)) < 0.25 * math.hypot(*shift(joint))


def _part_name(joint: str, view: str, paired: bool = False) -> str:
    base, suffix = _base(joint)
    name = _PART_NAMES.get(base, base)
    if name.startswith("the "):
        return name
    if not suffix or paired:
        return f"the {name}s" if name != "foot" else "the feet"
    if view != "side":
        return f"one {name}"
    return f"the {'near' if suffix == '_r' else 'far'} {name}"


def _kit_names(pose: Pose) -> list[str]:
    names = {
        "mat": "a mat",
        "ball": "a ball",
        "roller": "a foam roller",
        "step": "a step",
        "bench": "a bench or chair",
        "wall": "a wall",
        "band": "a band",
        "dumbbell": "a weight",
        "bike": "a bike",
        "water": "water",
        "float_belt": "a float belt",
    }
    return list(dict.fromkeys(names[p.kind] for p in pose.props))


def alt_text(exercise: Exercise) -> str:
    """A one-sentence description of the figure: the exercise, what moves and the kit."""
    pose = exercise.pose
    view = {"side": "side view", "front": "front view", "above": "seen from above"}[pose.view]
    moves = []
    for joint in moving_joints(pose):
        part = _part_name(joint, pose.view, _moves_with_its_pair(pose, joint))
        plural = part.endswith(("s", "feet"))
        moves.append(f"{part} {'move' if plural else 'moves'} {_direction(pose, joint)}")
    text = f"{exercise.name}, {view}, start and end position"
    text += ": " + (" while ".join(moves) if moves else "a still hold")
    kit = _kit_names(pose)
    if kit:
        text += "; with " + ", ".join(kit)
    return text + "."


# ---------------------------------------------------------------- in-between poses


def _edges(frame: Frame) -> list[tuple[str, str]]:
    # The skeleton's bones between real joints (front-view roots follow the trunk).
    edges = [(p.a, p.b) for _, group in segments(frame, "side") for p in group]
    return [(a, b) for a, b in edges if a in frame and b in frame]


def inbetween(a: Frame, b: Frame, t: float) -> dict[str, Point]:
    """The pose a fraction ``t`` of the way from frame ``a`` to ``b``.

    Joints move in straight lines, then bones are pulled back to their length (which a straight
    line would shorten in a swing); joints that do not move between the frames stay put.
    """
    pos = {j: [a[j][0] + (b[j][0] - a[j][0]) * t, a[j][1] + (b[j][1] - a[j][1]) * t] for j in a}
    if t in (0.0, 1.0):
        return {j: (p[0], p[1]) for j, p in pos.items()}
    pinned = {j for j in a if math.dist(a[j], b[j]) < 0.5}
    bones = [
        (x, y, math.dist(a[x], a[y]) + (math.dist(b[x], b[y]) - math.dist(a[x], a[y])) * t)
        for x, y in _edges(a)
    ]
    for _ in range(40):
        for x, y, length in bones:
            px, py = pos[x], pos[y]
            dx, dy = py[0] - px[0], py[1] - px[1]
            d = math.hypot(dx, dy) or 1e-9
            shift = (d - length) / d
            wx = 0.0 if x in pinned else (0.5 if y not in pinned else 1.0)
            wy = 0.0 if y in pinned else (0.5 if x not in pinned else 1.0)
            px[0] += dx * shift * wx
            px[1] += dy * shift * wx
            py[0] -= dx * shift * wy
            py[1] -= dy * shift * wy
    return {j: (p[0], p[1]) for j, p in pos.items()}


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Box:
    """The part of pose space one panel shows."""

    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom + LABEL_BAND


def _mat_span(pose: Pose, prop: Prop) -> tuple[float, float]:
    if prop.w > 0:
        return prop.x, prop.x + prop.w
    low = [p[0] for f in pose.frames for p in f.values() if p[1] < 14.0]
    if not low:
        low = [p[0] for f in pose.frames for p in f.values()]
    return min(low) - 6.0, max(low) + 6.0


def _box(pose: Pose) -> _Box:
    xs: list[float] = []
    ys: list[float] = [] if pose.view == "above" else [0.0]  # seen from above: no floor line
    for frame in pose.frames:
        points = _points(frame, pose.view)
        for _, group in segments(frame, pose.view):
            for part in group:
                reach = part.width / 2 + OUTLINE
                for j in (part.a, part.b):
                    xs += [points[j][0] - reach, points[j][0] + reach]
                    ys += [points[j][1] - reach, points[j][1] + reach]
        if pose.view != "side":
            for x, y in _front_trunk(frame):
                xs += [x - 1.5, x + 1.5]
                ys += [y - 1.5, y + 1.5]
        hx, hy = frame["head"]
        xs += [hx - HEAD_RADIUS - OUTLINE, hx + HEAD_RADIUS + OUTLINE]
        ys += [hy - HEAD_RADIUS - OUTLINE, hy + HEAD_RADIUS + OUTLINE]
    for prop in pose.props:
        if prop.kind == "mat" and pose.view == "above":
            continue  # the mat fills the panel behind the figure
        if prop.kind == "mat":
            xs += list(_mat_span(pose, prop))
            ys.append(-2.0)
        elif prop.shape == "circle":
            xs += [prop.x - prop.r - 1, prop.x + prop.r + 1]
            ys += [prop.y - prop.r - 1, prop.y + prop.r + 1]
        elif prop.kind in ("step", "bench", "float_belt") or (
            prop.kind == "bike" and prop.shape == "line"
        ):
            xs += [prop.x, prop.x + prop.w]
            ys += [prop.y, prop.y + prop.h]
        elif prop.kind == "wall":
            xs += [prop.x, prop.x + max(prop.w, 2.0)]
        elif prop.kind == "water":
            ys.append(prop.y + 2.0)
    for joint in moving_joints(pose):
        for x, y in _arc_points(pose, joint):
            xs += [x - 2.0, x + 2.0]
            ys += [y - 2.0, y + 2.0]
    return _Box(min(xs) - PAD, max(xs) + PAD, min(ys) - PAD, max(ys) + PAD)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


@dataclass(frozen=True)
class _Panel:
    """Maps pose space (y up) into one panel of the SVG (y down), ``index`` panels across."""

    box: _Box
    index: int

    @property
    def x0(self) -> float:
        return self.index * (self.box.width + GAP)

    def x(self, x: float) -> float:
        return x - self.box.left + self.x0

    def y(self, y: float) -> float:
        return self.box.top + LABEL_BAND - y

    def xy(self, p: Point) -> tuple[str, str]:
        return _num(self.x(p[0])), _num(self.y(p[1]))


# ---------------------------------------------------------------- drawing


def _line(
    panel: _Panel,
    a: Point,
    b: Point,
    cls: str,
    colour: str,
    width: float,
    extra: str = "",
) -> str:
    (x1, y1), (x2, y2) = panel.xy(a), panel.xy(b)
    return (
        f'<line class="{cls}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
        f'stroke-width="{_num(width)}"{extra}/>'
    )


# An animation hook: given an element kind and its key, the <animate> children to add.
Animator = Mapping[str, str]


def _body(
    panel: _Panel,
    frame: Frame,
    view: str,
    animate: Animator | None = None,
) -> list[str]:
    """The figure of one frame: outlines then fills per chain, so joints of a limb blend."""
    points = _points(frame, view)
    anim = animate or {}
    out: list[str] = []

    def bars(parts: Sequence[Part], chain: str) -> None:
        for kind in ("outline", "fill"):
            for n, part in enumerate(parts):
                fill, line = (NEAR_FILL, NEAR_LINE) if part.near else (FAR_FILL, FAR_LINE)
                if chain == "trunk":
                    fill = TRUNK_FILL
                width = part.width + (2 * OUTLINE if kind == "outline" else 0.0)
                tone = "trunk" if chain == "trunk" else "near" if part.near else "far"
                cls = "outline" if kind == "outline" else f"limb {tone}"
                key = f"{chain}.{n}"
                body = anim.get(key, "")
                out.append(
                    _line(
                        panel,
                        points[part.a],
                        points[part.b],
                        cls,
                        line if kind == "outline" else fill,
                        width,
                    )[:-2]
                    + (f">{body}</line>" if body else "/>")
                )

    chains = _limb_chains(frame, view)
    groups = dict(segments(frame, view))
    far = [(n, c) for n, c in chains if all(p in groups["far"] for p in c)]
    near = [(n, c) for n, c in chains if (n, c) not in far]
    for name, parts in far:
        bars(parts, name)
    if view != "side":
        poly = " ".join(",".join(panel.xy(p)) for p in _front_trunk(frame))
        body = anim.get("trunk_front", "")
        out.append(
            f'<polygon class="torso" points="{poly}" fill="{TRUNK_FILL}" stroke="{NEAR_LINE}" '
            f'stroke-width="{_num(2 * OUTLINE)}" stroke-linejoin="round"'
            + (f">{body}</polygon>" if body else "/>")
        )
    bars(list(groups["trunk"]), "trunk")
    hx, hy = panel.xy(frame["head"])
    body = anim.get("head", "")
    out.append(
        f'<circle class="head" cx="{hx}" cy="{hy}" r="{_num(HEAD_RADIUS)}" fill="{TRUNK_FILL}" '
        f'stroke="{NEAR_LINE}" stroke-width="{_num(2 * OUTLINE)}"'
        + (f">{body}</circle>" if body else "/>")
    )
    for name, parts in near:
        bars(parts, name)
    return out


def _band_ends(prop: Prop, frame: Frame) -> tuple[Point, Point]:
    a = frame[prop.joints[0]]
    return a, (frame[prop.joints[1]] if len(prop.joints) > 1 else (prop.x, prop.y))


def _prop(panel: _Panel, pose: Pose, prop: Prop, frame: Frame, animate: str = "") -> str:
    fill, line = PROP_STYLE[prop.kind]
    box = panel.box
    common = f'class="prop {prop.kind}" fill="{fill}" stroke="{line}" stroke-width="0.9"'
    if prop.kind == "mat" and pose.view == "above":
        return (
            f'<rect {common} x="{_num(panel.x0 + 1.5)}" y="{_num(LABEL_BAND)}" '
            f'width="{_num(box.width - 3.0)}" height="{_num(box.height - LABEL_BAND - 1.5)}" '
            f'rx="1.5" fill-opacity="0.45"/>'
        )
    if prop.kind == "mat":
        left, right = _mat_span(pose, prop)
        return (
            f'<rect {common} x="{_num(panel.x(left))}" y="{_num(panel.y(0.0))}" '
            f'width="{_num(right - left)}" height="1.8" rx="0.9"/>'
        )
    if prop.kind in ("ball", "roller") or (prop.kind == "bike" and prop.shape == "circle"):
        cx, cy = panel.xy((prop.x, prop.y))
        width = "1.6" if prop.kind == "bike" else "0.9"
        out = (
            f'<circle class="prop {prop.kind}" fill="{fill}" stroke="{line}" '
            f'stroke-width="{width}" cx="{cx}" cy="{cy}" r="{_num(prop.r)}"/>'
        )
        if prop.kind == "roller":  # the end of a foam roller, with its core
            out += (
                f'<circle class="prop roller" fill="none" stroke="{line}" stroke-width="0.6" '
                f'cx="{cx}" cy="{cy}" r="{_num(prop.r * 0.4)}"/>'
            )
        return out
    if prop.kind == "bike" or prop.kind == "water":
        if prop.kind == "water":
            top = panel.y(prop.y)
            return (
                f'<rect class="prop water" fill="{fill}" stroke="none" x="{_num(panel.x0)}" '
                f'y="{_num(top)}" width="{_num(box.width)}" height="{_num(panel.y(0.0) - top)}"/>'
                f'<line class="prop water" stroke="{line}" stroke-width="0.9" '
                f'x1="{_num(panel.x0)}" y1="{_num(top)}" x2="{_num(panel.x0 + box.width)}" '
                f'y2="{_num(top)}"/>'
            )
        (x1, y1), (x2, y2) = (
            panel.xy((prop.x, prop.y)),
            panel.xy((prop.x + prop.w, prop.y + prop.h)),
        )
        return (
            f'<line class="prop bike" stroke="{line}" stroke-width="1.6" stroke-linecap="round" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>'
        )
    if prop.kind == "wall":
        left = panel.x(prop.x)
        thick = max(prop.w, 2.0)
        top, floor = panel.y(box.top), panel.y(0.0)
        return (
            f'<rect {common} x="{_num(left)}" y="{_num(top)}" width="{_num(thick)}" '
            f'height="{_num(floor - top)}"/>'
        )
    if prop.kind == "bench":
        # A board on two legs, so it reads as a bench (or a chair seat), not a box.
        board = min(3.0, prop.h)
        x, top = panel.x(prop.x), panel.y(prop.y + prop.h)
        legs = "".join(
            f'<rect {common} x="{_num(lx)}" y="{_num(top + board)}" width="2.0" '
            f'height="{_num(prop.h - board)}"/>'
            for lx in (x + 1.5, x + prop.w - 3.5)
            if prop.h - board > 0.5
        )
        return legs + (
            f'<rect {common} x="{_num(x)}" y="{_num(top)}" width="{_num(prop.w)}" '
            f'height="{_num(board)}" rx="0.6"/>'
        )
    if prop.kind in ("step", "float_belt"):
        return (
            f'<rect {common} x="{_num(panel.x(prop.x))}" y="{_num(panel.y(prop.y + prop.h))}" '
            f'width="{_num(prop.w)}" height="{_num(prop.h)}" rx="0.6"/>'
        )
    if prop.kind == "band":
        a, b = _band_ends(prop, frame)
        return _line(panel, a, b, "prop band", line, 1.4, ' stroke-linecap="round"')[:-2] + (
            f">{animate}</line>" if animate else "/>"
        )
    # dumbbell: a short bar with two plates, held at its joint
    cx, cy = panel.xy(frame[prop.joints[0]])
    return (
        f'<circle class="prop dumbbell" fill="{fill}" stroke="{line}" stroke-width="0.6" '
        f'cx="{cx}" cy="{cy}" r="2.6"' + (f">{animate}</circle>" if animate else "/>")
    )


def _arc_points(pose: Pose, joint: str) -> list[Point]:
    """The path an arrow follows: an arc about the limb's pivot, or a straight line."""
    first, last = pose.frames[0], pose.frames[-1]
    p0, p1 = first[joint], last[joint]
    base, suffix = _base(joint)
    pivot_name = _PIVOT.get(base)
    if pivot_name is not None:
        r0 = _roots(first, pose.view)[pivot_name + suffix]
        r1 = _roots(last, pose.view)[pivot_name + suffix]
        rad0, rad1 = math.dist(r0, p0), math.dist(r1, p1)
        a0 = math.atan2(p0[1] - r0[1], p0[0] - r0[0])
        a1 = math.atan2(p1[1] - r0[1], p1[0] - r0[0])
        sweep = (a1 - a0 + math.pi) % (2 * math.pi) - math.pi
        if math.dist(r0, r1) < 2.0 and abs(rad0 - rad1) < 0.3 * rad0 and abs(sweep) > 0.3:
            radius = (rad0 + rad1) / 2 + ARROW_GAP
            return [
                (
                    r0[0] + radius * math.cos(a0 + sweep * t),
                    r0[1] + radius * math.sin(a0 + sweep * t),
                )
                for t in (0.12 + 0.76 * k / 12 for k in range(13))
            ]
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    ux, uy = _unit(dx, dy)
    if math.hypot(dx, dy) < MIN_ARROW_LENGTH:  # a small movement still gets a visible arrow
        mid = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
        p0 = (mid[0] - ux * MIN_ARROW_LENGTH / 2, mid[1] - uy * MIN_ARROW_LENGTH / 2)
        dx, dy = ux * MIN_ARROW_LENGTH, uy * MIN_ARROW_LENGTH
    # Run beside the part, on the side away from the body's middle.
    centre = first["hip"]
    nx, ny = -uy, ux
    if (p0[0] - centre[0]) * nx + (p0[1] - centre[1]) * ny < 0:
        nx, ny = -nx, -ny
    return [(p0[0] + dx * t + nx * ARROW_GAP, p0[1] + dy * t + ny * ARROW_GAP) for t in (0.1, 0.9)]


def _arrow(panel: _Panel, points: list[Point]) -> str:
    path = " ".join(
        ("M" if n == 0 else "L") + " {} {}".format(*panel.xy(p)) for n, p in enumerate(points)
    )
    (ex, ey), (px, py) = points[-1], points[-2]
    ux, uy = _unit(ex - px, ey - py)
    size = 2.6
    tip = (ex + ux * size * 0.6, ey + uy * size * 0.6)
    left = (ex - uy * size * 0.7 - ux * size * 0.6, ey + ux * size * 0.7 - uy * size * 0.6)
    right = (ex + uy * size * 0.7 - ux * size * 0.6, ey - ux * size * 0.7 - uy * size * 0.6)
    head = " ".join(",".join(panel.xy(p)) for p in (tip, left, right))
    return (
        f'<path class="motion" d="{path}" fill="none" stroke="{ARROW}" stroke-width="1.3" '
        f'stroke-dasharray="3 2" stroke-linecap="round"/>'
        f'<polygon class="motion-head" points="{head}" fill="{ARROW}"/>'
    )


def _arrows(panel: _Panel, pose: Pose) -> list[str]:
    return [_arrow(panel, _arc_points(pose, j)) for j in moving_joints(pose)]


def _labels(count: int) -> list[str]:
    labels = [str(n) for n in range(1, count + 1)]
    labels[0] += " Start"
    labels[-1] += " End"
    return labels


def _panel_frame(panel: _Panel, label: str) -> list[str]:
    box = panel.box
    return [
        f'<rect class="panel" x="{_num(panel.x0)}" y="0.0" width="{_num(box.width)}" '
        f'height="{_num(box.height)}" rx="2.0" fill="{PANEL_FILL}" stroke="{PANEL_LINE}" '
        f'stroke-width="0.5"/>',
        f'<text class="label" x="{_num(panel.x0 + 2.0)}" y="5.2" font-family="{FONT}" '
        f'font-size="4.4" font-weight="bold" fill="{LABEL}">{escape(label)}</text>',
    ]


def _floor(panel: _Panel) -> str:
    y = _num(panel.y(0.0))
    return (
        f'<line class="floor" x1="{_num(panel.x0 + 0.5)}" y1="{y}" '
        f'x2="{_num(panel.x0 + panel.box.width - 0.5)}" y2="{y}" stroke="{FLOOR}" '
        f'stroke-width="1.2" stroke-linecap="round"/>'
    )


def _svg_open(exercise: Exercise, vb_w: float, vb_h: float, width: int | None, cls: str) -> str:
    px_w = width if width is not None else round(vb_w * DEFAULT_SCALE)
    px_h = round(px_w * vb_h / vb_w)
    text = alt_text(exercise)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0.0 0.0 {_num(vb_w)} '
        f'{_num(vb_h)}" width="{px_w}" height="{px_h}" role="img" aria-label={quoteattr(text)}>'
        f"<title>{escape(text)}</title><desc>{escape(exercise.purpose)}</desc>"
    )


def render_svg(exercise: Exercise, width: int | None = None) -> str:
    """The exercise's frames side by side ("1 Start" ... "N End") with motion arrows.

    ``width`` is the pixel width of the whole strip; by default the scale is the same for every
    exercise (:data:`DEFAULT_SCALE` pixels per pose unit).
    """
    pose = exercise.pose
    box = _box(pose)
    count = len(pose.frames)
    vb_w = count * box.width + (count - 1) * GAP
    out = [_svg_open(exercise, vb_w, box.height, width, "figure-strip")]
    out.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    for index, (frame, label) in enumerate(zip(pose.frames, _labels(count), strict=True)):
        panel = _Panel(box, index)
        out += _panel_frame(panel, label)
        out += [_prop(panel, pose, p, frame) for p in pose.props if p.kind == "water"]
        if pose.view != "above":
            out.append(_floor(panel))
        out += [_prop(panel, pose, p, frame) for p in pose.props if p.kind not in _ON_TOP]
        out.append(f'<g class="frame" data-frame="{index + 1}">')
        out += _body(panel, frame, pose.view)
        out.append("</g>")
        out += [_prop(panel, pose, p, frame) for p in pose.props if p.kind in _ON_TOP]
        if index == 0:
            out += _arrows(panel, pose)
    out.append("</g></svg>")
    return "".join(out)


# ---------------------------------------------------------------- animation


def _timeline(pose: Pose) -> tuple[list[float], list[dict[str, Point]], list[tuple[float, float]]]:
    """Key times (0..1), the pose at each, and the span each frame is held (for its label)."""
    frames = [*pose.frames, pose.frames[0]]
    times: list[float] = [0.0]
    poses: list[dict[str, Point]] = [dict(frames[0])]
    holds: list[tuple[float, float]] = []
    clock = 0.0
    for a, b in itertools.pairwise(frames):
        holds.append((clock, clock + HOLD_S))
        clock += HOLD_S
        times.append(clock)
        poses.append(dict(a))
        for step in range(1, STEPS + 1):
            t = step / STEPS
            eased = t * t * (3 - 2 * t)
            times.append(clock + MOVE_S * t)
            poses.append(inbetween(a, b, eased))
        clock += MOVE_S
    return [t / clock for t in times], poses, holds[: len(pose.frames)]


def _values(seq: Iterable[str]) -> str:
    return ";".join(seq)


def _animate(attr: str, values: list[str], key_times: str, dur: float) -> str:
    if len(set(values)) == 1:
        return ""
    return (
        f'<animate attributeName="{attr}" values="{_values(values)}" keyTimes="{key_times}" '
        f'dur="{dur:.1f}s" repeatCount="indefinite"/>'
    )


def render_animated_svg(exercise: Exercise, width: int | None = None) -> str:
    """One panel that loops between the exercise's frames (SMIL ``<animate>``, no script).

    Each frame is held for a moment, with its label ("1 Start", "2 End") shown, then the figure
    moves to the next one; after the last it moves back to the start. The motion arrows stay.
    """
    pose = exercise.pose
    box = _box(pose)
    panel = _Panel(box, 0)
    times, poses, holds = _timeline(pose)
    key_times = ";".join(f"{t:.3f}" for t in times)
    dur = len(pose.frames) * (HOLD_S + MOVE_S)
    start = poses[0]

    anim: dict[str, str] = {}
    expanded = [_points(p, pose.view) for p in poses]
    for name, parts in [
        *_limb_chains(start, pose.view),
        ("trunk", list(segments(start, pose.view)[1][1])),
    ]:
        for n, part in enumerate(parts):
            coords = {
                "x1": [_num(panel.x(e[part.a][0])) for e in expanded],
                "y1": [_num(panel.y(e[part.a][1])) for e in expanded],
                "x2": [_num(panel.x(e[part.b][0])) for e in expanded],
                "y2": [_num(panel.y(e[part.b][1])) for e in expanded],
            }
            anim[f"{name}.{n}"] = "".join(
                _animate(attr, vals, key_times, dur) for attr, vals in coords.items()
            )
    anim["head"] = _animate(
        "cx", [_num(panel.x(p["head"][0])) for p in poses], key_times, dur
    ) + _animate("cy", [_num(panel.y(p["head"][1])) for p in poses], key_times, dur)
    if pose.view != "side":
        anim["trunk_front"] = _animate(
            "points",
            [" ".join(",".join(panel.xy(q)) for q in _front_trunk(p)) for p in poses],
            key_times,
            dur,
        )

    out = [_svg_open(exercise, box.width, box.height, width, "figure-loop")]
    out.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    label_rect, _ = _panel_frame(panel, "")
    out.append(label_rect)
    for (begin, end), label in zip(holds, _labels(len(pose.frames)), strict=True):
        # Each frame's label shows while that frame is held.
        shown, when = (
            ("1;0", f"0;{end / dur:.3f}")
            if begin == 0
            else ("0;1;0", f"0;{begin / dur:.3f};{end / dur:.3f}")
        )
        out.append(
            f'<text class="label" x="2.0" y="5.2" font-family="{FONT}" font-size="4.4" '
            f'font-weight="bold" fill="{LABEL}" opacity="{shown[0]}">{escape(label)}'
            f'<animate attributeName="opacity" values="{shown}" keyTimes="{when}" '
            f'calcMode="discrete" dur="{dur:.1f}s" repeatCount="indefinite"/></text>'
        )
    out += [_prop(panel, pose, p, start) for p in pose.props if p.kind == "water"]
    if pose.view != "above":
        out.append(_floor(panel))
    out += [_prop(panel, pose, p, start) for p in pose.props if p.kind not in (*_ON_TOP, "water")]
    out.append('<g class="frame animated">')
    out += _body(panel, start, pose.view, anim)
    out.append("</g>")
    for prop in pose.props:
        if prop.kind not in _ON_TOP:
            continue
        moving = ""
        if prop.kind == "band":
            ends = [_band_ends(prop, p) for p in poses]
            moving = "".join(
                _animate(
                    attr,
                    [_num(panel.x(e[end][0]) if axis == "x" else panel.y(e[end][1])) for e in ends],
                    key_times,
                    dur,
                )
                for attr, end, axis in (
                    ("x1", 0, "x"),
                    ("y1", 0, "y"),
                    ("x2", 1, "x"),
                    ("y2", 1, "y"),
                )
            )
        elif prop.kind == "dumbbell":
            at = prop.joints[0]
            moving = _animate(
                "cx", [_num(panel.x(p[at][0])) for p in poses], key_times, dur
            ) + _animate("cy", [_num(panel.y(p[at][1])) for p in poses], key_times, dur)
        out.append(_prop(panel, pose, prop, start, moving))
    out += _arrows(panel, pose)
    out.append("</g></svg>")
    return "".join(out)


# ---------------------------------------------------------------- legend


def render_legend_svg(width: int = 480) -> str:
    """A small key to the figures: the numbered panels, the arrow, near and far limbs, the kit."""
    rows = len(LEGEND)
    vb_w, row_h = 200.0, 9.0
    vb_h = rows * row_h + 2.0
    text = "Key to the figures: " + "; ".join(f"{a}: {b}" for a, b in LEGEND)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="figure-legend" viewBox="0.0 0.0 '
        f'{_num(vb_w)} {_num(vb_h)}" width="{width}" height="{round(width * vb_h / vb_w)}" '
        f'role="img" aria-label={quoteattr(text)}><title>{escape(text)}</title>'
    ]
    for n, (symbol, meaning) in enumerate(LEGEND):
        y = 1.0 + n * row_h + row_h / 2
        if n == 0:
            out.append(
                f'<rect x="1.0" y="{_num(y - 3.5)}" width="10.0" height="7.0" rx="1.2" '
                f'fill="{PANEL_FILL}" stroke="{PANEL_LINE}" stroke-width="0.5"/>'
                f'<text x="2.2" y="{_num(y + 1.4)}" font-family="{FONT}" font-size="4.0" '
                f'font-weight="bold" fill="{LABEL}">1</text>'
                f'<rect x="12.5" y="{_num(y - 3.5)}" width="10.0" height="7.0" rx="1.2" '
                f'fill="{PANEL_FILL}" stroke="{PANEL_LINE}" stroke-width="0.5"/>'
                f'<text x="13.7" y="{_num(y + 1.4)}" font-family="{FONT}" font-size="4.0" '
                f'font-weight="bold" fill="{LABEL}">2</text>'
            )
        elif n == 1:
            out.append(
                f'<path class="motion" d="M 2.0 {_num(y)} L 18.5 {_num(y)}" fill="none" '
                f'stroke="{ARROW}" stroke-width="1.3" stroke-dasharray="3 2" '
                f'stroke-linecap="round"/><polygon points="22.0,{_num(y)} 18.0,{_num(y - 1.8)} '
                f'18.0,{_num(y + 1.8)}" fill="{ARROW}"/>'
            )
        elif n == 2:
            for x0, fill, line in ((2.0, NEAR_FILL, NEAR_LINE), (13.0, FAR_FILL, FAR_LINE)):
                out.append(
                    f'<line x1="{_num(x0)}" y1="{_num(y)}" x2="{_num(x0 + 8)}" y2="{_num(y)}" '
                    f'stroke="{line}" stroke-width="{_num(4.0 + 2 * OUTLINE)}" '
                    f'stroke-linecap="round"/><line x1="{_num(x0)}" y1="{_num(y)}" '
                    f'x2="{_num(x0 + 8)}" y2="{_num(y)}" stroke="{fill}" stroke-width="4.0" '
                    f'stroke-linecap="round"/>'
                )
        else:
            mat_fill, mat_line = PROP_STYLE["mat"]
            ball_fill, ball_line = PROP_STYLE["ball"]
            out.append(
                f'<rect x="1.0" y="{_num(y + 0.5)}" width="10.0" height="1.8" rx="0.9" '
                f'fill="{mat_fill}" stroke="{mat_line}" stroke-width="0.6"/>'
                f'<circle cx="16.0" cy="{_num(y)}" r="2.6" fill="{ball_fill}" '
                f'stroke="{ball_line}" stroke-width="0.6"/>'
            )
        out.append(
            f'<text x="26.0" y="{_num(y + 1.5)}" font-family="{FONT}" font-size="4.0" '
            f'fill="{NEAR_LINE}"><tspan font-weight="bold">{escape(symbol)}</tspan>: '
            f"{escape(meaning)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
