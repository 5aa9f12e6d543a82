"""The plan as a PDF (fpdf2): the plan on one page (page 1), then the full plan (phases and
items), an illustrated exercise guide and the sources.

Figures are the exercise library's SVG figures (start and end panels with motion arrows), embedded
as vector drawings by fpdf2's own SVG renderer, with their alt text; a key to the figures opens the
exercise guide. Text uses the PDF core font, so characters outside Latin-1 are spelled out (for
example "<=" for "≤").
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backstride.plan.exercises import Exercise, ExerciseLibrary
from backstride.plan.export.common import (
    DETAIL_TITLE,
    KIND_LABEL,
    SUMMARY_TITLE,
    TITLE,
    PhaseDetail,
    cite_line,
    factor_line,
    linked_names,
    pain_rules,
    phase_detail,
    plan_exercises,
    plan_sources,
    plan_summary,
    reference,
    setting_line,
    shown_causes,
)
from backstride.plan.figures import LEGEND, alt_text, render_legend_svg, render_svg
from backstride.plan.model import Phase, Plan, PlanItem

FONT = "helvetica"
INK = (31, 41, 55)
MUTED = (91, 100, 114)
SOFT = (243, 244, 246)
LEVEL_COLOUR = {
    "self_care": (21, 128, 61),
    "soon": (180, 83, 9),
    "urgent": (194, 65, 12),
    "emergency": (185, 28, 28),
}
KIND_COLOUR = {
    "stop": (185, 28, 28),
    "advice": (91, 100, 114),
    "exercise": (22, 101, 52),
    "run": (29, 78, 216),
    "ride": (29, 78, 216),
}
FIGURE_MAX_W = 120.0  # mm: a figure's start and end panels side by side, above the text
FIGURE_MAX_H = 34.0
SIDE_FIGURE_W = 46.0  # mm: a tall figure (standing) goes beside the text instead
SIDE_FIGURE_MAX_H = 60.0
LEGEND_W = 110.0
_REPLACE = {
    "≤": "<=",
    "≥": ">=",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "→": "->",
    "←": "<-",
    "×": "x",
    "•": "-",
    "≈": "~",
    "−": "-",
    "\u00a0": " ",
}
_SIZE = re.compile(r'width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')
# fpdf2 does not draw titles or descriptions (the alt text goes to pdf.image instead).
_UNSUPPORTED = re.compile(r"<title>.*?</title>|<desc>.*?</desc>", re.S)


def _lines(pdf: FPDF, w: float, h: float, text: str) -> int:
    """How many lines ``text`` takes in a cell ``w`` wide with the current font."""
    result = pdf.multi_cell(w, h, _t(text), dry_run=True, output="LINES")
    return len(result) if isinstance(result, list) else 1


def _t(text: str) -> str:
    """Text the core PDF font can show."""
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


class _PlanPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _t(f"backstride plan - not a diagnosis - page {self.page_no()}"), align="C")


RGB = tuple[int, int, int]


def _para(
    pdf: FPDF,
    text: str,
    size: float = 10,
    style: str = "",
    colour: RGB = INK,
    h: float = 5.0,
    indent: float = 0.0,
) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, h, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _heading(pdf: FPDF, text: str, size: float = 14) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(2)
    _para(pdf, text, size, "B", INK, h=size * 0.5)
    pdf.ln(1)


def _banner(pdf: FPDF, plan: Plan) -> None:
    colour = LEVEL_COLOUR[plan.triage]
    lines = [plan.triage_meaning, *[f"- {r}" for r in plan.triage_reasons]]
    pdf.set_font(FONT, "", 10)
    height = 12.0 + sum(_lines(pdf, pdf.epw - 8, 5, line) * 5.0 for line in lines)
    y = pdf.get_y()
    pdf.set_fill_color(*colour)
    pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
    pdf.set_xy(pdf.l_margin + 4, y + 3)
    pdf.set_font(FONT, "B", 14)
    pdf.set_text_color(255, 255, 255)
    pdf.cell(pdf.epw - 8, 6, _t(plan.triage_headline), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    for line in lines:
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 8, 5, _t(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.set_y(y + height + 3)


def _labelled(pdf: FPDF, label: str, text: str, size: float = 10) -> None:
    """'Label: text' with the label in bold, wrapping under the text."""
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(
        pdf.epw,
        size * 0.5,
        f"**{_t(label)}:** {_t(text).replace('**', '')}",
        markdown=True,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        align="L",
    )
    pdf.ln(0.8)


def _summary(pdf: FPDF, plan: Plan) -> None:
    """Page 1: the plan on one page."""
    s = plan_summary(plan)
    _para(pdf, SUMMARY_TITLE, 13, "B", INK, h=7)
    pdf.ln(1)
    _banner(pdf, plan)
    if s.causes:
        _labelled(pdf, s.causes_label, "; ".join(c.name for c in s.causes))
    if s.first:
        _labelled(pdf, "First", s.first)
    _labelled(pdf, f"Now, {s.phase_title}", s.goal)
    if plan.exercise_plan:
        _labelled(pdf, "Move on when", s.exit)
    if s.week:
        _para(pdf, "This week:", 10, "B")
        for name, dose in s.week:
            _para(pdf, f"- {name}" + (f": {dose}" if dose else ""), 9.5, h=4.8, indent=3)
        pdf.ln(0.8)
    _labelled(pdf, "Today's run", s.running)
    _para(pdf, "Get help sooner if:", 10, "B", LEVEL_COLOUR["emergency"])
    for line in s.help:
        _para(pdf, f"- {line}", 9.5, h=4.8, indent=3)


def _item(pdf: FPDF, item: PlanItem) -> None:
    if pdf.will_page_break(18):
        pdf.add_page()
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*KIND_COLOUR[item.kind])
    pdf.cell(18, 5, _t(KIND_LABEL[item.kind].upper()))
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(pdf.epw - 18, 5, _t(item.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    if item.dose:
        _para(pdf, item.dose, 10, indent=18)
    if item.details and item.kind != "exercise":
        _para(pdf, item.details, 9.5, indent=18)
    why = f"Why: {item.why} ({cite_line(item.sources)})"
    _para(pdf, why, 8.5, colour=MUTED, h=4.2, indent=18)
    pdf.ln(1.5)


def _criteria(pdf: FPDF, phase: Phase) -> None:
    for label, text in (("Start when", phase.entry), ("Move on when", phase.exit)):
        pdf.set_font(FONT, "", 9.5)
        height = 5.0 + _lines(pdf, pdf.epw - 6, 4.6, text) * 4.6 + 2
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_fill_color(*SOFT)
        pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
        pdf.set_xy(pdf.l_margin + 3, y + 1)
        pdf.set_font(FONT, "B", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 4.5, label.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 3)
        pdf.set_font(FONT, "", 9.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(pdf.epw - 6, 4.6, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.set_y(y + height + 1.5)


def _figure_size(svg: str) -> tuple[float, float, bool]:
    """Width and height (mm) of a figure, and whether it goes beside the text.

    A wide figure (lying, kneeling) goes above the text, as large as fits; a tall one (standing)
    would be tiny there, so it goes beside the text, like a column.
    """
    match = _SIZE.search(svg)
    ratio = float(match.group(2)) / float(match.group(1)) if match else 1.0
    wide = min(FIGURE_MAX_W, FIGURE_MAX_H / ratio)
    if wide >= SIDE_FIGURE_W * 1.3:
        return wide, wide * ratio, False
    width = min(SIDE_FIGURE_W, SIDE_FIGURE_MAX_H / ratio)
    return width, width * ratio, True


def _figure(pdf: FPDF, svg: str, width: float, text: str) -> None:
    """Embed one SVG at the cursor, ``width`` mm wide, as a vector drawing with its alt text."""
    pdf.image(
        io.BytesIO(_UNSUPPORTED.sub("", svg).encode("utf-8")),
        x=pdf.l_margin,
        y=pdf.get_y(),
        w=width,
        alt_text=_t(text),
    )


def _legend(pdf: FPDF) -> None:
    svg = render_legend_svg()
    match = _SIZE.search(svg)
    height = LEGEND_W * float(match.group(2)) / float(match.group(1)) if match else 20.0
    top = pdf.get_y()
    _figure(pdf, svg, LEGEND_W, "Key to the figures: " + "; ".join(f"{a}: {b}" for a, b in LEGEND))
    pdf.set_y(top + height + 3)


def _exercise(pdf: FPDF, ex: Exercise, library: ExerciseLibrary, pain_rule: str) -> None:
    svg = render_svg(ex)
    fig_w, fig_h, beside = _figure_size(svg)
    indent = fig_w + 5 if beside else 0.0
    text_w = pdf.epw - indent
    kit = ", ".join(e.replace("_", " ") for e in ex.equipment) or "none"
    size, h = 9.0, 4.2  # compact: the guide is most of the PDF's pages
    more = [("Equipment", kit)]
    more += [
        (label, names)
        for label, ids in (("Easier", ex.regressions), ("Harder", ex.progressions))
        if (names := linked_names(ids, library))
    ]
    blocks: list[tuple[str, float, str, RGB, float]] = [
        (ex.purpose, size, "I", MUTED, h),
        *[(f"{n}. {step}", size, "", INK, h) for n, step in enumerate(ex.steps, start=1)],
        ("Cues: " + " ".join(ex.cues), size, "", INK, h),
        ("Common mistakes: " + " ".join(ex.mistakes), size, "", INK, h),
        ("Dose: " + ex.dose.text, size, "B", INK, h),
        ("Pain rule: " + pain_rule, size, "", INK, h),
        (". ".join(f"{label}: {text}" for label, text in more) + ".", size, "", INK, h),
        ("Sources: " + cite_line(ex.sources), 7.5, "", MUTED, 3.6),
    ]

    text_h = 0.0
    for text, size, style, _, h in blocks:
        pdf.set_font(FONT, style, size)
        text_h += h * _lines(pdf, text_w, h, text)
    # Keep the name and the figure with the text beside or under it on one page.
    needed = 6.0 + (max(fig_h, text_h) if beside else fig_h + 2 + min(text_h, 40.0))
    if pdf.will_page_break(needed):
        pdf.add_page()
    _para(pdf, ex.name, 12, "B", INK, h=6.0)
    top = pdf.get_y()
    page = pdf.page_no()
    _figure(pdf, svg, fig_w, alt_text(ex))
    if not beside:
        pdf.set_y(top + fig_h + 2)
    for text, size, style, colour, h in blocks:
        _para(pdf, text, size, style, colour, h=h, indent=indent)
    if beside and pdf.page_no() == page:
        pdf.set_y(max(pdf.get_y(), top + fig_h))
    pdf.ln(3.5)


def render_pdf(plan: Plan, library: ExerciseLibrary, *, created: date | None = None) -> bytes:
    """The plan as PDF bytes, with the exercise guide and its figures."""
    pdf = _PlanPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(TITLE)
    pdf.set_author("backstride")
    pdf.set_creator("backstride")
    if created is not None:
        pdf.set_creation_date(datetime.combine(created, time(0, 0), tzinfo=UTC))
    pdf.add_page()
    _para(pdf, TITLE, 20, "B", h=9)
    _para(pdf, plan.disclaimer, 8.5, colour=MUTED, h=4.2)
    pdf.ln(3)
    _summary(pdf, plan)

    pdf.add_page()
    _heading(pdf, DETAIL_TITLE, 16)
    if plan.exercise_plan:
        _para(pdf, setting_line(plan), 10)
    if factors := factor_line(plan):
        _para(pdf, factors, 10)
    for cause in shown_causes(plan)[1]:
        if cause.why:
            _para(pdf, f"Why we think it may be {cause.name}: {cause.why}.", 10)
    for view in phase_detail(plan):
        _phase(pdf, view)
    if plan.seek_help_causes:
        _heading(pdf, "Also get help if")
        for line in plan.seek_help_causes:
            _para(pdf, f"- {line}", 9.5, h=4.8)
    if plan.notes:
        _heading(pdf, "Notes")
        for note in plan.notes:
            _para(pdf, f"- {note}", 9)

    exercises = plan_exercises(plan, library)
    if exercises:
        rules = pain_rules(exercises)
        pdf.add_page()
        _heading(pdf, "Exercise guide", 16)
        _legend(pdf)
        for ex in exercises:
            _exercise(pdf, ex, library, rules[ex.id])

    _heading(pdf, "Sources")
    for n, (_, src) in enumerate(plan_sources(plan, library), start=1):
        text = reference(src)
        if src and src.url:
            text += f" {src.url}"
        _para(pdf, f"{n}. {text}", 8, colour=MUTED, h=4)
    return bytes(pdf.output())


def _phase(pdf: FPDF, view: PhaseDetail) -> None:
    phase = view.phase
    _heading(pdf, view.title)
    _para(pdf, phase.goal, 10, "I", MUTED)
    pdf.ln(1)
    _criteria(pdf, phase)
    _labelled(pdf, "Running", phase.running.text)
    for item in view.items:
        _item(pdf, item)
    if view.kept:
        _labelled(pdf, "Keep doing", ", ".join(view.kept), 9.5)
