"""The plan as Markdown: the plan on one page, then the full plan (phases, items with dose, why
and sources), an exercise guide and the sources.

The exercise guide links each exercise's figure (start and end panels) as an SVG file, with a key
to the figures; :func:`figure_files` gives those files, for the caller to write beside the
Markdown file. Sources are cited by author and year, linked to the numbered list at the end.
"""

from __future__ import annotations

from pathlib import PurePath

from backstride.plan.exercises import ExerciseLibrary
from backstride.plan.export.common import (
    DETAIL_TITLE,
    KIND_LABEL,
    SUMMARY_TITLE,
    TITLE,
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
from backstride.plan.figures import LEGEND, alt_text, render_legend_svg, render_svg
from backstride.plan.model import Plan, PlanItem


def _md(text: str) -> str:
    # Keep people's text from turning into Markdown syntax by accident.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")


def _cite(ids: tuple[str, ...], numbers: dict[str, int]) -> str:
    return "; ".join(
        f"[{_md(text)}](#src-{numbers[sid]})" if sid in numbers else _md(text)
        for sid, text in in_text(ids)
    )


def _item(item: PlanItem, guide: set[str], numbers: dict[str, int]) -> list[str]:
    name = _md(item.name)
    if item.guide and item.guide in guide:
        name = f"[{name}](#ex-{item.guide})"
    head = f"- **{KIND_LABEL[item.kind]}: {name}**"
    if item.dose:
        head += f" — {_md(item.dose)}"
    lines = [head]
    if item.details and item.kind != "exercise":
        lines.append(f"  {_md(item.details)}")
    lines.append(f"  *Why:* {_md(item.why)} ({_cite(item.sources, numbers)})")
    # A trailing backslash is a hard line break in CommonMark: one line each, one list item.
    return [line + "\\" for line in lines[:-1]] + lines[-1:]


def _summary(plan: Plan) -> list[str]:
    s = plan_summary(plan)
    out = [f"## {SUMMARY_TITLE}", "", f"**{_md(s.headline)}.** {_md(s.meaning)}", ""]
    out += [f"- {_md(r)}" for r in s.reasons]
    if s.reasons:
        out.append("")
    if s.causes:
        out += [f"**{s.causes_label}:** " + _md("; ".join(c.name for c in s.causes)), ""]
    if s.first:
        out += [f"**First:** {_md(s.first)}", ""]
    out += [f"**Now: {_md(s.phase_title)}.** *Goal:* {_md(s.goal)}", ""]
    if plan.exercise_plan:
        out += [f"**Move on when:** {_md(s.exit)}", ""]
    if s.week:
        out += ["**This week:**", ""]
        out += [f"- **{_md(name)}**" + (f" — {_md(dose)}" if dose else "") for name, dose in s.week]
        out.append("")
    out += [f"**Today's run:** {_md(s.running)}", "", "**Get help sooner if:**", ""]
    out += [f"- {_md(line)}" for line in s.help]
    out.append("")
    return out


LEGEND_FILE = "legend.svg"


def figure_folder(markdown_name: str) -> str:
    """The folder beside a Markdown file that holds its figures (``plan.md``: ``plan-figures``)."""
    return f"{PurePath(markdown_name).stem}-figures"


def figure_files(plan: Plan, library: ExerciseLibrary) -> dict[str, str]:
    """The SVG files the exercise guide links: one per exercise, and the key, by file name."""
    files = {f"{ex.id}.svg": render_svg(ex) + "\n" for ex in plan_exercises(plan, library)}
    if files:
        files[LEGEND_FILE] = render_legend_svg() + "\n"
    return files


def _alt(text: str) -> str:
    # Alt text sits inside [...]: keep brackets and escapes from ending it early.
    return _md(text).replace("[", "(").replace("]", ")")


def render_markdown(plan: Plan, library: ExerciseLibrary, *, figure_dir: str | None = None) -> str:
    """The plan as a Markdown document: the plan on one page, then the full plan.

    With ``figure_dir`` the exercise guide links each exercise's figure as
    ``{figure_dir}/{exercise_id}.svg`` and the key as ``{figure_dir}/legend.svg`` (the caller
    writes :func:`figure_files` there).
    """
    exercises = plan_exercises(plan, library)
    guide = {e.id for e in exercises}
    numbers = source_numbers(plan, library)
    out = [f"# {TITLE}", "", f"> {_md(plan.disclaimer)}", ""]
    out += _summary(plan)

    out += [f"## {DETAIL_TITLE}", ""]
    if plan.exercise_plan:
        out += [_md(setting_line(plan)), ""]
    if factors := factor_line(plan):
        out += [_md(factors), ""]
    for cause in shown_causes(plan)[1]:
        if cause.why:
            out += [f"*Why we think it may be {_md(cause.name)}:* {_md(cause.why)}.", ""]
    for view in phase_detail(plan):
        phase = view.phase
        out += [f"### {_md(view.title)}", "", f"*Goal:* {_md(phase.goal)}", ""]
        out += [
            f"**Start when:** {_md(phase.entry)}",
            "",
            f"**Move on when:** {_md(phase.exit)}",
            "",
            f"**Running:** {_md(phase.running.text)} ({_cite(phase.running.sources, numbers)})",
            "",
        ]
        for item in view.items:
            out += _item(item, guide, numbers)
        if view.items:
            out.append("")
        if view.kept:
            out += [f"**Keep doing:** {_md(', '.join(view.kept))}", ""]

    if plan.seek_help_causes:
        out += ["### Also get help if", ""] + [f"- {_md(x)}" for x in plan.seek_help_causes]
        out.append("")
    if plan.notes:
        out += ["### Notes", ""] + [f"- {_md(n)}" for n in plan.notes] + [""]

    if exercises:
        rules = pain_rules(exercises)
        out += ["## Exercise guide", ""]
        if figure_dir is not None:
            out += ["**How to read the figures:**", ""]
            out += [f"- **{_md(symbol)}:** {_md(meaning)}" for symbol, meaning in LEGEND]
            out += ["", f"![Key to the figures]({figure_dir}/{LEGEND_FILE})", ""]
        for ex in exercises:
            out += [f'<a id="ex-{ex.id}"></a>', "", f"### {_md(ex.name)}", ""]
            if figure_dir is not None:
                out += [f"![{_alt(alt_text(ex))}]({figure_dir}/{ex.id}.svg)", ""]
            out += [_md(ex.purpose), ""]
            out += [f"{i}. {_md(s)}" for i, s in enumerate(ex.steps, start=1)]
            out += ["", "**Cues:** " + " ".join(_md(c) for c in ex.cues)]
            out += ["", "**Common mistakes:** " + " ".join(_md(m) for m in ex.mistakes)]
            out += ["", f"**Dose:** {_md(ex.dose.text)}", "", f"**Pain rule:** {_md(rules[ex.id])}"]
            kit = ", ".join(e.replace("_", " ") for e in ex.equipment) or "none"
            out += ["", f"**Equipment:** {_md(kit)}"]
            easier = linked_names(ex.regressions, library)
            harder = linked_names(ex.progressions, library)
            if easier:
                out += ["", f"**Easier:** {_md(easier)}"]
            if harder:
                out += ["", f"**Harder:** {_md(harder)}"]
            out += ["", f"*Sources:* {_cite(ex.sources, numbers)}", ""]

    out += ["## Sources", ""]
    for n, (_, src) in enumerate(plan_sources(plan, library), start=1):
        text = _md(reference(src))
        if src and src.url:
            text += f" <{src.url}>"
        out.append(f'{n}. <a id="src-{n}"></a>{text}')
    out.append("")
    return "\n".join(out)
