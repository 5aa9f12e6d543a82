"""The plan as one standalone HTML page: inline CSS and SVG figures, no external assets.

The plan on one page comes first (and prints on its own page), then the full plan. The layout
is a single column that reads well on a phone and prints cleanly. Each exercise shows
a figure that loops between its start and end position (SMIL, no script) beside the two still
panels; a key to the figures opens the exercise guide. Printing, or asking the system for
reduced motion, leaves only the still panels.
"""

from __future__ import annotations

from html import escape

from backstride.plan.exercises import Exercise, ExerciseLibrary
from backstride.plan.export.common import (
    DETAIL_TITLE,
    KIND_LABEL,
    SUMMARY_TITLE,
    TITLE,
    PhaseDetail,
    factor_line,
    in_text,
    linked_names,
    pain_rules,
    phase_detail,
    plan_exercises,
    plan_sources,
    plan_summary,
    reference,
    setting_line,
    shown_causes,
    source_numbers,
)
from backstride.plan.figures import render_animated_svg, render_legend_svg, render_svg
from backstride.plan.model import Plan, PlanItem

CSS = """
:root { --ink:#1f2937; --muted:#5b6472; --line:#e3e6ea; --bg:#ffffff; --soft:#f6f7f9;
  --self_care:#15803d; --soon:#b45309; --urgent:#c2410c; --emergency:#b91c1c; --accent:#2563eb; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
section, .card { background: var(--bg); border: 1px solid var(--line); border-radius: 12px;
  padding: 1rem; margin: 0 0 1rem; }
.disclaimer { color: var(--muted); font-size: .9rem; }
.banner { color: #fff; border: 0; border-radius: 12px; padding: 1rem; margin: 0 0 .75rem; }
.banner h2 { margin-bottom: .25rem; }
.banner p { margin: .25rem 0; }
.banner ul { margin: .5rem 0 0; padding-left: 1.2rem; }
.level-self_care { background: var(--self_care); } .level-soon { background: var(--soon); }
.level-urgent { background: var(--urgent); } .level-emergency { background: var(--emergency); }
.meta { color: var(--muted); font-size: .9rem; margin: .25rem 0 .75rem; }
.criteria { display: grid; gap: .5rem; grid-template-columns: 1fr; margin: .5rem 0 1rem; }
.criteria div { background: var(--soft); border-radius: 8px; padding: .5rem .75rem;
  font-size: .95rem; }
.criteria b { display: block; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items li { border-top: 1px solid var(--line); padding: .65rem 0; }
.tag { display: inline-block; font-size: .72rem; font-weight: 700; letter-spacing: .04em;
  text-transform: uppercase; border-radius: 999px; padding: .1rem .5rem; margin-right: .4rem;
  background: var(--soft); color: var(--muted); vertical-align: middle; }
.tag.stop { background: #fee2e2; color: var(--emergency); }
.tag.run, .tag.ride { background: #dbeafe; color: #1d4ed8; }
.tag.exercise { background: #dcfce7; color: #166534; }
.name { font-weight: 650; }
.dose { display: block; margin-top: .15rem; }
.why, .src { display: block; color: var(--muted); font-size: .88rem; margin-top: .15rem; }
.details { display: block; font-size: .95rem; margin-top: .15rem; }
a { color: var(--accent); }
.guide-card { display: grid; gap: .75rem; grid-template-columns: 1fr; }
.figure { background: var(--soft); border-radius: 8px; padding: .4rem; margin: 0;
  display: grid; gap: .4rem; grid-template-columns: minmax(0, 1fr); justify-items: center;
  align-items: end; }
.figure svg { width: 100%; height: auto; max-height: 60vh; }
.figure .figure-loop { max-width: 22rem; }
.legend svg { width: 100%; max-width: 40rem; height: auto; }
@media (prefers-reduced-motion: reduce) { .figure .figure-loop { display: none; } }
.guide-card ol { padding-left: 1.2rem; margin: .25rem 0; }
.guide-card p { margin: .35rem 0; }
section > :first-child { margin-top: 0; } section > :last-child { margin-bottom: 0; }
.help li { margin: .2rem 0; }
.summary dl { margin: .5rem 0 0; } .summary dt { font-weight: 700; margin-top: .5rem; }
.summary dd { margin: .1rem 0 0; } .summary ul { margin: .2rem 0; padding-left: 1.2rem; }
.run { font-weight: 600; }
.sources li { font-size: .88rem; margin: .25rem 0; overflow-wrap: anywhere; }
@media (min-width: 40rem) {
  .criteria { grid-template-columns: 1fr 1fr; }
  .figure { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
}
@media print {
  .figure .figure-loop { display: none; }
  body { background: #fff; } main { max-width: none; padding: 0; }
  section, .card { break-inside: avoid; border-color: #ccc; }
  .summary { break-after: page; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _cite(ids: tuple[str, ...], numbers: dict[str, int]) -> str:
    return "; ".join(
        f'<a href="#src-{numbers[sid]}">{_e(text)}</a>' if sid in numbers else _e(text)
        for sid, text in in_text(ids)
    )


def _item(item: PlanItem, guide: set[str], numbers: dict[str, int]) -> str:
    name = _e(item.name)
    if item.guide and item.guide in guide:
        name = f'<a href="#ex-{_e(item.guide)}">{name}</a>'
    parts = [
        f'<li><span class="tag {item.kind}">{KIND_LABEL[item.kind]}</span>'
        f'<span class="name">{name}</span>'
    ]
    if item.dose:
        parts.append(f'<span class="dose">{_e(item.dose)}</span>')
    if item.details and item.kind != "exercise":
        parts.append(f'<span class="details">{_e(item.details)}</span>')
    parts.append(
        f'<span class="why"><b>Why:</b> {_e(item.why)} ({_cite(item.sources, numbers)})</span></li>'
    )
    return "".join(parts)


def _phase(view: PhaseDetail, guide: set[str], numbers: dict[str, int]) -> str:
    phase = view.phase
    kept = f"<p><b>Keep doing:</b> {_e(', '.join(view.kept))}</p>" if view.kept else ""
    return (
        f'<section id="phase-{phase.id}"><h3>{_e(view.title)}</h3>'
        f"<p>{_e(phase.goal)}</p>"
        f'<div class="criteria"><div><b>Start when</b>{_e(phase.entry)}</div>'
        f"<div><b>Move on when</b>{_e(phase.exit)}</div></div>"
        f'<p class="run"><b>Running:</b> {_e(phase.running.text)} '
        f'<span class="src">({_cite(phase.running.sources, numbers)})</span></p>'
        f'<ul class="items">{"".join(_item(i, guide, numbers) for i in view.items)}</ul>'
        f"{kept}</section>"
    )


def _summary(plan: Plan) -> str:
    s = plan_summary(plan)
    reasons = "".join(f"<li>{_e(r)}</li>" for r in s.reasons)
    parts = [
        f'<section class="summary"><h2>{_e(SUMMARY_TITLE)}</h2>'
        f'<div class="banner level-{plan.triage}"><h2>{_e(s.headline)}</h2>'
        f"<p>{_e(s.meaning)}</p>" + (f"<ul>{reasons}</ul>" if reasons else "") + "</div><dl>"
    ]
    if s.causes:
        names = "; ".join(c.name for c in s.causes)
        parts.append(f"<dt>{_e(s.causes_label)}</dt><dd>{_e(names)}</dd>")
    if s.first:
        parts.append(f"<dt>First</dt><dd>{_e(s.first)}</dd>")
    parts.append(f"<dt>Now: {_e(s.phase_title)}</dt><dd>{_e(s.goal)}</dd>")
    if plan.exercise_plan:
        parts.append(f"<dt>Move on when</dt><dd>{_e(s.exit)}</dd>")
    if s.week:
        week = "".join(
            f"<li><b>{_e(name)}</b>" + (f" — {_e(dose)}" if dose else "") + "</li>"
            for name, dose in s.week
        )
        parts.append(f"<dt>This week</dt><dd><ul>{week}</ul></dd>")
    parts.append(f'<dt>Today\'s run</dt><dd class="run">{_e(s.running)}</dd>')
    helps = "".join(f"<li>{_e(line)}</li>" for line in s.help)
    parts.append(
        f'<dt>Get help sooner if</dt><dd class="help"><ul>{helps}</ul></dd></dl></section>'
    )
    return "".join(parts)


def _exercise(
    ex: Exercise, library: ExerciseLibrary, numbers: dict[str, int], pain_rule: str
) -> str:
    steps = "".join(f"<li>{_e(s)}</li>" for s in ex.steps)
    kit = ", ".join(e.replace("_", " ") for e in ex.equipment) or "none"
    extra = ""
    easier = linked_names(ex.regressions, library)
    harder = linked_names(ex.progressions, library)
    if easier:
        extra += f"<p><b>Easier:</b> {_e(easier)}</p>"
    if harder:
        extra += f"<p><b>Harder:</b> {_e(harder)}</p>"
    return (
        f'<div class="card guide-card" id="ex-{_e(ex.id)}">'
        f'<figure class="figure">{render_animated_svg(ex)}{render_svg(ex)}</figure><div>'
        f"<h3>{_e(ex.name)}</h3><p>{_e(ex.purpose)}</p><ol>{steps}</ol>"
        f"<p><b>Cues:</b> {_e(' '.join(ex.cues))}</p>"
        f"<p><b>Common mistakes:</b> {_e(' '.join(ex.mistakes))}</p>"
        f"<p><b>Dose:</b> {_e(ex.dose.text)}</p>"
        f"<p><b>Pain rule:</b> {_e(pain_rule)}</p>"
        f"<p><b>Equipment:</b> {_e(kit)}</p>{extra}"
        f'<p class="src">Sources: {_cite(ex.sources, numbers)}</p></div></div>'
    )


def render_html(plan: Plan, library: ExerciseLibrary) -> str:
    """The plan as a standalone HTML page: the plan on one page, the full plan, the exercise
    guide with inline figures, and the sources."""
    exercises = plan_exercises(plan, library)
    guide = {e.id for e in exercises}
    numbers = source_numbers(plan, library)
    intro = []
    if plan.exercise_plan:
        intro.append(f"<p>{_e(setting_line(plan))}</p>")
    if factors := factor_line(plan):
        intro.append(f"<p>{_e(factors)}</p>")
    intro += [
        f"<p><i>Why we think it may be {_e(c.name)}:</i> {_e(c.why)}.</p>"
        for c in shown_causes(plan)[1]
        if c.why
    ]
    phases = "".join(_phase(v, guide, numbers) for v in phase_detail(plan))
    also = (
        '<section class="help"><h3>Also get help if</h3><ul>'
        + "".join(f"<li>{_e(x)}</li>" for x in plan.seek_help_causes)
        + "</ul></section>"
        if plan.seek_help_causes
        else ""
    )
    notes = (
        "<section><h3>Notes</h3><ul>"
        + "".join(f"<li>{_e(n)}</li>" for n in plan.notes)
        + "</ul></section>"
        if plan.notes
        else ""
    )
    rules = pain_rules(exercises)
    guide_html = (
        "<h2>Exercise guide</h2>"
        f'<section class="legend"><h3>How to read the figures</h3>{render_legend_svg()}'
        "<p>Each moving figure loops from the start position to the end position and back; "
        "the still panels beside it show the two positions.</p></section>"
        + "".join(_exercise(e, library, numbers, rules[e.id]) for e in exercises)
        if exercises
        else ""
    )
    sources = "".join(
        f'<li id="src-{n}">'
        + _e(reference(src))
        + (f' <a href="{_e(src.url)}">{_e(src.url)}</a>' if src and src.url else "")
        + "</li>"
        for n, (_, src) in enumerate(plan_sources(plan, library), start=1)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(TITLE)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{_e(TITLE)}</h1>"
        f'<p class="disclaimer">{_e(plan.disclaimer)}</p>'
        f"{_summary(plan)}"
        f'<h2 id="full-plan">{_e(DETAIL_TITLE)}</h2>'
        + (f"<section>{''.join(intro)}</section>" if intro else "")
        + f"{phases}{also}{notes}{guide_html}"
        f'<section class="sources"><h2>Sources</h2><ol>{sources}</ol></section>'
        "</main></body></html>\n"
    )
