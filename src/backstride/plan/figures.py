"""Draw an exercise's pose keyframes as a standalone SVG stick figure (pure, no I/O).

The figure is a side view. Limbs are lines, the head is a circle, the floor is a line at y=0.
With two or more keyframes the earlier ones are drawn faint and the last one solid, with an
arrow along the path of the joint that moves most, so one still picture shows the movement.
Paired limbs: ``_r`` is drawn in front in a dark tone, ``_l`` behind in a lighter one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from backstride.plan.exercises import ARM_JOINTS, FOOT_JOINT, LEG_JOINTS, Exercise, Point, Prop

HEAD_RADIUS = 5.5
STROKE = 2.4
NEAR = "#1f2937"
FAR = "#8b95a3"
GHOST_OPACITY = 0.3
PROP_STROKE = "#9ca3af"
PROP_FILL = "#eef0f3"
FLOOR = "#b6bcc6"
ARROW = "#2563eb"
MIN_ARROW = 4.0  # a joint must travel this far (box units) before we draw an arrow
VIEW_WIDTH = 100.0
PAD = 6.0

Segment = tuple[str, str]


def segments(frame: Mapping[str, Point]) -> tuple[tuple[str, tuple[Segment, ...]], ...]:
    """The body lines of one frame, grouped by tone: ``far`` limbs, ``trunk``, ``near`` limbs.

    Shared limbs (no ``_l``/``_r``) are drawn once, in the near tone.
    """
    shoulder = "shoulder" if "shoulder" in frame else "neck"
    trunk: list[Segment] = [("neck", "head")]
    if "spine" in frame:
        trunk += [("hip", "spine"), ("spine", "neck")]
    else:
        trunk.append(("hip", "neck"))

    def limbs(suffix: str) -> list[Segment]:
        elbow, hand = (j + suffix for j in ARM_JOINTS)
        knee, ankle = (j + suffix for j in LEG_JOINTS)
        out: list[Segment] = []
        if elbow in frame:
            out += [(shoulder, elbow), (elbow, hand)]
        if knee in frame:
            out += [("hip", knee), (knee, ankle)]
            if FOOT_JOINT + suffix in frame:
                out.append((ankle, FOOT_JOINT + suffix))
        return out

    far = limbs("_l")
    near = limbs("_r") + limbs("")
    return (("far", tuple(far)), ("trunk", tuple(trunk)), ("near", tuple(near)))


def limb_line_count(frame: Mapping[str, Point]) -> int:
    """How many body lines one frame draws."""
    return sum(len(group) for _, group in segments(frame))


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _y(y: float) -> float:
    # Pose space has y up; SVG has y down.
    return 100.0 - y


def _line(a: Point, b: Point, cls: str, colour: str) -> str:
    return (
        f'<line class="{cls}" x1="{_num(a[0])}" y1="{_num(_y(a[1]))}" '
        f'x2="{_num(b[0])}" y2="{_num(_y(b[1]))}" stroke="{colour}"/>'
    )


def _frame_svg(frame: Mapping[str, Point], ghost: bool) -> str:
    parts = [
        f'<g class="{"frame ghost" if ghost else "frame"}"'
        + (f' opacity="{GHOST_OPACITY}"' if ghost else "")
        + ">"
    ]
    for tone, group in segments(frame):
        colour = FAR if tone == "far" else NEAR
        for a, b in group:
            parts.append(_line(frame[a], frame[b], f"limb {tone}", colour))
    hx, hy = frame["head"]
    parts.append(
        f'<circle class="head" cx="{_num(hx)}" cy="{_num(_y(hy))}" r="{_num(HEAD_RADIUS)}" '
        f'fill="#ffffff" stroke="{NEAR}"/>'
    )
    parts.append("</g>")
    return "".join(parts)


def _prop_svg(prop: Prop) -> str:
    common = f'class="prop" stroke="{PROP_STROKE}" stroke-width="1.2"'
    if prop.shape == "circle":
        return (
            f'<circle {common} fill="{PROP_FILL}" cx="{_num(prop.x)}" cy="{_num(_y(prop.y))}" '
            f'r="{_num(prop.r)}"/>'
        )
    if prop.shape == "rect":
        return (
            f'<rect {common} fill="{PROP_FILL}" x="{_num(prop.x)}" '
            f'y="{_num(_y(prop.y + prop.h))}" width="{_num(prop.w)}" height="{_num(prop.h)}"/>'
        )
    return (
        f'<line {common} x1="{_num(prop.x)}" y1="{_num(_y(prop.y))}" '
        f'x2="{_num(prop.x + prop.w)}" y2="{_num(_y(prop.y + prop.h))}"/>'
    )


def _moving_joint(first: Mapping[str, Point], last: Mapping[str, Point]) -> str | None:
    best, best_d = None, MIN_ARROW
    for joint in sorted(first):
        (x0, y0), (x1, y1) = first[joint], last[joint]
        d = math.hypot(x1 - x0, y1 - y0)
        if d > best_d + 1e-9:
            best, best_d = joint, d
    return best


def _arrow_svg(start: Point, end: Point, marker_id: str) -> str:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    # Shift the arrow sideways so it runs beside the limb, not on top of it.
    nx, ny = -dy / length * 5.0, dx / length * 5.0
    a = (start[0] + dx * 0.15 + nx, start[1] + dy * 0.15 + ny)
    b = (start[0] + dx * 0.85 + nx, start[1] + dy * 0.85 + ny)
    return (
        f'<line class="motion" x1="{_num(a[0])}" y1="{_num(_y(a[1]))}" x2="{_num(b[0])}" '
        f'y2="{_num(_y(b[1]))}" stroke="{ARROW}" stroke-width="1.4" '
        f'stroke-dasharray="3 2" marker-end="url(#{marker_id})"/>'
    )


def _bounds(exercise: Exercise) -> tuple[float, float]:
    ys: list[float] = [0.0]
    for frame in exercise.pose.frames:
        for joint, (_, y) in frame.items():
            r = HEAD_RADIUS if joint == "head" else 0.0
            ys += [y - r, y + r]
    for prop in exercise.pose.props:
        if prop.shape == "circle":
            ys += [prop.y - prop.r, prop.y + prop.r]
        else:
            ys += [prop.y, prop.y + prop.h]
    return min(ys), max(ys)


def render_svg(exercise: Exercise, width: int = 240) -> str:
    """A standalone SVG of the exercise's stick figure, ``width`` pixels wide."""
    low, high = _bounds(exercise)
    top = _y(high) - PAD
    height = max(high - low + 2 * PAD, 40.0)
    px_height = round(width * height / VIEW_WIDTH)
    marker_id = f"arrow-{exercise.id}"
    frames = exercise.pose.frames
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0.0 {_num(top)} '
        f'{_num(VIEW_WIDTH)} {_num(height)}" width="{width}" height="{px_height}" '
        f'role="img" aria-label={quoteattr(exercise.name)}>',
        f"<title>{escape(exercise.name)}</title>",
        f"<desc>{escape(exercise.purpose)}</desc>",
        f'<defs><marker id="{marker_id}" viewBox="0 0 10 10" refX="8" refY="5" '
        f'markerWidth="5" markerHeight="5" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{ARROW}"/></marker></defs>',
        f'<g fill="none" stroke-width="{_num(STROKE)}" stroke-linecap="round" '
        f'stroke-linejoin="round">',
        _line((2.0, 0.0), (98.0, 0.0), "floor", FLOOR),
    ]
    out += [_prop_svg(p) for p in exercise.pose.props]
    out += [_frame_svg(f, ghost=True) for f in frames[:-1]]
    if len(frames) > 1:
        joint = exercise.pose.arrow or _moving_joint(frames[0], frames[-1])
        if joint is not None and math.dist(frames[0][joint], frames[-1][joint]) >= MIN_ARROW:
            out.append(_arrow_svg(frames[0][joint], frames[-1][joint], marker_id))
    out.append(_frame_svg(frames[-1], ghost=False))
    out.append("</g></svg>")
    return "".join(out)
